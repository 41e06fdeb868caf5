import ArgumentParser
import CostReplayCore
import Foundation

/// What the bootstrap resamples whole.
enum BootstrapUnit: String, ExpressibleByArgument, CaseIterable {
    case day, session
}

/// Options shared by `simulate` and `explain`.
struct ReplayArguments: ParsableArguments {
    @Option(help: "Scenario file (YAML, docs/scenarios.md).") var scenario: String
    @Option(parsing: .unconditional, help: "Random seed; the same seed gives the same result, byte for byte.") var seed: UInt64 = 42
    @Option(parsing: .unconditional, help: "Refuse sweeps that expand to more points than this.") var maxPoints = 200
    @Option(help: "Replay only shard I of N, e.g. 0/4; combine the documents with `costreplay merge`.") var shard: String?
    @Option(help: "Partition key for --shard: tenant, user or session.") var shardBy: ShardKey = .tenant
    @Option(parsing: .unconditional, help: "Bootstrap resamples for the 95% intervals; 0 turns them off.") var bootstrap = 1000
    @Option(help: "Resample whole days or whole sessions.") var bootstrapBy: BootstrapUnit = .day

    func load(catalog: PriceCatalog) throws -> ScenarioFile {
        do { return try ScenarioLoader.load(path: scenario, maxPoints: maxPoints, catalog: catalog) } catch {
            throw CommandFailure(message: "error: \(error)")
        }
    }

    func options(window: TraceStore.TimeWindow) throws -> ReplayOptions {
        var options = ReplayOptions()
        options.seed = seed
        options.window = window
        guard (0...100_000).contains(bootstrap) else { throw CommandFailure(message: "error: --bootstrap is from 0 to 100,000 resamples") }
        options.bootstrapResamples = bootstrap
        options.bootstrapBySession = bootstrapBy == .session
        if let shard {
            let (index, count) = try Self.parseShard(shard, option: "shard")
            options.shard = ShardFilter(index: index, count: count, key: shardBy)
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
              costreplay export | costreplay simulate --stdin --scenario scenarios/caching.yaml --format json
              … | costreplay simulate --stdin --part 2/8 --shard-by session --scenario S --format json   (docs/spark.md)
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var prices: PriceOptions
    @OptionGroup var window: WindowOptions
    @OptionGroup var replay: ReplayArguments
    @Option(help: "Directory for result.json and the CSV files.") var out: String?
    @Option(help: "table or json.") var format: OutputFormat = .table
    @Option(help: "Also write a self-contained HTML report here.") var html: String?
    @OptionGroup var input: StdinOptions
    @Option(help: "With --stdin: standard input is part I of N of a trace split by --shard-by elsewhere (Spark); nothing is filtered out; combine the documents with `costreplay merge`.")
    var part: String?

    func run() throws {
        let inputs = (input.stdin ? [] : [store.path]) + [replay.scenario] + prices.priceFiles
        if let html { try checkOutput(html, kind: .html, inputs: inputs) }
        if let out { try ResultWriter.check(out, inputs: inputs) }
        let catalog = try prices.catalog()
        let file = try replay.load(catalog: catalog)
        var options = try replay.options(window: try window.window())
        if let part {
            guard input.stdin, replay.shard == nil else { throw CommandFailure(message: "error: --part needs --stdin and excludes --shard") }
            let (index, count) = try ReplayArguments.parseShard(part, option: "part")
            options.shard = ShardFilter(index: index, count: count, key: replay.shardBy, filters: false)
        }
        let simulation = Simulation(scenarioFile: file, pricer: Pricer(catalog: catalog), options: options)
        let result: ReplayResult
        do {
            if let stream = input.stream(window: options.window) {
                result = try StdinOptions.reading(stream) { try simulation.run(stream: stream) }
            } else {
                result = try simulation.run(store: try store.openExisting(), databasePath: store.path).0
            }
        } catch let error as SimulationError {
            throw CommandFailure(message: "error: \(error)")
        }
        if let out { try ResultWriter.write(result, to: out, inputs: inputs) }
        if let html { try writeOutput(HTMLReport.render(result), to: html, kind: .html, inputs: inputs) }
        Console.out(format == .json ? String(decoding: try ResultFile.encode(result), as: UTF8.self) + "\n"
                    : ReplayResultRenderer.table(result))
    }
}
