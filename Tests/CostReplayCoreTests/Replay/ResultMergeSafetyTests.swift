import Foundation
import Testing
import TestSupport
@testable import CostReplayCore

/// `merge` reads documents users may have edited: huge figures are refused when read, sums cannot trap, and shards
/// whose bootstrap blocks do not match never give a silently different interval.
@Suite struct ResultMergeSafetyTests {
    static let store: String = {
        var options = SynthOptions()
        options.requests = 600
        options.days = 10
        return Replays.synthesizedStore(options)
    }()

    static let scenario = "scenarios: [{name: b, strategies: [{batch_offload: {tags: [async]}}]}]"

    static func shard(_ index: Int, of count: Int, bootstrap: Int = 200) throws -> ReplayResult {
        var options = ReplayOptions()
        options.shard = ShardFilter(index: index, count: count, key: .tenant)
        options.bootstrapResamples = bootstrap
        return try Simulation(scenarioFile: try ScenarioLoader.parse(text: scenario, path: "b.yaml"), pricer: Pricer(catalog: sharedCatalog),
                              options: options).run(store: try TraceStore(existingPath: store), databasePath: "s.db").0
    }

    /// Writes the document with one JSON value replaced (as a user's editor would), and returns the path.
    static func edited(_ result: ReplayResult, _ edit: (inout [String: Any]) -> Void) throws -> String {
        var object = try JSONSerialization.jsonObject(with: try ResultFile.encode(result)) as! [String: Any]
        edit(&object)
        let path = Fixtures.temporaryDirectory().appendingPathComponent("edited.json").path
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func setScenario(_ object: inout [String: Any], _ key: String, _ value: Any, in section: String = "totals") {
        var scenarios = object["scenarios"] as! [[String: Any]]
        var inner = scenarios[0][section] as! [String: Any]
        inner[key] = value
        scenarios[0][section] = inner
        object["scenarios"] = scenarios
    }

    @Test func hugeCountsTokensAndCountersAreRefusedWithTheirPath() throws {
        let part = try Self.shard(0, of: 2)
        let cases: [(String, (inout [String: Any]) -> Void)] = [
            ("scenarios[0].totals.requests is 9223372036854775807, more than 1,000,000,000,000", { Self.setScenario(&$0, "requests", Int.max) }),
            ("scenarios[0].totals.inputTokens is 9223372036854775807, more than 1,000,000,000,000,000", { Self.setScenario(&$0, "inputTokens", Int64.max) }),
            ("scenarios[0].metrics[\"1:batch_offload\"][\"deferred\"] is 1e+308, beyond ±1e15",
             { Self.setScenario(&$0, "1:batch_offload", ["deferred": 1e308], in: "metrics") }),
        ]
        for (reason, edit) in cases {
            let path = try Self.edited(part, edit)
            #expect(performing: { _ = try ResultFile.read(path: path) }, throws: { error in
                "\(error)" == "\(path): \(reason); no replay writes that, so the document is refused (edited or damaged?)"
            })
        }
    }

    @Test func dollarFiguresBeyondTheMoneyRangeAreRefusedNotCapped() throws {
        let part = try Self.shard(0, of: 2)
        let beyond = try Self.edited(part) { Self.setScenario(&$0, "cost", 1e308) }
        #expect(performing: { _ = try ResultFile.read(path: beyond) }, throws: { error in
            "\(error)" == "\(beyond): not a CostReplay result document (scenarios[0].totals.cost: 1e+308 dollars is beyond the money range of ±$1e20)"
        })
        // Inside Money's range but beyond any bill: refused too, so no projection of it reaches the clamp.
        let huge = try Self.edited(part) { Self.setScenario(&$0, "cost", 5e19) }
        #expect(performing: { _ = try ResultFile.read(path: huge) }, throws: { error in
            "\(error)".hasPrefix("\(huge): scenarios[0].totals.cost is $50,000,000,000,000,000,000.00, more than $1,000,000,000,000,000.00")
        })
        // Block sums that do not add up to the totals (the intervals would not describe the point) are refused.
        let blocks = try Self.edited(part) {
            var scenarios = $0["scenarios"] as! [[String: Any]]
            var sums = scenarios[0]["blocks"] as! [String: Any]
            sums["baseline"] = (sums["baseline"] as! [Any]).map { _ in 1e6 }
            scenarios[0]["blocks"] = sums
            $0["scenarios"] = scenarios
        }
        #expect(performing: { _ = try ResultFile.read(path: blocks) }, throws: { error in
            "\(error)".hasPrefix("\(blocks): scenarios[0].blocks sums to a baseline of $")
        })
    }

    @Test func overflowingSumsStopTheMergeInsteadOfTrapping() throws {
        var a = try Self.shard(0, of: 2), b = try Self.shard(1, of: 2)
        a.scenarios[0].totals.requests = Int.max
        b.scenarios[0].totals.inputTokens = Int64.max
        a.scenarios[0].totals.inputTokens = 1
        #expect(throws: SimulationError.mergeMismatch("the sum of scenarios[0].totals overflows; a shard document holds figures no replay writes")) {
            try ResultFile.merge([a, b])
        }
        // Each shard within bounds, the sum beyond them: the merged document would not read back, so it is refused.
        var c = try Self.shard(0, of: 2), d = try Self.shard(1, of: 2)
        c.baseline.spans = ResultLimits.maxCount
        d.baseline.spans = ResultLimits.maxCount
        #expect(throws: SimulationError.mergeMismatch("the merged document's baseline.spans is 2000000000000, more than 1,000,000,000,000")) {
            try ResultFile.merge([c, d])
        }
    }

    @Test func aHugeCounterRendersWithoutTrapping() throws {
        var part = try Self.shard(0, of: 2)
        part.scenarios[0].metrics["1:batch_offload"]?["deferred"] = 1e308
        #expect(ReplayResultRenderer.table(part).contains("batch_offload 1e+308 deferred"))
    }

    @Test func shardsWithAndWithoutBlocksAreNotMerged() throws {
        let a = try Self.shard(0, of: 2), b = try Self.shard(1, of: 2)
        var stripped = b
        stripped.scenarios[0].blocks = nil
        #expect(throws: SimulationError.mergeMismatch("scenario point b has bootstrap blocks in 1 of 2 documents; replay every shard with the same --bootstrap (0 in all for no intervals)")) {
            try ResultFile.merge([a, stripped])
        }
        let other = try Self.shard(1, of: 2, bootstrap: 100)
        #expect(throws: SimulationError.mergeMismatch("scenario point b has bootstrap blocks of different units, seeds or resample counts")) {
            try ResultFile.merge([a, other])
        }
        // Every shard with its blocks: the intervals of the whole trace, which hold the point.
        let merged = try ResultFile.merge([a, b])
        let savings = try #require(merged.scenarios[0].intervals?.savings)
        #expect(savings[0] <= merged.scenarios[0].totals.savings.dollars && merged.scenarios[0].totals.savings.dollars <= savings[1])
    }
}
