/// The chains of one ``CapacitySweep`` replayed as one unit: each request is priced and summed once for the whole
/// group, and each member only records what its hits change.
///
/// A member chain is a single LRU exact cache, so it leaves every request unchanged but for the lookup cost: a miss
/// costs the same at every member (the miss cost), and a hit costs the lookup alone (the hit cost). The group keeps
/// the sums every member would have if it missed every keyed request (totals, bootstrap blocks, days, cost by model
/// and day); a member's hits add their difference (hit minus miss) to its own deltas, moving the request from its
/// recorded model to `(served)`. Money sums are integer femtodollars, exact in any order; the only floating-point
/// sums (latency saved) are added by hits alone, in request order, as on the per-point path. Keys of the per-day and
/// per-model sums carry request counts, so a day or model every request of which a member served disappears from
/// that member's sums as it would on the per-point path. `CapacitySweepTests` compares the documents of both paths.
///
/// Used when every chain of the sweep is that one cache and no request is explained (the ledger is per point);
/// otherwise the members run as ordinary chains, each asking the shared recency stack.
struct CapacitySweepGroup {
    let sweep: CapacitySweep
    /// The members, in member order; their totals, sums and counters are written by ``finish(_:)``.
    private(set) var chains: [ReplayEngine.Chain]
    /// The first member's cache: its key, lookup cost and hit latency are every member's.
    private let cache: ExactCache
    private let pricer: Pricer
    private let bootstrapBySession: Bool
    /// Whether any member is a point's full chain (only those keep block, day and model sums).
    private let sums: Bool
    /// What every member would have summed had it missed every keyed request.
    private var shared = Sums()
    private var noKey = 0, lookups = 0
    private var members: [Member]

    /// The sums one chain keeps, with counts per key of the model and day sums.
    struct Sums {
        var totals = Totals()
        var blocks = BlockTally(), daily = BlockTally()
        var byModelDaily = ModelDayTally(), baselineByModelDaily = ModelDayTally()
    }

    /// What one member's hits changed.
    struct Member {
        let full: Bool
        var delta = Sums()
        var counters = ExactCache.Counters()
    }

    /// Takes the chains of every capacity sweep whose members are all single exact caches out of `chains`, one
    /// group per sweep; the rest stay.
    static func take(from chains: inout [ReplayEngine.Chain], pricer: Pricer, bootstrapBySession: Bool) -> [CapacitySweepGroup] {
        func sweepMember(_ chain: ReplayEngine.Chain) -> (sweep: CapacitySweep, member: Int)? {
            (chain.strategies.first as? ExactCache)?.sweep
        }
        var bySweep: [ObjectIdentifier: [Int]] = [:]
        var order: [ObjectIdentifier] = []
        for (index, chain) in chains.enumerated() {
            guard let (sweep, _) = sweepMember(chain) else { continue }
            let id = ObjectIdentifier(sweep)
            if bySweep[id] == nil { order.append(id) }
            bySweep[id, default: []].append(index)
        }
        var groups: [CapacitySweepGroup] = []
        var taken = Set<Int>()
        for id in order {
            let indices = bySweep[id]!
            let sweep = sweepMember(chains[indices[0]])!.sweep
            guard indices.count == sweep.members, indices.allSatisfy({ chains[$0].strategies.count == 1 }) else { continue }
            let members = indices.sorted { sweepMember(chains[$0])!.member < sweepMember(chains[$1])!.member }.map { chains[$0] }
            groups.append(CapacitySweepGroup(sweep: sweep, chains: members, pricer: pricer, bootstrapBySession: bootstrapBySession))
            taken.formUnion(indices)
        }
        chains = chains.enumerated().filter { !taken.contains($0.offset) }.map(\.element)
        return groups
    }

    private init(sweep: CapacitySweep, chains: [ReplayEngine.Chain], pricer: Pricer, bootstrapBySession: Bool) {
        self.sweep = sweep
        self.chains = chains
        cache = chains[0].strategies[0] as! ExactCache
        self.pricer = pricer
        self.bootstrapBySession = bootstrapBySession
        members = chains.map { Member(full: $0.role == .full) }
        sums = members.contains { $0.full }
    }

    mutating func process<Request: SweepInput>(_ batch: [(Request, Money?)]) {
        // Borrowed in place: a copy of each request would retain its strings once per group.
        batch.withUnsafeBufferPointer { requests in
            for index in requests.indices { replay(requests[index].0, base: requests[index].1) }
        }
    }

    /// ``ChainGroup/replay(_:base:explain:chain:)`` of one request at every member.
    private mutating func replay<Request: SweepInput>(_ original: Request, base: Money?) {
        let day = Timestamp.floorDiv(original.startMicros, 86_400_000_000)
        guard original.kind == .llm else {
            // A span passes the cache untouched: its own fee, at every member.
            let cost = (original.spanCost ?? .zero)
            shared.totals.spans += 1
            shared.totals.baselineCost += base ?? .zero
            shared.totals.cost += cost
            if sums, let base, base.femtos != 0 || cost.femtos != 0 {
                shared.blocks.add(blockKey(original), baseline: base.femtos, cost: cost.femtos, served: 0, requests: 1)
                shared.daily.add(day, baseline: base.femtos, cost: cost.femtos, served: 0, requests: 1)
            }
            return
        }
        guard let key = cache.key(original) else {
            noKey += 1
            shared.add(original, base: base, cost: base, model: original.recordedModelID, day: day, block: sums ? blockKey(original) : 0, sums: sums)
            return
        }
        lookups += 1
        // A miss leaves the request as recorded but for the lookup cost: priced as recorded when that is zero (as
        // ``ReplayRequest/pricesAsRecorded`` finds), otherwise priced again with the lookup cost on top.
        let lookupCost = cache.lookupCost
        let missCost = lookupCost == .zero ? base : pricer.cost(original.pricingInput).map { $0 + lookupCost }
        let block = sums ? blockKey(original) : 0
        shared.add(original, base: base, cost: missCost, model: original.recordedModelID, day: day, block: block, sums: sums)
        let recorded = original.recordedResponseID
        let hits = sweep.advance(key: key, at: original.startMicros, response: recorded, availableAt: original.endMicros ?? original.startMicros)
        guard hits.served != 0 else { return }
        // What a hit changes against a miss, the same at every member that hits.
        let hitCost = cache.lookupCost
        let saved = original.recordedLatencyMicros.map { max(0, $0 - cache.hitLatency) } ?? 0
        let savedMs = Double(saved) / 1000
        let missPriced = base != nil && missCost != nil, hitPriced = base != nil
        var mask = hits.served
        while mask != 0 {
            let m = mask.trailingZeroBitCount
            let bit: UInt64 = 1 << UInt64(m)
            mask &= mask - 1
            members[m].counters.hits += 1
            members[m].counters.latencySavedMs += savedMs
            if hits.withResponse & bit != 0 { members[m].counters.hitsWithResponse += 1 }
            if hits.likelyFalse & bit != 0 { members[m].counters.likelyFalseHits += 1 }
            var delta = members[m].delta.totals
            delta.servedRequests += 1
            delta.latencySavedMs += Double(max(0, (original.recordedLatencyMicros ?? 0) - cache.hitLatency)) / 1000
            if let usage = original.usage {
                delta.inputTokens -= usage.input
                delta.cacheReadTokens -= usage.cacheRead
                delta.cacheWriteTokens -= usage.cacheWrite5m + usage.cacheWrite1h
                delta.outputTokens -= usage.output
            }
            if missPriced {
                delta.cost += hitCost - missCost!
            } else if hitPriced {
                delta.unpricedRequests -= 1
                delta.comparedRequests += 1
                delta.baselineCost += base!
                delta.cost += hitCost
            }
            members[m].delta.totals = delta
            guard members[m].full, hitPriced else { continue }
            members[m].delta.moveToServed(from: original.recordedModelID, day: day, block: block, base: base!.femtos,
                                          missCost: missPriced ? missCost!.femtos : nil, hitCost: hitCost.femtos)
        }
    }

    /// ``ChainGroup/blockKey(_:)``.
    private func blockKey<Request: SweepInput>(_ request: Request) -> Int64 {
        if bootstrapBySession { return request.sessionBlock }
        return Timestamp.floorDiv(request.startMicros, 86_400_000_000)
    }

    /// Writes each member's totals, sums and counters into its chain: the shared sums plus its deltas.
    mutating func finish(_ names: ModelNames) {
        shared.flush()
        for m in members.indices {
            members[m].delta.flush()
            let delta = members[m].delta
            var chain = chains[m]
            chain.totals = shared.totals.adding(delta.totals)!
            if members[m].full {
                chain.blocks = shared.blocks.merged(delta.blocks)
                chain.daily = shared.daily.merged(delta.daily)
                chain.byModelDaily = ModelDaySums(sums: shared.byModelDaily.merged(delta.byModelDaily, names: names))
                chain.baselineByModelDaily = ModelDaySums(sums: shared.baselineByModelDaily.merged(delta.baselineByModelDaily, names: names))
            }
            var strategy = chain.strategies[0] as! ExactCache
            var counters = members[m].counters
            counters.lookups = lookups
            counters.misses = lookups - counters.hits
            counters.noKey = noKey
            strategy.counters = counters
            chain.strategies[0] = strategy
            chains[m] = chain
        }
    }
}

extension CapacitySweepGroup.Sums {
    /// A request no member served, at cost `cost` (nil when unpriced).
    mutating func add<Request: SweepInput>(_ request: Request, base: Money?, cost: Money?, model: Int32, day: Int64, block: Int64, sums: Bool) {
        totals.addAsRecorded(usage: request.usage, baseCost: base, cost: cost)
        guard sums, let base, let cost else { return }
        blocks.add(block, baseline: base.femtos, cost: cost.femtos, served: 0, requests: 1)
        daily.add(day, baseline: base.femtos, cost: cost.femtos, served: 0, requests: 1)
        byModelDaily.add(model, day: day, femtos: cost.femtos, count: 1)
        baselineByModelDaily.add(model, day: day, femtos: base.femtos, count: 1)
    }

    /// A hit in place of a miss in the block, day and model sums: the miss (when it was priced) leaves the recorded
    /// model, the hit arrives at `(served)`.
    mutating func moveToServed(from model: Int32, day: Int64, block: Int64, base: Int128, missCost: Int128?, hitCost: Int128) {
        if let missCost {
            blocks.add(block, baseline: 0, cost: hitCost - missCost, served: 1, requests: 0)
            daily.add(day, baseline: 0, cost: hitCost - missCost, served: 1, requests: 0)
            byModelDaily.add(model, day: day, femtos: -missCost, count: -1)
        } else {
            blocks.add(block, baseline: base, cost: hitCost, served: 1, requests: 1)
            daily.add(day, baseline: base, cost: hitCost, served: 1, requests: 1)
            baselineByModelDaily.add(model, day: day, femtos: base, count: 1)
        }
        byModelDaily.add(ModelNames.served, day: day, femtos: hitCost, count: 1)
    }

    mutating func flush() {
        blocks.flush()
        daily.flush()
        byModelDaily.flush()
        baselineByModelDaily.flush()
    }
}
