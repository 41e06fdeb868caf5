/// Writing JSON text by hand for the hot paths (store columns, canonical export), where
/// Foundation's encoder would dominate the run time.
public enum JSONText {
    /// A JSON string literal with RFC 8259 escaping.
    public static func quote(_ text: String) -> String {
        if !needsEscaping(text) {
            return "\"" + text + "\""
        }
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Whether ``quote(_:)`` changes more than the surrounding quotes (controls, `"`, `\`, and the lead byte of
    /// U+2028/U+2029, checked by scalar there).
    @inline(__always)
    static func needsEscaping(_ text: String) -> Bool {
        text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0xE2 })
    }

    public static func array(_ items: [String]) -> String {
        "[" + items.map(quote).joined(separator: ",") + "]"
    }

    /// A number as JSON: integers without a fraction, others in shortest round-trip form.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// Builds one JSON object member by member, in the order written.
    public struct Object {
        var parts: [String] = []
        public init() {}
        public mutating func add(_ key: String, raw: String?) {
            guard let raw else { return }
            parts.append(JSONText.quote(key) + ":" + raw)
        }
        public mutating func add(_ key: String, _ value: String?) { add(key, raw: value.map(JSONText.quote)) }
        public mutating func add(_ key: String, _ value: Int64?) { add(key, raw: value.map { String($0) }) }
        public mutating func add(_ key: String, _ value: Int?) { add(key, raw: value.map { String($0) }) }
        public mutating func add(_ key: String, _ value: Double?) { add(key, raw: value.map(JSONText.number)) }
        public mutating func add(_ key: String, _ value: Bool?) { add(key, raw: value.map { $0 ? "true" : "false" }) }
        public var text: String { "{" + parts.joined(separator: ",") + "}" }
    }
}

/// Hands a non-Sendable reference to another thread whose use of it is exclusive by design.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
