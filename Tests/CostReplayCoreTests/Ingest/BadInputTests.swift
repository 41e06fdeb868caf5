import CostReplayCore
import Testing
import TestSupport

/// Bad input keeps the good records, stores each rejection with file, line and reason, and never crashes.
@Suite struct BadInputTests {
    func messages(_ summary: IngestSummary) -> [String] { summary.sampleRejections.map(\.description) }

    @Test func aMalformedLineIsRejectedAndTheRestStored() throws {
        let path = Fixtures.write("""
            {"id":"a","model":"gpt-4o","input_tokens":10,"output_tokens":1}
            {"id":"b","model":"gpt-4o","input_tokens":10,
            {"id":"c","model":"gpt-4o","input_tokens":10,"output_tokens":1}

            """)
        let (store, summary) = try Fixtures.ingest([path])
        #expect(summary.totals == IngestCounts(read: 3, stored: 2, duplicates: 0, rejected: 1))
        #expect(messages(summary) == ["\(path):2: invalid JSON (The JSON document has an improper structure: missing or superfluous commas, braces, missing keys, etc.)"])
        let kept = try store.rejections()
        #expect(kept.count == 1)
        #expect(kept[0].raw == #"{"id":"b","model":"gpt-4o","input_tokens":10,"#)
    }

    @Test func aMissingRequiredFieldNamesTheField() throws {
        let path = Fixtures.write("""
            {"id":"a","model":"gpt-4o","input_tokens":10,"output_tokens":1}
            {"id":"b","model":"gpt-4o","input_tokens":10}

            """)
        let (_, summary) = try Fixtures.ingest([path])
        #expect(messages(summary) == ["\(path):2: field 'output_tokens': required field is missing"])
    }

    @Test func aNegativeTokenCountIsRejected() throws {
        let path = Fixtures.write("""
            {"id":"a","model":"gpt-4o","input_tokens":-5,"output_tokens":1}
            {"id":"b","model":"gpt-4o","input_tokens":5,"output_tokens":1}

            """)
        let (_, summary) = try Fixtures.ingest([path])
        #expect(messages(summary) == ["\(path):1: field 'input_tokens': must not be negative, found -5"])
        #expect(summary.totals.stored == 1)
    }

    @Test func aNonNumericTokenCountIsRejected() throws {
        let path = Fixtures.write("""
            {"id":"a","model":"gpt-4o","input_tokens":"lots","output_tokens":1}
            {"id":"b","model":"gpt-4o","input_tokens":5,"output_tokens":1}

            """)
        let (_, summary) = try Fixtures.ingest([path])
        #expect(messages(summary) == [#"\#(path):1: field 'input_tokens': expected a token count, found "lots""#])
    }

    @Test func cachedTokensAboveInputAreRejectedAsDoubleCounting() throws {
        let path = Fixtures.write("""
            {"id":"a","model":"gpt-4o","input_tokens":100,"cache_read_tokens":150,"output_tokens":1}

            """)
        let (_, summary) = try Fixtures.ingest([path])
        #expect(messages(summary) == ["\(path):1: field 'cache_read_tokens': cached tokens (150) exceed input tokens (100)"])
    }

    @Test func anUnknownFormatFailsTheFileWithAHint() throws {
        let path = Fixtures.write("hello,world\n1,2\n", name: "mystery.csv")
        let (store, summary) = try Fixtures.ingest([path])
        #expect(summary.files[0].error == "\(path): cannot detect the trace format (CSV header hello,world); name it with --format")
        #expect(try store.rejections().map(\.description) == ["\(path): cannot detect the trace format (CSV header hello,world); name it with --format"])
    }

    @Test func aTruncatedLastLineIsReportedAsTruncated() throws {
        let path = Fixtures.write(#"{"id":"a","model":"gpt-4o","input_tokens":10,"output_tokens":1}"# + "\n" + #"{"id":"b","model":"gpt-4o","inp"#)
        let (_, summary) = try Fixtures.ingest([path])
        #expect(summary.totals == IngestCounts(read: 2, stored: 1, duplicates: 0, rejected: 1))
        #expect(messages(summary) == ["\(path):2: truncated record at end of file (A string is opened, but never closed.)"])
    }

    @Test func invalidUTF8RejectsOnlyItsLine() throws {
        var bytes = Array(#"{"id":"a","model":"gpt-4o","input_tokens":10,"output_tokens":1}"#.utf8) + [10]
        bytes += Array(#"{"id":"b","model":"gpt-"#.utf8) + [0xC3, 0x28] + Array(#"","input_tokens":10,"output_tokens":1}"#.utf8) + [10]
        let path = Fixtures.temporaryDirectory().appendingPathComponent("bad-utf8.jsonl").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (_, summary) = try Fixtures.ingest([path])
        #expect(summary.totals == IngestCounts(read: 2, stored: 1, duplicates: 0, rejected: 1))
        #expect(messages(summary) == ["\(path):2: invalid UTF-8"])
    }

    @Test func invalidUTF8InACSVRowRejectsOnlyThatRow() throws {
        var bytes = Array("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.68,374,44\n".utf8)
        bytes += Array("2023-11-16 18:15:47.1,3".utf8) + [0xFF] + Array("7,44\n".utf8)
        let path = Fixtures.temporaryDirectory().appendingPathComponent("azure.csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (_, summary) = try Fixtures.ingest([path])
        #expect(summary.totals == IngestCounts(read: 2, stored: 1, duplicates: 0, rejected: 1))
        #expect(messages(summary) == ["\(path):3: invalid UTF-8"])
    }

    @Test func anEmptyFileIsReportedAndOtherFilesGoOn() throws {
        let empty = Fixtures.write("", name: "empty.jsonl")
        let blank = Fixtures.write("\n\n  \n", name: "blank.jsonl")
        let (_, summary) = try Fixtures.ingest([empty, blank, Fixtures.trace("canonical.jsonl")])
        #expect(summary.files[0].error == "\(empty): file is empty")
        #expect(summary.files[1].error == "\(blank): file is empty")
        #expect(summary.totals.stored == 8)
    }

    @Test func aMissingFileIsReported() throws {
        let (_, summary) = try Fixtures.ingest(["/nonexistent/trace.jsonl"])
        #expect(summary.files[0].error == "/nonexistent/trace.jsonl: cannot read the file: No such file or directory")
    }

    @Test func anUnclosedQuoteAtTheEndOfACSVRejectsItsLine() throws {
        let path = Fixtures.write("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:15:46.68,374,44\n\"2023-11-16,1", name: "t.csv")
        let (_, summary) = try Fixtures.ingest([path])
        #expect(messages(summary) == ["\(path):3: a quoted field opened on this line is never closed (before the end of the file or within 4 MiB); the lines after it are read on their own"])
    }

    @Test func anUnclosedQuoteInTheMiddleOfACSVCostsOnlyItsLine() throws {
        var text = "TIMESTAMP,ContextTokens,GeneratedTokens\n\"2023-11-16 18:15:46.68,374,44\n"
        for second in 10..<40 { text += "2023-11-16 18:15:\(second).00,100,10\n" }
        let path = Fixtures.write(text, name: "q.csv")
        let (store, summary) = try Fixtures.ingest([path])
        #expect(summary.totals == IngestCounts(read: 31, stored: 30, duplicates: 0, rejected: 1))
        #expect(store.requestCount == 30)
    }

    @Test func aBadOTLPSpanRejectsOnlyThatSpan() throws {
        let line = #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"t","spanId":"s1","attributes":[{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},{"key":"gen_ai.usage.input_tokens","value":{"intValue":"-3"}}]},{"traceId":"t","spanId":"s2","attributes":[]}]}]}]}"#
        let path = Fixtures.write(line + "\n")
        let (_, summary) = try Fixtures.ingest([path])
        #expect(summary.totals == IngestCounts(read: 2, stored: 1, duplicates: 0, rejected: 1))
        #expect(messages(summary) == ["\(path):1 item 1: field 'gen_ai.usage.input_tokens': must not be negative, found -3"])
    }

    @Test func reingestingAFileStoresNoDuplicates() throws {
        let path = Fixtures.trace("canonical.jsonl")
        let (store, _) = try Fixtures.ingest([path])
        let again = try Ingestor(store: store, options: IngestOptions()).ingest(paths: [path])
        #expect(again.totals == IngestCounts(read: 8, stored: 0, duplicates: 8, rejected: 0))
        #expect(store.requestCount == 8)
    }

    @Test func reingestingACSVWithoutIdsStoresNoDuplicates() throws {
        let path = Fixtures.trace("azure-conv-head.csv")
        let (store, _) = try Fixtures.ingest([path])
        let again = try Ingestor(store: store, options: IngestOptions()).ingest(paths: [path])
        #expect(again.totals.duplicates == 5)
        #expect(store.requestCount == 5)
    }
}

import Foundation

@Suite struct MoneyRobustnessTests {
    @Test func absurdAmountsNeverTrap() {
        #expect(Money(dollars: .nan) == .zero)
        #expect(Money(dollars: .infinity) == .zero)
        #expect(Money(dollars: 1e300).dollars == 1e20)
    }

    @Test func anImplausibleBilledCostIsRejectedWithItsField() throws {
        let path = Fixtures.write("""
            {"id":"a","model":"gpt-4o","input_tokens":10,"output_tokens":1,"billed_cost":1e30}

            """)
        let (_, summary) = try Fixtures.ingest([path])
        #expect(summary.sampleRejections.map(\.description) == ["\(path):1: field 'billed_cost': 1e+30 dollars for one request is out of range (±1,000,000)"])
    }
}
