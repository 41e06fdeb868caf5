extension ExactCache {
    /// Groups the chains whose first step is an LRU exact cache differing from the others' only in capacity and TTL,
    /// and gives each group one ``CapacitySweep`` (at most 64 members each): chain index → (sweep, member).
    ///
    /// Only the first step qualifies, since nothing before it can change the requests it sees; LFU caches, and
    /// groups of one, keep a cache per point. The scope, normalisation, lookup cost and hit latency must be equal, so
    /// the key and the counters follow the same rules at every member.
    /// LRU exact caches at the root that differ only in capacity and TTL share one recency stack (``CapacitySweep``).
    public static func share(_ contexts: inout [StrategyContext], roots: [Configuration], options: ReplayOptions) {
        guard options.onePassCapacitySweeps else { return }
        for (index, shared) in capacitySweeps(roots) { contexts[index].capacitySweep = shared }
    }

    /// Root index → (sweep, member) for the roots that share a recency stack.
    static func capacitySweeps(_ roots: [Configuration]) -> [Int: (sweep: CapacitySweep, member: Int)] {
        var bySignature: [Configuration: [Int]] = [:]
        for (index, root) in roots.enumerated() where root.cache.eviction == .lru {
            var signature = root
            signature.cache.capacity = 0
            signature.cache.ttlSeconds = 0
            bySignature[signature, default: []].append(index)
        }
        var shared: [Int: (sweep: CapacitySweep, member: Int)] = [:]
        for members in bySignature.values.sorted(by: { $0[0] < $1[0] }) where members.count > 1 {
            for start in stride(from: 0, to: members.count, by: 64) {
                let chunk = members[start..<min(start + 64, members.count)]
                guard chunk.count > 1 else { continue }
                let sweep = CapacitySweep(members: chunk.map { (roots[$0].cache.capacity, roots[$0].cache.ttlSeconds) })
                for (member, index) in chunk.enumerated() { shared[index] = (sweep, member) }
            }
        }
        return shared
    }
}
