/// Errors that stop an `embed` run; each names the endpoint, batch or setting at fault.
public enum EmbeddingError: Error, Sendable, Equatable, CustomStringConvertible {
    case usage(String)
    /// The endpoint answered with an error status that retrying does not fix.
    case rejected(endpoint: String, status: Int, message: String)
    /// Retries ran out on 429, 5xx or a network failure.
    case gaveUp(endpoint: String, attempts: Int, last: String)
    /// A 200 answer whose body is not an OpenAI embeddings response.
    case malformed(endpoint: String, reason: String)
    /// Vectors of a length other than the one asked for or already stored.
    case dimensionMismatch(String)
    case missingSet(name: String, available: [String])

    public var description: String {
        switch self {
        case .usage(let message): return message
        case let .rejected(endpoint, status, message): return "\(endpoint) refused the request (HTTP \(status)): \(message)"
        case let .gaveUp(endpoint, attempts, last): return "\(endpoint) failed \(attempts) times; last: \(last)"
        case let .malformed(endpoint, reason): return "\(endpoint) returned a malformed embeddings response: \(reason)"
        case .dimensionMismatch(let message): return "dimension mismatch: \(message)"
        case let .missingSet(name, available):
            let known = available.isEmpty ? "the store has none; run `costreplay embed` first" : "the store has: " + available.joined(separator: ", ")
            return "no stored embeddings named \"\(name)\" (\(known))"
        }
    }
}
