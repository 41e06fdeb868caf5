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
        var result = try engine.run(store: store, inputs: inputs(database: databasePath))
        result.store = try health(store: store, window: options.window)
        return (result, engine.explained)
    }

    /// Replays canonical JSONL read from a stream (`simulate --stdin`) in one pass: the same document as ingesting
    /// the same lines and replaying the store, but for `inputs.database`, which names the stream.
    ///
    /// An empty stream (or window) is refused like an empty store, except for a part of a split input
    /// (`options.shard` with `filters` off), where an empty part is a valid, zero document to merge.
    public func run(stream: CanonicalStream) throws -> ReplayResult {
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
    case mergeMismatch(String)
    case unreadableResult(path: String, reason: String)

    public var description: String {
        switch self {
        case .emptyStore(let path): return "database \(path) holds no requests; ingest a trace first"
        case let .emptyWindow(path, from, to):
            return "database \(path) holds no requests starting between \(from ?? "the first") and \(to ?? "the last"); check --from and --to"
        case let .emptyStream(name, read, rejected, windowed):
            return "\(name) gave no request to replay (\(read) records read, \(rejected) rejected\(windowed ? ", none inside --from/--to" : ""))"
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
}
