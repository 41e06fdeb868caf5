/// genai-prices' boolean model-name matcher (`equals`, `starts_with`, `ends_with`, `contains`,
/// `regex`, `or`, `and`), case-insensitive like the library that publishes it.
public indirect enum MatchClause: Sendable {
    case equals(String), startsWith(String), endsWith(String), contains(String), regex(String)
    case or([MatchClause]), and([MatchClause])
    case never

    public func matches(_ name: String) -> Bool {
        switch self {
        case .equals(let s): return name == s
        case .startsWith(let s): return name.hasPrefix(s)
        case .endsWith(let s): return name.hasSuffix(s)
        case .contains(let s): return name.contains(s)
        case .regex(let pattern): return (try? Regex(pattern).ignoresCase().firstMatch(in: name)) != nil
        case .or(let clauses): return clauses.contains { $0.matches(name) }
        case .and(let clauses): return clauses.allSatisfy { $0.matches(name) }
        case .never: return false
        }
    }

    /// Reads a clause from the genai-prices JSON; lowercases literals since names are compared lowercased.
    static func read(_ value: JSONValue?) -> MatchClause {
        guard let value, value.isObject else { return .never }
        if let s = value["equals"]?.string { return .equals(s.lowercased()) }
        if let s = value["starts_with"]?.string { return .startsWith(s.lowercased()) }
        if let s = value["ends_with"]?.string { return .endsWith(s.lowercased()) }
        if let s = value["contains"]?.string { return .contains(s.lowercased()) }
        if let s = value["regex"]?.string { return .regex(s) }
        if let list = value["or"] { return .or(list.elements.map { read($0) }) }
        if let list = value["and"] { return .and(list.elements.map { read($0) }) }
        return .never
    }
}
