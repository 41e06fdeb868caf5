extension ExactCache {
    /// Groups the chains whose first step is an LRU exact cache differing from the others' only in capacity, and
    /// gives each group one ``CapacitySweep`` (at most 64 members each): chain index → (sweep, member).
    ///
    /// Only the first step qualifies, since nothing before it can change the requests it sees; LFU caches, and
    /// groups of one, keep a cache per point. The TTL, scope, normalisation, lookup cost and hit latency must be
    /// equal, so the key, the expiry and the counters follow the same rules at every member.
    /// LRU exact caches at the root that differ only in capacity share one recency stack (``CapacitySweep``).
    public static func share(_ contexts: inout [StrategyContext], roots: [Parameters], options: ReplayOptions) {
        guard options.onePassCapacitySweeps else { return }
        for (index, shared) in capacitySweeps(firstSteps: roots.map { ScenarioPlan.Step(type: Self.self, parameters: $0) }) {
            contexts[index].capacitySweep = shared
        }
    }

    static func capacitySweeps(firstSteps: [ScenarioPlan.Step?]) -> [Int: (sweep: CapacitySweep, member: Int)] {
        var bySignature: [Parameters: [Int]] = [:]
        for (chain, step) in firstSteps.enumerated() {
            guard let step, step.strategy == name, ["lru", ""].contains(step.parameters.text("eviction")) else { continue }
            var values = step.parameters.values
            values["capacity"] = nil
            values["eviction"] = nil
            bySignature[Parameters(values), default: []].append(chain)
        }
        var shared: [Int: (sweep: CapacitySweep, member: Int)] = [:]
        for members in bySignature.values.sorted(by: { $0[0] < $1[0] }) where members.count > 1 {
            for start in stride(from: 0, to: members.count, by: 64) {
                let chunk = members[start..<min(start + 64, members.count)]
                guard chunk.count > 1 else { continue }
                let parameters = chunk.map { firstSteps[$0]!.parameters }
                let sweep = CapacitySweep(capacities: parameters.map { $0.int("capacity") }, ttlSeconds: parameters[0].number("ttl"))
                for (member, chain) in chunk.enumerated() { shared[chain] = (sweep, member) }
            }
        }
        return shared
    }
}
