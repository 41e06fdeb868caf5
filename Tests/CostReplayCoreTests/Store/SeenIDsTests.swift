@testable import CostReplayCore
import Foundation
import Testing
import TestSupport

/// A bulk load finds repeated ids through ``SeenIDs`` instead of the unique index: every stored row
/// must stay findable, hashes shared by different ids must cost a read and never a wrong answer, and a rowid past
/// what a slot holds must hand over to the index.
@Suite struct SeenIDsTests {
    @Test func everyRowWithTheSameHashIsVisitedInTheOrderStoredAcrossGrowth() {
        let seen = SeenIDs(capacity: 1)
        let initialSlots = seen.slots.count
        // 40 rows share one hash; thousands of others fill the table past several growths.
        let shared: UInt64 = 0xDEAD_BEEF_0000_0001
        var rowid: Int64 = 0
        var sharedRows: [Int64] = []
        for index in 0..<20_000 {
            rowid += 1
            if index % 500 == 0 {
                #expect(seen.insert(shared, rowid: rowid))
                sharedRows.append(rowid)
            } else {
                #expect(seen.insert(StableHash.hash("id-\(index)"), rowid: rowid))
            }
        }
        #expect(seen.slots.count > initialSlots, "the table grew")
        #expect(seen.count == 20_000)
        #expect(seen.count * 2 <= seen.slots.count, "at most half full")
        var visited: [Int64] = []
        #expect(!seen.first(shared) { visited.append($0); return false })
        #expect(visited == sharedRows)
        // A stop on the third match stops there.
        var stops = 0
        #expect(seen.first(shared) { _ in stops += 1; return stops == 3 })
        #expect(stops == 3)
        // Every other row is found by its hash.
        for index in [1, 2, 499, 501, 19_999] {
            var found: [Int64] = []
            _ = seen.first(StableHash.hash("id-\(index)")) { found.append($0); return false }
            #expect(found.contains(Int64(index + 1)), "row of id-\(index)")
        }
        // A hash never entered finds nothing.
        #expect(!seen.first(StableHash.hash("never")) { _ in true })
    }

    @Test func aLoadSizesItsTableFromTheLengthOfTheFilesFirstLines() throws {
        // 5,000 lines of exactly 100 bytes: sampled, the table holds them all without growing; at the old guess of
        // 512 bytes a line it would hold a fifth of them.
        let lines = (0..<5_000).map { index -> String in
            let head = #"{"id":"r\#(index)","model":"gpt-4o","note":""#
            return head + String(repeating: "x", count: 99 - head.utf8.count - 2) + #""}"#
        }
        #expect(lines.allSatisfy { $0.utf8.count == 99 })
        let path = Fixtures.write(lines.joined(separator: "\n") + "\n")
        let reader = try LineReader(path: path)
        #expect(reader.sampledLineLength() == 100)
        var read = 0
        try reader.forEachLine { _, _, _ in read += 1 }
        #expect(read == 5_000, "sampling leaves the stream at its start")
        #expect(try LineReader(path: Fixtures.write(lines.prefix(63).joined(separator: "\n") + "\n")).sampledLineLength() == nil,
                "too few lines to sample")

        let store = try TraceStore(path: Fixtures.temporaryDirectory().appendingPathComponent("b.db").path, bulkLoad: true)
        let sized = try RequestWriter(store: store)
        sized.seenIDs = SeenIDs(capacity: 1)  // the default capacity would hold these few rows anyway
        sized.expectRows(inBytes: reader.fileSize, lineLength: reader.sampledLineLength())
        #expect(sized.seenIDs?.slots.count == SeenIDs.slotCount(for: 5_000))
        let guessed = try RequestWriter(store: store)
        guessed.seenIDs = SeenIDs(capacity: 1)
        guessed.expectRows(inBytes: reader.fileSize)
        #expect(guessed.seenIDs!.slots.count < SeenIDs.slotCount(for: 5_000))
    }

    @Test func aRowidPastTheLimitIsNotEntered() {
        let seen = SeenIDs(rowidLimit: 2)
        #expect(seen.insert(1, rowid: 1))
        #expect(seen.insert(2, rowid: 2))
        #expect(!seen.insert(3, rowid: 3))
        #expect(!seen.insert(4, rowid: 0))
        #expect(seen.count == 2)
    }

    @Test func aFullTableTakesNoMoreRowsAndNeverGrowsPastItsMaximum() {
        let seen = SeenIDs(capacity: 1, maximumSlots: 1 << 13)
        seen.reserve(rows: 1 << 20)
        #expect(seen.slots.count == 1 << 13, "a reservation stops at the maximum")
        for rowid in 1...Int64(1 << 12) { #expect(seen.insert(StableHash.hash("id-\(rowid)"), rowid: rowid)) }
        #expect(!seen.insert(StableHash.hash("one more"), rowid: 4097), "half full at the maximum: full")
        #expect(seen.slots.count == 1 << 13)
        var found = false
        _ = seen.first(StableHash.hash("id-4096")) { found = $0 == 4096; return found }
        #expect(found)
    }

    @Test func aLoadPastAFullTableBuildsTheIndexAndCountsAsAnIncrementalIngest() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("bulk.db").path
        let store = try TraceStore(path: path, bulkLoad: true)
        let writer = try RequestWriter(store: store)
        writer.seenIDs = SeenIDs(capacity: 1, maximumSlots: 1 << 12)  // full at 2,048 rows
        var batch = RequestRows()
        for index in 0..<3_000 { batch.append(Self.record("f\(index)", tokens: index), source: nil) }
        for row in 0..<3_000 { #expect(try writer.write(row: row, of: batch) == .stored) }
        try writer.flush()
        #expect(writer.seenIDs == nil)
        #expect(try writer.write(row: 10, of: batch) == .duplicate)
        #expect(try writer.write(row: 2_999, of: batch) == .duplicate)
        #expect(try writer.write(Self.record("f2500", tokens: 1), source: nil) == .conflict(field: "input_tokens", stored: "2500", found: "1"))
        try writer.flush()
        #expect(store.requestCount == 3_000)
        let ids = try store.database.prepare("SELECT id FROM requests ORDER BY rowid")
        var stored: [String] = []
        while try ids.step() { stored.append(ids.string(0) ?? "") }
        #expect(stored == (0..<3_000).map { "f\($0)" })
    }

    /// Repeats near and far (within a group, a batch, across batches), conflicts and bad lines, on many batches.
    @Test func aLoadWithRepeatsAndConflictsAcrossBatchesMatchesAnIncrementalIngest() throws {
        var state: UInt64 = 11
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var lines: [String] = []
        for index in 0..<20_000 {
            lines.append(Self.line("r\(index)", tokens: 10 + index % 7))
            let earlier = index - next(min(index + 1, [3, 60, 3_000, 20_000][next(4)]))
            switch next(100) {
            case 0..<5: lines.append(Self.line("r\(earlier)", tokens: 10 + earlier % 7))
            case 5..<7: lines.append(Self.line("r\(earlier)", tokens: 99))
            case 7: lines.append(#"{"id":"bad","start":"not a time"}"#)
            default: break
            }
        }
        let path = Fixtures.write(lines.joined(separator: "\n") + "\n")
        let (bulk, summary) = try Fixtures.ingest([path])
        let (incremental, reference) = try Fixtures.ingestIncrementally([path])
        #expect(summary.totals == reference.totals)
        #expect(summary.totals.stored == 20_000)
        #expect(summary.totals.duplicates > 500 && summary.totals.rejected > 300, "\(summary.totals)")
        #expect(try Self.storedIDs(bulk) == Self.storedIDs(incremental))
        #expect(try bulk.rejections().map { "\($0) | \($0.raw ?? "")" } == incremental.rejections().map { "\($0) | \($0.raw ?? "")" })
    }

    static func bulkWriter(rowidLimit: Int64) throws -> (TraceStore, RequestWriter) {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("bulk.db").path
        let store = try TraceStore(path: path, bulkLoad: true)
        let writer = try RequestWriter(store: store)
        writer.seenIDs = SeenIDs(rowidLimit: rowidLimit)
        return (store, writer)
    }

    static func storedIDs(_ store: TraceStore) throws -> [String] {
        let ids = try store.database.prepare("SELECT id FROM requests ORDER BY rowid")
        var stored: [String] = []
        while try ids.step() { stored.append(ids.string(0) ?? "") }
        return stored
    }

    /// The hand-over to the index happens inside a flush of held rows; whatever the writer does next must see it.
    @Test func aRepeatOfTheRowThatFilledTheTableIsADuplicate() throws {
        let (store, writer) = try Self.bulkWriter(rowidLimit: 2)
        #expect(try writer.write(Self.record("a", tokens: 1), source: nil) == .stored)
        #expect(try writer.write(Self.record("b", tokens: 1), source: nil) == .stored)
        var batch = RequestRows()
        batch.append(Self.record("c", tokens: 1), source: nil)
        batch.append(Self.record("c", tokens: 1), source: nil)
        batch.append(Self.record("c", tokens: 7), source: nil)
        #expect(try writer.write(row: 0, of: batch) == .stored)
        #expect(try writer.write(row: 1, of: batch) == .duplicate)
        #expect(try writer.write(row: 2, of: batch) == .conflict(field: "input_tokens", stored: "1", found: "7"))
        try writer.flush()
        #expect(writer.seenIDs == nil)
        #expect(try Self.storedIDs(store) == ["a", "b", "c"])
    }

    @Test func aHandOverAtABatchBoundaryKeepsRepeatsAndOrder() throws {
        let (store, writer) = try Self.bulkWriter(rowidLimit: 2)
        var first = RequestRows()
        for id in ["x1", "x2", "x3"] { first.append(Self.record(id, tokens: 1), source: nil) }
        for row in 0..<3 { #expect(try writer.write(row: row, of: first) == .stored) }  // held
        var second = RequestRows()
        second.append(Self.record("x3", tokens: 1), source: nil)
        second.append(Self.record("y", tokens: 1), source: nil)
        second.append(Self.record("y", tokens: 2), source: nil)
        // The first batch's rows are inserted before this one; rowid 3 is past the limit: the index takes over.
        #expect(try writer.write(row: 0, of: second) == .duplicate)
        #expect(writer.seenIDs == nil)
        #expect(try writer.write(row: 1, of: second) == .stored)
        #expect(try writer.write(Self.record("x3", tokens: 5), source: nil) == .conflict(field: "input_tokens", stored: "1", found: "5"))
        #expect(try writer.write(row: 2, of: second) == .conflict(field: "input_tokens", stored: "1", found: "2"))
        try writer.flush()
        #expect(try Self.storedIDs(store) == ["x1", "x2", "x3", "y"])
    }

    @Test func theSmallestGroupIsOneRowWhereSQLiteTakesFewParameters() {
        #expect(PendingRows(parameters: 32_766).groupSize == 64)
        #expect(PendingRows(parameters: 999).groupSize == 16)
        #expect(PendingRows(parameters: 100).groupSize == 2)
        #expect(PendingRows(parameters: 40).groupSize == 1)
        #expect(PendingRows(parameters: 1).groupSize == 1)
    }

    static func record(_ id: String, tokens: Int) -> TraceRecord {
        var r = TraceRecord(id: id)
        r.format = "canonical"
        r.startMicros = 1_000_000
        r.model = "gpt-4o"
        r.usage = TokenUsage(input: Int64(tokens), output: 2)
        return r
    }

    static func line(_ id: String, tokens: Int) -> String {
        #"{"id":"\#(id)","start":"2026-09-01T10:00:00Z","model":"gpt-4o","input_tokens":\#(tokens),"output_tokens":2}"#
    }

    @Test func repeatsOfEarlyIdsAfterTheTableGrewAreFoundAsAnIncrementalIngestFindsThem() throws {
        var lines = (0..<9_000).map { Self.line("r\($0)", tokens: 10 + $0 % 7) }
        lines += [Self.line("r0", tokens: 10), Self.line("r1", tokens: 99), Self.line("r8999", tokens: 10 + 8_999 % 7)]
        let path = Fixtures.write(lines.joined(separator: "\n") + "\n")
        let (bulk, summary) = try Fixtures.ingest([path])
        let (incremental, reference) = try Fixtures.ingestIncrementally([path])
        #expect(summary.totals == IngestCounts(read: 9_003, stored: 9_000, duplicates: 2, rejected: 1))
        #expect(summary.totals == reference.totals)
        #expect(try bulk.rejections().map(\.description) == incremental.rejections().map(\.description))
        #expect(try bulk.rejections().first?.description.contains("id 'r1' is already stored with another input_tokens") == true)
        #expect(try bulk.database.scalar("SELECT count(*) FROM sqlite_master WHERE name='requests_id'") == 0,
                "a bulk load leaves the id index to the first incremental writer")
    }

    @Test func aLoadPastTheRowidLimitBuildsTheIndexThenAndKeepsFindingRepeats() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("bulk.db").path
        let store = try TraceStore(path: path, bulkLoad: true)
        let writer = try RequestWriter(store: store)
        writer.seenIDs = SeenIDs(rowidLimit: 2)
        #expect(try writer.write(Self.record("a", tokens: 1), source: nil) == .stored)
        #expect(try writer.write(Self.record("b", tokens: 1), source: nil) == .stored)
        #expect(writer.seenIDs != nil)
        #expect(try writer.write(Self.record("c", tokens: 1), source: nil) == .stored)
        try writer.flush()  // rows found new are held and inserted together
        #expect(writer.seenIDs == nil, "rowid 3 is past the limit: the index takes over")
        #expect(try store.database.scalar("SELECT count(*) FROM sqlite_master WHERE name='requests_id'") == 1)
        #expect(try writer.write(Self.record("a", tokens: 1), source: nil) == .duplicate)
        #expect(try writer.write(Self.record("c", tokens: 1), source: nil) == .duplicate)
        #expect(try writer.write(Self.record("b", tokens: 5), source: nil) == .conflict(field: "input_tokens", stored: "1", found: "5"))
        #expect(try writer.write(Self.record("d", tokens: 1), source: nil) == .stored)
        try writer.flush()
        #expect(store.requestCount == 4)
    }

    @Test func heldRowsAreStoredInTheOrderWrittenWhateverPathTheyTake() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("bulk.db").path
        let store = try TraceStore(path: path, bulkLoad: true)
        let writer = try RequestWriter(store: store)
        var batch = RequestRows()
        for index in 0..<100 { batch.append(Self.record("b\(index)", tokens: index), source: nil) }
        var order: [String] = []
        for row in 0..<50 {
            #expect(try writer.write(row: row, of: batch) == .stored)
            order.append("b\(row)")
            if row % 7 == 3 {  // a record from another path between rows of the batch
                #expect(try writer.write(Self.record("r\(row)", tokens: 1), source: nil) == .stored)
                order.append("r\(row)")
            }
            if row % 11 == 5 {  // a repeat of a row that may still be held
                #expect(try writer.write(row: row - 1, of: batch) == .duplicate)
                #expect(try writer.write(Self.record("b\(row)", tokens: 0), source: nil)
                        == .conflict(field: "input_tokens", stored: "\(row)", found: "0"))
            }
        }
        var second = RequestRows()  // another batch: what the first still holds goes first
        second.append(Self.record("c0", tokens: 1), source: nil)
        #expect(try writer.write(row: 0, of: second) == .stored)
        order.append("c0")
        for row in 50..<100 {
            #expect(try writer.write(row: row, of: batch) == .stored)
            order.append("b\(row)")
        }
        try writer.flush()
        let ids = try store.database.prepare("SELECT id FROM requests ORDER BY rowid")
        var stored: [String] = []
        while try ids.step() { stored.append(ids.string(0) ?? "") }
        #expect(stored == order)
        #expect(try store.database.scalar("SELECT max(rowid) FROM requests") == Int64(order.count), "no gaps")
        #expect(writer.held.statements.keys.allSatisfy { $0 == writer.held.groupSize || ($0 < 64 && $0.nonzeroBitCount == 1) },
                "groups, and powers of two below: \(writer.held.statements.keys.sorted())")
    }
}
