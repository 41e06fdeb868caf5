import Foundation
import Statistics

/// Replays stored requests in time order (ties by id) through every scenario point at once.
///
/// One pass over the store feeds each request to every chain: each point's full strategy list,
/// plus, for attribution, each prefix of the list (the waterfall) and each strategy alone. Memory
/// is the strategies' own state (cache contents), never the trace.
public final class ReplayEngine {
    let plans: [ScenarioPlan]
    let pricer: Pricer
    let options: ReplayOptions
    /// Chains split over one worker per processor; each owns its chains outright.
    var groups: [ChainGroup] = []
    var baseline = Totals()
    /// The store-health block, counted over every request of the window (before any shard filter).
    var tally = StoreTally()
    /// Model names of the requests read so far, interned for the per-model sums.
    let models = ModelNames()
    /// Ledger of the request `options.explainID`, per scenario point label.
    public var explained: [String: [LedgerEntry]] { groups.reduce(into: [:]) { $0.merge($1.explained) { a, _ in a } } }

    /// One strategy list being replayed, with its running totals.
    struct Chain {
        enum Role: Equatable { case full, prefix(Int), alone(Int) }
        var plan: Int
        var role: Role
        var strategies: [any ReplayStrategy]
        var totals = Totals()
        /// Per-block sums for the bootstrap (full chains only).
        var blocks = BlockTotals()
        /// Per-day sums (full chains only), whatever the bootstrap block.
        var daily = BlockTotals()
        /// Cost by final model and by recorded model per day (full chains only); totals by model are summed from it.
        var byModelDaily = ModelDaySums()
        var baselineByModelDaily = ModelDaySums()
    }

    static let batchSize = 1024

    public init(plans: [ScenarioPlan], pricer: Pricer, options: ReplayOptions) {
        self.plans = plans
        self.pricer = pricer
        self.options = options
        // Chain specs first: each point's full list, its prefixes and each lever alone.
        var specs: [(plan: Int, role: Chain.Role, steps: ArraySlice<ScenarioPlan.Step>)] = []
        for (index, plan) in plans.enumerated() {
            specs.append((index, .full, plan.steps[...]))
            if plan.steps.count > 1 {
                for k in 1..<plan.steps.count { specs.append((index, .prefix(k), plan.steps.prefix(k))) }
                for i in plan.steps.indices { specs.append((index, .alone(i), plan.steps[i...i])) }
            }
        }
        var base = StrategyContext(pricer: pricer, seed: options.seed)
        base.embeddings = options.embeddings
        // Chains that start with semantic caches differing only in threshold share one index.
        var hubOf: [Int: (SemanticHub, Int)] = [:]
        var bySignature: [String: [Int]] = [:]
        for (index, spec) in specs.enumerated() where spec.steps.first?.strategy == SemanticCache.name {
            var values = spec.steps.first!.parameters.values
            values["threshold"] = nil
            bySignature[Parameters(values).label, default: []].append(index)
        }
        for members in bySignature.values.sorted(by: { $0[0] < $1[0] }) where members.count > 1 {
            for chunk in stride(from: 0, to: members.count, by: 64).map({ Array(members[$0..<min($0 + 64, members.count)]) }) {
                let lowest = chunk.map { Float(specs[$0].steps.first!.parameters.number("threshold")) }.min()!
                let hub = SemanticCache.makeHub(members: chunk.count, parameters: specs[chunk[0]].steps.first!.parameters, context: base,
                                                pruneBelow: lowest)
                for (member, spec) in chunk.enumerated() { hubOf[spec] = (hub, member) }
            }
        }
        // Chains that start with LRU exact caches differing only in capacity share one recency stack.
        let sweepOf = options.onePassCapacitySweeps ? ExactCache.capacitySweeps(firstSteps: specs.map(\.steps.first)) : [:]
        let chains: [Chain] = specs.enumerated().map { index, spec in
            let strategies: [any ReplayStrategy] = spec.steps.enumerated().map { position, step in
                var context = base
                if position == 0, let shared = hubOf[index] { context.semanticHub = shared }
                if position == 0, let shared = sweepOf[index] { context.capacitySweep = shared }
                return StrategyRegistry.named(step.strategy)!.init(parameters: step.parameters, context: context)
            }
            return Chain(plan: spec.plan, role: spec.role, strategies: strategies)
        }
        // One worker per processor (at most one per chain); the chains of one shared index or recency stack stay together on one of
        // them. Chains are independent, so the split never changes a result.
        let workers = max(1, min(chains.count, options.workers ?? ProcessInfo.processInfo.activeProcessorCount))
        var assignment: [[Chain]] = Array(repeating: [], count: workers)
        var hubWorker: [ObjectIdentifier: Int] = [:]
        for (index, chain) in chains.enumerated() {
            var worker = assignment.indices.min { assignment[$0].count < assignment[$1].count }!
            if let shared = hubOf[index].map({ ObjectIdentifier($0.0) }) ?? sweepOf[index].map({ ObjectIdentifier($0.sweep) }) {
                worker = hubWorker[shared] ?? worker
                hubWorker[shared] = worker
            }
            assignment[worker].append(chain)
        }
        groups = assignment.filter { !$0.isEmpty }.map {
            ChainGroup(chains: $0, pricer: pricer, plans: plans, models: models, explainID: options.explainID,
                       bootstrapBySession: options.bootstrapBySession)
        }
    }

    /// Every chain of every group, in creation order per group.
    var chains: [Chain] { groups.flatMap { $0.chains + $0.sweepGroups.flatMap(\.chains) } }

    /// Streams the store once and returns the result document.
    public func run(store: TraceStore, inputs: ReplayResult.Inputs) throws -> ReplayResult {
        try run(source: RecordSource.store(store, window: options.window), inputs: inputs)
    }

    /// Streams the records of `source` once and returns the result document.
    public func run(source: RecordSource, inputs: ReplayResult.Inputs) throws -> ReplayResult {
        var feed = Feed(engine: self)
        try source.forEach { feed.add($0) }
        feed.finish()
        return document(inputs: inputs)
    }

    /// Replays records already in memory, in the order given (callers sort by start, then id).
    public func run(records: [TraceRecord], inputs: ReplayResult.Inputs) -> ReplayResult {
        var feed = Feed(engine: self)
        for record in records { feed.add(record) }
        feed.finish()
        return document(inputs: inputs)
    }

    /// Prices each request's baseline and hands batches to the workers.
    struct Feed {
        let engine: ReplayEngine
        var batch: [(ReplayRequest, Money?)] = []

        init(engine: ReplayEngine) {
            self.engine = engine
            batch.reserveCapacity(ReplayEngine.batchSize)
        }

        mutating func add(_ record: TraceRecord) {
            // Each request is priced once, as recorded: for the store-health block and as every chain's baseline.
            let priced = record.kind == .llm ? engine.pricer.price(record.pricingInput) : nil
            if let priced { engine.tally.add(record, priced: priced) }
            guard engine.options.shard.map({ $0.contains(record) }) ?? true else { return }
            let request = ReplayRequest(record, modelID: engine.models.id(record.model), responseID: ReplayEngine.responseID(record.responseHash))
            let isCall = request.kind == .llm
            let base = isCall ? priced!.cost : (request.spanCost ?? .zero)
            if isCall {
                engine.baseline.add(request, baseCost: base, cost: base)
            } else {
                // A span's own fee (a paid tool call) is part of the bill as recorded, as it is of every scenario.
                engine.baseline.spans += 1
                engine.baseline.baselineCost += base ?? .zero
                engine.baseline.cost += base ?? .zero
            }
            batch.append((request, base))
            if batch.count == ReplayEngine.batchSize {
                engine.process(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }

        mutating func finish() {
            engine.process(batch)
            batch.removeAll()
        }
    }

    /// A recorded response hash as a nonzero 64-bit hash (0 for none), so caches compare and store integers. A
    /// table of ids would grow with every distinct response in the trace; two different responses share a hash
    /// with probability about n²/2⁶⁴.
    static func responseID(_ hash: String?) -> UInt64 {
        hash.map { StableHash.hash($0) | 1 } ?? 0
    }

    /// Hands one batch to every group; groups run in parallel, each in request order.
    func process(_ batch: [(ReplayRequest, Money?)]) {
        guard !batch.isEmpty else { return }
        if groups.count == 1 {
            groups[0].process(batch)
            return
        }
        let shared = UncheckedBox(groups)
        let work = UncheckedBox(batch)
        DispatchQueue.concurrentPerform(iterations: groups.count) { shared.value[$0].process(work.value) }
    }
}

/// A set of chains one worker thread owns.
final class ChainGroup: @unchecked Sendable {
    var chains: [ReplayEngine.Chain]
    let pricer: Pricer
    let plans: [ScenarioPlan]
    let models: ModelNames
    let explainID: String?
    let bootstrapBySession: Bool
    var explained: [String: [LedgerEntry]] = [:]
    /// Capacity sweeps replayed as one unit each (``CapacitySweepGroup``); their chains are not in `chains`.
    var sweepGroups: [CapacitySweepGroup] = []

    init(chains: [ReplayEngine.Chain], pricer: Pricer, plans: [ScenarioPlan], models: ModelNames, explainID: String?,
         bootstrapBySession: Bool) {
        self.chains = chains
        self.pricer = pricer
        self.plans = plans
        self.models = models
        self.explainID = explainID
        self.bootstrapBySession = bootstrapBySession
        // An explained request needs every point's ledger, which only the per-chain path writes.
        if explainID == nil {
            sweepGroups = CapacitySweepGroup.take(from: &self.chains, pricer: pricer, bootstrapBySession: bootstrapBySession)
        }
    }

    /// Lets every strategy settle, then adds its fixed costs to its chain.
    func finish() {
        for index in sweepGroups.indices { sweepGroups[index].finish(models) }
        for index in chains.indices { finish(&chains[index]) }
    }

    private func finish(_ chain: inout ReplayEngine.Chain) {
        chain.blocks.flush()
        chain.daily.flush()
        chain.byModelDaily.flush(models)
        chain.baselineByModelDaily.flush(models)
        for step in chain.strategies.indices {
            chain.strategies[step].finish()
            let fixed = chain.strategies[step].fixedCost
            chain.totals.cost += fixed
            chain.totals.fixedCost += fixed
        }
    }

    func process(_ batch: [(ReplayRequest, Money?)]) {
        // The chains move to a local for the batch: a class's stored array would be checked for exclusive access
        // at every element access, which costs as much as a cache lookup.
        var chains = self.chains
        self.chains = []
        defer { self.chains = chains }
        var sweepGroups = self.sweepGroups
        self.sweepGroups = []
        defer { self.sweepGroups = sweepGroups }
        for index in sweepGroups.indices { sweepGroups[index].process(batch) }
        guard !chains.isEmpty else { return }
        let requests = batch.map(\.0)
        for index in chains.indices {
            for step in chains[index].strategies.indices { chains[index].strategies[step].prepare(requests) }
        }
        for (original, base) in batch {
            let explain = explainID == original.id
            for index in chains.indices { replay(original, base: base, explain: explain, chain: &chains[index]) }
        }
    }

    /// The bootstrap block of a request: its UTC day, or its session (by trace or id when it has none).
    func blockKey(_ request: ReplayRequest) -> Int64 {
        if bootstrapBySession {
            return Int64(bitPattern: StableHash.hash(request.sessionID ?? request.traceID ?? request.id))
        }
        return Timestamp.floorDiv(request.startMicros, 86_400_000_000)
    }

    /// Feeds one request to one chain.
    func replay(_ original: ReplayRequest, base: Money?, explain: Bool, chain: inout ReplayEngine.Chain) {
        let isCall = original.kind == .llm
        var request = original
        var ledger: [LedgerEntry] = []
        for step in chain.strategies.indices {
            chain.strategies[step].apply(&request, explain: explain, ledger: &ledger)
            if request.served != nil { break }
        }
        let cost: Money?
        if isCall && request.pricesAsRecorded {
            cost = base
        } else if let served = request.served {
            cost = served.cost + request.extraCost
        } else if isCall {
            cost = pricer.price(request.pricingInput).cost.map { $0 + request.extraCost }
        } else {
            cost = (original.spanCost ?? .zero) + request.extraCost
        }
        if isCall {
            chain.totals.add(request, baseCost: base, cost: cost)
            if chain.role == .full, let base, let cost {
                chain.blocks.add(day: blockKey(original), baseline: base, cost: cost, served: request.served != nil)
                let day = Timestamp.floorDiv(original.startMicros, 86_400_000_000)
                chain.daily.add(day: day, baseline: base, cost: cost, served: request.served != nil)
                if request.served != nil {
                    chain.byModelDaily.add(cost, model: ModelNames.served, day: day, names: models)
                } else if request.model == original.model {
                    chain.byModelDaily.add(cost, model: original.recorded.modelID, day: day, names: models)
                } else {
                    chain.byModelDaily.add(cost, model: request.model ?? "(none)", day: day, names: models)
                }
                chain.baselineByModelDaily.add(base, model: original.recorded.modelID, day: day, names: models)
            }
        } else {
            chain.totals.spans += 1
            chain.totals.baselineCost += base ?? .zero
            chain.totals.cost += cost ?? .zero
            if chain.role == .full, let base, let cost, base.femtos != 0 || cost.femtos != 0 {
                let day = Timestamp.floorDiv(original.startMicros, 86_400_000_000)
                chain.blocks.add(day: blockKey(original), baseline: base, cost: cost, served: request.served != nil)
                chain.daily.add(day: day, baseline: base, cost: cost, served: request.served != nil)
            }
            if let served = request.served {
                chain.totals.servedRequests += 1
                chain.totals.latencySavedMs += Double(max(0, (original.latencyMicros ?? 0) - served.latencyMicros)) / 1000
            }
        }
        if explain && chain.role == .full {
            var entries = ledger
            let final = cost.map { MoneyFormat.plain($0, decimals: 9) } ?? "unpriced"
            let before = base.map { MoneyFormat.plain($0, decimals: 9) } ?? "unpriced"
            entries.append(LedgerEntry(strategy: "result", decision: request.served == nil ? "sent to provider" : "served",
                                       detail: "baseline $\(before) → scenario $\(final)"))
            explained[plans[chain.plan].label] = entries
        }
    }
}

extension Totals {
    mutating func add(_ request: ReplayRequest, baseCost: Money?, cost: Money?) {
        requests += 1
        if let usage = request.usage, request.served == nil {
            inputTokens += usage.input
            cacheReadTokens += usage.cacheRead
            cacheWriteTokens += usage.cacheWrite5m + usage.cacheWrite1h
            outputTokens += usage.output
        }
        if let served = request.served {
            servedRequests += 1
            latencySavedMs += Double(max(0, (request.latencyMicros ?? 0) - served.latencyMicros)) / 1000
        }
        guard let baseCost, let cost else {
            unpricedRequests += 1
            return
        }
        comparedRequests += 1
        baselineCost += baseCost
        self.cost += cost
    }
}

/// How a replay runs: seed, time window, shard, and an optional request to explain.
public struct ReplayOptions: Sendable {
    public var seed: UInt64 = 42
    /// Bootstrap resamples for the intervals; 0 turns them off.
    public var bootstrapResamples = 1000
    /// Resample whole sessions instead of whole UTC days.
    public var bootstrapBySession = false
    public var window = TraceStore.TimeWindow()
    public var shard: ShardFilter?
    public var explainID: String?
    /// Worker threads; nil uses one per processor.
    public var workers: Int?
    /// Evaluate the capacities of an LRU exact-cache sweep in one pass (``CapacitySweep``); false keeps one cache
    /// per point. The documents are the same either way (tested); the switch exists to compare the two.
    public var onePassCapacitySweeps = true
    /// Stored embedding sets that semantic caches name (`embedding:`), loaded by ``Simulation``.
    public var embeddings: [String: StoredEmbeddings] = [:]

    public init() {}
}

/// Keeps the requests whose tenant, user or session hashes to this shard.
public struct ShardFilter: Sendable, Equatable {
    public var index: Int
    public var count: Int
    public var key: ShardKey
    /// False when the input is already part `index` of a trace split by `key` elsewhere (Spark): nothing is dropped.
    public var filters = true

    public init(index: Int, count: Int, key: ShardKey, filters: Bool = true) {
        self.index = index
        self.count = count
        self.key = key
        self.filters = filters
    }

    /// Requests without the key all land in the shard of the empty key: a cache scoped by the key shares one
    /// partition among them, which must not be split for the merged result to stay exact.
    func contains(_ record: TraceRecord) -> Bool {
        guard filters else { return true }
        let value: String?
        switch key {
        case .tenant: value = record.tenantID
        case .user: value = record.userID
        case .session: value = record.sessionID
        }
        return Int(StableHash.hash(value ?? "") % UInt64(count)) == index
    }
}
