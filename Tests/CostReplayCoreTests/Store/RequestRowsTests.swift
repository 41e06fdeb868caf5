@testable import CostReplayCore
import Testing
import TestSupport

/// Rows encoded for the bulk insert must hold exactly the column values the store reads back.
@Suite struct RequestRowsTests {
    @Test func tagsAreWrittenAsTheSameJSONTextAsBefore() {
        let lists = [["feature:chat"], ["a", "b"], ["say \"hi\"", "back\\slash", "tab\there", "line\u{2028}sep", "é – ü"], [""]]
        for tags in lists {
            var record = TraceRecord(id: "x")
            record.tags = tags
            let rows = RequestRows(record, source: nil)
            #expect(rows.string(row: 0, column: 12) == JSONText.array(tags))
        }
        #expect(RequestRows(TraceRecord(id: "x"), source: nil).string(row: 0, column: 12) == nil, "no tags: null")
    }

    @Test func qualityIsWrittenAsTheSameJSONTextAsBefore() {
        let column = Schema.requestColumns.firstIndex(of: "quality")!
        let scores: [[String: Double]] = [
            ["correct:gpt-4o": 1, "correct:gpt-4o-mini": 0], ["b": 0.25, "a": -0.0, "c": -3, "d": 1e20, "e": .nan],
            ["say \"hi\"": 1, "tab\there": 0.5, "é": 2], ["": 1],
        ]
        for quality in scores {
            var record = TraceRecord(id: "x")
            record.quality = quality
            #expect(RequestRows(record, source: nil).string(row: 0, column: column) == RequestColumns.encodeQuality(quality))
        }
        #expect(RequestRows(TraceRecord(id: "x"), source: nil).string(row: 0, column: column) == nil, "no scores: null")
    }

    @Test func rowsOfOneBatchKeepTheirOwnValues() {
        var rows = RequestRows()
        var a = TraceRecord(id: "a")
        a.model = "gpt-4o"
        a.startMicros = 5
        a.billedCost = Money(dollars: 0.25)
        var b = TraceRecord(id: "bb")
        b.promptText = "hello"
        rows.append(a, source: SourceLocation(file: "f.jsonl", line: 3))
        rows.append(b, source: nil)
        #expect(rows.count == 2)
        #expect(rows.string(row: 0, column: 0) == "a")
        #expect(rows.string(row: 1, column: 0) == "bb")
        #expect(rows.string(row: 0, column: 3) == "f.jsonl")
        #expect(rows.integer(row: 0, column: 4) == 3)
        #expect(rows.string(row: 0, column: 17) == "gpt-4o")
        #expect(rows.string(row: 1, column: 17) == nil)
        #expect(rows.integer(row: 0, column: 13) == 5)
        #expect(rows.string(row: 1, column: 29) == "hello")
        #expect(rows.string(row: 0, column: 29) == nil)
        #expect(rows.real(row: 0, column: 27) == 0.25)
    }

    @Test func aColumnNullInOneRowAndSetInTheNextIsStoredAsEachRowHoldsIt() throws {
        // The insert leaves a parameter that is already null unbound: a stale value must never leak into a row.
        let store = try TraceStore(path: Fixtures.temporaryDirectory().appendingPathComponent("s.db").path)
        let writer = try RequestWriter(store: store)
        var full = TraceRecord(id: "full")
        full.model = "gpt-4o"
        full.promptText = "hello"
        full.usage = TokenUsage(input: 10, output: 2)
        full.tags = ["t"]
        var empty = TraceRecord(id: "empty")
        empty.model = "gpt-4o"
        var rows = RequestRows()
        for record in [full, empty, TraceRecord(id: "bare"), { var r = full; r.id = "full-again"; return r }()] {
            rows.append(record, source: nil)
        }
        for row in 0..<rows.count { #expect(try writer.write(row: row, of: rows) == .stored) }
        #expect(try writer.write(empty, source: SourceLocation(file: "f", line: 1)) == .duplicate)
        try writer.flush()
        let stored = try Fixtures.records(store)
        #expect(stored["empty"]?.promptText == nil)
        #expect(stored["empty"]?.usage == nil)
        #expect(stored["empty"]?.tags == [])
        #expect(stored["bare"]?.model == nil)
        #expect(stored["full-again"]?.promptText == "hello")
        #expect(stored["full-again"]?.usage == TokenUsage(input: 10, output: 2))
        #expect(stored["full-again"]?.tags == ["t"])
    }

    @Test func aRowHasOneCellPerColumnTheInsertBinds() throws {
        var record = TraceRecord(id: "x")
        record.tags = ["t"]
        let rows = RequestRows(record, source: nil)
        #expect(rows.cells.count == Schema.requestColumns.count)
        #expect(Schema.insertRequest.filter { $0 == "?" }.count == Schema.requestColumns.count)
        #expect(rows.string(row: 0, column: Schema.requestColumns.firstIndex(of: "tags")!) == #"["t"]"#)
        for (field, column, _) in RequestWriter.comparedFields {
            let name = Schema.requestColumns[column]
            #expect(name.hasPrefix(field == "start" ? "start_us" : field), "compared field \(field) reads column \(name)")
        }
    }
}
