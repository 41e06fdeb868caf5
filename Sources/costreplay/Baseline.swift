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
            return document
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(message: "error: baseline \(path) is not a CostReplay baseline document (\(error is DecodingError ? "malformed JSON or missing fields" : "\(error)"))")
        }
    }
}

/// Replays a scenario file (or the trace as recorded) and returns its first scenario's result.
enum GateReplay {
    static let asRecorded = "scenarios: [{name: current, strategies: []}]"

    static func run(store: TraceStore, path: String, scenario: String?, catalog: PriceCatalog) throws -> ReplayResult {
        let file: ScenarioFile
        do {
            file = try scenario.map { try ScenarioLoader.load(path: $0, catalog: catalog) } ?? ScenarioLoader.parse(text: asRecorded, path: "(as recorded)")
        } catch { throw CommandFailure(message: "error: \(error)") }
        return try run(store: store, path: path, file: file, catalog: catalog)
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
        @Option(help: "Where to write the baseline.") var out: String
        @Option(help: "Wrap this result document (e.g. merged from Spark partitions, docs/spark.md) instead of replaying the store.")
        var result: String?

        func run() throws {
            let catalog = try prices.catalog()
            let result: ReplayResult
            if let path = self.result {
                do { result = try ResultFile.read(path: path) } catch { throw CommandFailure(message: "error: \(error)") }
                guard result.scenarios.first?.daily != nil else {
                    throw CommandFailure(message: "error: \(path) has no daily costs; replay it with this version of costreplay")
                }
            } else {
                result = try GateReplay.run(store: try store.openExisting(), path: store.path, scenario: scenario, catalog: catalog)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            var text: String?
            if let scenario {
                do { text = try ScenarioLoader.load(path: scenario, catalog: catalog).text } catch { throw CommandFailure(message: "error: \(error)") }
            }
            let document = BaselineDocument(pricesDigest: GateReplay.digest(catalog), result: result, catalog: catalog.info, scenario: text)
            try writeOutput(try encoder.encode(document), to: out, kind: .json, inputs: [self.result ?? store.path] + (scenario.map { [$0] } ?? []) + prices.priceFiles)
            Console.out("baseline: \(result.scenarios.first?.label ?? "?") costs \(MoneyFormat.human(result.scenarios.first?.totals.cost ?? .zero)) over the replayed traffic; written to \(out)\n"
                        + CatalogInfo.footer(catalog.info))
        }
    }
}
