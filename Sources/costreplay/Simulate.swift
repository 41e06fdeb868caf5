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
        let catalog = try prices.catalog()
        let file = try replay.load(catalog: catalog)
        let opened = try store.openExisting()
        var options = try replay.options(window: .init())
        options.explainID = requestID
        let (_, ledgers) = try Simulation(scenarioFile: file, pricer: Pricer(catalog: catalog), options: options)
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
        if let out { try ResultWriter.write(merged, to: out, inputs: documents) }
        Console.out(format == .json ? String(decoding: try ResultFile.encode(merged), as: UTF8.self) + "\n"
                    : ReplayResultRenderer.table(merged))
    }
}

/// Writes result.json and the tidy CSV files into a directory.
enum ResultWriter {
    nonisolated(unsafe) static let files: [(name: String, kind: OutputKind, render: (ReplayResult) throws -> String)] = [
        ("result.json", .json, { String(decoding: try ResultFile.encode($0), as: UTF8.self) }),
        ("scenarios.csv", .csv, ReplayResultRenderer.scenariosCSV),
        ("levers.csv", .csv, ReplayResultRenderer.leversCSV),
        ("metrics.csv", .csv, ReplayResultRenderer.metricsCSV),
        ("rates.csv", .csv, ReplayResultRenderer.ratesCSV),
        ("daily.csv", .csv, ReplayResultRenderer.dailyCSV),
        ("models_daily.csv", .csv, ReplayResultRenderer.modelsDailyCSV),
    ]

    /// Refuses, before any work, a folder or a file in it that may not be written.
    static func check(_ directory: String, inputs: [String]) throws {
        var info = stat()
        guard lstat(directory, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) != S_IFLNK else {
            throw CommandFailure(message: "error: \(OutputError(path: directory, reason: "is a symbolic link; CostReplay does not write through links"))")
        }
        for file in files { try checkOutput(directory + "/" + file.name, kind: file.kind, inputs: inputs) }
    }

    static func write(_ result: ReplayResult, to directory: String, inputs: [String]) throws {
        do { try OutputFile.prepareDirectory(directory) } catch { throw CommandFailure(message: "error: \(error)") }
        for file in files {
            try writeOutput(try file.render(result), to: directory + "/" + file.name, kind: file.kind, inputs: inputs)
        }
    }
}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render a result document as self-contained HTML and tidy CSV, without replaying.",
        discussion: """
            Example:
              costreplay report reports/sample-plan/result.json --html reports/sample-plan.html --csv reports/sample-plan
              costreplay report --compare last-quarter/result.json this-quarter/result.json --html compare.html
            """)

    @Argument(help: "A simulate result document.") var result: String?
    @Option(parsing: .upToNextOption, help: "Two result documents to show side by side (A then B), per 30 days of traffic.")
    var compare: [String] = []
    @Option(help: "Write a self-contained HTML report here.") var html: String?
    @Option(help: "Write the tidy CSV files into this directory.") var csv: String?
    @Option(help: "Write a Jupyter notebook that loads the CSV files (needs --csv).") var notebook: String?

    func run() throws {
        if !compare.isEmpty { return try runComparison() }
        guard let result else { throw CommandFailure(message: "error: give a result document, or --compare A.json B.json") }
        let document: ReplayResult
        do { document = try ResultFile.read(path: result) } catch { throw CommandFailure(message: "error: \(error)") }
        guard html != nil || csv != nil else { throw CommandFailure(message: "error: give --html FILE and/or --csv DIR") }
        if notebook != nil && csv == nil { throw CommandFailure(message: "error: --notebook needs --csv DIR for the data it loads") }
        let inputs = [result]
        if let html { try checkOutput(html, kind: .html, inputs: inputs) }
        if let csv { try ResultWriter.check(csv, inputs: inputs) }
        if let notebook { try checkOutput(notebook, kind: .notebook, inputs: inputs) }
        if let html { try writeOutput(HTMLReport.render(document), to: html, kind: .html, inputs: inputs) }
        if let csv { try ResultWriter.write(document, to: csv, inputs: inputs) }
        if let notebook, let csv {
            let folder = URL(fileURLWithPath: csv).standardizedFileURL.path
            try writeOutput(NotebookExport.notebook(csvDirectory: folder, title: "CostReplay: \(result)"), to: notebook, kind: .notebook,
                            inputs: inputs)
        }
    }
}

extension Report {
    /// `--compare A B`: a console table, and an HTML page with --html.
    func runComparison() throws {
        guard compare.count == 2, result == nil else { throw CommandFailure(message: "error: --compare takes exactly two result documents") }
        guard csv == nil, notebook == nil else { throw CommandFailure(message: "error: --compare writes a table and --html only") }
        if let html { try checkOutput(html, kind: .html, inputs: compare) }
        let documents: [ReplayResult]
        do { documents = try compare.map(ResultFile.read) } catch { throw CommandFailure(message: "error: \(error)") }
        let comparison = ResultComparison(documents[0], named: compare[0], documents[1], named: compare[1])
        if let html { try writeOutput(comparison.html(), to: html, kind: .html, inputs: compare) }
        Console.out(comparison.table())
    }
}
