import ArgumentParser
import CostReplayCore
import Foundation

/// Options shared by `simulate` and `explain`.
struct ReplayArguments: ParsableArguments {
    @Option(help: "Scenario file (YAML, docs/scenarios.md).") var scenario: String
    @Option(help: "Random seed; the same seed gives the same result, byte for byte.") var seed: UInt64 = 42
    @Option(help: "Refuse sweeps that expand to more points than this.") var maxPoints = 200
    @Option(help: "Replay only shard I of N, e.g. 0/4; combine the documents with `costreplay merge`.") var shard: String?
    @Option(help: "Partition key for --shard: tenant, user or session.") var shardBy: ShardKey = .tenant
    @Option(help: "Bootstrap resamples for the 95% intervals; 0 turns them off.") var bootstrap = 1000
    @Option(help: "Resample whole days or whole sessions: day or session.") var bootstrapBy = "day"

    func load(catalog: PriceCatalog) throws -> ScenarioFile {
        do { return try ScenarioLoader.load(path: scenario, maxPoints: maxPoints, catalog: catalog) } catch {
            throw CommandFailure(message: "error: \(error)")
        }
    }

    func options(window: TraceStore.TimeWindow) throws -> ReplayOptions {
        var options = ReplayOptions()
        options.seed = seed
        options.window = window
        guard bootstrap >= 0 else { throw CommandFailure(message: "error: --bootstrap must be 0 or more") }
        options.bootstrapResamples = bootstrap
        guard ["day", "session"].contains(bootstrapBy) else { throw CommandFailure(message: "error: --bootstrap-by must be day or session") }
        options.bootstrapBySession = bootstrapBy == "session"
        if let shard {
            let parts = shard.split(separator: "/").compactMap { Int($0) }
            guard parts.count == 2, parts[1] > 0, parts[0] >= 0, parts[0] < parts[1] else {
                throw CommandFailure(message: "error: --shard \"\(shard)\" must be I/N with 0 ≤ I < N")
            }
            options.shard = ShardFilter(index: parts[0], count: parts[1], key: shardBy)
        }
        return options
    }
}

extension ShardKey: ExpressibleByArgument {}

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay the stored traffic through the scenarios of a scenario file.",
        discussion: """
            Prints baseline and each scenario point (requests, cost, savings, hit rates) and writes the versioned result \
            document result.json and tidy CSV (scenarios.csv, levers.csv, metrics.csv) to --out.

            Example:
              costreplay simulate --scenario scenarios/caching.yaml --out reports/caching
              costreplay simulate --scenario scenarios/caching.yaml --shard 0/4 --out shard0
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var prices: PriceOptions
    @OptionGroup var window: WindowOptions
    @OptionGroup var replay: ReplayArguments
    @Option(help: "Directory for result.json and the CSV files.") var out: String?
    @Option(help: "table or json.") var format: OutputFormat = .table
    @Option(help: "Also write a self-contained HTML report here.") var html: String?

    func run() throws {
        let inputs = [store.path, replay.scenario] + prices.priceFiles
        if let html { try checkOutput(html, kind: .html, inputs: inputs) }
        if let out { try ResultWriter.check(out, inputs: inputs) }
        let catalog = try prices.catalog()
        let file = try replay.load(catalog: catalog)
        let opened = try store.openExisting()
        let simulation = Simulation(scenarioFile: file, pricer: Pricer(catalog: catalog),
                                    options: try replay.options(window: try window.window()))
        let result: ReplayResult
        do { result = try simulation.run(store: opened, databasePath: store.path).0 } catch let error as SimulationError {
            throw CommandFailure(message: "error: \(error)")
        }
        if let out { try ResultWriter.write(result, to: out, inputs: inputs) }
        if let html { try writeOutput(HTMLReport.render(result), to: html, kind: .html, inputs: inputs) }
        Console.out(format == .json ? String(decoding: try ResultFile.encode(result), as: UTF8.self) + "\n"
                    : ReplayResultRenderer.table(result))
    }
}
