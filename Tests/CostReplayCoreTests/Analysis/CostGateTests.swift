import CostReplayCore
import Foundation
import Testing
import TestSupport

@Suite struct CostGateTests {
    func days(_ costs: [Double]) -> [DailyTotal] {
        costs.enumerated().map { DailyTotal(day: Timestamp.day(Int64($0.offset) * 86_400_000_000), baseline: Money(dollars: $0.element),
                                            cost: Money(dollars: $0.element), requests: 1) }
    }

    @Test func aPromptThatAdds300TokensIsPricedExactly() throws {
        // gpt-4o input at $2.50 per million: +300 tokens = +$0.00075 a request.
        let records = (0..<4).map { Replays.request("r\($0)", at: Double($0) * 3600, input: 1000, output: 100) }
        let (result, _) = try Replays.run(records, scenario: "scenarios: [{name: p, strategies: [{prompt_change: {add_tokens: 300}}]}]")
        #expect(result.scenarios[0].totals.cost - result.baseline.cost == usd("0.003"))
    }

    @Test func aSystemPromptReplacementUsesTheNewTokenCount() throws {
        var r = Replays.request("a", at: 0, input: 1500, output: 0)
        r.messages = [MessageInfo(role: "system", tokens: 1000, hash: "s"), MessageInfo(role: "user", tokens: 500, hash: "u")]
        let (result, _) = try Replays.run([r], scenario: "scenarios: [{name: p, strategies: [{prompt_change: {system_tokens: 1300}}]}]")
        // 1,800 input tokens at $2.50 per million.
        #expect(result.scenarios[0].totals.cost == usd("0.0045"))
    }

    @Test func anIncreaseWithinBudgetPasses() {
        var options = CostGate.Options()
        options.maxIncreasePercent = 5
        let v = CostGate.compare(past: days([100, 110, 90, 105]), current: days([102, 112, 92, 107]), options: options)
        #expect(v.status == .pass)
    }

    @Test func aSteadyIncreaseOverBudgetFails() {
        var options = CostGate.Options()
        options.maxIncreasePercent = 5
        let v = CostGate.compare(past: days([100, 110, 90, 105, 98, 101]), current: days([110, 121, 99, 115.5, 107.8, 111.1]), options: options)
        #expect(v.status == .fail)
        #expect(v.interval[0] > v.past * 0.05)
    }

    @Test func aNoisyIncreaseOverBudgetOnlyWarns() {
        var options = CostGate.Options()
        options.maxIncreasePercent = 5
        // +8% on average, but day to day the change swings from −20% to +40%.
        let past = [100.0, 100, 100, 100, 100, 100]
        let v = CostGate.compare(past: days(past), current: days([80, 140, 85, 130, 90, 123]), options: options)
        #expect(v.diff > v.past * 0.05)
        #expect(v.status == .warn)
        #expect(v.reasons[0].contains("not a significant increase"))
        options.strict = true
        #expect(CostGate.compare(past: days(past), current: days([80, 140, 85, 130, 90, 123]), options: options).status == .fail)
    }

    @Test func aLargeDropWarns() {
        var options = CostGate.Options()
        options.warnIncreasePercent = 20
        let v = CostGate.compare(past: days([100, 100, 100]), current: days([50, 50, 50]), options: options)
        #expect(v.status == .warn)
        #expect(v.reasons[0].hasPrefix("cost drops 50.0%"))
    }

    @Test func modelGroupsAreMonthlyAndLargestChangeFirst() {
        func row(_ model: String, _ day: String, _ cost: Double) -> ModelDay { ModelDay(model: model, day: day, cost: Money(dollars: cost)) }
        let past = [row("big", "2026-01-01", 10), row("big", "2026-01-02", 10), row("small", "2026-01-01", 1)]
        let current = [row("big", "2026-01-01", 2), row("small", "2026-01-01", 3), row("small", "2026-01-02", 3), row("big", "2026-01-03", 99)]
        let groups = CostGate.modelGroups(past: past, current: current, days: ["2026-01-01", "2026-01-02"])
        #expect(groups.map(\.group) == ["big", "small"])
        #expect(abs(groups[0].past - 10 * 30.436875) < 1e-9)
        #expect(abs(groups[0].current - 1 * 30.436875) < 1e-9)
        #expect(abs(groups[1].diff - 2.5 * 30.436875) < 1e-9)
        #expect(CostGate.modelTable(groups).contains("| big |"))
    }

    @Test func junitReportsAFailure() {
        var options = CostGate.Options()
        options.maxIncreaseUSD = 1
        let v = CostGate.compare(past: days([100, 100, 100]), current: days([200, 200, 200]), options: options)
        #expect(CostGate.junit(v).contains("<failure message=\"cost rises"))
    }
}

@Suite(.serialized) struct CheckCommandTests {
    static func setUp() throws -> (db: String, baseline: String, dir: URL) {
        let dir = Fixtures.temporaryDirectory()
        let db = dir.appendingPathComponent("g.db").path
        let trace = dir.appendingPathComponent("sample.jsonl").path
        #expect(try CLI.run(["synth", "--requests", "4000", "--seed", "42", "--days", "28", "--out", trace]).status == 0)
        #expect(try CLI.run(["ingest", trace, "--db", db]).status == 0)
        let baseline = dir.appendingPathComponent("baseline.json").path
        #expect(try CLI.run(["baseline", "create", "--db", db, "--out", baseline]).status == 0)
        return (db, baseline, dir)
    }

    @Test func exitCodesFollowTheVerdict() throws {
        let (db, baseline, dir) = try Self.setUp()
        let longer = dir.appendingPathComponent("longer.yaml").path
        try "scenarios: [{name: longer, strategies: [{prompt_change: {add_tokens: 300}}]}]".write(toFile: longer, atomically: true, encoding: .utf8)
        let markdown = dir.appendingPathComponent("comment.md").path
        let over = try CLI.run(["check", "--db", db, "--baseline", baseline, "--scenario", longer, "--max-increase", "5", "--markdown", markdown])
        #expect(over.status == 1)
        #expect(try String(contentsOfFile: markdown, encoding: .utf8).contains("over budget"))
        let json = dir.appendingPathComponent("diff.json").path
        // 300 more prompt tokens raise this sample's bill by 11.5% (interval 10.1–13.0%).
        let within = try CLI.run(["check", "--db", db, "--baseline", baseline, "--scenario", longer, "--max-increase", "15", "--json", json])
        #expect(within.status == 0)
        // The per-model diff adds up to the monthly totals; longer prompts raise every model's cost.
        let diff = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as! [String: Any]
        let models = try #require(diff["models"] as? [[String: Any]])
        #expect(models.count > 1)
        #expect(abs(models.reduce(0.0) { $0 + ($1["current"] as! Double) } - (diff["current"] as! Double)) < 1e-6)
        #expect(abs(models.reduce(0.0) { $0 + ($1["past"] as! Double) } - (diff["past"] as! Double)) < 1e-6)
        #expect(models.allSatisfy { ($0["diff"] as! Double) >= 0 })
        #expect(within.stdout.contains("| model | baseline / month |"))
    }

    @Test func aMalformedBaselineIsAnInputError() throws {
        let (db, _, dir) = try Self.setUp()
        let bad = dir.appendingPathComponent("bad.json").path
        try "{\"version\": \"costreplay.baseline/1\"}".write(toFile: bad, atomically: true, encoding: .utf8)
        let result = try CLI.run(["check", "--db", db, "--baseline", bad, "--scenario", Fixtures.root.appendingPathComponent("scenarios/caching.yaml").path])
        #expect(result.status == 2)
        #expect(result.stderr == "error: baseline \(bad) is not a CostReplay baseline document (missing 'pricesDigest')\n")
        let missing = try CLI.run(["check", "--db", db, "--baseline", dir.appendingPathComponent("none.json").path, "--result", bad])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("error: cannot read baseline"))
    }
}
