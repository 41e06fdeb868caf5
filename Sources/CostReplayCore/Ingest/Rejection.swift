/// A source record that could not be stored, with where it was and why.
public struct Rejection: Hashable, Sendable, Codable, CustomStringConvertible {
    public var location: SourceLocation
    /// 1-based position inside a line holding several records (OTLP spans, JSON arrays); 0 otherwise.
    public var item: Int
    public var field: String?
    public var reason: String
    /// The raw source text, cut to 2,000 characters.
    public var raw: String?

    public init(location: SourceLocation, item: Int = 0, field: String?, reason: String, raw: String?) {
        self.location = location
        self.item = item
        self.field = field
        self.reason = reason
        self.raw = raw.map { $0.count > 2000 ? String($0.prefix(2000)) : $0 }
    }

    /// `FILE:LINE[ item N]: field 'F': REASON`, the form every error message takes.
    public var description: String {
        var text = location.line > 0 ? location.description : location.file
        if item > 0 { text += " item \(item)" }
        text += ": "
        if let field { text += "field '\(field)': " }
        return text + reason
    }
}
