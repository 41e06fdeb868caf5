/// Why a live source (PostgreSQL, an HTTP API) could not be read to the end.
///
/// Records read before the failure stay stored with the source's cursor, so the next run resumes.
public enum LiveSourceError: Error, Equatable, CustomStringConvertible {
    case cannotConnect(source: String, reason: String)
    case queryFailed(source: String, reason: String)
    case connectionLost(source: String, rowsStored: Int, reason: String)
    case http(source: String, status: Int, body: String)
    case gaveUp(source: String, attempts: Int, reason: String)
    case badResponse(source: String, reason: String)
    case missingCredentials(String)
    case badCursor(source: String, position: String)

    public var description: String {
        switch self {
        case let .cannotConnect(source, reason):
            return "cannot connect to \(source): \(reason)"
        case let .queryFailed(source, reason):
            return "reading \(source) failed: \(reason)"
        case let .connectionLost(source, rows, reason):
            return "lost the connection to \(source) after \(rows) rows this run (\(reason)); "
                + "what was read is stored and the next run resumes from it"
        case let .http(source, status, body):
            return "\(source) answered HTTP \(status): \(body.prefix(200))"
        case let .gaveUp(source, attempts, reason):
            return "gave up on \(source) after \(attempts) attempts (\(reason)); "
                + "what was read is stored and the next run resumes from it"
        case let .badResponse(source, reason):
            return "\(source) sent a response CostReplay cannot read: \(reason); "
                + "what was read before it is stored and the next run resumes from it"
        case let .missingCredentials(text):
            return text
        case let .badCursor(source, position):
            return "the saved position of \(source) is unreadable (\(position.prefix(80))); delete its row in the cursors table to read it again from the start"
        }
    }
}

/// PostgreSQL connection URLs as shown to people: never with the password.
public enum PostgresURL {
    /// Whether the text names a PostgreSQL database rather than a file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// `postgres://user:secret@host/db?password=x` → `postgres://user@host/db`: the password, in
    /// the user part or as a parameter, is removed wherever it is.
    public static func redacted(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url.contains("password") ? "PostgreSQL (conninfo)" : url }
        var rest = String(url[scheme.upperBound...])
        var query = ""
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: mark)...])
            rest = String(rest[..<mark])
        }
        if let at = rest.lastIndex(of: "@") {
            let user = rest[..<at]
            let name = user.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            rest = name + rest[at...]
        }
        let kept = query.split(separator: "&").filter { !$0.lowercased().hasPrefix("password=") }
        return String(url[..<scheme.upperBound]) + rest + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
    }

    /// Whether the URL carries a password itself (visible in the process list and shell history).
    public static func hasPassword(_ url: String) -> Bool { redacted(url) != url }
}
