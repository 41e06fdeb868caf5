import CostReplayCore
import Foundation
import Statistics
import Testing
import TestSupport

@Suite struct ForecastTests {
    /// Daily cost ending Sunday 2026-10-25: `level · e^(growth t)`, weekends at `weekend`, with seeded log noise.
    func series(days: Int = 56, level: Double = 100, growth: Double = 0, weekend: Double = 1, noise: Double = 0) -> DailySeries {
        let last = Timestamp.daysFromCivil(year: 2026, month: 10, day: 25)
        let dates = (0..<Int64(days)).map { last - Int64(days) + 1 + $0 }
        let random = RandomSource(seed: 3)
        let cost = dates.enumerated().map { t, day in
            let weekday = Int(((day + 3) % 7 + 7) % 7)
            return level * exp(growth * Double(t)) * (weekday >= 5 ? weekend : 1) * exp(noise == 0 ? 0 : random.gaussian(sigma: noise))
        }
        return DailySeries(days: dates, cost: cost, requests: cost)
    }

    func forecaster(months: Int = 4) -> Forecaster {
        var f = Forecaster()
        f.months = months
        f.paths = 1000
        f.backtestHorizons = [7]
        return f
    }

    func day(_ y: Int, _ m: Int, _ d: Int) -> Int64 { Timestamp.daysFromCivil(year: y, month: m, day: d) }

    func row(_ document: ForecastDocument, _ month: String, _ scenario: String = "baseline") throws -> ForecastDocument.MonthRow {
        try #require(document.months.first { $0.month == month && $0.scenario == scenario })
    }

    @Test func aFlatSeriesGivesAFlatForecast() throws {
        let document = try forecaster().forecast(series(), scenarios: [], database: "t", resultPath: nil)
        #expect(document.model.chosen.hasPrefix("ETS(A,N,N) on"))
        for (month, days) in [("2026-11", 30.0), ("2026-12", 31), ("2027-01", 31), ("2027-02", 28)] {
            let r = try row(document, month)
            #expect(abs(r.p50 - 100 * days) < 1e-6 * 100 * days)
            #expect(r.p90 - r.p10 < 1e-6 * r.p50)
        }
    }

    @Test func aFourWeekSeriesNeverGetsAnUndampedTrend() throws {
        let document = try forecaster().forecast(series(days: 28, growth: 0.03, noise: 0.05), scenarios: [], database: "t", resultPath: nil)
        #expect(!document.model.chosen.contains("ETS(A,A,"))
        let undamped = document.model.candidates.filter { $0.model.hasPrefix("ETS(A,A,") }
        #expect(undamped.count == 4 && undamped.allSatisfy { $0.skipped == "undamped trend needs 56 days" })
        #expect(document.warnings.first?.hasPrefix("the trace spans 28 days (< 8 weeks): no undamped trend is extrapolated") == true)
        #expect(document.model.widening > 1.4)
    }

    @Test func aicCPicksTheSeasonalModelOnAClearlySeasonalSeries() throws {
        let document = try forecaster().forecast(series(weekend: 0.4, noise: 0.05), scenarios: [], database: "t", resultPath: nil)
        #expect(document.model.chosen.contains(",A) on"))
        let chosen = try #require(document.model.candidates.first { $0.model == document.model.chosen })
        #expect(chosen.deltaAICc == 0)
    }

    @Test func aDriverThatDoublesRequestsInMonthThreeDoublesTheScenarioCostFromMonthThree() throws {
        var f = forecaster(months: 4)
        var drivers = ForecastDrivers()
        drivers.features = [.init(tag: "feature:chat", requests: ["2026-11": 3000, "2027-01": 6000])]
        f.drivers = drivers
        // All recent cost is chat's: 2,800 requests at $1 over 28 days.
        f.basis = DriverBasis(days: 28, cost: 2800, tags: ["feature:chat": .init(cost: 2800, requests: 2800, drivenCost: 2800)])
        let document = try f.forecast(series(), scenarios: [ForecastScenario(label: "half", savingsShare: 0.5, savingsShareSD: 0)],
                                      database: "t", resultPath: nil)
        let (nov, dec, jan, feb) = (try row(document, "2026-11", "half"), try row(document, "2026-12", "half"),
                                    try row(document, "2027-01", "half"), try row(document, "2027-02", "half"))
        #expect(abs(nov.p50 - 1500) < 1e-6 && abs(dec.p50 - 1500) < 1e-6)
        #expect(abs(jan.p50 - 2 * dec.p50) < 1e-6 && abs(feb.p50 - 2 * dec.p50) < 1e-6)
        // The history alone says $100 a day at half cost; the drivers part is the rest.
        #expect(abs(jan.historyP50 - 1550) < 1e-6 && abs(jan.driversP50 - 1450) < 1e-6)
        #expect(document.assumptions.contains { $0.hasPrefix("feature:chat: 100.0% of recent cost, projected from the plan") })
    }

    @Test func scheduledPriceChangesApplyOnTheirDates() throws {
        var f = forecaster(months: 3)
        f.priceChanges = [.init(day: day(2026, 12, 15), change: -0.5)]
        f.basis = DriverBasis(days: 28, cost: 2800, tags: [:], catalogPrices: [(day(2027, 1, 10), 0.8)])
        let document = try f.forecast(series(), scenarios: [], database: "t", resultPath: nil)
        #expect(abs(try row(document, "2026-11").p50 - 3000) < 1e-6)
        // 14 days at $100, then 17 at $50.
        #expect(abs(try row(document, "2026-12").p50 - (1400 + 850)) < 1e-6)
        // January: 9 days at $50, then the catalog's new prices (0.8×) for 22 days.
        #expect(abs(try row(document, "2027-01").p50 - (450 + 22 * 40)) < 1e-6)
        #expect(abs(try row(document, "2027-01").driversP50 - (450 + 880 - 3100)) < 1e-6)
    }

    @Test func fixedCostsAreAddedPerMonthNotScaled() throws {
        let document = try forecaster().forecast(series(), scenarios: [ForecastScenario(label: "gpu", savingsShare: 1, savingsShareSD: 0, monthlyFixed: 1000)],
                                                 database: "t", resultPath: nil)
        #expect(abs(try row(document, "2026-11", "gpu").p50 - 1000 * 30 / 30.436875) < 1e-6)
    }

    @Test func theSameSeedGivesTheSameForecastWithBacktests() throws {
        var f = forecaster()
        f.backtestHorizons = [7, 28, 90]
        let a = try f.forecast(series(growth: 0.01, noise: 0.1), scenarios: [], database: "t", resultPath: nil)
        let b = try f.forecast(series(growth: 0.01, noise: 0.1), scenarios: [], database: "t", resultPath: nil)
        #expect(a.months == b.months && a.backtest == b.backtest)
        #expect(a.months[0].p10 < a.months[0].p50 && a.months[0].p50 < a.months[0].p90)
        #expect(a.backtest.horizons.map(\.days) == [7, 28])
        #expect(a.backtest.skipped == ["90-day horizon: needs 111 days, the series has 56"])
    }

    @Test func fewerThanSevenDaysIsAnError() {
        #expect(throws: StatisticsError.insufficientData("a forecast needs at least 7 days, found 5")) {
            _ = try forecaster().forecast(series(days: 5), scenarios: [], database: "t", resultPath: nil)
        }
    }

    @Test func theRenderingsCarryTheModelTheBacktestAndTheParts() throws {
        let document = try forecaster().forecast(series(weekend: 0.5, noise: 0.1), scenarios: [], database: "t", resultPath: nil)
        let table = ForecastRenderer.table(document)
        #expect(table.contains("Model: \(document.model.chosen), chosen by AICc on 56 days"))
        #expect(table.contains("Rolling-origin backtest"))
        let csv = ForecastRenderer.csv(document)
        #expect(csv.hasPrefix("month,scenario,p10_usd,p50_usd,p90_usd,history_p50_usd,drivers_p50_usd,model,price_catalog"))
        let html = ForecastHTML.render(document)
        #expect(html.contains("<polygon points=") && html.contains("<h3>Backtest</h3>") && !html.contains("<script"))
        let decoded = try JSONDecoder().decode(ForecastDocument.self, from: Data(try ForecastRenderer.json(document).utf8))
        #expect(decoded.months == document.months && decoded.version == "costreplay.forecast/2")
    }
}

@Suite struct ForecastDriversFileTests {
    @Test func aDriversFileReadsEveryKind() throws {
        let drivers = try ForecastDrivers.parse(text: """
            version: 1
            features:
              - {tag: "feature:chat", requests: {2027-01: 120000, 2027-03: 240000}}
              - {tag: "feature:search", users: {2027-01: 500}, requests_per_user: 40}
            launches:
              - {name: agent, date: 2027-02-15, requests_per_month: 50000, like: "feature:chat"}
            migrations:
              - {date: 2027-01-10, from: gpt-4o, to: gpt-4o-mini, share: 0.5}
            price_changes:
              catalog: false
              scheduled: [{date: 2027-04-01, change: -0.2}]
            """, path: "d.yaml")
        #expect(drivers.features[0].requests == ["2027-01": 120000, "2027-03": 240000])
        #expect(drivers.features[1].requestsPerUser == 40)
        #expect(drivers.launches[0].day == Timestamp.daysFromCivil(year: 2027, month: 2, day: 15))
        #expect(drivers.migrations[0].share == 0.5 && !drivers.catalogPrices)
        #expect(drivers.priceChanges == [.init(day: Timestamp.daysFromCivil(year: 2027, month: 4, day: 1), change: -0.2)])
    }

    @Test func aBadMonthIsNamedWithItsLineAndKey() {
        #expect(throws: ScenarioError(file: "d.yaml", line: 3, key: "requests", "expected a month YYYY-MM")) {
            _ = try ForecastDrivers.parse(text: "features:\n  - tag: chat\n    requests: {2027-13: 5}\n", path: "d.yaml")
        }
        #expect(throws: ScenarioError(file: "d.yaml", line: 1, key: "growth", "unknown key in the drivers file; expected version, features, launches, migrations, price_changes")) {
            _ = try ForecastDrivers.parse(text: "growth: 3\n", path: "d.yaml")
        }
    }

    @Test func aSeriesFileWithABadCostIsNamedByLine() throws {
        let path = NSTemporaryDirectory() + "costreplay-series-\(getpid()).csv"
        try "day,cost\n2026-01-01,3\n2026-01-02,lots\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ScenarioError(file: path, line: 3, key: "cost", "expected a cost from 0 to 1,000,000,000,000 dollars a day, got 'lots'")) {
            _ = try DailySeries.read(csv: path)
        }
        // A cost past the forecast's range is refused, not turned into infinity and printed as $0.00.
        try "day,cost\n2026-01-01,3\n2026-01-02,1e308\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ScenarioError.self) { _ = try DailySeries.read(csv: path) }
    }

    @Test func volumesPricesAndSharesPastTheirRangesAreRefusedWithLineAndKey() {
        func refused(_ text: String, line: Int, key: String) {
            do {
                _ = try ForecastDrivers.parse(text: text, path: "d.yaml")
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.file == "d.yaml" && error.line == line && error.key == key, "\(error)")
            }
        }
        refused("features:\n  - tag: chat\n    requests: {2026-11: 1e308}\n", line: 3, key: "requests")
        refused("features:\n  - tag: chat\n    requests: {2026-11: 99999999999999999999}\n", line: 3, key: "requests")
        refused("launches:\n  - {name: a, date: 2027-01-01, requests_per_month: 1e300, like: chat}\n", line: 2, key: "requests_per_month")
        refused("features:\n  - {tag: chat, users: {2027-01: 5}, requests_per_user: 1e308}\n", line: 2, key: "requests_per_user")
        refused("price_changes:\n  scheduled: [{date: 2027-01-01, change: 1e308}]\n", line: 2, key: "change")
        refused("migrations:\n  - {date: 2026-12-01, from: gpt-4o, to: gpt-4o-mini, share: 1}\n"
                + "  - {date: 2026-12-01, from: GPT-4o, to: gpt-4o-mini, share: 0.5}\n", line: 3, key: "share")
        refused("features:\n  - {tag: chat, requests: {2027-01: 5}}\n  - {tag: chat, requests: {2027-02: 5}}\n", line: 3, key: "tag")
        refused("version: 2\n", line: 1, key: "version")
    }

    @Test func errorsFoundAgainstTheTraceNameTheDriversFileAndLine() throws {
        let drivers = try ForecastDrivers.parse(text: "version: 1\nfeatures:\n  - {tag: \"feature:none\", requests: {2027-01: 5}}\n", path: "d.yaml")
        let basis = DriverBasis(days: 28, cost: 2800, tags: ["feature:chat": .init(cost: 2800, requests: 2800, drivenCost: 2800)])
        #expect(throws: ScenarioError(file: "d.yaml", line: 3, key: "tag",
                                      "no priced requests carry the tag feature:none in the last 28 days of the trace")) {
            _ = try DriverEffects.make(drivers, basis: basis, priceChanges: [], lastDay: 20_000, horizon: 60)
        }
        // Within each bound, but a hundred billion users at a million requests each is past $1e12 a day.
        let huge = try ForecastDrivers.parse(text: "features:\n  - {tag: \"feature:chat\", users: {1970-01: 1e11}, requests_per_user: 1e6}\n", path: "d.yaml")
        #expect(throws: ScenarioError.self) {
            _ = try DriverEffects.make(huge, basis: basis, priceChanges: [], lastDay: 20_000, horizon: 60)
        }
    }

    /// A replayed result over days 0–9 whose first scenario carries $300 of fixed cost and none of the span sources.
    func resultWithFixedCostAndNoSpan() throws -> ReplayResult {
        let records = (0..<10).map { Replays.request("r\($0)", at: Double($0) * 86_400 + 60) }
        var (result, _) = try Replays.run(records, scenario: "scenarios: [{name: s, strategies: [exact_cache]}]")
        result.scenarios[0].totals.fixedCost = Money(dollars: 300)
        result.scenarios[0].totals.cost = result.scenarios[0].totals.cost + Money(dollars: 300)
        result.scenarios[0].metrics = result.scenarios[0].metrics.mapValues { $0.filter { $0.key != "span_hours" } }
        result.scenarios[0].intervals = nil
        return result
    }

    @Test func fixedCostsAreSpreadOverTheDaysTheResultDocumentRecords() throws {
        var result = try resultWithFixedCostAndNoSpan()
        #expect(result.scenarios[0].daily?.count == 10)
        let fromDaily = try #require(try ForecastScenario.from(result).first)
        #expect(abs(fromDaily.monthlyFixed - 30 * 30.436875) < 1e-9)
        result.scenarios[0].daily = nil
        result.scenarios[0].metrics["1:exact_cache", default: [:]]["span_hours"] = 120
        #expect(abs(try ForecastScenario.from(result)[0].monthlyFixed - 60 * 30.436875) < 1e-9)
    }

    @Test func aResultWithFixedCostsAndNoSpanIsRefusedNotGivenThirtyDays() throws {
        var result = try resultWithFixedCostAndNoSpan()
        result.scenarios[0].daily = nil
        #expect(throws: ScenarioError(file: "plan.json", line: 0, key: "scenarios[0]",
                                      "scenario \"s\" has fixed costs but no span to spread them over (no span_hours metric, daily totals or bootstrap blocks)")) {
            try ForecastScenario.from(result, path: "plan.json")
        }
        result.scenarios[0].totals.fixedCost = .zero
        #expect(try ForecastScenario.from(result, path: "plan.json")[0].monthlyFixed == 0)
    }
}

/// A store whose span is absurd (one record dated in year 1) is forecast from its latest days, quickly, and
/// the document says how much was left out (the held-out probe's odd store took over five minutes before).
@Suite struct ForecastHistoryLimitTests {
    @Test func aStrayAncientRecordLimitsTheHistoryAndIsNamed() throws {
        var ancient = Replays.request("ancient", at: 0)
        ancient.startMicros = Timestamp.parseISO("0001-01-01")!
        ancient.endMicros = ancient.startMicros! + 1_000_000
        let recent = (0..<60).map { Replays.request("r\($0)", at: Double($0) * 86_400) }
        let trace = Fixtures.write(([ancient] + recent).map(CanonicalEncoder.line).joined(separator: "\n") + "\n")
        let (store, _) = try Fixtures.ingest([trace])
        let pricer = Pricer(catalog: sharedCatalog)
        let whole = try DailySeries.from(store: store, pricer: pricer, window: TraceStore.TimeWindow())
        #expect(Int64(whole.days.count) == DailySeries.maximumHistoryDays)
        #expect(whole.droppedDays > 700_000)
        // A shorter limit keeps the fit quick in a debug build; the rule is the same.
        let series = try DailySeries.from(store: store, pricer: pricer, window: TraceStore.TimeWindow(), maximumDays: 42)
        #expect(series.days.count == 42)
        var forecaster = Forecaster()
        forecaster.months = 3
        forecaster.paths = 500
        let document = try forecaster.forecast(series, scenarios: [], database: "t.db", resultPath: nil, driversPath: nil)
        #expect(document.assumptions.contains { $0.hasPrefix("history limited to the latest 42 days; ") })
    }
}
