import Foundation

/// Runs a scenario file against a store: the library side of `costreplay simulate` and `explain`.
public struct Simulation {
    public var scenarioFile: ScenarioFile
    public var pricer: Pricer
    public var options: ReplayOptions

    public init(scenarioFile: ScenarioFile, pricer: Pricer, options: ReplayOptions) {
        self.scenarioFile = scenarioFile
        self.pricer = pricer
        self.options = options
    }

    /// Replays and returns the result document (and the ledger of `options.explainID`, if set).
    public func run(store: TraceStore, databasePath: String) throws -> (ReplayResult, [String: [LedgerEntry]]) {
        guard store.requestCount > 0 else { throw SimulationError.emptyStore(databasePath) }
        if options.window.from != nil || options.window.to != nil, store.requestCount(in: options.window) == 0 {
            throw SimulationError.emptyWindow(databasePath, from: options.window.from.map(Timestamp.iso), to: options.window.to.map(Timestamp.iso))
        }
        // Stored embedding sets that semantic caches name, loaded once for the probe and the replay.
        var simulation = self
        for name in SemanticCache.storedSetNames(scenarioFile.plans).sorted() where options.embeddings[name] == nil {
            do { simulation.options.embeddings[name] = try StoredEmbeddings(store: store, name: name) } catch let error as EmbeddingError {
                // Name the scenario line that asks for the set (the parameters keep no lines once loaded).
                let lines = scenarioFile.text.split(separator: "\n", omittingEmptySubsequences: false)
                let line = lines.firstIndex { $0.contains("embedding") && $0.contains(name) }.map { $0 + 1 } ?? 0
                throw SimulationError.embeddings("\(scenarioFile.path):\(line): 'embedding': \(error.description)")
            }
        }
        let (plans, choices) = try simulation.resolveAutoServers(store: store)
        let engine = ReplayEngine(plans: plans, pricer: pricer, options: simulation.options)
        var result = try engine.run(store: store, inputs: inputs(database: databasePath))
        result.diagnostics += choices + (try simulation.unmatchedTags(store: store))
        // Rejected records, billed-versus-computed gap and unpriced models of the window, from the replay's own pass.
        result.store = engine.tally.health(rejectedRecords: Int(store.rejectCount))
        return (result, engine.explained)
    }

    /// Never a silent $0 from a typo: a lever limited to tags that no request in the window carries changes nothing,
    /// and the document says so (one sentence per lever and tag list).
    func unmatchedTags(store: TraceStore) throws -> [String] {
        let filters = scenarioFile.plans.flatMap { plan in
            plan.steps.compactMap { step -> (String, [String])? in
                guard case .list(let tags)? = step.parameters.values["tags"], !tags.isEmpty else { return nil }
                return (step.strategy, tags)
            }
        }
        guard !filters.isEmpty else { return [] }
        let present = try store.distinctTags(in: options.window)
        var lines: [String] = []
        for (strategy, tags) in filters where !tags.contains(where: present.contains) {
            let line = "\(strategy): no request in the replayed window carries any of its tags (\(tags.joined(separator: ", "))), so it changed nothing"
            if !lines.contains(line) { lines.append(line) }
        }
        return lines
    }

    /// `local_gpu` with `servers: auto`: a first replay of those scenario points tries every candidate count on the
    /// same traffic (what reaches the lever after the levers before it), and the count with the largest net saving
    /// (API cost avoided less the servers' cost over the span) replaces `auto`; 0 servers when none saves anything.
    /// Returns the plans to replay and one sentence per choice for the document's diagnostics.
    func resolveAutoServers(store: TraceStore) throws -> ([ScenarioPlan], [String]) {
        var plans = scenarioFile.plans
        let autos = plans.indices.flatMap { p in
            plans[p].steps.indices.filter {
                plans[p].steps[$0].strategy == LocalGPU.name && plans[p].steps[$0].parameters.values["servers"] == .text("auto")
            }.map { (plan: p, step: $0) }
        }
        guard !autos.isEmpty else { return (plans, []) }
        let probed = Array(Set(autos.map(\.plan))).sorted()
        var probeOptions = options
        probeOptions.bootstrapResamples = 0
        probeOptions.explainID = nil
        let probe = ReplayEngine(plans: probed.map { plans[$0] }, pricer: pricer, options: probeOptions)
        let inputs = ReplayResult.Inputs(database: "", window: .init(from: nil, to: nil), seed: options.seed, shard: nil,
                                         scenarioFile: scenarioFile.path, scenarioDigest: "", priceSources: [], catalog: pricer.catalog.info)
        let result = try probe.run(store: store, inputs: inputs)
        var choices: [String] = []
        for auto in autos {
            let counters = result.scenarios[probed.firstIndex(of: auto.plan)!].metrics["\(auto.step + 1):\(LocalGPU.name)"] ?? [:]
            let servers = Int(counters[.autoServers] ?? 0)
            plans[auto.plan].steps[auto.step] = try plans[auto.plan].steps[auto.step].setting("servers", to: .number(Double(servers)),
                                                                                                context: ValidationContext(catalog: pricer.catalog))
            let nets = LocalGPU.autoCandidates.compactMap { count in counters["auto_net_usd:\(count)"].map { (count, $0) } }
                .prefix { $0.0 <= max(servers, 1) * 2 }
                .map { "\($0.0): \(MoneyFormat.human(Money(dollars: $0.1)))" }.joined(separator: ", ")
            choices.append("\(plans[auto.plan].label): local_gpu servers: auto chose \(servers)"
                + (servers == 0 ? " (no count saves money on this traffic)" : "")
                + "; net saving over the replayed span by server count: \(nets)")
        }
        return (plans, choices)
    }

    /// Replays canonical JSONL read from a stream (`simulate --stdin`) in one pass: the same document as ingesting
    /// the same lines and replaying the store, but for `inputs.database`, which names the stream.
    ///
    /// An empty stream (or window) is refused like an empty store, except for a part of a split input
    /// (`options.shard` with `filters` off), where an empty part is a valid, zero document to merge.
    public func run(stream: CanonicalStream) throws -> ReplayResult {
        // Both need the store: `servers: auto` replays twice, stored embedding sets live in it.
        if scenarioFile.plans.contains(where: { $0.steps.contains { $0.strategy == LocalGPU.name && $0.parameters.values["servers"] == .text("auto") } }) {
            throw SimulationError.needsStore("local_gpu servers: auto replays the trace twice; ingest it and simulate from the store, or give a number of servers")
        }
        if let name = SemanticCache.storedSetNames(scenarioFile.plans).sorted().first {
            throw SimulationError.needsStore("semantic_cache embedding: \(name) reads vectors stored by `costreplay embed`; simulate from that store")
        }
        let engine = ReplayEngine(plans: scenarioFile.plans, pricer: pricer, options: options)
        var tally = CostTally(pricer: pricer, by: .model)
        let source = RecordSource { body in
            try stream.forEach { record in
                tally.add(PricingRow(record))
                try body(record)
            }
        }
        var result = try engine.run(source: source, inputs: inputs(database: stream.name))
        if stream.replayed == 0 && options.shard?.filters ?? true {
            throw SimulationError.emptyStream(stream.name, read: stream.counts.read, rejected: stream.counts.rejected,
                                              windowed: options.window != TraceStore.TimeWindow())
        }
        result.store = health(tally.report(window: options.window), rejected: stream.counts.rejected)
        return result
    }

    /// The inputs section of the document.
    func inputs(database: String) -> ReplayResult.Inputs {
        ReplayResult.Inputs(
            database: database,
            window: .init(from: options.window.from.map(Timestamp.iso), to: options.window.to.map(Timestamp.iso)),
            seed: options.seed,
            shard: options.shard.map { .init(key: $0.key, indices: [$0.index], count: $0.count, presplit: $0.filters ? nil : true) },
            scenarioFile: scenarioFile.path, scenarioDigest: StableHash.hex(scenarioFile.text),
            priceSources: pricer.catalog.sources, catalog: pricer.catalog.info)
    }
}

extension Simulation {
    /// Rejected records, billed-versus-computed gap and unpriced models of the replayed window.
    func health(store: TraceStore, window: TraceStore.TimeWindow) throws -> StoreHealth {
        health(try CostCalculator(pricer: pricer).report(store: store, by: .model, window: window), rejected: Int(store.rejectCount))
    }

    func health(_ report: CostReport, rejected: Int) -> StoreHealth {
        StoreHealth(rejectedRecords: rejected, billedRequests: report.total.billedRequests,
                           billedCost: report.total.billedCost, computedOnBilled: report.total.computedOnBilled,
                           unpricedModels: report.unpriced.map { "\($0.model) (\($0.requests), \($0.reason))" })
    }
}

/// Errors that stop a simulation before or while it runs.
public enum SimulationError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptyStore(String)
    case emptyWindow(String, from: String?, to: String?)
    case emptyStream(String, read: Int, rejected: Int, windowed: Bool)
    case needsStore(String)
    case mergeMismatch(String)
    case unreadableResult(path: String, reason: String)
    case implausibleResult(path: String, field: String, reason: String)
    case embeddings(String)

    public var description: String {
        switch self {
        case .emptyStore(let path): return "database \(path) holds no requests; ingest a trace first"
        case let .emptyWindow(path, from, to):
            return "database \(path) holds no requests starting between \(from ?? "the first") and \(to ?? "the last"); check --from and --to"
        case let .emptyStream(name, read, rejected, windowed):
            return "\(name) gave no request to replay (\(read) records read, \(rejected) rejected\(windowed ? ", none inside --from/--to" : ""))"
        case .needsStore(let reason): return "cannot replay standard input: \(reason)"
        case .mergeMismatch(let reason): return "cannot merge: \(reason)"
        case let .unreadableResult(path, reason): return "\(path): not a CostReplay result document (\(reason))"
        case let .implausibleResult(path, field, reason):
            return "\(path): \(field) \(reason); no replay writes that, so the document is refused (edited or damaged?)"
        case .embeddings(let reason): return reason
        }
    }
}

/// Result documents as files.
public enum ResultFile {
    public static func encode(_ result: ReplayResult) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(result)
    }

    public static func read(path: String) throws -> ReplayResult {
        let data: Data
        do { data = Data(try BoundedFile.bytes(path: path, limit: 512 << 20, what: "result document")) } catch {
            throw SimulationError.unreadableResult(path: path, reason: error.reason)
        }
        do {
            let result = try JSONDecoder().decode(ReplayResult.self, from: data)
            guard result.version == ReplayResult.currentVersion else {
                throw SimulationError.unreadableResult(path: path, reason: "version \(result.version), expected \(ReplayResult.currentVersion)")
            }
            if let problem = ResultLimits.problem(in: result) {
                throw SimulationError.implausibleResult(path: path, field: problem.field, reason: problem.reason)
            }
            return result
        } catch let error as SimulationError {
            throw error
        } catch let error as DecodingError {
            throw SimulationError.unreadableResult(path: path, reason: ResultFile.describe(error))
        }
    }

    public static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, context): return "missing '\(jsonPath(context.codingPath + [key]))'"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return "wrong type at '\(jsonPath(context.codingPath))'"
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? context.debugDescription : "\(jsonPath(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// A coding path as a JSON path: `scenarios[0].totals.cost`.
    static func jsonPath(_ path: [any CodingKey]) -> String {
        path.reduce(into: "") { text, key in
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
    }
}
