@testable import CostReplayCore
import Foundation
import TestSupport
import Testing

/// Reading the store keeps the decoded values of repeating columns (``ColumnMemo``): every record must still read back
/// exactly as written, whatever repeats, collides or changes between rows.
@Suite struct ColumnMemoTests {
    @Test func recordsReadBackAsWrittenWhenColumnsRepeatCollideAndChange() throws {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("memo.db").path
        let store = try TraceStore(path: path)
        let writer = try RequestWriter(store: store)
        var random = SplitMix(3)
        var written: [String: TraceRecord] = [:]
        // 700 distinct models (more than the 256 buckets, so buckets are overwritten and revisited), a few tag lists,
        // quality and attribute objects, empty and absent values, and non-ASCII text.
        let tagLists: [[String]] = [[], ["feature:chat"], ["feature:chat", "team:a"], ["team:a", "feature:chat"], ["é", ""]]
        let kinds: [RequestKind] = [.llm, .tool, .retrieval, .agent, .other]
        for index in 0..<3_000 {
            var record = TraceRecord(id: "r\(index)")
            let pick = Int(random.next() % 1_000)
            record.kind = kinds[pick % kinds.count]
            record.format = pick % 3 == 0 ? "canonical" : "otlp"
            record.model = pick % 10 == 0 ? nil : pick % 10 == 1 ? "" : "model-\(pick % 700)-ü"
            record.provider = pick % 2 == 0 ? "openai" : nil
            record.userID = "user-\(pick % 300)"
            record.tenantID = pick % 7 == 0 ? nil : "tenant-\(pick % 5)"
            record.operation = pick % 4 == 0 ? nil : "chat"
            record.serviceTier = pick % 5 == 0 ? "flex" : nil
            record.tags = tagLists[pick % tagLists.count]
            record.startMicros = Int64(index)
            record.usage = TokenUsage(input: Int64(pick), output: 1)
            if pick % 3 == 0 { record.quality = ["correct:model-\(pick % 4)": Double(pick % 2)] }
            if pick % 5 == 0 { record.attributes = ["cost_usd": "0.00\(pick % 9)", "k": "\"v\(pick % 3)\""] }
            written[record.id] = record
            #expect(try writer.write(record, source: SourceLocation(file: "t.jsonl", line: index + 1)) == .stored)
        }
        try writer.flush()
        // Each row decoded twice: with the memos kept across rows (as every read does) and with fresh memos.
        let statement = try store.database.prepare("SELECT \(Schema.selectColumns) FROM requests ORDER BY start_us, id")
        let parser = JSONParser()
        var kept = RequestColumnMemos()
        var rows = 0, differing: [String] = []
        while try statement.step() {
            var fresh = RequestColumnMemos()
            let (memoised, _) = RequestColumns.record(from: statement, parser: parser, memos: &kept)
            let (plain, _) = RequestColumns.record(from: statement, parser: parser, memos: &fresh)
            if memoised != plain { differing.append(memoised.id) }
            rows += 1
        }
        withExtendedLifetime(parser) {}
        #expect(rows == written.count)
        #expect(differing.isEmpty, "\(differing.prefix(5))")
        // And what was written comes back (fields the store keeps as written).
        let read = try Fixtures.records(store)
        for (id, record) in written {
            let back = try #require(read[id])
            #expect(back.tags == record.tags && back.quality == record.quality && back.userID == record.userID
                    && back.model == record.model && back.kind == record.kind, "\(id)")
        }
    }
}
