import ArgumentParser
import CostReplayCore
import Foundation

/// The committed baseline: a result document of the current configuration and the prices it used.
struct BaselineDocument: Codable {
    var version = "costreplay.baseline/1"
    var pricesDigest: String
    var result: ReplayResult
    /// The catalog the baseline was priced with (nil in baselines written before catalogs were versioned).
    var catalog: CatalogInfo?
    /// The configuration's scenario text, so `check` can replay it at new prices; nil: the traffic as recorded.
    var scenario: String?
    /// The scenario point of that text the baseline holds (`--point`); nil in baselines written before it was
    /// recorded, whose result holds the text's first point.
    var point: String?

    static func read(_ path: String) throws -> BaselineDocument {
        let data: Data
        do { data = Data(try BoundedFile.bytes(path: path, limit: 512 << 20, what: "baseline")) } catch {
            throw CommandFailure(message: "error: cannot read baseline \(error)")
        }
        do {
            let document = try JSONDecoder().decode(BaselineDocument.self, from: data)
            guard document.version == "costreplay.baseline/1" else {
                throw CommandFailure(message: "error: baseline \(path) has version \(document.version); expected costreplay.baseline/1")
            }
            guard document.result.scenarios.first?.daily != nil else {
                throw CommandFailure(message: "error: baseline \(path) has no daily costs; recreate it with `costreplay baseline create`")
            }
            if let problem = GateInputs.baselineProblem(document.result) {
                throw CommandFailure(message: "error: baseline \(path): \(problem.field) \(problem.reason); `costreplay baseline create` never writes that, "
                                     + "so the baseline is refused (edited or damaged?)")
            }
            try GateInputs.wholeTrace(document.result, in: "baseline \(path)")
            return document
        } catch let failure as CommandFailure {
            throw failure
        } catch let error as GateInputError {
            throw CommandFailure(message: "error: \(error)")
        } catch let error as DecodingError {
            throw CommandFailure(message: "error: baseline \(path) is not a CostReplay baseline document (\(ResultFile.describe(error)))")
        } catch {
            throw CommandFailure(message: "error: baseline \(path) is not a CostReplay baseline document (\(error))")
        }
    }
}

/// Replays a scenario file (or the trace as recorded) and returns its first scenario's result.
enum GateReplay {
    static let asRecorded = "scenarios: [{name: current, strategies: []}]"

    /// Loads the scenario file (or the traffic as recorded) with only the chosen point, which must be named when
    /// the file has several.
    static func load(scenario: String?, point: String?, catalog: PriceCatalog) throws -> ScenarioFile {
        do {
            let file = try scenario.map { try ScenarioLoader.load(path: $0, catalog: catalog) } ?? ScenarioLoader.parse(text: asRecorded, path: "(as recorded)")
            return try only(point, of: file, source: scenario ?? "the traffic as recorded")
        } catch let failure as CommandFailure { throw failure } catch { throw CommandFailure(message: "error: \(error)") }
    }

    /// The file with only the chosen point.
    static func only(_ point: String?, of file: ScenarioFile, source: String) throws -> ScenarioFile {
        var file = file
        do { file.plans = [file.plans[try GateInputs.point(point, labels: file.plans.map(\.label), in: source)]] } catch {
            throw CommandFailure(message: "error: \(error)")
        }
        return file
    }

    /// The result with only the chosen point, refused when it is a shard's.
    static func only(_ point: String?, of result: ReplayResult, source: String) throws -> ReplayResult {
        var result = result
        do {
            try GateInputs.wholeTrace(result, in: source)
            result.scenarios = [result.scenarios[try GateInputs.point(point, labels: result.scenarios.map(\.label), in: source)]]
        } catch { throw CommandFailure(message: "error: \(error)") }
        return result
    }

    static func run(store: TraceStore, path: String, file: ScenarioFile, catalog: PriceCatalog) throws -> ReplayResult {
        var options = ReplayOptions()
        options.bootstrapResamples = 0
        do { return try Simulation(scenarioFile: file, pricer: Pricer(catalog: catalog), options: options).run(store: store, databasePath: path).0 } catch {
            throw CommandFailure(message: "error: \(error)")
        }
    }

    static func digest(_ catalog: PriceCatalog) -> String { StableHash.hex(catalog.sources.joined(separator: "\n")) }
}

struct Baseline: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage the committed cost baseline.", subcommands: [Create.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the baseline document: the current configuration's cost over the recorded traffic, with its prices digest.",
            discussion: "Example:\n  costreplay baseline create --scenario scenarios/current.yaml --out .costreplay/baseline.json")

        @OptionGroup var store: StoreOptions
        @OptionGroup var prices: PriceOptions
        @Option(help: "The current configuration (default: the traffic as recorded).") var scenario: String?
        @Option(help: "The scenario point to keep, by label, when the scenario file (or --result) has several.") var point: String?
        @Option(help: "Where to write the baseline.") var out: String
        @Option(help: "Wrap this result document (e.g. merged from Spark partitions, docs/spark.md) instead of replaying the store.")
        var result: String?

        func run() throws {
            let catalog = try prices.catalog()
            let result: ReplayResult
            if let path = self.result {
                do { result = try GateReplay.only(point, of: try ResultFile.read(path: path), source: path) } catch let error as SimulationError {
                    throw CommandFailure(message: "error: \(error)")
                }
                guard let daily = result.scenarios.first?.daily, !daily.isEmpty else {
                    throw CommandFailure(message: "error: \(path) has no daily costs; replay it with this version of costreplay")
                }
            } else {
                let file = try GateReplay.load(scenario: scenario, point: point, catalog: catalog)
                result = try GateReplay.run(store: try store.openExisting(), path: store.path, file: file, catalog: catalog)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            var text: String?
            if let scenario {
                do { text = try ScenarioLoader.load(path: scenario, catalog: catalog).text } catch { throw CommandFailure(message: "error: \(error)") }
            }
            let document = BaselineDocument(pricesDigest: GateReplay.digest(catalog), result: result, catalog: catalog.info, scenario: text,
                                            point: text == nil ? nil : result.scenarios.first?.label)
            try writeOutput(try encoder.encode(document), to: out, kind: .json, inputs: [self.result ?? store.path] + (scenario.map { [$0] } ?? []) + prices.priceFiles)
            Console.out("baseline: \(result.scenarios.first?.label ?? "?") costs \(MoneyFormat.human(result.scenarios.first?.totals.cost ?? .zero)) over the replayed traffic; written to \(out)\n"
                        + CatalogInfo.footer(catalog.info))
        }
    }
}
