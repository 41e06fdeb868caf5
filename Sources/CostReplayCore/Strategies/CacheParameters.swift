/// Parameters shared by the caching levers.
enum CacheParameters {
    static let ttl = ParameterSpec("ttl", .duration(min: 0, max: 3.2e7), default: .number(0),
                                   "time to live; 0 keeps entries until evicted")
    static let capacity = ParameterSpec("capacity", .number(min: 0, max: 1e9, integer: true), default: .number(0),
                                        "maximum entries; 0 is unbounded")
    static let eviction = ParameterSpec("eviction", .choice(Eviction.names), default: .text(Eviction.lru.rawValue), "eviction policy when full")
    static let scope = ParameterSpec("scope", .choice(CacheScope.names), default: .text(CacheScope.global.rawValue),
                                     "who shares a cache entry")
    static let lookupCost = ParameterSpec("lookup_cost", .number(min: 0, max: 1, integer: false), default: .number(0),
                                          "USD per lookup, paid on hits and misses")
    static let hitLatency = ParameterSpec("hit_latency_ms", .number(min: 0, max: 60_000, integer: false), default: .number(5),
                                          "latency of a cache hit")

    /// The settings every bounded cache lever reads the same way.
    struct Settings: Sendable, Hashable {
        var ttlSeconds: Double
        /// Maximum entries; 0 is unbounded.
        var capacity: Int
        var eviction: Eviction
        var scope: CacheScope

        init(ttlSeconds: Double, capacity: Int, eviction: Eviction, scope: CacheScope) {
            self.ttlSeconds = ttlSeconds
            self.capacity = capacity
            self.eviction = eviction
            self.scope = scope
        }

        init(_ p: Parameters) throws(ParameterProblem) {
            self.init(ttlSeconds: try p.number("ttl"), capacity: try p.int("capacity"), eviction: try p.choice("eviction", as: Eviction.self),
                      scope: try p.choice("scope", as: CacheScope.self))
        }

        /// Per-tenant, per-user and per-session caches shard exactly by that key, as long as no
        /// capacity is shared across partitions (a capacity bounds the whole cache).
        func exactWhenSharded(by key: ShardKey) -> Bool { capacity == 0 && scope.exactWhenSharded(by: key) }

        func cache<I: SlotIndex, V>() -> BoundedCache<I, V> {
            BoundedCache(capacity: capacity, ttlSeconds: ttlSeconds, policy: eviction)
        }
    }

    /// Lookup cost and hit latency, as the caches that serve responses bill them.
    struct Serving: Sendable, Hashable {
        var lookupCost: Money
        /// Microseconds.
        var hitLatency: Int64

        init(_ p: Parameters) throws(ParameterProblem) {
            lookupCost = Money(dollars: try p.number("lookup_cost"))
            hitLatency = Int64(try p.number("hit_latency_ms") * 1000)
        }
    }

    /// Hash of the request's current model, memoised when it is the recorded one.
    static func modelHash(_ request: ReplayRequest) -> UInt64 {
        request.model == request.recorded.original.model ? request.recorded.modelHash : StableHash.hash(request.model ?? "")
    }

    /// Combines hashes into one cache key (SplitMix64 finaliser over a running mix).
    static func combine(_ parts: UInt64...) -> UInt64 {
        var h: UInt64 = 0x9e37_79b9_7f4a_7c15
        for part in parts { h = StableHash.finalise(h ^ part &* 0xbf58_476d_1ce4_e5b9) }
        return h
    }
}

/// Eviction policy of a bounded cache when it is full.
enum Eviction: String, ParameterChoice { case lru, lfu }

/// Who shares a cache entry.
enum CacheScope: String, ParameterChoice {
    case global, tenant, user, session

    /// The cache partition a request belongs to; requests without the scope's key share one
    /// partition of their own.
    func key(_ request: ReplayRequest) -> String {
        switch self {
        case .tenant: return "t:" + (request.tenantID ?? "\u{0}")
        case .user: return "u:" + (request.userID ?? "\u{0}")
        case .session: return "s:" + (request.sessionID ?? "\u{0}")
        case .global: return ""
        }
    }

    /// The partition as a 64-bit hash, memoised on the request.
    func hash(_ request: ReplayRequest) -> UInt64 { request.recorded.scopeKeys[slot] }

    /// Index of the scope's hash in ``RecordedRequest/scopeKeys``.
    var slot: Int {
        switch self {
        case .global: return 0
        case .tenant: return 1
        case .user: return 2
        case .session: return 3
        }
    }

    /// Whether sharding by `key` keeps every partition of this scope on one shard.
    func exactWhenSharded(by key: ShardKey) -> Bool {
        switch (self, key) {
        case (.tenant, .tenant), (.user, .user), (.session, .session): return true
        default: return false
        }
    }
}
