import CostReplayCore
import Foundation

/// Paths and builders shared by the tests.
public enum Fixtures {
    /// The repository root, found from this file's location.
    public static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `traces/fixtures/NAME`.
    public static func trace(_ name: String) -> String { root.appendingPathComponent("traces/fixtures/\(name)").path }

    /// `../shared/data/PATH` beside the checkout.
    public static func shared(_ path: String) -> String {
        root.deletingLastPathComponent().appendingPathComponent("shared/data/\(path)").path
    }

    /// A fresh temporary directory.
    public static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("costreplay-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to a temporary file and returns its path.
    public static func write(_ text: String, name: String = "trace.jsonl") -> String {
        let url = temporaryDirectory().appendingPathComponent(name)
        try? Data(text.utf8).write(to: url)
        return url.path
    }

    /// Ingests files into a fresh store and returns it with the summary.
    public static func ingest(_ paths: [String], options: IngestOptions = IngestOptions()) throws -> (TraceStore, IngestSummary) {
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
