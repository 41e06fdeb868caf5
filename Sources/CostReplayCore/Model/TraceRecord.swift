/// One request (or structural span) normalised from any trace format: the hand-off from the
/// readers to the store.
///
/// Every field but `id` is optional because sources differ in what they carry; nothing a
/// source has is dropped (unmapped attributes land in `attributes`).
public struct TraceRecord: Hashable, Sendable {
    public var id: String
    public var kind: RequestKind = .llm
    public var format: String = ""

    public var traceID: String?
    public var parentID: String?
    public var sessionID: String?
    public var userID: String?
    public var tenantID: String?
    public var name: String?
    public var operation: String?
    public var tags: [String] = []

    /// Times in microseconds since the Unix epoch, UTC.
    public var startMicros: Int64?
    public var endMicros: Int64?
    public var firstTokenMicros: Int64?

    public var provider: String?
    public var model: String?
    public var requestModel: String?
    public var serviceTier: String?
    public var isBatch: Bool = false
    /// True when an application-side cache (e.g. the LiteLLM proxy cache) answered and the
    /// provider was not called: such a request costs nothing.
    public var cacheHit: Bool = false

    /// Nil for spans without usage (agent, tool and retrieval steps).
    public var usage: TokenUsage?
    public var billedCost: Money?
    public var billedCostSource: String?

    public var promptText: String?
    public var responseText: String?
    public var promptHash: String?
    public var responseHash: String?
    public var messages: [MessageInfo] = []
    /// Hashes of fixed-size prompt blocks (Mooncake's `hash_ids`), for prefix-cache replay.
    public var prefixHashes: [Int64] = []
    public var prefixBlockTokens: Int?
    public var embedding: [Float] = []
    /// Quality labels or scores keyed by name, e.g. `correct` or `score.gpt-4`.
    public var quality: [String: Double] = [:]
    /// Source fields that have no column of their own, as JSON text per key.
    public var attributes: [String: String] = [:]

    public init(id: String) { self.id = id }
}

/// What a stored row stands for.
public enum RequestKind: String, Sendable, Codable, CaseIterable {
    /// A billed model call (chat, completion, embedding).
    case llm
    /// Structure without usage: agent steps, tool calls, retrieval, chains.
    case agent, tool, retrieval, other
}

/// One message of a request's prompt, kept for truncation replay.
public struct MessageInfo: Hashable, Sendable, Codable {
    public var role: String
    public var tokens: Int64
    public var hash: String?
    /// True when `tokens` was estimated from text rather than reported by the source.
    public var estimated: Bool
    /// Retrieval relevance of a `context` message (a retrieved chunk), when recorded.
    public var score: Double?

    public init(role: String, tokens: Int64, hash: String? = nil, estimated: Bool = false, score: Double? = nil) {
        self.role = role
        self.tokens = tokens
        self.hash = hash
        self.estimated = estimated
        self.score = score
    }
}

/// Where a record came from: file and 1-based line.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}
