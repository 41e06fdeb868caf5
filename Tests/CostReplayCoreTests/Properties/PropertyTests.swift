import CostReplayCore
import Foundation
import PropertyBased
import Testing
import TestSupport

/// Properties that must hold for any input, checked on generated values (shrunk on failure).
@Suite struct MoneyProperties {
    static let counts = Gen.int64(in: 0...TokenUsage.maximum)
    static let rates = Gen.int64(in: 0...1_000_000_000_000_000)

    @Test func tokensTimesAnyCatalogRateIsExactAndNeverTraps() async {
        await propertyCheck(count: 500, input: Self.counts, Self.rates) { tokens, nanos in
            let cost = TokenRate(nanosPerMillion: nanos).cost(tokens)
            #expect(cost.femtos == Int128(tokens) * Int128(nanos))
            #expect(cost.femtos >= 0)
        }
    }

    @Test func addingAmountsIsAssociativeAndCommutative() async {
        let amounts = Gen.int64(in: Int64.min / 4...Int64.max / 4)
        await propertyCheck(count: 500, input: amounts, amounts, amounts) { a, b, c in
            let x = Money(femtos: Int128(a)), y = Money(femtos: Int128(b)), z = Money(femtos: Int128(c))
            #expect((x + y) + z == x + (y + z))
            #expect(x + y == y + x)
            #expect(x + y - y == x)
        }
    }

    @Test func anyDoubleBecomesMoneyWithoutTrapping() async {
        let doubles = Gen.double(in: -1e300...1e300)
        await propertyCheck(count: 500, input: doubles) { dollars in
            let money = Money(dollars: dollars)
            if abs(dollars) < 1e6 { #expect(abs(money.dollars - dollars) <= 1e-9 + abs(dollars) * 1e-15) }
        }
    }
}

@Suite struct TokenProperties {
    static let count = Gen.int64(in: 0...2_000)

    @Test func consistentCountsSurviveTheCanonicalRoundTrip() async throws {
        await propertyCheck(count: 200, input: Self.count, Self.count, Self.count, Self.count) { cached, written, output, reasoning in
            let usage = TokenUsage(input: cached + written + 7, output: output + reasoning, cacheRead: cached, cacheWrite5m: written / 2,
                                   cacheWrite1h: written - written / 2, reasoning: reasoning)
            #expect(usage.inconsistency == nil)
            var record = TraceRecord(id: "r")
            record.model = "gpt-4o"
            record.startMicros = 1_788_000_000_000_000
            record.usage = usage
            let path = Fixtures.write(CanonicalEncoder.line(record) + "\n")
            let (store, summary) = try Fixtures.ingest([path])
            #expect(summary.totals.stored == 1)
            var read: TokenUsage?
            try store.forEachRecord { stored, _ in read = stored.usage }
            #expect(read == usage)
        }
    }

    @Test func cachedTokensBeyondInputAreAlwaysFlagged() async {
        await propertyCheck(count: 300, input: Self.count, Gen.int64(in: 1...1_000)) { input, excess in
            let usage = TokenUsage(input: input, output: 1, cacheRead: input + excess)
            #expect(usage.inconsistency?.field == "cache_read_tokens")
        }
    }
}

@Suite struct IngestProperties {
    /// Records with distinct ids, some of them broken, as JSONL lines.
    static func lines(_ n: Int, broken: Set<Int>) -> [String] {
        (0..<n).map { i in
            broken.contains(i) ? "{\"id\":\"b\(i)\",\"model\":\"gpt-4o\",\"input_tokens\":-1,\"output_tokens\":1}"
                : "{\"id\":\"r\(i)\",\"start\":\"2026-09-01T10:00:00Z\",\"model\":\"gpt-4o\",\"input_tokens\":\(i + 1),\"output_tokens\":1}"
        }
    }

    @Test func ingestingAFileInAnyTwoPartsInAnyOrderStoresTheSameAsOnce() async throws {
        await propertyCheck(count: 40, input: Gen.int(in: 1...60), Gen.int(in: 0...60), Gen.bool, Gen.int(in: 0...60)) { n, cutAt, reversed, brokenAt in
            let all = Self.lines(n, broken: [brokenAt % n])
            let cut = cutAt % (n + 1)
            let first = Fixtures.write(all[..<cut].joined(separator: "\n") + "\n"), second = Fixtures.write(all[cut...].joined(separator: "\n") + "\n")
            let whole = Fixtures.write(all.joined(separator: "\n") + "\n")
            let (store, split) = try Fixtures.ingest(reversed ? [second, first] : [first, second])
            let (reference, once) = try Fixtures.ingest([whole])
            #expect(store.requestCount == reference.requestCount)
            #expect(split.totals.stored == once.totals.stored)
            #expect(split.totals.rejected == once.totals.rejected)
            #expect(split.totals.read == split.totals.stored + split.totals.duplicates + split.totals.rejected)
            // And the whole file again on top: everything is a duplicate, nothing new.
            let again = try Ingestor(store: store, options: IngestOptions()).ingest(paths: [whole])
            #expect(again.totals.stored == 0)
            #expect(again.totals.duplicates == once.totals.stored)
        }
    }

    /// Line ends (LF, CRLF, a lone CR) mixed in any way, and byte-order marks before any lines, read as the same
    /// records and rejects as the plain LF file, with every line numbered the same.
    @Test func anyMixOfLineEndsAndByteOrderMarksReadsAsThePlainFile() async throws {
        await propertyCheck(count: 40, input: Gen.int(in: 1...40), Gen.int(in: 0...Int.max / 2), Gen.int(in: 0...40)) { n, pattern, brokenAt in
            let all = Self.lines(n, broken: [brokenAt % n])
            var mixed: [UInt8] = []
            for (index, line) in all.enumerated() {
                let choice = (pattern >> (2 * (index % 30))) & 3
                if (pattern >> (index % 60)) & 1 == 1 && index % 7 == 3 { mixed += [0xEF, 0xBB, 0xBF] }
                mixed += Array(line.utf8) + (choice == 0 ? [10] : choice == 1 ? [13, 10] : choice == 2 ? [13] : (index == all.count - 1 ? [] : [10]))
            }
            let path = Fixtures.temporaryDirectory().appendingPathComponent("mixed.jsonl").path
            FileManager.default.createFile(atPath: path, contents: Data(mixed))
            let (store, summary) = try Fixtures.ingest([path])
            let (reference, once) = try Fixtures.ingest([Fixtures.write(all.joined(separator: "\n") + "\n")])
            #expect(summary.totals == once.totals)
            #expect(store.requestCount == reference.requestCount)
            #expect(try store.rejections().map { [$0.location.line, $0.item] } == reference.rejections().map { [$0.location.line, $0.item] })
        }
    }
}
