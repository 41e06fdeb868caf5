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

    /// Keyed by a 64-bit hash of (scope, model, prompt); a collision between two different prompts
    /// has probability about n²/2⁶⁵ (10⁻⁸ for a million distinct prompts).
    var cache: BoundedCache<UInt64, Cached>
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
        CacheParameters.exactWhenSharded(parameters, by: key)
    }

    public var metrics: [String: Double] {
        counters.values.merging(["evictions": Double(cache.evictions), "expirations": Double(cache.expirations)]) { $1 }
    }

    func key(_ request: ReplayRequest) -> UInt64? {
        guard request.kind == .llm, let prompt = promptKey(request) else { return nil }
        let scopeHash = CacheParameters.scopeHash(scope, request)
        return CacheParameters.combine(scopeHash, CacheParameters.modelHash(request), prompt)
    }

    /// The prompt's identity under this cache's normalisation (computed when the request was read).
    func promptKey(_ request: ReplayRequest) -> UInt64? {
        request.recorded.promptKeys[(normaliseWhitespace ? 1 : 0) | (normaliseCase ? 2 : 0)]
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
            if explain { ledger.append(.init(strategy: Self.name, decision: "hit", detail: "served from cache (key \(StableHash.hex(key)))")) }
            return
        }
        counters.add("misses")
        if cache.peek(key, at: now) == nil {
            cache.insert(key, Cached(response: request.responseHash, available: request.endMicros ?? now), at: now)
        }
        if explain { ledger.append(.init(strategy: Self.name, decision: "miss", detail: "stored under key \(StableHash.hex(key))")) }
    }
}

/// Named counters a strategy reports.
struct CacheCounters {
    var values: [String: Double] = [:]
    mutating func add(_ name: String, _ amount: Double = 1) { values[name, default: 0] += amount }
}
