/// Parameters shared by the caching levers.
enum CacheParameters {
    static let ttl = ParameterSpec("ttl", .duration(min: 0, max: 3.2e7), default: .number(0),
                                   "time to live; 0 keeps entries until evicted")
    static let capacity = ParameterSpec("capacity", .number(min: 0, max: 1e9, integer: true), default: .number(0),
                                        "maximum entries; 0 is unbounded")
    static let eviction = ParameterSpec("eviction", .choice(["lru", "lfu"]), default: .text("lru"), "eviction policy when full")
    static let scope = ParameterSpec("scope", .choice(["global", "tenant", "user", "session"]), default: .text("global"),
                                     "who shares a cache entry")
    static let lookupCost = ParameterSpec("lookup_cost", .number(min: 0, max: 1, integer: false), default: .number(0),
                                          "USD per lookup, paid on hits and misses")
    static let hitLatency = ParameterSpec("hit_latency_ms", .number(min: 0, max: 60_000, integer: false), default: .number(5),
                                          "latency of a cache hit")

    /// The cache partition a request belongs to; requests without the scope's key share one
    /// partition of their own.
    static func scopeKey(_ scope: String, _ request: ReplayRequest) -> String? {
        switch scope {
        case "tenant": return "t:" + (request.tenantID ?? "\u{0}")
        case "user": return "u:" + (request.userID ?? "\u{0}")
        case "session": return "s:" + (request.sessionID ?? "\u{0}")
        default: return ""
        }
    }

    /// The partition as a 64-bit hash, memoised on the request.
    static func scopeHash(_ scope: String, _ request: ReplayRequest) -> UInt64 {
        request.recorded.scopeKeys[scopeSlot(scope)]
    }

    /// Index of a scope's hash in ``RecordedRequest/scopeKeys``.
    static func scopeSlot(_ scope: String) -> Int {
        switch scope {
        case "tenant": return 1
        case "user": return 2
        case "session": return 3
        default: return 0
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

    /// Per-tenant, per-user and per-session caches shard exactly by that key, as long as no
    /// capacity is shared across partitions (a capacity bounds the whole cache).
    static func exactWhenSharded(_ parameters: Parameters, by key: ShardKey) -> Bool {
        (parameters.optionalNumber("capacity") ?? 0) == 0 && exactWhenSharded(scope: parameters.text("scope"), by: key)
    }

    static func exactWhenSharded(scope: String, by key: ShardKey) -> Bool {
        switch (scope, key) {
        case ("tenant", .tenant), ("user", .user), ("session", .session): return true
        default: return false
        }
    }

    static func cache<I: SlotIndex, V>(_ p: Parameters) -> BoundedCache<I, V> {
        BoundedCache(capacity: p.int("capacity"), ttlSeconds: p.number("ttl"),
                     policy: BoundedCache<I, V>.Policy(rawValue: p.text("eviction")) ?? .lru)
    }
}
