/// Component caching of agent steps: an identical tool or retrieval call (same name and input)
/// made again within the TTL is served from cache, saving its cost and latency.
///
/// A call's identity is its span name plus its input (the recorded prompt text or hash). Its cost
/// is the `cost_usd` attribute the trace records for the span, if any; latency is end − start.
public struct ComponentCache: ReplayStrategy {
    public static let name = "component_cache"
    public static let summary = "serve repeated tool and retrieval calls from a cache"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("kinds", .choices(["tool", "retrieval"]), default: .list(["tool", "retrieval"]), "which spans are cached"),
        CacheParameters.ttl, CacheParameters.capacity, CacheParameters.eviction, CacheParameters.scope,
        CacheParameters.hitLatency,
    ]

    /// What a scenario step sets.
    public struct Configuration: Sendable {
        var cache: CacheParameters.Settings
        /// Span kinds cached (`tool`, `retrieval`).
        var kinds: Set<String>
        /// Microseconds.
        var hitLatency: Int64
    }

    public static func configure(_ p: Parameters, context: ValidationContext) throws(ParameterProblem) -> Configuration {
        Configuration(cache: try CacheParameters.Settings(p), kinds: Set(try p.list("kinds")), hitLatency: Int64(try p.number("hit_latency_ms") * 1000))
    }

    var cache: KeyedCache<String, Int64>
    let kinds: Set<String>
    let scope: CacheScope
    let hitLatency: Int64
    var counters = MetricCounts()

    public init(_ c: Configuration, context: StrategyContext) {
        cache = c.cache.cache()
        kinds = c.kinds
        scope = c.cache.scope
        hitLatency = c.hitLatency
    }

    public static func exactWhenSharded(by key: ShardKey, configuration: Configuration) -> Bool {
        configuration.cache.exactWhenSharded(by: key)
    }

    public var metrics: MetricCounts {
        var metrics = counters
        metrics[.evictions] = Double(cache.evictions)
        return metrics
    }

    public mutating func apply(_ request: inout ReplayRequest, ledger: inout Ledger) {
        guard request.served == nil, kinds.contains(request.kind.rawValue) else { return }
        let scopeKey = scope.key(request)
        guard let input = request.promptHash ?? request.promptText.map(StableHash.hex) else {
            counters.add(.noKey)
            return
        }
        let key = scopeKey + "|" + request.kind.rawValue + "|" + (request.name ?? "") + "|" + input
        counters.add(.calls)
        let now = request.startMicros
        if let available = cache.lookup(key, at: now), available <= now {
            counters.add(.hits)
            counters.add(.latencySavedMs, Double(request.latencyMicros.map { max(0, $0 - hitLatency) } ?? 0) / 1000)
            if let cost = request.spanCost { counters.add(.costSavedUsd, cost.dollars) }
            request.served = .init(strategy: Self.name, cost: .zero, latencyMicros: hitLatency)
            ledger.note(Self.name, "hit", "\(request.name ?? "call") served from cache")
            return
        }
        if cache.peek(key, at: now) == nil { cache.insert(key, request.endMicros ?? now, at: now, written: request.endMicros ?? now) }
        ledger.note(Self.name, "miss", "stored \(request.name ?? "call")")
    }
}
