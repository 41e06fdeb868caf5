import CostReplayCore
import Foundation
import Testing
import TestSupport

@Suite struct ForecastTests {
    /// 56 days from Monday 2026-08-31 of exactly 100 · e^(0.01 t), weekends at 60%.
    func series(days: Int = 56, noise: Bool = false) -> DailySeries {
        let first = Timestamp.daysFromCivil(year: 2026, month: 8, day: 31)
        let days = (0..<Int64(days)).map { first + $0 }
        let cost = days.enumerated().map { t, day in
            let weekday = Int(((day + 3) % 7 + 7) % 7)
            let wiggle = noise ? 1 + 0.05 * sin(Double(t) * 1.7) : 1
            return 100 * exp(0.01 * Double(t)) * (weekday >= 5 ? 0.6 : 1) * wiggle
        }
        return DailySeries(days: days, cost: cost, requests: cost)
    }

    func forecaster(paths: Int = 2000) -> Forecaster {
        var f = Forecaster()
        f.months = 3
        f.paths = paths
        return f
    }

    @Test func aNoiselessSeriesIsRecoveredAndProjectedExactly() throws {
        let document = try forecaster().forecast(series(), scenarios: [ForecastScenario(label: "half", savingsShare: 0.5, savingsShareSD: 0)],
                                                 database: "test", resultPath: nil)
        #expect(abs(document.fit.dailyLogGrowth - 0.01) < 1e-9)
        #expect(document.fit.weeklySeasonality)
        // October 2026 (the month after the last day, 2026-10-25): Σ 100 e^(0.01 t) × weekday factor.
        let first = Timestamp.daysFromCivil(year: 2026, month: 8, day: 31)
        var expected = 0.0
        for day in Timestamp.daysFromCivil(year: 2026, month: 11, day: 1)..<Timestamp.daysFromCivil(year: 2026, month: 12, day: 1) {
            let weekday = Int(((day + 3) % 7 + 7) % 7)
            expected += 100 * exp(0.01 * Double(day - first)) * (weekday >= 5 ? 0.6 : 1)
        }
        let november = try #require(document.months.first { $0.month == "2026-11" && $0.scenario == "baseline" })
        #expect(abs(november.p50 - expected) / expected < 1e-6)
        #expect(november.p90 - november.p10 < expected * 1e-6)
        let half = try #require(document.months.first { $0.month == "2026-11" && $0.scenario == "half" })
        #expect(abs(half.p50 - expected / 2) / expected < 1e-6)
    }

    @Test func theSameSeedGivesTheSameForecast() throws {
        let a = try forecaster().forecast(series(noise: true), scenarios: [], database: "t", resultPath: nil)
        let b = try forecaster().forecast(series(noise: true), scenarios: [], database: "t", resultPath: nil)
        #expect(a.months == b.months)
        #expect(a.months[0].p10 < a.months[0].p50 && a.months[0].p50 < a.months[0].p90)
    }

    @Test func aShortTraceIsSaidToBeShortAndWidened() throws {
        let short = try forecaster().forecast(series(days: 10, noise: true), scenarios: [], database: "t", resultPath: nil)
        #expect(!short.fit.weeklySeasonality)
        #expect(short.warnings.first?.hasPrefix("the trace spans 10 days (< 14)") == true)
        #expect(short.backtest == nil)
    }

    @Test func fewerThanThreeDaysIsAnError() {
        #expect(throws: (any Error).self) { _ = try forecaster().forecast(series(days: 2), scenarios: [], database: "t", resultPath: nil) }
    }

    @Test func theBacktestBeatsANaiveForecastOnATrendingSeries() throws {
        let document = try forecaster().forecast(series(noise: true), scenarios: [], database: "t", resultPath: nil)
        let backtest = try #require(document.backtest)
        #expect(backtest.heldOutDays == 14)
        #expect(backtest.modelMAPE < backtest.naiveMAPE)
    }

    @Test func fixedCostsAreAddedPerMonthNotScaled() throws {
        let document = try forecaster().forecast(series(), scenarios: [ForecastScenario(label: "gpu", savingsShare: 1, savingsShareSD: 0, monthlyFixed: 1000)],
                                                 database: "t", resultPath: nil)
        let november = try #require(document.months.first { $0.month == "2026-11" && $0.scenario == "gpu" })
        // All per-request cost saved; 30 of 30.44 days of the fixed monthly cost remain.
        #expect(abs(november.p50 - 1000 * 30 / 30.436875) < 1e-6)
    }
}

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

    @Test func qualityRiskComesFromTheBetaPriors() throws {
        let estimate = try #require(QualityRisk.estimate(try result(priors: true).scenarios[0], paths: 20_000))
        // Two requests over two days: ~15.2 a month each; expected wrong = 15.2 × (0.1 + 0.01).
        let perMonth = 30.436875 / 2
        #expect(abs(estimate.requestsPerMonth - 2 * perMonth) < 1e-9)
        #expect(estimate.p10 < estimate.p50 && estimate.p50 < estimate.p90)
        #expect(abs(estimate.p50 - perMonth * 0.11) < perMonth * 0.05)
    }
}

@Suite struct ScheduledPriceTests {
    @Test func aScheduledPriceCutLowersTheMonthsFromItsDate() throws {
        var f = ForecastTests().forecaster()
        let plain = try f.forecast(ForecastTests().series(), scenarios: [], database: "t", resultPath: nil)
        f.priceChanges = [("2026-12", -0.2)]
        let cut = try f.forecast(ForecastTests().series(), scenarios: [], database: "t", resultPath: nil)
        let nov = (plain.months.first { $0.month == "2026-11" }!, cut.months.first { $0.month == "2026-11" }!)
        let dec = (plain.months.first { $0.month == "2026-12" }!, cut.months.first { $0.month == "2026-12" }!)
        #expect(abs(nov.1.p50 - nov.0.p50) < 1e-9 * nov.0.p50)
        #expect(abs(dec.1.p50 - 0.8 * dec.0.p50) < 1e-6 * dec.0.p50)
    }
}
