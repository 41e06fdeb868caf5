import Statistics

/// Projects daily cost with the exponential-smoothing model AICc chooses (``ETSSelection``), simulates
/// seeded sample paths, applies the drivers day by day, and sums calendar months per scenario.
public struct Forecaster {
    public var months = 12
    public var paths = 10_000
    public var seed: UInt64 = 42
    /// Monthly growth (mean, SD) in place of a fitted trend: only level models are fitted then.
    public var growth: (mean: Double, sd: Double)?
    public var drivers: ForecastDrivers?
    /// The recent trace the drivers read; nil for a series given directly.
    public var basis: DriverBasis?
    /// Scheduled price changes from the command line, on top of the drivers file's.
    public var priceChanges: [ForecastDrivers.PriceChange] = []
    public var backtestHorizons = RollingBacktest.defaultHorizons

    public init() {}

    static let daysPerMonth = 30.436875

    /// The chosen model for `series`, within the growth rule.
    public func select(_ series: DailySeries) throws(StatisticsError) -> ETSSelection {
        try ETSSelection.select(series.cost, trends: growth == nil ? ETSSpec.Trend.allCases : [.none])
    }

    /// The days after the trace through the end of the last forecast month, and the months reported.
    public func horizon(after last: Int64) -> (days: Int, months: [(label: String, days: [Int64])]) {
        let calendar = Self.calendarMonths(after: last, count: months)
        return (Int((calendar.last?.days.last ?? last) - last), calendar)
    }

    public func forecast(_ series: DailySeries, scenarios: [ForecastScenario], database: String, resultPath: String?,
                         driversPath: String? = nil) throws -> ForecastDocument {
        let selection = try select(series)
        let fit = selection.chosen
        guard let first = series.days.first, let last = series.days.last else { throw StatisticsError.insufficientData("an empty series") }
        let (horizon, calendar) = horizon(after: last)
        let effects = try DriverEffects.make(drivers, basis: basis, priceChanges: priceChanges, lastDay: last, horizon: horizon)
        let monthOf = (0..<horizon).map { i in calendar.firstIndex { $0.days.contains(last + 1 + Int64(i)) } }
        let all = [ForecastScenario(label: "baseline", savingsShare: 0, savingsShareSD: 0)] + scenarios
        let empty = Array(repeating: Array(repeating: [Double](repeating: 0, count: paths), count: calendar.count + 1), count: all.count)
        var (total, driven) = (empty, empty)
        let random = RandomSource(seed: seed)
        var history = [Double](repeating: 0, count: calendar.count), added = history
        // Driven cost varies per request as the history does: the path's ratio to the median path scales it.
        let median = fit.median(horizon: horizon)
        fit.simulate(horizon: horizon, paths: paths, random: random, inflation: ETSForecast.inflation(days: fit.observations)) { path, values in
            let rate = growth.map { log(max(1e-6, 1 + $0.mean + $0.sd * random.gaussian(sigma: 1))) / Self.daysPerMonth } ?? 0
            for m in history.indices { history[m] = 0; added[m] = 0 }
            for i in 0..<horizon {
                guard let m = monthOf[i] else { continue }
                let day = values[i] * exp(rate * Double(i + 1))
                history[m] += day
                let ratio = median[i] > 0 ? values[i] / median[i] : 1
                added[m] += day * (effects.scale[i] - 1) + effects.added[i] * ratio
            }
            for (s, scenario) in all.enumerated() {
                let kept = 1 - min(1, scenario.savingsShare + scenario.savingsShareSD * random.gaussian(sigma: 1))
                for m in history.indices {
                    let fixed = scenario.monthlyFixed * Double(calendar[m].days.count) / Self.daysPerMonth
                    total[s][m][path] = (history[m] + added[m]) * kept + fixed
                    driven[s][m][path] = added[m] * kept
                    total[s][calendar.count][path] += total[s][m][path]
                    driven[s][calendar.count][path] += driven[s][m][path]
                }
            }
        }
        var rows: [ForecastDocument.MonthRow] = [], annual: [ForecastDocument.AnnualRow] = []
        for (s, scenario) in all.enumerated() {
            for m in 0...calendar.count {
                let q = try Self.quantiles(total[s][m])
                let drivers = try Summary.quantile(driven[s][m], 0.5)
                let fromHistory = try Summary.quantile(zip(total[s][m], driven[s][m]).map { $0 - $1 }, 0.5)
                if m < calendar.count {
                    rows.append(.init(month: calendar[m].label, scenario: scenario.label, p10: q.0, p50: q.1, p90: q.2, historyP50: fromHistory, driversP50: drivers))
                } else {
                    annual.append(.init(scenario: scenario.label, p10: q.0, p50: q.1, p90: q.2, historyP50: fromHistory, driversP50: drivers))
                }
            }
        }
        func day(_ d: Int64) -> String { Timestamp.day(d * 86_400_000_000) }
        return ForecastDocument(
            inputs: .init(database: database, firstDay: day(first), lastDay: day(last), months: months, paths: paths, seed: seed,
                          growth: growth.map { [$0.mean, $0.sd] }, result: resultPath, drivers: driversPath,
                          priceChanges: priceChanges.map { "\(day($0.day)):\($0.change)" }),
            model: Self.summary(selection), history: zip(series.days, series.cost).map { .init(day: day($0), cost: $1) },
            months: rows, annual: annual, backtest: try RollingBacktest.run(series.cost, horizons: backtestHorizons, seed: seed),
            assumptions: assumptions(fit, scenarios: scenarios, resultPath: resultPath) + effects.assumptions
                + (series.droppedDays > 0 ? ["history limited to the latest \(series.days.count) days; \(series.droppedDays) earlier days of the store's span are not used"] : []),
            warnings: warnings(fit))
    }

    /// Daily P10/P50/P90 for the `horizon` days after the series (the benchmark's entry point).
    public func daily(_ series: DailySeries, horizon: Int) throws -> DailyForecast {
        let selection = try select(series)
        let q = try ETSForecast.quantiles(selection.chosen, horizon: horizon, paths: paths, random: RandomSource(seed: seed))
        return DailyForecast(model: Self.summary(selection), p10: q.p10, p50: q.p50, p90: q.p90)
    }

    static func summary(_ selection: ETSSelection) -> ForecastDocument.ModelSummary {
        let fit = selection.chosen
        return .init(chosen: fit.spec.name, days: fit.observations, alpha: fit.alpha, beta: fit.spec.trend == .none ? nil : fit.beta,
                     gamma: fit.spec.seasonal ? fit.gamma : nil, phi: fit.spec.trend == .damped ? fit.phi : nil, sigma: fit.sigma,
                     widening: ETSForecast.inflation(days: fit.observations), aicc: fit.aicc, candidates: selection.candidates, rules: ETSSelection.rules)
    }

    func assumptions(_ fit: ETSFit, scenarios: [ForecastScenario], resultPath: String?) -> [String] {
        var list = ["history: \(fit.spec.name), chosen by AICc on \(fit.observations) days; the traffic pattern, model mix and prices "
                    + "of the trace continue unless a driver says otherwise"]
        if let growth {
            list.append("growth \(MoneyFormat.fixed(growth.mean * 100, decimals: 1))% a month (SD \(MoneyFormat.fixed(growth.sd * 100, decimals: 1)) points) in place of a fitted trend")
        }
        if !scenarios.isEmpty {
            list.append("scenario savings shares from \(resultPath ?? "the result document"), drawn from their 95% bootstrap intervals; "
                        + "fixed monthly costs (local servers) added unchanged; drivers scale each scenario's per-request cost")
        }
        if drivers != nil {
            list.append("driver volumes are taken as given (their own uncertainty is not modelled); the cost of a driven request "
                        + "varies day to day as the history's cost does")
        }
        return list
    }

    func warnings(_ fit: ETSFit) -> [String] {
        guard fit.observations < ETSSelection.undampedTrendMinimumDays else { return [] }
        return ["the trace spans \(fit.observations) days (< 8 weeks): no undamped trend is extrapolated, and the intervals are "
                + "widened \(MoneyFormat.fixed(ETSForecast.inflation(days: fit.observations), decimals: 2))× for what so little data cannot tell"]
    }

    static func quantiles(_ values: [Double]) throws(StatisticsError) -> (Double, Double, Double) {
        (try Summary.quantile(values, 0.1), try Summary.quantile(values, 0.5), try Summary.quantile(values, 0.9))
    }

    /// The `count` calendar months after the month holding `day`.
    static func calendarMonths(after day: Int64, count: Int) -> [(label: String, days: [Int64])] {
        var (year, month, _) = Timestamp.civil(fromDays: day)
        var result: [(String, [Int64])] = []
        for _ in 0..<count {
            month += 1
            if month > 12 { month = 1; year += 1 }
            let start = Timestamp.daysFromCivil(year: year, month: month, day: 1)
            result.append((DriverEffects.monthLabel(start), Array(start..<(start + Int64(Timestamp.daysIn(month: month, year: year))))))
        }
        return result
    }
}

/// Daily quantiles for a series given directly (`forecast --series FILE --daily N`).
public struct DailyForecast: Sendable, Codable {
    public var version = "costreplay.daily-forecast/1"
    public var model: ForecastDocument.ModelSummary
    public var p10: [Double]
    public var p50: [Double]
    public var p90: [Double]
}

#if canImport(Glibc)
import Glibc
#endif
