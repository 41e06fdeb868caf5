@testable import CostReplayCore
import Foundation
import TestSupport
import Testing

/// The replay's reading of the store: its own column list and its own ordering of requests that start together.
@Suite struct ReplayRecordOrderTests {
    /// Requests starting in the same microsecond, written out of id order; ids compared as SQLite compares them
    /// (UTF-8 bytes: "B" < "a" < "a1" < "b" < "é"), and a start without a time (NULL, first).
    func storeWithTies() throws -> TraceStore {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("ties.db").path
        let store = try TraceStore(path: path)
        let writer = try RequestWriter(store: store)
        let rows: [(String, Int64?)] = [("é", 20), ("b", 20), ("z", 10), ("a1", 20), ("B", 20), ("a", 20), ("n", nil), ("c", 30),
                                        ("m", nil), ("y", 10)]
        for (id, start) in rows {
            var record = TraceRecord(id: id)
            record.model = "gpt-4o"
            record.startMicros = start
            record.format = "canonical"
            record.responseText = "kept in the store"
            #expect(try writer.write(record, source: SourceLocation(file: "t.jsonl", line: 1)) == .stored)
        }
        try writer.flush()
        return store
    }

    @Test func requestsThatStartTogetherComeInIdOrderAsTheFullReadGivesThem() throws {
        let store = try storeWithTies()
        var full: [String] = [], replay: [String] = []
        try store.forEachRecord { record, _ in full.append(record.id) }
        try store.forEachReplayRecord(in: TraceStore.TimeWindow()) { record in replay.append(record.id) }
        #expect(full == ["m", "n", "y", "z", "B", "a", "a1", "b", "é", "c"])
        #expect(replay == full)
    }

    @Test func theReplayReadLeavesOutOnlyFieldsNoReplayReads() throws {
        let store = try storeWithTies()
        var records: [TraceRecord] = []
        try store.forEachReplayRecord(in: TraceStore.TimeWindow()) { records.append($0) }
        #expect(records.count == 10)
        #expect(records.allSatisfy { $0.format == "" && $0.responseText == nil && $0.model == "gpt-4o" })
    }
}
