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
            #expect(rows.string(row: 0, field: .tags) == JSONText.array(tags))
        }
        #expect(RequestRows(TraceRecord(id: "x"), source: nil).string(row: 0, field: .tags) == nil, "no tags: null")
    }

    @Test func qualityIsWrittenAsTheSameJSONTextAsBefore() {
        let scores: [[String: Double]] = [
            ["correct:gpt-4o": 1, "correct:gpt-4o-mini": 0], ["b": 0.25, "a": -0.0, "c": -3, "d": 1e20, "e": .nan],
            ["say \"hi\"": 1, "tab\there": 0.5, "é": 2], ["": 1],
        ]
        for quality in scores {
            var record = TraceRecord(id: "x")
            record.quality = quality
            #expect(RequestRows(record, source: nil).string(row: 0, field: .quality) == RequestColumns.encodeQuality(quality))
        }
        #expect(RequestRows(TraceRecord(id: "x"), source: nil).string(row: 0, field: .quality) == nil, "no scores: null")
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
        #expect(rows.string(row: 0, field: .id) == "a")
        #expect(rows.string(row: 1, field: .id) == "bb")
        #expect(rows.string(row: 0, field: .sourceFile) == "f.jsonl")
        #expect(rows.integer(row: 0, field: .sourceLine) == 3)
        #expect(rows.string(row: 0, field: .model) == "gpt-4o")
        #expect(rows.string(row: 1, field: .model) == nil)
        #expect(rows.integer(row: 0, field: .start) == 5)
        #expect(rows.string(row: 1, field: .prompt) == "hello")
        #expect(rows.string(row: 0, field: .prompt) == nil)
        #expect(rows.real(row: 0, field: .billedCost) == 0.25)
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
        #expect(rows.string(row: 0, field: .tags) == #"["t"]"#)
        #expect(Schema.requestColumns[TraceField.tags.rawValue] == "tags")
    }

    /// The field table: one column and one canonical member per field, each spelled once, and the canonical encoder
    /// writes no member the table does not name.
    @Test func everyFieldHasItsOwnColumnAndMember() {
        let fields = TraceField.allCases
        #expect(Set(fields.map(\.column)).count == fields.count)
        #expect(Set(fields.map(\.member)).count == fields.count)
        #expect(Schema.requestColumns == fields.map(\.column))
        var record = Replays.request("x", at: 1, prompt: "p", user: "u", tenant: "t", response: "r")
        record.tags = ["a"]
        record.quality = ["s": 1]
        record.messages = [MessageInfo(role: "user", tokens: 3)]
        record.prefixHashes = [1]
        record.prefixBlockTokens = 16
        record.embedding = [0.5]
        record.attributes = ["k": "1"]
        record.kind = .tool
        record.format = "litellm"
        record.isBatch = true
        record.cacheHit = true
        record.billedCost = Money(dollars: 1)
        record.billedCostSource = "trace"
        record.traceID = "t1"
        record.parentID = "p1"
        record.sessionID = "s1"
        record.name = "n"
        record.operation = "o"
        record.firstTokenMicros = record.startMicros
        record.requestModel = "m"
        record.serviceTier = "default"
        record.promptHash = "ph"
        let line = CanonicalEncoder.line(record)
        let parser = JSONParser()
        let members = Set((try? parser.parse(line))?.members.map(\.key) ?? [])
        #expect(members.isSubset(of: Set(fields.filter(\.isCanonicalMember).map(\.member))))
        #expect(members.count >= 33, "\(members.sorted())")
    }
}
