import CostReplayCore
import Foundation
import Testing

/// Paths and builders shared by the tests.
public enum Fixtures {
    /// The repository root, found from this file's location.
    public static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `traces/fixtures/NAME`.
    public static func trace(_ name: String) -> String { root.appendingPathComponent("traces/fixtures/\(name)").path }

    /// Whether `../shared/data` (public traces, price snapshot) is beside the checkout; tests that
    /// read it are skipped with ``sharedDataMissing`` in a clone of the repository alone.
    public static var hasSharedData: Bool {
        FileManager.default.fileExists(atPath: root.deletingLastPathComponent().appendingPathComponent("shared/data/README.md").path)
    }

    public static let sharedDataMissing: Comment = "needs ../shared/data beside the checkout (public traces and prices); absent here"

    /// `traces/fixtures/upstream/PATH`: files written by the upstream libraries themselves.
    public static func upstream(_ path: String) -> String {
        root.appendingPathComponent("traces/fixtures/upstream/\(path)").path
    }

    /// `../shared/data/PATH` beside the checkout.
    public static func shared(_ path: String) -> String {
        root.deletingLastPathComponent().appendingPathComponent("shared/data/\(path)").path
    }

    /// One directory per test process holding every ``temporaryDirectory()``; removed when the process exits
    /// (set `COSTREPLAY_KEEP_TEST_FILES=1` to keep it for inspection). A full run writes hundreds of MB here.
    static let processDirectory: URL = {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("costreplay-tests-\(getpid())-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        if ProcessInfo.processInfo.environment["COSTREPLAY_KEEP_TEST_FILES"] == nil {
            atexit { try? FileManager.default.removeItem(at: Fixtures.processDirectory) }
        }
        return url
    }()

    /// A fresh temporary directory inside ``processDirectory``.
    public static func temporaryDirectory() -> URL {
        let url = processDirectory.appendingPathComponent(UUID().uuidString)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to a temporary file and returns its path.
    public static func write(_ text: String, name: String = "trace.jsonl") -> String {
        let url = temporaryDirectory().appendingPathComponent(name)
        try? Data(text.utf8).write(to: url)
        return url.path
    }

    /// Ingests files into a fresh store, as `costreplay ingest` does (a bulk load), and returns it with the summary.
    public static func ingest(_ paths: [String], options: IngestOptions = IngestOptions()) throws -> (TraceStore, IngestSummary) {
        try StoreIngest.ingest(paths, into: temporaryDirectory().appendingPathComponent("test.db").path, options: options)
    }

    /// Ingests files into a fresh store record by record, as when appending to an existing store.
    public static func ingestIncrementally(_ paths: [String], options: IngestOptions = IngestOptions()) throws -> (TraceStore, IngestSummary) {
        let store = try TraceStore(path: temporaryDirectory().appendingPathComponent("test.db").path)
        let summary = try Ingestor(store: store, options: options).ingest(paths: paths)
        return (store, summary)
    }

    /// Every stored record by id.
    public static func records(_ store: TraceStore) throws -> [String: TraceRecord] {
        var result: [String: TraceRecord] = [:]
        try store.forEachRecord { record, _ in result[record.id] = record }
        return result
    }
}

/// An exact dollar amount from decimal text, for expectations written by hand: `usd("0.00875")`.
public func usd(_ text: String) -> Money {
    let negative = text.hasPrefix("-")
    let digits = negative ? String(text.dropFirst()) : text
    let parts = digits.split(separator: ".", maxSplits: 1)
    var femtos = Int128(String(parts[0]))! * Money.femtosPerDollar
    if parts.count == 2 {
        let fraction = String(parts[1])
        precondition(fraction.count <= 15, "more than 15 decimals")
        femtos += Int128(fraction + String(repeating: "0", count: 15 - fraction.count))!
    }
    return Money(femtos: negative ? -femtos : femtos)
}

/// The computed cost of one stored request.
public func computedCost(_ store: TraceStore, id: String, catalog: PriceCatalog) throws -> PricedRequest {
    var result: PricedRequest?
    try store.forEachRecord { record, _ in
        if record.id == id { result = Pricer(catalog: catalog).price(PricingInput(record)) }
    }
    guard let result else { throw FixtureError.missing(id) }
    return result
}

public enum FixtureError: Error { case missing(String) }

/// The built-in catalog, loaded once for all tests.
public let sharedCatalog: PriceCatalog = try! PriceCatalog.builtIn()

/// Runs the built `costreplay` executable and captures its output.
public enum CLI {
    public struct Result {
        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }

        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public static var binary: String { Fixtures.root.appendingPathComponent(".build/debug/costreplay").path }

    /// Runs to completion; output goes through files so large outputs cannot block the child.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let dir = Fixtures.temporaryDirectory()
        let outURL = dir.appendingPathComponent("stdout"), errURL = dir.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = try start(arguments, environment: environment,
                                stdout: try FileHandle(forWritingTo: outURL), stderr: try FileHandle(forWritingTo: errURL))
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: try String(contentsOf: outURL, encoding: .utf8),
                      stderr: try String(contentsOf: errURL, encoding: .utf8))
    }

    /// Starts without waiting, for tests that interrupt a run.
    public static func start(_ arguments: [String], environment: [String: String] = [:],
                             stdout: FileHandle = .nullDevice, stderr: FileHandle = .nullDevice) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        return process
    }
}

/// Builders for replay tests.
public enum Replays {
    /// Stores the records (as canonical JSONL, ingested) in a fresh database and returns its path.
    public static func store(_ records: [TraceRecord]) -> String {
        try! Fixtures.ingest([Fixtures.write(records.map(CanonicalEncoder.line).joined(separator: "\n") + "\n")]).0.database.path
    }

    /// Stores a synthetic trace (`costreplay synth` with these options) in a fresh database and returns its path.
    public static func synthesizedStore(_ options: SynthOptions) -> String {
        var lines = ""
        TraceSynthesizer(options: options, pricer: Pricer(catalog: sharedCatalog)).generate { lines += CanonicalEncoder.line($0) + "\n" }
        return try! Fixtures.ingest([Fixtures.write(lines)]).0.database.path
    }

    /// A billed request at `second` seconds after 2026-09-01T00:00Z.
    public static func request(_ id: String, at second: Double, model: String = "gpt-4o", prompt: String? = nil,
                               input: Int64 = 1000, output: Int64 = 100, duration: Double = 1, user: String? = nil,
                               tenant: String? = nil, response: String? = nil) -> TraceRecord {
        var r = TraceRecord(id: id)
        r.startMicros = origin + Int64(second * 1e6)
        r.endMicros = r.startMicros! + Int64(duration * 1e6)
        r.model = model
        r.provider = model.hasPrefix("claude") ? "anthropic" : "openai"
        r.usage = TokenUsage(input: input, output: output)
        r.promptText = prompt
        r.responseText = response
        r.responseHash = response.map(StableHash.hex)
        r.userID = user
        r.tenantID = tenant
        return r
    }

    public static let origin: Int64 = Timestamp.parseISO("2026-09-01")!

    /// Ingests the records into a fresh store and replays the scenario text.
    public static func run(_ records: [TraceRecord], scenario yaml: String, options: ReplayOptions = ReplayOptions())
        throws -> (ReplayResult, [String: [LedgerEntry]]) {
        let trace = Fixtures.write(records.map(CanonicalEncoder.line).joined(separator: "\n") + "\n")
        let (store, summary) = try Fixtures.ingest([trace])
        precondition(summary.totals.rejected == 0, "fixture records were rejected: \(summary.sampleRejections)")
        let file = try ScenarioLoader.parse(text: yaml, path: "test.yaml")
        return try Simulation(scenarioFile: file, pricer: Pricer(catalog: sharedCatalog), options: options)
            .run(store: store, databasePath: "test.db")
    }

    /// The counters of the first strategy of a scenario point.
    public static func metrics(_ result: ReplayResult, _ index: Int = 0) -> [String: Double] {
        result.scenarios[index].metrics.sorted { $0.key < $1.key }.first?.value ?? [:]
    }
}
