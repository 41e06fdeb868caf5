/// A request as it moves through a strategy chain: the recorded request (shared, immutable),
/// plus what strategies changed (model, tokens, batch) or whether one of them served it.
///
/// The recorded part is one reference, so handing a request to fifty chains copies a few words.
public struct ReplayRequest: Sendable {
    public let recorded: RecordedRequest
    public var provider: String?
    public var model: String?
    public var serviceTier: String?
    public var isBatch: Bool
    public var cacheHit: Bool
    public var usage: TokenUsage?
    /// Set by the strategy that answered the request instead of the provider.
    public var served: Served?
    /// Costs strategies add on top (cache lookups, summariser calls).
    public var extraCost = Money.zero

    /// Who answered, at what cost and latency.
    public struct Served: Sendable, Hashable {
        public var strategy: String
        public var cost: Money
        public var latencyMicros: Int64
    }

    init(_ r: TraceRecord) {
        recorded = RecordedRequest(r)
        provider = r.provider
        model = r.model
        serviceTier = r.serviceTier
        isBatch = r.isBatch
        cacheHit = r.cacheHit
        usage = r.usage
    }

    public var id: String { recorded.id }
    public var kind: RequestKind { recorded.kind }
    public var startMicros: Int64 { recorded.startMicros }
    public var endMicros: Int64? { recorded.endMicros }
    public var userID: String? { recorded.userID }
    public var tenantID: String? { recorded.tenantID }
    public var sessionID: String? { recorded.sessionID }
    public var traceID: String? { recorded.traceID }
    public var name: String? { recorded.name }
    public var tags: [String] { recorded.tags }
    public var promptHash: String? { recorded.promptHash }
    public var responseHash: String? { recorded.responseHash }
    public var promptText: String? { recorded.promptText }
    public var messages: [MessageInfo] { recorded.messages }
    public var prefixHashes: [Int64] { recorded.prefixHashes }
    public var prefixBlockTokens: Int? { recorded.prefixBlockTokens }
    public var embedding: [Float] { recorded.embedding }
    public var spanCost: Money? { recorded.spanCost }

    /// Recorded latency (end − start), when known.
    public var latencyMicros: Int64? { endMicros.map { $0 - startMicros } }

    public var pricingInput: PricingInput {
        PricingInput(model: model, provider: provider, startMicros: startMicros, usage: usage, isBatch: isBatch,
                     serviceTier: serviceTier, cacheHit: cacheHit)
    }
}

/// What the trace recorded of a request, shared by every chain that replays it.
public final class RecordedRequest: Sendable {
    public let id: String
    public let kind: RequestKind
    public let startMicros: Int64
    public let endMicros: Int64?
    public let userID, tenantID, sessionID, traceID, parentID, name, operation: String?
    public let tags: [String]
    public let promptHash, responseHash, promptText: String?
    public let messages: [MessageInfo]
    public let prefixHashes: [Int64]
    public let prefixBlockTokens: Int?
    public let embedding: [Float]
    /// Cost attributed to a structural span (a tool call's own fee), from its `cost_usd` attribute.
    public let spanCost: Money?
    /// The request as recorded, before any strategy.
    public let original: TraceRecord

    init(_ r: TraceRecord) {
        id = r.id
        kind = r.kind
        startMicros = r.startMicros ?? 0
        endMicros = r.endMicros
        userID = r.userID
        tenantID = r.tenantID
        sessionID = r.sessionID
        traceID = r.traceID
        parentID = r.parentID
        name = r.name
        operation = r.operation
        tags = r.tags
        promptHash = r.promptHash
        responseHash = r.responseHash
        promptText = r.promptText
        messages = r.messages
        prefixHashes = r.prefixHashes
        prefixBlockTokens = r.prefixBlockTokens
        embedding = r.embedding
        spanCost = r.attributes["cost_usd"].flatMap(Double.init).map(Money.init(dollars:))
        original = r
    }
}

/// One decision of one strategy about one request: what `costreplay explain` lists.
public struct LedgerEntry: Sendable, Hashable, Codable {
    public var strategy: String
    public var decision: String
    public var detail: String

    public init(strategy: String, decision: String, detail: String) {
        self.strategy = strategy
        self.decision = decision
        self.detail = detail
    }
}
