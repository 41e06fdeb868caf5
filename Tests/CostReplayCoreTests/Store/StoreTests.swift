import CostReplayCore
import Foundation
import Testing
import TestSupport

@Suite struct StoreTests {
    /// A writer keeps its store and its prepared statements; when it holds the last reference, the store goes first.
    /// The connection must still close once the statements are finalized: the last close of a WAL store checkpoints
    /// and removes its `-wal` file, which an open (leaked) connection keeps.
    @Test func aStoreReleasedBeforeItsWriterStillClosesItsConnection() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("writer-last.db").path
        var writer: RequestWriter? = try RequestWriter(store: TraceStore(path: path))
        #expect(try writer?.write(Replays.request("a", at: 1), source: nil) == .stored)
        try writer?.flush()
        #expect(FileManager.default.fileExists(atPath: path + "-wal"), "an open WAL store has its -wal file")
        writer = nil
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "the connection was left open")
        #expect(try TraceStore(path: path).requestCount == 1)
    }

    @Test func exportThenReingestIsLossless() throws {
        let inputs = ["canonical.jsonl", "otlp-genai.jsonl", "litellm-spendlogs.json", "langfuse-observations.json",
                      "openai-chat.jsonl", "mooncake-head.jsonl"].map(Fixtures.trace)
        let (store, _) = try Fixtures.ingest(inputs)
        let original = try Fixtures.records(store)
        var lines = ""
        try store.forEachRecord { record, _ in lines += CanonicalEncoder.line(record) + "\n" }
        let (copy, summary) = try Fixtures.ingest([Fixtures.write(lines, name: "export.jsonl")])
        #expect(summary.totals.rejected == 0)
        let roundTripped = try Fixtures.records(copy)
        #expect(roundTripped.count == original.count)
        for (id, record) in original {
            var expected = record
            var actual = try #require(roundTripped[id])
            // Billed costs pass through decimal text; compare them to the femtodollar separately.
            #expect(actual.billedCost == expected.billedCost)
            expected.billedCost = nil
            actual.billedCost = nil
            #expect(actual == expected, "record \(id) changed in the round trip")
        }
    }

    @Test func exportIsByteIdenticalAcrossRuns() throws {
        let (store, _) = try Fixtures.ingest([Fixtures.trace("canonical.jsonl"), Fixtures.trace("otlp-genai.jsonl")])
        func export() throws -> String {
            var text = ""
            try store.forEachRecord { record, _ in text += CanonicalEncoder.line(record) + "\n" }
            return text
        }
        let first = try export()
        #expect(try export() == first)
        #expect(first.split(separator: "\n").count == 13)
    }

    @Test func anOpenedStoreRejectsAForeignDatabase() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("other.db").path
        let db = try SQLiteDatabase(path: path)
        try db.execute("CREATE TABLE customers (id INTEGER)")
        #expect(throws: StoreError.notACostReplayDatabase(path: path)) { _ = try TraceStore(path: path) }
        #expect(throws: StoreError.notACostReplayDatabase(path: path)) { _ = try TraceStore(existingPath: path) }
    }

    @Test func rejectionsSurviveReopeningTheStore() throws {
        let path = Fixtures.write("{\"id\":\"x\",\"input_tokens\":1}\nnot json\n")
        let dbPath = Fixtures.temporaryDirectory().appendingPathComponent("r.db").path
        _ = try Ingestor(store: try TraceStore(path: dbPath), options: IngestOptions()).ingest(paths: [path])
        let reopened = try TraceStore(existingPath: dbPath)
        #expect(try reopened.rejections().map(\.location.line) == [1, 2])
    }
}
