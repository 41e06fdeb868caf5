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
        let engine = ReplayEngine(plans: scenarioFile.plans, pricer: pricer, options: options)
        let inputs = ReplayResult.Inputs(
            database: databasePath,
            window: .init(from: options.window.from.map(Timestamp.iso), to: options.window.to.map(Timestamp.iso)),
            seed: options.seed,
            shard: options.shard.map { .init(key: $0.key, indices: [$0.index], count: $0.count) },
            scenarioFile: scenarioFile.path, scenarioDigest: StableHash.hex(scenarioFile.text),
            priceSources: pricer.catalog.sources, catalog: pricer.catalog.info)
        var result = try engine.run(store: store, inputs: inputs)
        // Rejected records, billed-versus-computed gap and unpriced models of the window, from the replay's own pass.
        result.store = engine.tally.health(rejectedRecords: Int(store.rejectCount))
        return (result, engine.explained)
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
            return result
        } catch let error as SimulationError {
            throw error
        } catch let error as DecodingError {
            throw SimulationError.unreadableResult(path: path, reason: ResultFile.describe(error))
        }
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
