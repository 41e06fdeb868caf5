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

    func load() throws -> ScenarioFile {
        do { return try ScenarioLoader.load(path: scenario, maxPoints: maxPoints) } catch {
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
        let file = try replay.load()
        let opened = try store.openExisting()
        let simulation = Simulation(scenarioFile: file, pricer: Pricer(catalog: try prices.catalog()),
                                    options: try replay.options(window: try window.window()))
        let result: ReplayResult
        do { result = try simulation.run(store: opened, databasePath: store.path).0 } catch let error as SimulationError {
            throw CommandFailure(message: "error: \(error)")
        }
        if let out { try ResultWriter.write(result, to: out) }
        if let html {
            do { try Data(HTMLReport.render(result).utf8).write(to: URL(fileURLWithPath: html)) } catch {
                throw CommandFailure(message: "error: cannot write \(html): \(error.localizedDescription)")
            }
        }
        Console.out(format == .json ? String(decoding: try ResultFile.encode(result), as: UTF8.self) + "\n"
                    : ReplayResultRenderer.table(result))
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List each strategy's decision about one request.",
        discussion: """
            Replays the scenario file (deterministically) and prints the ledger of REQUEST_ID for every scenario point.

            Example:
              costreplay explain syn-42-1f --scenario scenarios/caching.yaml
            """)

    @Argument(help: "The request id.") var requestID: String
    @OptionGroup var store: StoreOptions
    @OptionGroup var prices: PriceOptions
    @OptionGroup var replay: ReplayArguments

    func run() throws {
        let file = try replay.load()
        let opened = try store.openExisting()
        var options = try replay.options(window: .init())
        options.explainID = requestID
        let (_, ledgers) = try Simulation(scenarioFile: file, pricer: Pricer(catalog: try prices.catalog()), options: options)
            .run(store: opened, databasePath: store.path)
        guard !ledgers.isEmpty else { throw CommandFailure(message: "error: no request '\(requestID)' in \(store.path)", code: 1) }
        for label in file.plans.map(\.label) {
            guard let entries = ledgers[label] else { continue }
            Console.out("\(label)\n")
            for entry in entries { Console.out("  \(entry.strategy): \(entry.decision) — \(entry.detail)\n") }
        }
    }
}

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the result documents of shards into one.",
        discussion: """
            Exact for strategies scoped by the shard key (per tenant, user or session); approximate for global caches \
            (the document says which, per scenario: exactWhenSharded).

            Example:
              costreplay merge shard0/result.json shard1/result.json --out merged
            """)

    @Argument(help: "Shard result documents.") var documents: [String]
    @Option(help: "Directory for the merged result.json and CSV files.") var out: String?
    @Option(help: "table or json.") var format: OutputFormat = .table

    func run() throws {
        let merged: ReplayResult
        do { merged = try ResultFile.merge(try documents.map(ResultFile.read)) } catch let error as SimulationError {
            throw CommandFailure(message: "error: \(error)")
        }
        if let out { try ResultWriter.write(merged, to: out) }
        Console.out(format == .json ? String(decoding: try ResultFile.encode(merged), as: UTF8.self) + "\n"
                    : ReplayResultRenderer.table(merged))
    }
}

/// Writes result.json and the tidy CSV files into a directory.
enum ResultWriter {
    static func write(_ result: ReplayResult, to directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let base = URL(fileURLWithPath: directory)
            try ResultFile.encode(result).write(to: base.appendingPathComponent("result.json"))
            try Data(ReplayResultRenderer.scenariosCSV(result).utf8).write(to: base.appendingPathComponent("scenarios.csv"))
            try Data(ReplayResultRenderer.leversCSV(result).utf8).write(to: base.appendingPathComponent("levers.csv"))
            try Data(ReplayResultRenderer.metricsCSV(result).utf8).write(to: base.appendingPathComponent("metrics.csv"))
            try Data(ReplayResultRenderer.ratesCSV(result).utf8).write(to: base.appendingPathComponent("rates.csv"))
            try Data(ReplayResultRenderer.dailyCSV(result).utf8).write(to: base.appendingPathComponent("daily.csv"))
            try Data(ReplayResultRenderer.modelsDailyCSV(result).utf8).write(to: base.appendingPathComponent("models_daily.csv"))
        } catch { throw CommandFailure(message: "error: cannot write results to \(directory): \(error.localizedDescription)") }
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render a result document as self-contained HTML and tidy CSV, without replaying.",
        discussion: "Example:\n  costreplay report reports/sample-levers/result.json --html reports/sample-levers.html --csv reports/sample-levers")

    @Argument(help: "A simulate result document.") var result: String
    @Option(help: "Write a self-contained HTML report here.") var html: String?
    @Option(help: "Write the tidy CSV files into this directory.") var csv: String?
    @Option(help: "Write a Jupyter notebook that loads the CSV files (needs --csv).") var notebook: String?

    func run() throws {
        let document: ReplayResult
        do { document = try ResultFile.read(path: result) } catch { throw CommandFailure(message: "error: \(error)") }
        guard html != nil || csv != nil else { throw CommandFailure(message: "error: give --html FILE and/or --csv DIR") }
        if let html {
            do { try Data(HTMLReport.render(document).utf8).write(to: URL(fileURLWithPath: html)) } catch {
                throw CommandFailure(message: "error: cannot write \(html): \(error.localizedDescription)")
            }
        }
        if let csv { try ResultWriter.write(document, to: csv) }
        if let notebook {
            guard let csv else { throw CommandFailure(message: "error: --notebook needs --csv DIR for the data it loads") }
            let folder = URL(fileURLWithPath: csv).standardizedFileURL.path
            do { try Data(NotebookExport.notebook(csvDirectory: folder, title: "CostReplay: \(result)").utf8).write(to: URL(fileURLWithPath: notebook)) } catch {
                throw CommandFailure(message: "error: cannot write \(notebook): \(error.localizedDescription)")
            }
        }
    }
}
