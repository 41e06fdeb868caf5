import Synchronization

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

    init(_ r: consuming TraceRecord, modelID: Int32, responseID: UInt64) {
        provider = r.provider
        model = r.model
        serviceTier = r.serviceTier
        isBatch = r.isBatch
        cacheHit = r.cacheHit
        usage = r.usage
        recorded = RecordedRequest(r, modelID: modelID, responseID: responseID)
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

    /// True when nothing that pricing reads has changed since the trace.
    var pricesAsRecorded: Bool {
        let o = recorded.original
        return served == nil && extraCost == .zero && usage == o.usage && model == o.model && provider == o.provider
            && isBatch == o.isBatch && serviceTier == o.serviceTier && cacheHit == o.cacheHit
    }

    /// Recorded latency (end − start), when known.
    public var latencyMicros: Int64? { endMicros.map { $0 - startMicros } }

    public var pricingInput: PricingInput {
        PricingInput(model: model, provider: provider, startMicros: startMicros, usage: usage, isBatch: isBatch,
                     serviceTier: serviceTier, cacheHit: cacheHit)
    }
}

/// What the trace recorded of a request, shared by every chain that replays it.
///
/// Also holds hashes every chain would otherwise recompute, computed once when the request is
/// read (chains run on two threads, so nothing here changes afterwards). The recorded fields are read through
/// `original`, not copied beside it: every copied string or array would be retained once more per request.
public final class RecordedRequest: Sendable {
    /// Prompt key per normalisation (bit 0: whitespace, bit 1: case); nil when the request has no
    /// prompt text, hash or message hashes.
    let promptKeys: Four<UInt64?>
    /// Scope hash for global, tenant, user, session.
    let scopeKeys: Four<UInt64>
    /// Hash of the recorded model name.
    let modelHash: UInt64
    /// The recorded model's id in the engine's ``ModelNames``.
    let modelID: Int32
    /// The recorded response hash as a nonzero 64-bit hash (``ReplayEngine/responseID(_:)``), 0 when none.
    let responseID: UInt64
    /// The built-in embedding of the prompt text and its dimension, computed by the first chain that asks: a scenario
    /// with attribution has a semantic cache in many chains, and embedding was most of its time.
    private let builtinEmbedding = Mutex<(dimension: Int, text: String, vector: [Float])?>(nil)
    /// Whether the prompt text looks like code (``ModelRouter/looksLikeCode(_:)``): 0 not yet known, 1 no, 2 yes.
    /// Every chain with a `has_code` rule asks, and the answer is a pure function of the recorded text.
    private let codeMemo = Atomic<UInt8>(0)

    /// Cost attributed to a structural span (a tool call's own fee), from its `cost_usd` attribute.
    public let spanCost: Money?
    /// The request as recorded, before any strategy.
    public let original: TraceRecord

    public var id: String { original.id }
    public var kind: RequestKind { original.kind }
    public var startMicros: Int64 { original.startMicros ?? 0 }
    public var endMicros: Int64? { original.endMicros }
    public var userID: String? { original.userID }
    public var tenantID: String? { original.tenantID }
    public var sessionID: String? { original.sessionID }
    public var traceID: String? { original.traceID }
    public var parentID: String? { original.parentID }
    public var name: String? { original.name }
    public var operation: String? { original.operation }
    public var tags: [String] { original.tags }
    public var promptHash: String? { original.promptHash }
    public var responseHash: String? { original.responseHash }
    public var promptText: String? { original.promptText }
    public var messages: [MessageInfo] { original.messages }
    public var prefixHashes: [Int64] { original.prefixHashes }
    public var prefixBlockTokens: Int? { original.prefixBlockTokens }
    public var embedding: [Float] { original.embedding }

    init(_ r: consuming TraceRecord, modelID: Int32, responseID: UInt64) {
        self.modelID = modelID
        self.responseID = responseID
        spanCost = Self.spanCost(r.attributes)
        modelHash = StableHash.hash(r.model ?? "")
        scopeKeys = Self.scopeKeys(tenant: r.tenantID, user: r.userID, session: r.sessionID)
        promptKeys = PromptKey.keys(text: r.promptText, hash: r.promptHash, messages: r.messages)
        original = r
    }

    /// A structural span's own fee, from its `cost_usd` attribute.
    static func spanCost(_ attributes: [String: String]) -> Money? {
        attributes.isEmpty ? nil : attributes["cost_usd"].flatMap(Double.init).map(Money.init(dollars:))
    }

    /// The scope hashes for global, tenant, user and session (nonzero).
    static func scopeKeys(tenant: String?, user: String?, session: String?) -> Four<UInt64> {
        Four(StableHash.hash("") | 1, StableHash.hash(tenant ?? "\u{0}", prefix: "t:") | 1,
             StableHash.hash(user ?? "\u{0}", prefix: "u:") | 1, StableHash.hash(session ?? "\u{0}", prefix: "s:") | 1)
    }

    /// The bootstrap block of a request when blocks are sessions: its session, else its trace, else its id.
    static func sessionBlock(session: String?, trace: String?, id: String) -> Int64 {
        Int64(bitPattern: StableHash.hash(session ?? trace ?? id))
    }
}

/// Four values stored inline (an array would be one more allocation per request), read by index 0–3.
struct Four<Value: Sendable>: Sendable {
    private let values: (Value, Value, Value, Value)

    init(_ a: Value, _ b: Value, _ c: Value, _ d: Value) { values = (a, b, c, d) }

    subscript(index: Int) -> Value {
        switch index {
        case 0: values.0
        case 1: values.1
        case 2: values.2
        default: values.3
        }
    }
}

extension RecordedRequest {
    /// `embedder.embed(text)`, computed once per request and embedder dimension (the embedder is a pure function
    /// of the text and its dimension).
    func embedding(of text: String, by embedder: HashingEmbedder) -> [Float] {
        // Keyed by the text too: a lever earlier in a chain (truncation, a prompt change) may have changed it, and
        // which chain asks first depends on thread timing, so a memo of another text would make results vary.
        let known = builtinEmbedding.withLock { memo in
            memo.flatMap { $0.dimension == embedder.dimension && $0.text == text ? $0.vector : nil }
        }
        if let known { return known }
        // Embedded outside the lock, so a chain on the other thread never waits for it (at worst both embed once).
        let vector = embedder.embed(text)
        builtinEmbedding.withLock { $0 = (embedder.dimension, text, vector) }
        return vector
    }

    /// ``ModelRouter/looksLikeCode(_:)`` of the recorded prompt text (empty when none), computed once.
    var promptLooksLikeCode: Bool {
        switch codeMemo.load(ordering: .relaxed) {
        case 1: return false
        case 2: return true
        default:
            let answer = ModelRouter.looksLikeCode(promptText ?? "")
            codeMemo.store(answer ? 2 : 1, ordering: .relaxed)
            return answer
        }
    }
}

/// One decision of one strategy about one request: what `costreplay explain` lists.
/// The levers' decisions about one request, kept only for the request `--explain` names: for every other request
/// a note costs a branch, never a string.
public struct Ledger: Sendable {
    /// Whether this request's decisions are kept.
    public let isRecording: Bool
    public private(set) var entries: [LedgerEntry] = []

    public init(recording: Bool) {
        isRecording = recording
    }

    /// Notes one lever's decision; the texts are built only when recording.
    public mutating func note(_ strategy: String, _ decision: @autoclosure () -> String, _ detail: @autoclosure () -> String) {
        if isRecording { entries.append(LedgerEntry(strategy: strategy, decision: decision(), detail: detail())) }
    }
}

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

/// The identity of a prompt for exact matching: normalised text if present, else the recorded prompt hash, else the
/// message hashes.
enum PromptKey {
    /// The key per normalisation (bit 0: whitespace, bit 1: case); normalisation applies to text only, so without text
    /// the four keys are one. `messages` is read only when there is neither text nor hash.
    static func keys(text: String?, hash: String?, messages: @autoclosure () -> [MessageInfo]) -> Four<UInt64?> {
        guard let text else {
            let key = hash.map { StableHash.hash($0, prefix: "h") } ?? messagesKey(messages())
            return Four(key, key, key, key)
        }
        return Four(textKey(text, whitespace: false, case: false), textKey(text, whitespace: true, case: false),
                    textKey(text, whitespace: false, case: true), textKey(text, whitespace: true, case: true))
    }

    static func textKey(_ text: String, whitespace: Bool, case lower: Bool) -> UInt64 {
        var normalised = text
        if lower { normalised = normalised.lowercased() }
        if whitespace { normalised = collapseWhitespace(normalised) }
        return StableHash.hash(normalised)
    }

    static func messagesKey(_ messages: [MessageInfo]) -> UInt64? {
        guard !messages.isEmpty, messages.allSatisfy({ $0.hash != nil }) else { return nil }
        return StableHash.hash("m" + messages.map { $0.hash! }.joined(separator: ","))
    }

    /// Trims and collapses runs of ASCII whitespace to one space.
    static func collapseWhitespace(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for byte in text.utf8 {
            if byte == 32 || byte == 9 || byte == 10 || byte == 13 {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(32) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
