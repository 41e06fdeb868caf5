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
        /// The strategies of the chain in order: the shared instances of its path, as they are after `finish`.
        var strategies: [any ReplayStrategy]
        /// The chain's steps as node indices in its group's trie.
        var path: [Int]
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
        // Chains whose first k steps are the same strategies with the same parameters share those k strategy
        // instances: a strategy is a pure function of its parameters, the seed and the requests it has seen, so the
        // shared instance decides exactly as each chain's own copy would (a trie of steps; `levers.yaml` replays 24
        // strategy instances per request instead of 83, 2 semantic caches instead of 16).
        let trie = StepTrie(specs.map(\.steps), sharing: options.sharedChainPrefixes)
        // Instances at the root of several chains may share state (one semantic index for a threshold sweep, one
        // recency stack for a capacity sweep): each strategy type decides for its own roots.
        var contexts = Array(repeating: base, count: trie.steps.count)
        for roots in Dictionary(grouping: trie.roots, by: { ObjectIdentifier(trie.steps[$0].type) }).values.sorted(by: { $0[0] < $1[0] }) {
            var shared = roots.map { contexts[$0] }
            trie.steps[roots[0]].configured.share(&shared, roots: roots.map { trie.steps[$0].configured }, options: options)
            for (context, root) in zip(shared, roots) { contexts[root] = context }
        }
        let strategies: [any ReplayStrategy] = trie.steps.indices.map { node in
            trie.steps[node].configured.make(contexts[node])
        }
        // Work units: a root with everything below it, and roots sharing an index or a recency stack together. Units go
        // to one worker per processor, heaviest first to the least loaded; units are independent, so the split never
        // changes a result.
        var sharedUnit: [ObjectIdentifier: Int] = [:]
        var units: [[Int]] = []
        for root in trie.roots {
            let shared = contexts[root].sharedState
            if let shared, let unit = sharedUnit[shared] {
                units[unit].append(root)
            } else {
                if let shared { sharedUnit[shared] = units.count }
                units.append([root])
            }
        }
        let weight = units.map { unit in
            unit.flatMap(trie.subtree).reduce(0) { $0 + trie.steps[$1].type.relativeCost }
        }
        let workers = max(1, min(max(1, units.count), options.workers ?? ProcessInfo.processInfo.activeProcessorCount))
        var assignment: [[Int]] = Array(repeating: [], count: workers)
        var load = Array(repeating: 0, count: workers)
        for unit in units.indices.sorted(by: { (weight[$0], $1) > (weight[$1], $0) }) {
            let worker = load.indices.min { (load[$0], $0) < (load[$1], $1) }!
            assignment[worker].append(unit)
            load[worker] += weight[unit]
        }
        if assignment.allSatisfy(\.isEmpty) { assignment = [[]] }
        groups = assignment.filter { !$0.isEmpty || units.isEmpty }.enumerated().map { worker, unitList in
            // Nodes in depth-first order, so a node's parent is the last node visited one level up.
            let nodes = unitList.sorted().flatMap { units[$0] }.flatMap(trie.subtree)
            let local = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1, $0) })
            var chains: [Chain] = []
            for (index, spec) in specs.enumerated() {
                // A chain without steps (an empty strategy list) goes to the first worker.
                guard trie.paths[index].first.map({ local[$0] != nil }) ?? (worker == 0) else { continue }
                let path = trie.paths[index].map { local[$0]! }
                chains.append(Chain(plan: spec.plan, role: spec.role, strategies: path.map { strategies[nodes[$0]] }, path: path))
            }
            return ChainGroup(nodes: nodes.map { .init(strategy: strategies[$0], depth: trie.depth[$0]) }, chains: chains,
                              pricer: pricer, plans: plans, models: models, explainID: options.explainID,
                              bootstrapBySession: options.bootstrapBySession)
        }
    }

    /// Every chain of every group, in creation order per group.
    var chains: [Chain] { groups.flatMap { $0.chains + $0.sweepGroups.flatMap(\.chains) } }

    /// Streams the store once and returns the result document.
    public func run(store: TraceStore, inputs: ReplayResult.Inputs) throws -> ReplayResult {
        var feed = Feed(engine: self)
        do {
            if readsSweepRows {
                try store.forEachSweepRow(in: options.window) { feed.add(row: $0) }
            } else {
                try store.forEachReplayRecord(in: options.window) { feed.add($0) }
            }
        } catch {
            feed.pipeline.drain()
            throw error
        }
        feed.finish()
        return document(inputs: inputs)
    }

    /// Streams the records of `source` once and returns the result document.
    public func run(source: RecordSource, inputs: ReplayResult.Inputs) throws -> ReplayResult {
        var feed = Feed(engine: self)
        do { try source.forEach { feed.add($0) } } catch {
            feed.pipeline.drain()
            throw error
        }
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

    /// Prices each request's baseline and hands batches to the workers, which replay one batch while the reader
    /// fills the next.
    struct Feed {
        let engine: ReplayEngine
        var batch: [(ReplayRequest, Money?)] = []
        /// Rows of a replay made only of capacity sweeps (``ReplayEngine/readsSweepRows``).
        var rows: [(SweepRow, Money?)] = []
        /// The engine's baseline and store tally, kept here until `finish`: a class's stored property is checked for
        /// exclusive access at every use.
        var baseline: Totals, tally: StoreTally
        let shard: ShardFilter?
        let pipeline: BatchPipeline

        init(engine: ReplayEngine) {
            self.engine = engine
            shard = engine.options.shard
            baseline = engine.baseline
            tally = engine.tally
            pipeline = BatchPipeline()
            batch.reserveCapacity(ReplayEngine.batchSize)
        }

        mutating func add(_ record: consuming TraceRecord) {
            let cost = price(record.kind, record.pricingInput, billed: record.billedCost)
            guard shard.map({ $0.contains(record) }) ?? true else { return }
            let modelID = engine.models.id(record.model), responseID = ReplayEngine.responseID(record.responseHash)
            let request = ReplayRequest(record, modelID: modelID, responseID: responseID)
            let base = addToBaseline(request, cost: cost)
            if let full = Self.append((request, base), to: &batch) { submit(full) }
        }

        /// ``add(_:)`` of a row read for a replay made only of capacity sweeps (never sharded).
        mutating func add(row: consuming SweepRow) {
            let cost = price(row.kind, row.pricingInput, billed: row.billedCost)
            row.recordedModelID = engine.models.id(row.pricingInput.model)
            let base = addToBaseline(row, cost: cost)
            if let full = Self.append((row, base), to: &rows) { submit(full) }
        }

        /// Appends to a batch; returns the batch when full, to be handed over whole (the worker releases its requests)
        /// while a fresh one is filled.
        private static func append<Request>(_ entry: consuming (Request, Money?), to batch: inout [(Request, Money?)]) -> [(Request, Money?)]? {
            batch.append(entry)
            guard batch.count == ReplayEngine.batchSize else { return nil }
            defer {
                batch = []
                batch.reserveCapacity(ReplayEngine.batchSize)
            }
            return batch
        }

        /// Each model call is priced once, as recorded: for the store-health block and as every chain's baseline.
        private mutating func price(_ kind: RequestKind, _ input: PricingInput, billed: Money?) -> Money? {
            guard kind == .llm else { return nil }
            let cost = engine.pricer.cost(input)
            tally.add(billed: billed, input, cost: cost, pricer: engine.pricer)
            return cost
        }

        /// Adds a request as recorded to the baseline; returns its baseline cost (a span's own fee for a span).
        private mutating func addToBaseline<Request: SweepInput>(_ request: Request, cost: Money?) -> Money? {
            guard request.kind == .llm else {
                // A span's own fee (a paid tool call) is part of the bill as recorded, as it is of every scenario.
                let fee = request.spanCost ?? .zero
                baseline.spans += 1
                baseline.baselineCost += fee
                baseline.cost += fee
                return fee
            }
            baseline.addAsRecorded(usage: request.usage, baseCost: cost, cost: cost)
            return cost
        }

        private func submit(_ batch: [(ReplayRequest, Money?)]) {
            guard !batch.isEmpty else { return }
            let work = UncheckedBox((engine, batch))
            pipeline.submit { work.value.0.process(work.value.1) }
        }

        private func submit(_ rows: [(SweepRow, Money?)]) {
            guard !rows.isEmpty else { return }
            let work = UncheckedBox((engine, rows))
            pipeline.submit { work.value.0.process(rows: work.value.1) }
        }

        mutating func finish() {
            submit(batch)
            submit(rows)
            batch = []
            rows = []
            pipeline.drain()
            engine.baseline = baseline
            engine.tally = tally
        }
    }

    /// Runs the replay of each batch in order on one background thread (and, through ``process(_:)``, on one worker
    /// per group), at most `depth` batches waiting or running: reading and pricing the next batch overlaps with
    /// replaying this one. Only that thread touches the groups until ``drain()``, so results do not depend on timing.
    final class BatchPipeline: Sendable {
        private let queue = DispatchQueue(label: "costreplay.replay")
        private let slots: DispatchSemaphore
        private let depth: Int

        init(depth: Int = 2) {
            self.depth = depth
            slots = DispatchSemaphore(value: depth)
        }

        func submit(_ work: @escaping @Sendable () -> Void) {
            slots.wait()
            queue.async { [slots] in
                work()
                slots.signal()
            }
        }

        /// Returns once every submitted batch has been replayed.
        func drain() {
            for _ in 0..<depth { slots.wait() }
            for _ in 0..<depth { slots.signal() }
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
        forEachGroup { $0.process(batch) }
    }

    /// ``process(_:)`` of rows (``readsSweepRows``): only capacity sweeps read them.
    func process(rows: [(SweepRow, Money?)]) {
        forEachGroup { $0.processSweeps(rows) }
    }

    private func forEachGroup(_ body: (ChainGroup) -> Void) {
        if groups.count == 1 { return body(groups[0]) }
        let shared = UncheckedBox(groups)
        withoutActuallyEscaping(body) { body in
            let work = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: groups.count) { work.value(shared.value[$0]) }
        }
    }

    /// Whether every chain is a member of a capacity sweep replayed as one unit: then the replay reads ``SweepRow``s,
    /// which hold all such a replay uses (a sharded replay filters on fields rows do not keep).
    var readsSweepRows: Bool {
        options.readsSweepRows && options.shard == nil && !groups.isEmpty
            && groups.allSatisfy { $0.chains.isEmpty && !$0.sweepGroups.isEmpty }
    }
}

/// A set of chains one worker thread owns, replayed through the trie of their steps.
final class ChainGroup: @unchecked Sendable {
    /// One strategy instance shared by every chain whose path runs through it.
    struct Node {
        var strategy: any ReplayStrategy
        var depth: Int
        /// The chains whose last step this is.
        var ends: [Int] = []
    }

    /// Depth first: a node's parent is the last node before it one level up.
    var nodes: [Node]
    var chains: [ReplayEngine.Chain]
    let pricer: Pricer
    let plans: [ScenarioPlan]
    let models: ModelNames
    let explainID: String?
    let bootstrapBySession: Bool
    /// Chains without steps: every request reaches them unchanged.
    private let unchanged: [Int]
    var explained: [String: [LedgerEntry]] = [:]
    /// Capacity sweeps replayed as one unit each (``CapacitySweepGroup``); their chains are not in `chains`.
    var sweepGroups: [CapacitySweepGroup] = []

    init(nodes: [Node], chains: [ReplayEngine.Chain], pricer: Pricer, plans: [ScenarioPlan], models: ModelNames, explainID: String?,
         bootstrapBySession: Bool) {
        var chains = chains
        // An explained request needs every point's ledger, which only the per-chain path writes.
        if explainID == nil {
            sweepGroups = CapacitySweepGroup.take(from: &chains, pricer: pricer, bootstrapBySession: bootstrapBySession)
        }
        // The nodes of the chains a sweep group took (roots no other chain runs through) leave the trie.
        let used = Set(chains.flatMap(\.path))
        let kept = nodes.indices.filter(used.contains)
        let renumbered = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1, $0) })
        self.nodes = kept.map { nodes[$0] }
        for index in chains.indices {
            chains[index].path = chains[index].path.map { renumbered[$0]! }
            if let last = chains[index].path.last { self.nodes[last].ends.append(index) }
        }
        self.chains = chains
        self.unchanged = chains.indices.filter { chains[$0].path.isEmpty }
        self.pricer = pricer
        self.plans = plans
        self.models = models
        self.explainID = explainID
        self.bootstrapBySession = bootstrapBySession
    }

    /// Lets every strategy settle, then gives each chain its strategies as they ended and their fixed costs.
    func finish() {
        for index in sweepGroups.indices { sweepGroups[index].finish(models) }
        for node in nodes.indices { nodes[node].strategy.finish() }
        for index in chains.indices {
            chains[index].blocks.flush()
            chains[index].daily.flush()
            chains[index].byModelDaily.flush(models)
            chains[index].baselineByModelDaily.flush(models)
            chains[index].strategies = chains[index].path.map { nodes[$0].strategy }
            for strategy in chains[index].strategies {
                let fixed = strategy.fixedCost
                chains[index].totals.cost += fixed
                chains[index].totals.fixedCost += fixed
            }
        }
    }

    /// Replays a batch through the capacity sweeps replayed as one unit.
    func processSweeps<Request: SweepInput>(_ batch: [(Request, Money?)]) {
        // Moved to a local for the batch: a class's stored array is checked for exclusive access at every use.
        var sweepGroups = self.sweepGroups
        self.sweepGroups = []
        defer { self.sweepGroups = sweepGroups }
        for index in sweepGroups.indices { sweepGroups[index].process(batch) }
    }

    func process(_ batch: [(ReplayRequest, Money?)]) {
        processSweeps(batch)
        guard !chains.isEmpty else { return }
        // Nodes and chains move to locals for the batch: a class's stored array would be checked for exclusive access
        // at every element access, which costs as much as a cache lookup.
        var nodes = self.nodes, chains = self.chains
        self.nodes = []
        self.chains = []
        defer {
            self.nodes = nodes
            self.chains = chains
        }
        let requests = batch.map(\.0)
        for node in nodes.indices { nodes[node].strategy.prepare(requests) }
        let height = (nodes.map(\.depth).max() ?? -1) + 1
        // The request as it leaves each level of the current path, and (only for the explained request) its ledger.
        var states: [ReplayRequest] = []
        var ledgers = Array(repeating: Ledger(recording: false), count: height)
        for (original, base) in batch {
            let explain = explainID == original.id
            if states.isEmpty { states = Array(repeating: original, count: height) }
            for index in unchanged { account(original, base: base, final: original, ledger: Ledger(recording: explain), chain: &chains[index]) }
            for node in nodes.indices {
                let depth = nodes[node].depth
                states[depth] = depth == 0 ? original : states[depth - 1]
                ledgers[depth] = depth == 0 ? Ledger(recording: explain) : ledgers[depth - 1]
                // A served request goes no further down the list.
                if states[depth].served == nil { nodes[node].strategy.apply(&states[depth], ledger: &ledgers[depth]) }
                for index in nodes[node].ends {
                    account(original, base: base, final: states[depth], ledger: ledgers[depth], chain: &chains[index])
                }
            }
        }
    }

    /// The bootstrap block of a request: its UTC day, or its session (by trace or id when it has none).
    func blockKey(_ request: ReplayRequest) -> Int64 {
        if bootstrapBySession { return request.sessionBlock }
        return Timestamp.floorDiv(request.startMicros, 86_400_000_000)
    }

    /// Adds one request, as the chain's last step left it, to the chain's sums.
    func account(_ original: ReplayRequest, base: Money?, final request: ReplayRequest, ledger: Ledger,
                 chain: inout ReplayEngine.Chain) {
        let isCall = original.kind == .llm
        let cost: Money?
        if isCall && request.pricesAsRecorded {
            cost = base
        } else if let served = request.served {
            cost = served.cost + request.extraCost
        } else if isCall {
            cost = pricer.cost(request.pricingInput).map { $0 + request.extraCost }
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
        if ledger.isRecording && chain.role == .full {
            var entries = ledger.entries
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
        guard let served = request.served else { return addAsRecorded(usage: request.usage, baseCost: baseCost, cost: cost) }
        servedRequests += 1
        latencySavedMs += Double(max(0, (request.latencyMicros ?? 0) - served.latencyMicros)) / 1000
        addPriced(baseCost: baseCost, cost: cost)
    }

    /// A model call sent to the provider with its recorded tokens.
    mutating func addAsRecorded(usage: TokenUsage?, baseCost: Money?, cost: Money?) {
        if let usage {
            inputTokens += usage.input
            cacheReadTokens += usage.cacheRead
            cacheWriteTokens += usage.cacheWrite5m + usage.cacheWrite1h
            outputTokens += usage.output
        }
        addPriced(baseCost: baseCost, cost: cost)
    }

    private mutating func addPriced(baseCost: Money?, cost: Money?) {
        requests += 1
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
    /// Chains whose first steps are the same strategies with the same parameters share those strategy instances; false
    /// gives every chain its own. The documents are the same either way (tested); the switch exists to compare the two.
    public var sharedChainPrefixes = true
    /// A replay made only of capacity sweeps reads plain rows of the fields it uses instead of whole records
    /// (``SweepRow``); false reads records. The documents are the same either way (tested).
    public var readsSweepRows = true
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
