import CostReplayCore
import Testing
import TestSupport

@Suite struct SensitivityAndRiskTests {
    func result(fixed: Money = .zero, priors: Bool = false) throws -> ReplayResult {
        var a = Replays.request("a", at: 0, input: 1000, output: 100)
        a.tags = ["feature:chat"]
        let b = Replays.request("b", at: 86_400, input: 1000, output: 100)
        let yaml = priors ? """
            scenarios: [{name: r, strategies: [{model_router: {tiers: {small: gpt-4o-mini}, rules: [{tag: "feature:chat", tier: small}],
              quality_priors: [{tier: small, alpha: "9", beta: "1"}, {tier: keep, alpha: "99", beta: "1"}]}}]}]
            """ : #"scenarios: [{name: r, strategies: [{model_router: {tiers: {small: gpt-4o-mini}, rules: [{tag: "feature:chat", tier: small}]}}]}]"#
        return try Replays.run([a, b], scenario: yaml).0
    }

    @Test func theTornadoRanksAssumptionsBySwing() throws {
        let report = try #require(Sensitivity.tornado(try result(), scenario: nil))
        #expect(report.bars.map(\.swing) == report.bars.map(\.swing).sorted(by: >))
        // Two days replayed: baseline $0.0035 a day on each of two days; routing one of them.
        let volume = try #require(report.bars.first { $0.assumption == "traffic volume" })
        #expect(abs(volume.high - volume.low - 0.4 * report.annualCost) < 1e-9)
    }

    @Test func qualityRiskWithoutASpanIsPerWindowAndSaysSo() throws {
        var scenario = try result(priors: true).scenarios[0]
        for key in scenario.metrics.keys { scenario.metrics[key]?["span_hours"] = nil }
        scenario.daily = nil
        scenario.intervals = nil
        scenario.blocks = nil
        let estimate = try #require(QualityRisk.estimate(scenario, paths: 20_000))
        #expect(estimate.requestsPerMonth == 2)
        #expect(estimate.sources[0].hasSuffix("(the document records no span: figures are for the replayed window, not a month)"))
    }

    @Test func qualityRiskComesFromTheBetaPriors() throws {
        let estimate = try #require(QualityRisk.estimate(try result(priors: true).scenarios[0], paths: 20_000))
        // Two requests over two days: ~15.2 a month each; expected wrong = 15.2 × (0.1 + 0.01).
        let perMonth = 30.436875 / 2
        #expect(abs(estimate.requestsPerMonth - 2 * perMonth) < 1e-9)
        #expect(estimate.p10 < estimate.p50 && estimate.p50 < estimate.p90)
        #expect(abs(estimate.p50 - perMonth * 0.11) < perMonth * 0.05)
    }
}

