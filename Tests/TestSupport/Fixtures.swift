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
