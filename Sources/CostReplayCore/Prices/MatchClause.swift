/// genai-prices' boolean model-name matcher (`equals`, `starts_with`, `ends_with`, `contains`,
/// `regex`, `or`, `and`).
///
/// Names are lowercased before matching and literals when read, as genai-prices does
/// (genai_prices/types.py, `Clause*.is_match`); a regex is searched case-sensitively in the
/// lowercased name, like its `re.search`.
public indirect enum MatchClause: Sendable {
    case equals(String), startsWith(String), endsWith(String), contains(String), regex(CompiledPattern)
    case or([MatchClause]), and([MatchClause])
    case never

    public func matches(_ name: String) -> Bool {
        switch self {
        case .equals(let s): return name == s
        case .startsWith(let s): return name.hasPrefix(s)
        case .endsWith(let s): return name.hasSuffix(s)
        case .contains(let s): return name.contains(s)
        case .regex(let pattern): return pattern.search(name)
        case .or(let clauses): return clauses.contains { $0.matches(name) }
        case .and(let clauses): return clauses.allSatisfy { $0.matches(name) }
        case .never: return false
        }
    }

    /// Whether the name is one the clause lists verbatim (an `equals` reachable through `or`):
    /// anything else that matches is a loose match, reported with the entry used.
    public func listsExactly(_ name: String) -> Bool {
        switch self {
        case .equals(let s): return name == s
        case .or(let clauses): return clauses.contains { $0.listsExactly(name) }
        default: return false
        }
    }

    /// Reads a clause from the genai-prices JSON; lowercases literals since names are compared lowercased.
    static func read(_ value: JSONValue?) -> MatchClause {
        guard let value, value.isObject else { return .never }
        if let s = value["equals"]?.string { return .equals(s.lowercased()) }
        if let s = value["starts_with"]?.string { return .startsWith(s.lowercased()) }
        if let s = value["ends_with"]?.string { return .endsWith(s.lowercased()) }
        if let s = value["contains"]?.string { return .contains(s.lowercased()) }
        if let s = value["regex"]?.string { return CompiledPattern(s).map { .regex($0) } ?? .never }
        if let list = value["or"] { return .or(list.elements.map { read($0) }) }
        if let list = value["and"] { return .and(list.elements.map { read($0) }) }
        return .never
    }
}

/// A regular expression compiled once when the catalog loads; lookups run it for every new name.
public final class CompiledPattern: @unchecked Sendable {
    public let source: String
    // Regex is immutable once built; matching does not mutate it.
    private let regex: Regex<AnyRegexOutput>

    init?(_ source: String) {
        guard let regex = try? Regex(source) else { return nil }
        self.source = source
        self.regex = regex
    }

    func search(_ text: String) -> Bool { (try? regex.firstMatch(in: text)) != nil }
}
