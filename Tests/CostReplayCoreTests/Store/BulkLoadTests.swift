@testable import CostReplayCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// A fresh store is bulk-loaded (``StoreIngest``): it must hold exactly what a record-by-record ingest holds,
/// count and reject duplicate ids the same way, and never leave half a store behind.
@Suite struct BulkLoadTests {
    static let fixtures = ["canonical.jsonl", "otlp-genai.jsonl", "litellm-spendlogs.json", "langfuse-observations.json",
                           "openai-chat.jsonl", "mooncake-head.jsonl", "openai-batch-input.jsonl",
                           "openai-batch-output.jsonl", "burstgpt.csv", "azure-conv-head.csv"].map(Fixtures.trace)

    static func rejections(_ store: TraceStore) throws -> [String] { try store.rejections().map { "\($0) | \($0.raw ?? "")" } }

    @Test func aBulkLoadStoresTheSameRecordsCountsAndRejectionsAsARecordByRecordIngest() throws {
        let (bulk, bulkSummary) = try Fixtures.ingest(Self.fixtures)
        let (incremental, incrementalSummary) = try Fixtures.ingestIncrementally(Self.fixtures)
        #expect(bulk.isBulkLoad == false, "the returned store is the published file, opened normally")
        #expect(bulkSummary.files.map(\.counts) == incrementalSummary.files.map(\.counts))
        #expect(bulkSummary.totals.stored > 30)
        #expect(try Fixtures.records(bulk) == Fixtures.records(incremental))
        #expect(try Self.rejections(bulk) == Self.rejections(incremental))
    }

    @Test func duplicateIdsWithinOneLoadAreCountedAndConflictsRejectedAsBefore() throws {
        let lines = [
            #"{"id":"a","start":"2026-09-01T10:00:00Z","model":"gpt-4o","input_tokens":10,"output_tokens":2}"#,
            #"{"id":"b","start":"2026-09-01T10:00:01Z","model":"gpt-4o","input_tokens":11,"output_tokens":2}"#,
            #"{"id":"a","start":"2026-09-01T10:00:00Z","model":"gpt-4o","input_tokens":10,"output_tokens":2}"#,
            #"{"id":"a","start":"2026-09-01T10:00:00Z","model":"gpt-4o","input_tokens":99,"output_tokens":2}"#,
        ]
        let path = Fixtures.write(lines.joined(separator: "\n") + "\n")
        let (bulk, summary) = try Fixtures.ingest([path])
        let (incremental, reference) = try Fixtures.ingestIncrementally([path])
        #expect(summary.totals == IngestCounts(read: 4, stored: 2, duplicates: 1, rejected: 1))
        #expect(summary.totals == reference.totals)
        #expect(try bulk.rejections().map(\.description) == [
            "\(path):4: field 'id': id 'a' is already stored with another input_tokens (stored 10, here 99); ids must be unique",
        ])
        #expect(try Self.rejections(bulk) == Self.rejections(incremental))
        #expect(bulk.requestCount == 2)
    }

    @Test func aLoadThatFailsMidwayLeavesNoStoreAndNoLoadingFile() throws {
        let target = Fixtures.temporaryDirectory().appendingPathComponent("s.db").path
        #expect(throws: StoreError.self) {
            _ = try StoreIngest.ingest([Fixtures.trace("canonical.jsonl")], into: target, options: IngestOptions(),
                                       progress: nil, failAfterRecords: 3)
        }
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(!FileManager.default.fileExists(atPath: StoreIngest.loadingPath(for: target)))
        // The next run starts from nothing and completes.
        let (store, summary) = try StoreIngest.ingest([Fixtures.trace("canonical.jsonl")], into: target, options: IngestOptions())
        #expect(store.requestCount == Int64(summary.totals.stored))
    }

    @Test func aLoadThatFailsLeavesAnEmptyFileAsItWas() throws {
        let target = Fixtures.write("", name: "empty.db")
        #expect(throws: StoreError.self) {
            _ = try StoreIngest.ingest([Fixtures.trace("canonical.jsonl")], into: target, options: IngestOptions(),
                                       progress: nil, failAfterRecords: 1)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)).isEmpty)
        let (store, _) = try StoreIngest.ingest([Fixtures.trace("canonical.jsonl")], into: target, options: IngestOptions())
        #expect(store.requestCount > 0)
    }

    @Test func reIngestingAfterABulkLoadStoresNothingNewAndAppendsTheRest() throws {
        let target = Fixtures.temporaryDirectory().appendingPathComponent("s.db").path
        let canonical = Fixtures.trace("canonical.jsonl")
        let (first, summary) = try StoreIngest.ingest([canonical], into: target, options: IngestOptions())
        let stored = first.requestCount
        #expect(try first.database.scalar("SELECT count(*) FROM sqlite_master WHERE name='requests_id'") == 0)
        let (again, repeated) = try StoreIngest.ingest([canonical], into: target, options: IngestOptions())
        #expect(try again.database.scalar("SELECT count(*) FROM sqlite_master WHERE name='requests_id'") == 1)
        #expect(repeated.totals.stored == 0)
        #expect(repeated.totals.duplicates == summary.totals.stored)
        #expect(again.requestCount == stored)
        let (appended, more) = try StoreIngest.ingest([Fixtures.trace("openai-chat.jsonl")], into: target, options: IngestOptions())
        #expect(more.totals.stored > 0)
        #expect(appended.requestCount == stored + Int64(more.totals.stored))
        #expect(!FileManager.default.fileExists(atPath: StoreIngest.loadingPath(for: target)))
    }

    @Test func aStaleLoadingFileLeftByAKilledLoadIsStartedAgainFromNothing() throws {
        let target = Fixtures.temporaryDirectory().appendingPathComponent("s.db").path
        let loading = StoreIngest.loadingPath(for: target)
        // What a load killed while switching to WAL leaves: a partial file and a WAL beside it.
        let (partial, _) = try StoreIngest.ingest([Fixtures.trace("openai-chat.jsonl")], into: loading + ".src", options: IngestOptions())
        #expect(partial.requestCount > 0)
        try FileManager.default.copyItem(atPath: loading + ".src", toPath: loading)
        try #require(FileManager.default.createFile(atPath: loading + "-wal", contents: Data(repeating: 7, count: 4096)))
        let (store, summary) = try StoreIngest.ingest([Fixtures.trace("canonical.jsonl")], into: target, options: IngestOptions())
        let (reference, _) = try Fixtures.ingestIncrementally([Fixtures.trace("canonical.jsonl")])
        #expect(summary.totals.stored > 0)
        #expect(try Fixtures.records(store) == Fixtures.records(reference))
        for leftover in [loading, loading + "-wal", loading + "-journal"] {
            #expect(!FileManager.default.fileExists(atPath: leftover), "\(leftover) is removed")
        }
    }

    @Test func aSecondLoadOfTheSameStoreStopsWhileTheFirstHoldsTheLoadingFile() throws {
        let target = Fixtures.temporaryDirectory().appendingPathComponent("s.db").path
        let loading = StoreIngest.loadingPath(for: target)
        let bytes = Data("being written".utf8)
        try #require(FileManager.default.createFile(atPath: loading, contents: bytes))
        let running = open(loading, O_RDWR)
        #expect(flock(running, LOCK_EX | LOCK_NB) == 0)
        defer { close(running) }
        #expect(throws: StoreError.cannotOpen(
            path: target, reason: "another costreplay ingest is loading it (\(loading) is locked); wait for that run to finish")) {
            _ = try StoreIngest.ingest([Fixtures.trace("canonical.jsonl")], into: target, options: IngestOptions())
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: loading)) == bytes, "the running load's file is untouched")
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func anExistingStoreIsAppendedToInPlaceNotBulkLoaded() throws {
        let target = Fixtures.temporaryDirectory().appendingPathComponent("s.db").path
        let (first, _) = try StoreIngest.ingest([Fixtures.trace("openai-chat.jsonl")], into: target, options: IngestOptions())
        let before = first.requestCount
        let inode = try FileManager.default.attributesOfItem(atPath: target)[.systemFileNumber] as? Int
        #expect(StoreIngest.freshness(of: target) == nil)
        // The injected failure fires only in a bulk load: the append path must not see it.
        let (appended, summary) = try StoreIngest.ingest([Fixtures.trace("canonical.jsonl")], into: target, options: IngestOptions(),
                                                         progress: nil, failAfterRecords: 1)
        #expect(summary.totals.stored > 1)
        #expect(appended.requestCount == before + Int64(summary.totals.stored))
        #expect(try FileManager.default.attributesOfItem(atPath: target)[.systemFileNumber] as? Int == inode, "the same file")
        #expect(!FileManager.default.fileExists(atPath: StoreIngest.loadingPath(for: target)))
    }

    @Test func theFirstWriterBuildsTheIdIndexOnceSortedAndPutsTheCacheAndThreadsBack() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("s.db").path
        let (loaded, _) = try StoreIngest.ingest([Fixtures.trace("canonical.jsonl")], into: path, options: IngestOptions())
        #expect(try loaded.database.scalar("SELECT count(*) FROM sqlite_master WHERE name='requests_id'") == 0)
        let store = try TraceStore(path: path)
        let writer = try RequestWriter(store: store)
        #expect(try store.database.scalar("SELECT count(*) FROM sqlite_master WHERE name='requests_id'") == 1)
        #expect(try store.database.scalar("PRAGMA cache_size") == Int64(TraceStore.cacheKiB))
        #expect(try store.database.scalar("PRAGMA threads") == 0)
        let record = SeenIDsTests.record("first-writer", tokens: 3)
        #expect(try writer.write(record, source: nil) == .stored)
        #expect(try writer.write(record, source: nil) == .duplicate)
    }

    @Test func aStoreWithTheOldColumnConstraintGetsNoSecondIdIndex() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("old.db").path
        let table = Schema.statements[1].replacingOccurrences(of: "id TEXT NOT NULL,", with: "id TEXT NOT NULL UNIQUE,")
        #expect(table != Schema.statements[1])
        do { try SQLiteDatabase(path: path).execute(table) }  // closed at the end of the block
        let store = try TraceStore(path: path)
        let writer = try RequestWriter(store: store)
        let names = try store.database.prepare("SELECT group_concat(name) FROM sqlite_master WHERE tbl_name='requests' AND type='index'")
        _ = try names.step()
        #expect(names.string(0) == "sqlite_autoindex_requests_1")
        let record = SeenIDsTests.record("old-store", tokens: 3)
        #expect(try writer.write(record, source: nil) == .stored)
        #expect(try writer.write(record, source: nil) == .duplicate)
    }

    @Test func aLoadBuildsTheStartIndexOnlyTheFirstWriterTheIdIndexAndAnOlderStoreLosesItsUnreadTraceIndex() throws {
        let target = Fixtures.temporaryDirectory().appendingPathComponent("s.db").path
        let canonical = Fixtures.trace("canonical.jsonl")
        func indexes(_ store: TraceStore) throws -> String? {
            let s = try store.database.prepare(
                "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='requests' ORDER BY name)")
            _ = try s.step()
            return s.string(0)
        }
        let (first, _) = try StoreIngest.ingest([canonical], into: target, options: IngestOptions())
        // The id index is the first incremental writer's to build (TraceStore.ensureUniqueIDs).
        #expect(try indexes(first) == "requests_start")
        // Opening the store to write something else (embeddings, a cursor) does not build it either.
        #expect(try indexes(TraceStore(path: target)) == "requests_start")
        try first.database.execute("CREATE INDEX requests_trace ON requests(trace_id)")
        let (again, _) = try StoreIngest.ingest([canonical], into: target, options: IngestOptions())
        try again.createIndexes()  // as `costreplay ingest` does after every ingest
        #expect(try indexes(again) == "requests_id requests_start")
    }
}
