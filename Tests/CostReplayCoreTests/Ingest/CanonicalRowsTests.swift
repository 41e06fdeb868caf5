@testable import CostReplayCore
import Foundation
import Testing
import TestSupport

/// Canonical records written straight from their JSON into rows (``CanonicalDecoder/appendRow``) must store what the
/// record path stores, column for column, and leave every shape it does not take, and every rejection, to that path.
@Suite struct CanonicalRowsTests {
    static let base = #""id":"r1","trace_id":"t1","parent_id":"p1","session_id":"s1","user_id":"u1","tenant_id":"acme","name":"chat","operation":"chat","tags":["feature:chat","team:b"],"start":"2026-09-01T10:00:00.123456Z","end":"2026-09-01T10:00:02Z","first_token":"2026-09-01T10:00:01Z","provider":"OpenAI","model":"gpt-4o","request_model":"gpt-4o-2024","service_tier":"default","batch":true,"cache_hit":false,"input_tokens":1200,"cache_read_tokens":100,"cache_write_5m_tokens":50,"cache_write_1h_tokens":25,"output_tokens":300,"reasoning_tokens":20,"billed_cost":0.0012345678901234,"billed_cost_source":"invoice","prompt":"say \"hi\"\n\tthen é 日本 😀","response":"ok","prompt_hash":"ab12","response_hash":"cd34","prefix_hashes":[1,-2,9007199254740993],"prefix_block_tokens":16,"quality":{"z":2.5e-7,"correct:gpt-4o":1,"b":0.5,"a":-0.0,"correct:mini":0}"#

    /// Records the row path takes: every column it writes, nulls, defaults, empty values and unknown members.
    static let plain = [
        "{\(base)}",
        #"{"id":"m1","input_tokens":3,"output_tokens":4}"#,
        #"{"id":"m2","model":"","provider":"","input_tokens":0,"output_tokens":0}"#,
        #"{"id":"tool1","kind":"tool","name":"search","input_tokens":"not read for a tool","provider":"Bing","start":"2026-09-01T10:00:00Z"}"#,
        #"{"id":"a1","kind":"agent","format":"","trace_id":"","session_id":null,"tags":[],"quality":{},"prefix_hashes":[],"input_tokens":1}"#,
        #"{"id":"b0","format":"litellm","billed_cost":0,"input_tokens":1,"output_tokens":1,"unknown":{"x":[1,2]}}"#,
        #"{"id":"b2","billed_cost":2,"billed_cost_source":null,"input_tokens":1,"output_tokens":1,"messages":null,"embedding":null,"attributes":null}"#,
        #"{"id":"b3","billed_cost_source":"trace-only","input_tokens":1,"output_tokens":1,"batch":null,"cache_hit":true}"#,
        #"{"id":"n1","trace_id":null,"name":null,"tags":null,"start":null,"end":null,"first_token":null,"provider":null,"model":null,"billed_cost":null,"prompt":null,"quality":null,"prefix_hashes":null,"prefix_block_tokens":null,"input_tokens":5,"output_tokens":6}"#,
        #"{"id":"r1","input_tokens":1,"output_tokens":1}"#,  // a conflict with the first line
        "{\(base)}",  // a duplicate of the first line
        #"{"id":"x","id":"last-id-wins","input_tokens":1,"output_tokens":1}"#,
        #"{"id":"g0","messages":[{"role":"system","tokens":12,"hash":"h1"},{"tokens":5,"estimated":true,"score":0.25},{"role":null,"tokens":0,"hash":null,"estimated":false,"score":3}],"input_tokens":17,"output_tokens":1}"#,
        #"{"id":"g5","messages":[],"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"g3","attributes":{"http.status":200,"a.b":{"z":[1,2.50,{"q":null}],"t":"say \"x\"\n"},"c":true,"b":-1e3},"input_tokens":5,"output_tokens":1}"#,
        #"{"id":"g4","attributes":"not an object","input_tokens":5,"output_tokens":1}"#,
        #"{"id":"g13","attributes":{},"input_tokens":5,"output_tokens":1}"#,
        #"{"id":"g14","attributes":[1],"kind":"tool"}"#,
    ]

    /// Shapes the row path leaves to the record path, which stores some and rejects the others.
    static let odd = [
        #"{"id":"t1","input_tokens":"12","output_tokens":1}"#,
        #"{"id":"t2","input_tokens":12.0,"output_tokens":1}"#,
        #"{"id":"t3","input_tokens":-1,"output_tokens":1}"#,
        #"{"id":"t4","input_tokens":10000000001,"output_tokens":1}"#,
        #"{"id":"t5","input_tokens":18446744073709551615,"output_tokens":1}"#,
        #"{"id":"t6","output_tokens":1}"#,
        #"{"id":"t7","input_tokens":5,"cache_read_tokens":6,"output_tokens":1}"#,
        #"{"id":"t8","input_tokens":5,"output_tokens":1,"reasoning_tokens":2}"#,
        #"{"id":"s1","start":1788256800,"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"s2","start":"","input_tokens":1,"output_tokens":1}"#,
        #"{"id":"s3","start":"yesterday","input_tokens":1,"output_tokens":1}"#,
        #"{"id":"s4","start":"2026-09-01T10:00:02Z","end":"2026-09-01T10:00:01Z","input_tokens":1,"output_tokens":1}"#,
        #"{"id":"s5","start":"2026-09-01T10:00:02Z","first_token":"2026-09-01T10:00:01Z","input_tokens":1,"output_tokens":1}"#,
        #"{"id":"s6","end":"2026-09-01T10:00:02Z","first_token":"2026-09-01T10:00:03Z","input_tokens":1,"output_tokens":1}"#,
        #"{"id":"p1","provider":"ÖpenAI","input_tokens":1,"output_tokens":1}"#,
        #"{"id":"k1","kind":"robot","input_tokens":1,"output_tokens":1}"#,
        #"{"id":42,"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"","input_tokens":1,"output_tokens":1}"#,
        #"{"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"c1","billed_cost":"0.5","input_tokens":1,"output_tokens":1}"#,
        #"{"id":"c2","billed_cost":-0.5,"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"c3","billed_cost":2e6,"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"c4","billed_cost":true,"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"c5","billed_cost_source":7,"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"g6","messages":[{"role":"user","tokens":"5"}],"input_tokens":5,"output_tokens":1}"#,
        #"{"id":"g7","messages":[{"role":5,"tokens":5}],"input_tokens":5,"output_tokens":1}"#,
        #"{"id":"g8","messages":[{"role":"user"}],"input_tokens":5,"output_tokens":1}"#,
        #"{"id":"g9","messages":[7],"input_tokens":5,"output_tokens":1}"#,
        #"{"id":"g10","messages":"hello","input_tokens":5,"output_tokens":1}"#,
        #"{"id":"g11","messages":[{"role":"user","tokens":5,"hash":"a\"b"}],"input_tokens":5,"output_tokens":1}"#,
        #"{"id":"g12","messages":[{"role":"user","tokens":5,"estimated":"yes","score":"high"}],"input_tokens":5,"output_tokens":1}"#,
        #"{"id":"g15","attributes":{"k":1,"k":2},"input_tokens":5,"output_tokens":1}"#,
        #"{"id":"g16","attributes":{"ключ":1},"input_tokens":5,"output_tokens":1}"#,
        #"{"id":"g17","attributes":{"a\"b":1},"input_tokens":5,"output_tokens":1}"#,
        #"{"id":"g2","embedding":[0.5,1],"input_tokens":5,"output_tokens":1}"#,
        #"{"id":"a1x","tags":["ok",3],"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"a2","tags":["say \"x\""],"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"a3","tags":"one","input_tokens":1,"output_tokens":1}"#,
        "{\"id\":\"a4\",\"tags\":[\"line\u{2028}break\"],\"input_tokens\":1,\"output_tokens\":1}",
        #"{"id":"q1","quality":{"x":"good"},"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"q2","quality":{"x":1,"x":0.5},"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"q3","quality":{"été":1},"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"q4","quality":{"correct:gpt-4o":0.5},"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"q5","quality":[1],"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"q6","quality":{"x":1e10},"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"e1","prompt":"caf\u00e9","input_tokens":1,"output_tokens":1}"#,
        #"{"id":"e2","prompt":"lone \ud800 surrogate","input_tokens":1,"output_tokens":1}"#,
        #"{"id":"f1","batch":"yes","input_tokens":1,"output_tokens":1}"#,
        #"{"id":"f2","cache_hit":1,"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"h1","prefix_block_tokens":0,"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"h2","prefix_hashes":["a"],"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"h3","prefix_hashes":[1.5],"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"h4","prefix_hashes":7,"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"i1","trace_id":123,"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"i2","name":5,"input_tokens":1,"output_tokens":1}"#,
        #"{"id":"i3","format":false,"input_tokens":1,"output_tokens":1}"#,
        #"[1,2]"#,
        #""just text""#,
    ]

    static let unparsable = [#"{"id":"broken", "model": }"#, ""]

    /// Every column of every stored row, with its storage class and exact value.
    static func rows(_ store: TraceStore) throws -> [String] {
        let columns = Schema.requestColumns.map { "typeof(\($0)) || ':' || CASE WHEN typeof(\($0)) = 'real' THEN printf('%.17g', \($0)) ELSE quote(\($0)) END" }
        let s = try store.database.prepare("SELECT \(columns.joined(separator: " || '|' || ")) FROM requests ORDER BY rowid")
        var result: [String] = []
        while try s.step() { result.append(s.string(0) ?? "") }
        return result
    }

    static func ingestBothWays(_ text: String, threads: Int = 2) throws -> (rows: (TraceStore, IngestSummary), records: (TraceStore, IngestSummary)) {
        let path = Fixtures.write(text)
        var options = IngestOptions()
        options.decodingThreads = threads
        options.defaultModel = "gpt-4o-mini"
        options.defaultProvider = "openai"
        var viaRecords = options
        viaRecords.rowsFromJSON = false
        return (try Fixtures.ingest([path], options: options), try Fixtures.ingest([path], options: viaRecords))
    }

    static func expectSame(_ a: (TraceStore, IngestSummary), _ b: (TraceStore, IngestSummary)) throws {
        #expect(a.1.files.map(\.counts) == b.1.files.map(\.counts))
        #expect(try rows(a.0) == rows(b.0))
        #expect(try a.0.rejections().map { "\($0) | \($0.raw ?? "")" } == b.0.rejections().map { "\($0) | \($0.raw ?? "")" })
        #expect(a.1.sampleRejections.map(\.description) == b.1.sampleRejections.map(\.description))
    }

    @Test(arguments: [1, 2])
    func rowsStraightFromJSONAreTheRecordPathsRows(threads: Int) throws {
        let text = (Self.plain + Self.odd + Self.unparsable + Self.plain.prefix(2)).joined(separator: "\n") + "\n"
        let both = try Self.ingestBothWays(text, threads: threads)
        try Self.expectSame(both.rows, both.records)
        let totals = both.rows.1.totals
        #expect(totals.stored > 20 && totals.rejected > 25 && totals.duplicates >= 3, "\(totals)")
        // The defaults and the lowercased provider reached the rows.
        let s = try both.rows.0.database.prepare("SELECT provider, model FROM requests WHERE id IN ('r1', 'm1') ORDER BY id")
        var seen: [String] = []
        while try s.step() { seen.append("\(s.string(0) ?? "nil") \(s.string(1) ?? "nil")") }
        #expect(seen == ["openai gpt-4o-mini", "openai gpt-4o"])
    }

    @Test func theRowPathTakesThePlainShapesAndLeavesTheOthersUntouched() throws {
        let parser = JSONParser()
        let defaults = CanonicalDecoder.RowDefaults(model: "m", provider: "p")
        let source = SourceLocation(file: "f.jsonl", line: 1)
        var rows = RequestRows()
        var scratch: [CanonicalDecoder.Member] = []
        func parse(_ text: String) throws -> JSONValue {
            var text = text
            return try text.withUTF8 { try parser.parse(UnsafeRawBufferPointer($0)) }
        }
        for line in Self.plain {
            let value = try parse(line)
            #expect(CanonicalDecoder.appendRow(value, source: source, defaults: defaults, into: &rows, scratch: &scratch) != nil, "\(line)")
        }
        #expect(rows.count == Self.plain.count)
        for line in Self.odd {
            var text = line
            guard !text.withUTF8({ Ingestor.hasUnicodeEscape(UnsafeRawBufferPointer($0)) }) else { continue }
            let value = try parse(line)
            let before = (rows.count, rows.cells.count, rows.bytes.count)
            #expect(CanonicalDecoder.appendRow(value, source: source, defaults: defaults, into: &rows, scratch: &scratch) == nil, "\(line)")
            #expect(rows.count == before.0 && rows.cells.count == before.1 && rows.bytes.count == before.2, "\(line)")
        }
        // Rows after a rolled-back one are whole.
        let value = try parse(Self.plain[1])
        let row = CanonicalDecoder.appendRow(value, source: source, defaults: defaults, into: &rows, scratch: &scratch)
        #expect(row == Self.plain.count && rows.string(row: row!, field: .id) == "m1")
    }

    @Test func unicodeEscapesAreFound() {
        func found(_ text: String) -> Bool { var text = text; return text.withUTF8 { Ingestor.hasUnicodeEscape(UnsafeRawBufferPointer($0)) } }
        #expect(found(#"{"a":"\u00e9"}"#))
        #expect(found(#"\u"#))
        #expect(!found(#"{"a":"\\u00e9"}"#))  // an escaped backslash, then a plain u
        #expect(found(#"{"a":"\\\u00e9"}"#))
        #expect(!found(#"{"a":"\n\t\"x\""}"#))
        #expect(!found("\\"))
        #expect(!found(""))
    }

    /// A synthetic trace with texts, messages, spans and scores, as `costreplay synth` writes it.
    @Test func aSynthesizedTraceStoresTheSameRowsBothWays() throws {
        var options = SynthOptions()
        options.requests = 1_500
        options.seed = 11
        var lines = ""
        TraceSynthesizer(options: options, pricer: Pricer(catalog: sharedCatalog)).generate { lines += CanonicalEncoder.line($0) + "\n" }
        let both = try Self.ingestBothWays(lines)
        try Self.expectSame(both.rows, both.records)
        #expect(both.rows.1.totals.stored > 1_500)
    }
}
