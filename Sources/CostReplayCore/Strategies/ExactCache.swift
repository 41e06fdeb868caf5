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

    /// `response` is the 64-bit hash of the recorded response hash (0 when none was recorded).
    struct Cached { var response: UInt64; var available: Int64 }

    /// What a scenario step sets.
    public struct Configuration: Sendable, Hashable {
        var cache: CacheParameters.Settings
        var normaliseWhitespace: Bool
        var normaliseCase: Bool
        var serving: CacheParameters.Serving
    }

    public static func configure(_ p: Parameters, context: ValidationContext) throws(ParameterProblem) -> Configuration {
        let normalise = try p.list("normalise")
        return Configuration(cache: try CacheParameters.Settings(p), normaliseWhitespace: normalise.contains("whitespace"),
                             normaliseCase: normalise.contains("case"), serving: try CacheParameters.Serving(p))
    }

    /// Keyed by a 64-bit hash of (scope, model, prompt); a collision between two different prompts
    /// has probability about n²/2⁶⁵ (10⁻⁸ for a million distinct prompts).
    var cache: HashedCache<Cached>
    /// Index of the scope in ``RecordedRequest/scopeKeys``.
    let scopeSlot: Int
    let normaliseWhitespace: Bool
    let normaliseCase: Bool
    let lookupCost: Money
    let hitLatency: Int64
    var counters = Counters()
    /// The recency stack shared with the other capacities of a sweep, when the engine gave one; then `cache` is unused.
    let sweep: (sweep: CapacitySweep, member: Int)?

    public init(_ c: Configuration, context: StrategyContext) {
        cache = c.cache.cache()
        scopeSlot = c.cache.scope.slot
        normaliseWhitespace = c.normaliseWhitespace
        normaliseCase = c.normaliseCase
        lookupCost = c.serving.lookupCost
        hitLatency = c.serving.hitLatency
        sweep = context.capacitySweep
    }

    public static func exactWhenSharded(by key: ShardKey, configuration: Configuration) -> Bool {
        configuration.cache.exactWhenSharded(by: key)
    }

    /// What the cache counted; a counter appears in ``metrics`` once it has counted something.
    struct Counters {
        var lookups = 0, hits = 0, misses = 0, noKey = 0, hitsWithResponse = 0, likelyFalseHits = 0
        var latencySavedMs = 0.0
    }

    public var metrics: MetricCounts {
        let (evictions, expirations) = sweep.map { ($0.sweep.evictions[$0.member], $0.sweep.expirations[$0.member]) }
            ?? (cache.evictions, cache.expirations)
        var metrics = MetricCounts()
        metrics[.evictions] = Double(evictions)
        metrics[.expirations] = Double(expirations)
        let counts: [(Metric, Int)] = [(.lookups, counters.lookups), (.hits, counters.hits), (.misses, counters.misses), (.noKey, counters.noKey),
                                       (.hitsWithResponse, counters.hitsWithResponse), (.likelyFalseHits, counters.likelyFalseHits)]
        for (metric, count) in counts where count > 0 { metrics[metric] = Double(count) }
        if counters.hits > 0 { metrics[.latencySavedMs] = counters.latencySavedMs }
        return metrics
    }

    func key<Request: SweepInput>(_ request: Request) -> UInt64? {
        // The prompt's identity under this cache's normalisation (computed when the request was read).
        guard request.kind == .llm, let prompt = request.promptKey((normaliseWhitespace ? 1 : 0) | (normaliseCase ? 2 : 0)) else { return nil }
        return CacheParameters.combine(request.scopeKey(scopeSlot), request.cacheModelHash, prompt)
    }

    /// The cached response's id on a hit (0 when none was recorded), nil on a miss; a miss stores the request's
    /// response unless the key is present with a response still in flight.
    mutating func lookup(_ key: UInt64, request: ReplayRequest, at now: Int64) -> UInt64? {
        let available = request.endMicros ?? now
        if let (sweep, member) = sweep {
            return sweep.lookup(member: member, key: key, at: now, response: request.recorded.responseID, availableAt: available)
        }
        if let cached = cache.lookup(key, at: now), cached.available <= now { return cached.response }
        if cache.peek(key, at: now) == nil {
            // Written when the response is complete: available from then, and its TTL runs from then.
            cache.insert(key, Cached(response: request.recorded.responseID, available: available), at: now, written: available)
        }
        return nil
    }

    public mutating func apply(_ request: inout ReplayRequest, ledger: inout Ledger) {
        guard request.served == nil, request.kind == .llm else { return }
        guard let key = key(request) else {
            counters.noKey += 1
            ledger.note(Self.name, "pass", "no prompt text, hash or message hashes to key on")
            return
        }
        counters.lookups += 1
        request.extraCost += lookupCost
        let now = request.startMicros
        if let cachedResponse = lookup(key, request: request, at: now) {
            counters.hits += 1
            let saved = request.latencyMicros.map { max(0, $0 - hitLatency) } ?? 0
            counters.latencySavedMs += Double(saved) / 1000
            let recorded = request.recorded.responseID
            if recorded != 0 && cachedResponse != 0 {
                counters.hitsWithResponse += 1
                if recorded != cachedResponse { counters.likelyFalseHits += 1 }
            }
            request.served = .init(strategy: Self.name, cost: .zero, latencyMicros: hitLatency)
            ledger.note(Self.name, "hit", "served from cache (key \(StableHash.hex(key)))")
            return
        }
        counters.misses += 1
        ledger.note(Self.name, "miss", "stored under key \(StableHash.hex(key))")
    }
}
