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
        let (plans, choices) = try resolveAutoServers(store: store)
        let engine = ReplayEngine(plans: plans, pricer: pricer, options: options)
        let inputs = ReplayResult.Inputs(
            database: databasePath,
            window: .init(from: options.window.from.map(Timestamp.iso), to: options.window.to.map(Timestamp.iso)),
            seed: options.seed,
            shard: options.shard.map { .init(key: $0.key, indices: [$0.index], count: $0.count) },
            scenarioFile: scenarioFile.path, scenarioDigest: StableHash.hex(scenarioFile.text),
            priceSources: pricer.catalog.sources, catalog: pricer.catalog.info)
        var result = try engine.run(store: store, inputs: inputs)
        result.diagnostics += choices
        // Rejected records, billed-versus-computed gap and unpriced models of the window, from the replay's own pass.
        result.store = engine.tally.health(rejectedRecords: Int(store.rejectCount))
        return (result, engine.explained)
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
            let servers = Int(counters["auto_servers"] ?? 0)
            plans[auto.plan].steps[auto.step].parameters.values["servers"] = .number(Double(servers))
            let nets = LocalGPU.autoCandidates.compactMap { count in counters["auto_net_usd:\(count)"].map { (count, $0) } }
                .prefix { $0.0 <= max(servers, 1) * 2 }
                .map { "\($0.0): \(MoneyFormat.human(Money(dollars: $0.1)))" }.joined(separator: ", ")
            choices.append("\(plans[auto.plan].label): local_gpu servers: auto chose \(servers)"
                + (servers == 0 ? " (no count saves money on this traffic)" : "")
                + "; net saving over the replayed span by server count: \(nets)")
        }
        return (plans, choices)
    }
}

/// Errors that stop a simulation before or while it runs.
public enum SimulationError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptyStore(String)
    case emptyWindow(String, from: String?, to: String?)
    case mergeMismatch(String)
    case unreadableResult(path: String, reason: String)

    public var description: String {
        switch self {
        case .emptyStore(let path): return "database \(path) holds no requests; ingest a trace first"
        case let .emptyWindow(path, from, to):
            return "database \(path) holds no requests starting between \(from ?? "the first") and \(to ?? "the last"); check --from and --to"
        case .mergeMismatch(let reason): return "cannot merge: \(reason)"
        case let .unreadableResult(path, reason): return "\(path): not a CostReplay result document (\(reason))"
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
            if let problem = implausible(result) { throw SimulationError.unreadableResult(path: path, reason: problem) }
            return result
        } catch let error as SimulationError {
            throw error
        } catch let error as DecodingError {
            throw SimulationError.unreadableResult(path: path, reason: ResultFile.describe(error))
        }
    }

    /// What no replay writes: negative costs, counts or tokens, compared requests beyond the requests, non-finite
    /// figures. A document edited by hand or damaged is refused rather than reported or forecast from.
    static func implausible(_ result: ReplayResult) -> String? {
        func check(_ t: Totals, _ name: String) -> String? {
            if t.baselineCost.femtos < 0 { return "\(name).baselineCost is negative" }
            if t.cost.femtos < 0 { return "\(name).cost is negative" }
            if t.fixedCost.femtos < 0 { return "\(name).fixedCost is negative" }
            if [t.requests, t.comparedRequests, t.unpricedRequests, t.spans, t.servedRequests].contains(where: { $0 < 0 }) {
                return "\(name) has a negative count"
            }
            if [t.inputTokens, t.cacheReadTokens, t.cacheWriteTokens, t.outputTokens].contains(where: { $0 < 0 }) {
                return "\(name) has a negative token count"
            }
            if t.comparedRequests > t.requests { return "\(name).comparedRequests exceeds its requests" }
            if !t.latencySavedMs.isFinite { return "\(name).latencySavedMs is not finite" }
            return nil
        }
        if let problem = check(result.baseline, "baseline") { return problem }
        for scenario in result.scenarios {
            if let problem = check(scenario.totals, "scenario '\(scenario.label.prefix(60))'") { return problem }
        }
        return nil
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case let .keyNotFound(key, context): return "missing '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case let .dataCorrupted(context): return context.debugDescription
        @unknown default: return "\(error)"
        }
    }

    /// Combines shard documents of one scenario file into one.
    public static func merge(_ parts: [ReplayResult]) throws -> ReplayResult {
        guard var merged = parts.first else { throw SimulationError.mergeMismatch("no documents") }
        var indices = Set(merged.inputs.shard?.indices ?? [])
        for part in parts.dropFirst() {
            guard part.inputs.scenarioDigest == merged.inputs.scenarioDigest else {
                throw SimulationError.mergeMismatch("the documents come from different scenario files")
            }
            guard part.scenarios.map(\.label) == merged.scenarios.map(\.label) else {
                throw SimulationError.mergeMismatch("the documents have different scenario points")
            }
            guard let shard = part.inputs.shard, let mine = merged.inputs.shard, shard.count == mine.count, shard.key == mine.key else {
                throw SimulationError.mergeMismatch("only shards of one --shard I/N run can be merged")
            }
            guard indices.isDisjoint(with: shard.indices) else {
                throw SimulationError.mergeMismatch("shard \(shard.indices.map(String.init).joined(separator: ",")) appears twice")
            }
            indices.formUnion(shard.indices)
            merged.baseline = merged.baseline + part.baseline
            for index in merged.scenarios.indices {
                let other = part.scenarios[index]
                merged.scenarios[index].totals = merged.scenarios[index].totals + other.totals
                for (strategy, counters) in other.metrics {
                    merged.scenarios[index].metrics[strategy, default: [:]].merge(counters, uniquingKeysWith: +)
                }
                for lever in merged.scenarios[index].waterfall.indices {
                    merged.scenarios[index].waterfall[lever].costBefore += other.waterfall[lever].costBefore
                    merged.scenarios[index].waterfall[lever].costAfter += other.waterfall[lever].costAfter
                }
                for lever in merged.scenarios[index].alone.indices {
                    merged.scenarios[index].alone[lever].costBefore += other.alone[lever].costBefore
                    merged.scenarios[index].alone[lever].costAfter += other.alone[lever].costAfter
                }
            }
            merged.diagnostics = Array(Set(merged.diagnostics + part.diagnostics)).sorted()
        }
        merged.inputs.shard?.indices = indices.sorted()
        for index in merged.scenarios.indices {
            // Days straddle shards, so per-shard bootstrap intervals cannot be combined; rates can.
            merged.scenarios[index].intervals = nil
            merged.scenarios[index].daily = nil
            merged.scenarios[index].byModelDaily = nil
            merged.scenarios[index].baselineByModelDaily = nil
            merged.scenarios[index].rates = RateIntervals.of(merged.scenarios[index].metrics)
        }
        if let shard = merged.inputs.shard, indices.count < shard.count {
            merged.diagnostics.append("merged \(indices.count) of \(shard.count) shards; the missing ones are not counted")
        }
        return merged
    }
}
