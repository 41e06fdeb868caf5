@testable import CostReplayCore
import Foundation
import Testing
import TestSupport

/// Canonical JSONL is decoded by several threads (``Ingestor/ingestCanonicalLines(_:path:threads:)``): what is
/// stored, in which row order, what is counted and what is rejected must be exactly what one thread gives.
@Suite struct ParallelDecodingTests {
    /// Several chunks of lines (2,048 each) with duplicates across chunks, conflicts, bad lines, blank lines, a
    /// byte-order mark and a last line cut short.
    static func mixedTrace() -> String {
        var lines: [String] = []
        for i in 0..<7_000 {
            let n = i % 5 == 4 && i >= 2_500 ? i - 2_500 : i  // every fifth line repeats a line of an earlier chunk
            let tokens = i % 35 == 9 && n != i ? 999 : 10 + n % 7  // one repeat in seven conflicts
            switch i % 97 {
            case 13: lines.append("")
            case 29: lines.append(#"{"id":"bad\#(i)","start":"not a time","model":"gpt-4o"}"#)
            case 41: lines.append(#"{"id":"x\#(i)", "model": }"#)
            case 53: lines.append("\u{FEFF}" + #"{"id":"bom\#(i)","start":"2026-09-01T10:00:00Z","model":"gpt-4o","input_tokens":1}"#)
            default:
                let second = String(format: "%02d", n % 60)
                lines.append(#"{"id":"r\#(n)","start":"2026-09-01T10:00:\#(second)Z","model":"gpt-4o","input_tokens":\#(tokens),"output_tokens":2}"#)
            }
        }
        return lines.joined(separator: "\n") + "\n" + #"{"id":"cut","start":"2026-09-01T"#
    }

    static func rows(_ store: TraceStore) throws -> [String] {
        let s = try store.database.prepare("SELECT id, source_line, input_tokens FROM requests ORDER BY rowid")
        var result: [String] = []
        while try s.step() { result.append("\(s.string(0) ?? "") \(s.int64(1)) \(s.int64(2))") }
        return result
    }

    @Test(arguments: [2, 3])
    func severalDecodingThreadsStoreCountAndRejectExactlyWhatOneThreadDoes(threads: Int) throws {
        let path = Fixtures.write(Self.mixedTrace())
        var one = IngestOptions()
        one.decodingThreads = 1
        var several = IngestOptions()
        several.decodingThreads = threads
        let (reference, referenceSummary) = try Fixtures.ingest([path], options: one)
        let (store, summary) = try Fixtures.ingest([path], options: several)
        #expect(summary.files.map(\.counts) == referenceSummary.files.map(\.counts))
        #expect(summary.totals.duplicates > 300 && summary.totals.rejected > 150, "\(summary.totals)")
        #expect(try Self.rows(store) == Self.rows(reference))
        #expect(try store.rejections().map { "\($0) | \($0.raw ?? "")" } == reference.rejections().map { "\($0) | \($0.raw ?? "")" })
        #expect(summary.sampleRejections.map(\.description) == referenceSummary.sampleRejections.map(\.description))
        // Appending to the store (record by record, unique index) finds every line a duplicate or rejected again.
        let (_, again) = try StoreIngest.ingest([path], into: store.database.path, options: several)
        #expect(again.totals.stored == 0)
    }

    /// Batches and chunks of lines are emptied and used again (``Recycler``): with far more chunks than can be in
    /// flight, chunks of long lines after chunks of short ones and the reverse, every row is the line it came from.
    @Test(arguments: [(1, false), (2, false), (2, true)])
    func reusedBuffersStoreEveryLineAsItIs(threads: Int, incremental: Bool) throws {
        var lines: [String] = []
        var expected: [String] = []
        for i in 0..<40_000 {
            // Chunks of 2,048 lines: every third chunk has prompts of several kilobytes, the others a few bytes.
            let long = (i / 2_048) % 3 == 1
            let prompt = String(repeating: Character(UnicodeScalar(UInt8(97 + i % 26))), count: long ? 3_000 + i % 500 : 1 + i % 9)
            lines.append(#"{"id":"p\#(i)","start":"2026-09-01T10:00:00Z","model":"gpt-4o","input_tokens":\#(i % 1000),"output_tokens":1,"prompt":"\#(prompt)"}"#)
            expected.append("p\(i) \(i + 1) \(i % 1000) \(prompt.count) \(prompt.first!)")
        }
        let path = Fixtures.write(lines.joined(separator: "\n") + "\n")
        var options = IngestOptions()
        options.decodingThreads = threads
        // A fresh store is bulk-loaded (held rows, SeenIDs); an existing one is written row by row with its index.
        let (store, summary) = try incremental ? Fixtures.ingestIncrementally([path], options: options) : Fixtures.ingest([path], options: options)
        #expect(summary.totals.stored == 40_000)
        let s = try store.database.prepare(
            "SELECT id, source_line, input_tokens, length(prompt_text), substr(prompt_text, 1, 1) FROM requests ORDER BY rowid")
        var stored: [String] = []
        while try s.step() { stored.append("\(s.string(0) ?? "") \(s.int64(1)) \(s.int64(2)) \(s.int64(3)) \(s.string(4) ?? "")") }
        #expect(stored == expected)
        let uniform = try store.database.prepare(
            "SELECT count(*) FROM requests WHERE replace(prompt_text, substr(prompt_text, 1, 1), '') != ''")
        _ = try uniform.step()
        #expect(uniform.int64(0) == 0, "a prompt holds bytes of another line")
    }

    @Test func aRecyclerHandsBackWhatItKeptUpToItsLimit() {
        let recycler = Recycler<[UInt8]>(limit: 2, keeps: { $0.capacity < 4 << 20 })
        var made = 0
        func make() -> [UInt8] { made += 1; return [] }
        var a = recycler.take(orMake: make)
        a.reserveCapacity(1 << 20)
        let capacity = a.capacity
        a.removeAll(keepingCapacity: true)
        var large: [UInt8] = []
        large.reserveCapacity(8 << 20)
        recycler.give(large)  // grown past what is kept: freed
        recycler.give(a)
        recycler.give([])
        recycler.give([])  // past the limit: freed
        let first = recycler.take(orMake: make), second = recycler.take(orMake: make), third = recycler.take(orMake: make)
        #expect(made == 2, "one at the start, one when the two kept ones were taken")
        #expect(second.capacity == capacity && first.isEmpty && second.isEmpty && third.isEmpty)
    }
}
