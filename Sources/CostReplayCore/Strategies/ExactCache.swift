/// Exact-match response cache: a request whose normalised prompt (for the same model and scope)
/// was answered before is served from the cache.
///
/// The key is the model plus the prompt text after normalisation, or the recorded prompt hash,
/// or the message hashes, in that order. A response enters the cache when its request ends, so
/// a duplicate that arrives while the first is still in flight is a miss. A hit whose cached
/// response differs from the one recorded for the request counts as a likely false hit.
public struct ExactCache: ReplayStrategy {
    public static let name = "exact_cache"
    public static let summary = "serve repeated prompts from an exact-match cache"
    public static let parameters: [ParameterSpec] = [
        CacheParameters.ttl, CacheParameters.capacity, CacheParameters.eviction, CacheParameters.scope,
        ParameterSpec("normalise", .choices(["whitespace", "case"]), default: .list(["whitespace"]),
                      "prompt normalisation before hashing (text only)"),
        CacheParameters.lookupCost, CacheParameters.hitLatency,
    ]

    struct Cached { var response: String?; var available: Int64 }

    var cache: BoundedCache<String, Cached>
    let scope: String
    let normaliseWhitespace: Bool
    let normaliseCase: Bool
    let lookupCost: Money
    let hitLatency: Int64
    var counters = CacheCounters()

    public init(parameters p: Parameters, context: StrategyContext) {
        cache = CacheParameters.cache(p)
        scope = p.text("scope")
        normaliseWhitespace = p.list("normalise").contains("whitespace")
        normaliseCase = p.list("normalise").contains("case")
        lookupCost = Money(dollars: p.number("lookup_cost"))
        hitLatency = Int64(p.number("hit_latency_ms") * 1000)
    }

    public static func exactWhenSharded(by key: ShardKey, parameters: Parameters) -> Bool {
        CacheParameters.exactWhenSharded(scope: parameters.text("scope"), by: key)
    }

    public var metrics: [String: Double] {
        counters.values.merging(["evictions": Double(cache.evictions), "expirations": Double(cache.expirations)]) { $1 }
    }

    func key(_ request: ReplayRequest) -> String? {
        guard request.kind == .llm, let scopeKey = CacheParameters.scopeKey(scope, request) else { return nil }
        let model = request.model ?? ""
        if let text = request.promptText {
            var normalised = text
            if normaliseCase { normalised = normalised.lowercased() }
            if normaliseWhitespace { normalised = Self.collapseWhitespace(normalised) }
            return scopeKey + "|" + model + "|" + StableHash.hex(normalised)
        }
        if let hash = request.promptHash { return scopeKey + "|" + model + "|h" + hash }
        if !request.messages.isEmpty, request.messages.allSatisfy({ $0.hash != nil }) {
            return scopeKey + "|" + model + "|m" + request.messages.map { $0.hash! }.joined(separator: ",")
        }
        return nil
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

    public mutating func apply(_ request: inout ReplayRequest, explain: Bool, ledger: inout [LedgerEntry]) {
        guard request.served == nil, request.kind == .llm else { return }
        guard let key = key(request) else {
            counters.add("no_key")
            if explain { ledger.append(.init(strategy: Self.name, decision: "pass", detail: "no prompt text, hash or message hashes to key on")) }
            return
        }
        counters.add("lookups")
        request.extraCost += lookupCost
        let now = request.startMicros
        if let cached = cache.lookup(key, at: now), cached.available <= now {
            counters.add("hits")
            let saved = request.latencyMicros.map { max(0, $0 - hitLatency) } ?? 0
            counters.add("latency_saved_ms", Double(saved) / 1000)
            if let recorded = request.responseHash, let response = cached.response {
                counters.add("hits_with_response")
                if recorded != response { counters.add("likely_false_hits") }
            }
            request.served = .init(strategy: Self.name, cost: .zero, latencyMicros: hitLatency)
            if explain { ledger.append(.init(strategy: Self.name, decision: "hit", detail: "served from cache (key \(key))")) }
            return
        }
        counters.add("misses")
        if cache.peek(key, at: now) == nil {
            cache.insert(key, Cached(response: request.responseHash, available: request.endMicros ?? now), at: now)
        }
        if explain { ledger.append(.init(strategy: Self.name, decision: "miss", detail: "stored under key \(key)")) }
    }
}

/// Named counters a strategy reports.
struct CacheCounters {
    var values: [String: Double] = [:]
    mutating func add(_ name: String, _ amount: Double = 1) { values[name, default: 0] += amount }
}
