import Statistics

/// Fits the daily cost on the log scale (trend + weekly seasonality, by GSL least squares) and
/// projects it month by month with Monte Carlo over the fit's parameter uncertainty, the monthly
/// noise, user-given growth, and each scenario's uncertain savings share.
public struct Forecaster {
    public var months = 12
    public var paths = 100_000
    public var seed: UInt64 = 42
    /// Monthly growth (mean, SD) overriding the fitted trend.
    public var growth: (mean: Double, sd: Double)?
    /// Scheduled price changes: from month `YYYY-MM` on, per-request costs are multiplied by (1 + change).
    public var priceChanges: [(month: String, change: Double)] = []

    public init() {}

    static let daysPerMonth = 30.436875

    /// Design row for day t (days since the first) and weekday w (0 = Monday).
    static func row(_ t: Double, weekday: Int, seasonal: Bool) -> [Double] {
        var row = [1, t]
        if seasonal { row += (1...6).map { weekday == $0 ? 1 : 0 } }
        return row
    }

    static func weekday(_ day: Int64) -> Int { Int(((day + 3) % 7 + 7) % 7) }

    /// Fits log(cost) on days with traffic. Seasonality needs two weeks; under three days there is nothing to fit.
    func fit(_ series: DailySeries) throws(StatisticsError) -> (LinearFit, seasonal: Bool) {
        let points = series.days.indices.filter { series.cost[$0] > 0 }
        guard points.count >= 3 else { throw .insufficientData("a forecast needs at least 3 days with traffic, found \(points.count)") }
        let seasonal = points.count >= 14
        let first = series.days[0]
        let design = points.map { Self.row(Double(series.days[$0] - first), weekday: Self.weekday(series.days[$0]), seasonal: seasonal) }
        return (try LinearFit(design: design, response: points.map { log(series.cost[$0]) }), seasonal)
    }

    public func forecast(_ series: DailySeries, scenarios: [ForecastScenario], database: String, resultPath: String?) throws -> ForecastDocument {
        var warnings: [String] = []
        let (model, seasonal) = try fit(series)
        var residualSD = model.residualVariance.squareRoot()
        var covariance = model.covariance
        if series.days.count < 14 {
            // A short trace says little about the trend: double the uncertainty rather than pretend.
            warnings.append("the trace spans \(series.days.count) days (< 14): no weekly seasonality fitted, and parameter and noise uncertainty doubled")
            residualSD *= 2
            covariance = covariance.map { $0 * 4 }
        }
        var widened = model
        widened.covariance = covariance
        let factor = try widened.choleskyFactor()
        let first = series.days[0], last = series.days.last!
        let monthsAhead = Self.calendarMonths(after: last, count: months).map { month in
            (label: month.label, days: month.days, points: month.days.map { (Double($0 - first), Self.weekday($0)) },
             price: priceChanges.filter { $0.month <= month.label }.reduce(1.0) { $0 * (1 + $1.change) })
        }
        let random = RandomSource(seed: seed)
        let all = [ForecastScenario(label: "baseline", savingsShare: 0, savingsShareSD: 0)] + scenarios
        var samples = Array(repeating: Array(repeating: [Double](repeating: 0, count: paths), count: monthsAhead.count), count: all.count)
        var annual = Array(repeating: [Double](repeating: 0, count: paths), count: all.count)
        for path in 0..<paths {
            var beta = random.correlatedNormal(mean: model.coefficients, factor: factor)
            if let growth {
                beta[1] = log(max(1e-6, 1 + growth.mean + growth.sd * random.gaussian(sigma: 1))) / Self.daysPerMonth
            }
            let shares = all.map { min(1, $0.savingsShare + $0.savingsShareSD * random.gaussian(sigma: 1)) }
            let seasonalTerms = seasonal ? [0] + Array(beta[2...]) : [Double](repeating: 0, count: 7)
            for (m, month) in monthsAhead.enumerated() {
                var total = 0.0
                for (t, weekday) in month.points { total += exp(beta[0] + beta[1] * t + seasonalTerms[weekday]) }
                // Daily noise averages over the month: its log-scale SD shrinks with √days; exp(σ²/2) keeps the mean.
                let noise = residualSD / Double(month.days.count).squareRoot()
                total *= exp(residualSD * residualSD / 2 + noise * random.gaussian(sigma: 1)) * month.price
                for s in all.indices {
                    let value = total * (1 - shares[s]) + all[s].monthlyFixed * Double(month.days.count) / Self.daysPerMonth
                    samples[s][m][path] = value
                    annual[s][path] += value
                }
            }
        }
        var rows: [ForecastDocument.MonthRow] = []
        var annualRows: [ForecastDocument.AnnualRow] = []
        for (s, scenario) in all.enumerated() {
            for (m, month) in monthsAhead.enumerated() {
                let q = try Self.quantiles(samples[s][m])
                rows.append(.init(month: month.label, scenario: scenario.label, p10: q.0, p50: q.1, p90: q.2))
            }
            let q = try Self.quantiles(annual[s])
            annualRows.append(.init(scenario: scenario.label, p10: q.0, p50: q.1, p90: q.2))
        }
        let slope = model.coefficients[1]
        return ForecastDocument(
            inputs: .init(database: database, firstDay: Timestamp.day(first * 86_400_000_000), lastDay: Timestamp.day(last * 86_400_000_000),
                          months: months, paths: paths, seed: seed, growth: growth.map { [$0.mean, $0.sd] }, result: resultPath,
                          priceChanges: priceChanges.map { "\($0.month):\($0.change)" }),
            fit: .init(days: series.days.count, weeklySeasonality: seasonal, dailyLogGrowth: slope,
                       monthlyGrowth: exp(slope * Self.daysPerMonth) - 1, residualSD: residualSD, coefficients: model.coefficients),
            months: rows, annual: annualRows, backtest: try? backtest(series), warnings: warnings)
    }

    static func quantiles(_ values: [Double]) throws(StatisticsError) -> (Double, Double, Double) {
        (try Summary.quantile(values, 0.1), try Summary.quantile(values, 0.5), try Summary.quantile(values, 0.9))
    }

    /// Holds out the last quarter of the days (at least 7), fits the rest, and compares daily errors
    /// with a naive forecast (the mean of the last 7 training days). Needs 21 days.
    public func backtest(_ series: DailySeries) throws -> ForecastDocument.Backtest? {
        guard series.days.count >= 21 else { return nil }
        let held = max(7, series.days.count / 4)
        let split = series.days.count - held
        let training = DailySeries(days: Array(series.days[..<split]), cost: Array(series.cost[..<split]), requests: Array(series.requests[..<split]))
        let (model, seasonal) = try fit(training)
        let first = series.days[0]
        let naive = training.cost.suffix(7).reduce(0, +) / 7
        var modelError = 0.0, naiveError = 0.0, counted = 0
        var modelTotal = 0.0, heldTotal = 0.0
        for index in split..<series.days.count {
            let day = series.days[index]
            let predicted = exp(model.predict(Self.row(Double(day - first), weekday: Self.weekday(day), seasonal: seasonal)) + model.residualVariance / 2)
            modelTotal += predicted
            heldTotal += series.cost[index]
            guard series.cost[index] > 0 else { continue }
            modelError += abs(predicted - series.cost[index]) / series.cost[index]
            naiveError += abs(naive - series.cost[index]) / series.cost[index]
            counted += 1
        }
        return .init(trainingDays: split, heldOutDays: held, modelMAPE: modelError / Double(max(counted, 1)),
                     naiveMAPE: naiveError / Double(max(counted, 1)), heldOutCost: heldTotal, modelTotal: modelTotal,
                     naiveTotal: naive * Double(held))
    }

    /// The `count` calendar months after the month holding `day`.
    static func calendarMonths(after day: Int64, count: Int) -> [(label: String, days: [Int64])] {
        var (year, month, _) = Timestamp.civil(fromDays: day)
        var result: [(String, [Int64])] = []
        for _ in 0..<count {
            month += 1
            if month > 12 { month = 1; year += 1 }
            let start = Timestamp.daysFromCivil(year: year, month: month, day: 1)
            let next = month == 12 ? Timestamp.daysFromCivil(year: year + 1, month: 1, day: 1) : Timestamp.daysFromCivil(year: year, month: month + 1, day: 1)
            result.append((String(format4(year)) + "-" + (month < 10 ? "0" : "") + String(month), Array(start..<next)))
        }
        return result
    }

    static func format4(_ year: Int) -> String { String(year) }
}

extension LinearFit {
    /// The prediction for `row` with other coefficients.
    func predictRow(_ row: [Double], _ beta: [Double]) -> Double { zip(row, beta).reduce(0) { $0 + $1.0 * $1.1 } }
}

#if canImport(Glibc)
import Glibc
#endif
