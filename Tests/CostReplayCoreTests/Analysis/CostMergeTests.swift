import CostReplayCore
import Foundation
import Testing
import TestSupport

/// `merge` of cost reports (`cost --format json` per partition): sums exact, hostile documents named, never a trap.
@Suite struct CostMergeTests {
    /// A real cost report of the canonical fixture, as JSON text.
    static func report() throws -> String {
        let db = Fixtures.temporaryDirectory().appendingPathComponent("c.db").path
        #expect(try CLI.run(["ingest", Fixtures.trace("canonical.jsonl"), "--db", db]).status == 0)
        let cost = try CLI.run(["cost", "--db", db, "--by", "model", "--format", "json"])
        #expect(cost.status == 0, "\(cost.stderr)")
        return cost.stdout
    }

    static func write(_ text: String, _ name: String) -> String { Fixtures.write(text, name: name) }

    static func edited(_ text: String, _ edit: (inout [String: Any]) -> Void) throws -> String {
        var document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        edit(&document)
        return String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
    }

    @Test func twoCopiesMergeToTwiceEveryCount() throws {
        let path = Self.write(try Self.report(), "part.json")
        let one = try CostReport.read(path: path)
        let merged = try CostReport.merge([one, one])
        #expect(merged.total.requests == 2 * one.total.requests)
        #expect(merged.total.inputTokens == 2 * one.total.inputTokens)
        #expect(merged.total.computedCost == one.total.computedCost + one.total.computedCost)
        #expect(merged.rows.map(\.key) == one.rows.map(\.key))
    }

    @Test func aNegativeOrHugeFigureIsRefusedByItsPath() throws {
        let text = try Self.report()
        let negative = Self.write(try Self.edited(text) { document in
            var rows = document["rows"] as! [[String: Any]]
            rows[0]["inputTokens"] = -5
            document["rows"] = rows
        }, "negative.json")
        let refused = try CLI.run(["merge", negative, negative])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("rows[0].inputTokens is -5, outside 0…"), "\(refused.stderr)")
        let huge = Self.write(try Self.edited(text) { document in
            var total = document["total"] as! [String: Any]
            total["requests"] = Int.max
            document["total"] = total
        }, "huge.json")
        let hugeRun = try CLI.run(["merge", huge, huge])
        #expect(hugeRun.status == 2)
        #expect(hugeRun.stderr.contains("total.requests is 9223372036854775807, more than"), "\(hugeRun.stderr)")
    }

    @Test func sumsThatWouldOverflowAreRefusedNotTrapped() throws {
        let big = Self.write(try Self.edited(try Self.report()) { document in
            var total = document["total"] as! [String: Any]
            total["inputTokens"] = 1_000_000_000_000_000  // the most one document may hold
            document["total"] = total
        }, "big.json")
        let merged = try CLI.run(["merge"] + Array(repeating: big, count: 2))
        #expect(merged.status == 2)
        #expect(merged.stderr.contains("inputTokens add up to more than a cost report may hold"), "\(merged.stderr)")
    }
}
