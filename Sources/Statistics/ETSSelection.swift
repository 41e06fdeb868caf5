#if canImport(Glibc)
import Glibc
#endif

/// Chooses among ETS models by AICc, within rules on what the length of the data can support.
///
/// The rules (stated with every forecast): an undamped trend needs at least eight weeks of data; a damped
/// trend at least two; weekly seasonality at least three whole weeks; the log scale needs every value
/// positive; and a model is fitted only when the data outnumber its parameters by two.
public struct ETSSelection: Sendable {
    /// One row of the evidence table: a model considered, its AICc and Akaike weight, or why it was not fitted.
    public struct Candidate: Sendable, Codable, Equatable {
        public var model: String
        public var aicc: Double?
        public var deltaAICc: Double?
        public var weight: Double?
        public var skipped: String?
    }

    public var chosen: ETSFit
    public var candidates: [Candidate]

    public static let undampedTrendMinimumDays = 56
    public static let dampedTrendMinimumDays = 14
    public static let seasonalMinimumDays = 21
    public static let minimumDays = 7

    public static let rules = [
        "models compared by AICc: level only, trend and damped trend, each with and without weekly seasonality, on cost and on log cost",
        "an undamped trend is never extrapolated from fewer than \(undampedTrendMinimumDays) days (8 weeks); a damped trend needs \(dampedTrendMinimumDays)",
        "weekly seasonality is considered from \(seasonalMinimumDays) days (3 whole weeks) and kept only when AICc prefers it",
        "log-cost models only when every day has cost; a forecast needs \(minimumDays) days",
    ]

    /// Fits every admissible candidate and keeps the one with the lowest AICc.
    public static func select(_ y: [Double], period: Int = 7, trends: [ETSSpec.Trend] = ETSSpec.Trend.allCases) throws(StatisticsError) -> ETSSelection {
        guard y.count >= minimumDays else { throw .insufficientData("a forecast needs at least \(minimumDays) days, found \(y.count)") }
        let positive = y.allSatisfy { $0 > 0 }
        var fits: [ETSFit] = []
        var rows: [Candidate] = []
        for logScale in [true, false] {
            for seasonal in [false, true] {
                for trend in ETSSpec.Trend.allCases {
                    let spec = ETSSpec(trend: trend, seasonal: seasonal, logScale: logScale)
                    if let reason = trends.contains(trend) ? refusal(spec, days: y.count, positive: positive, period: period) : "trend replaced by --growth" {
                        rows.append(Candidate(model: spec.name, skipped: reason))
                        continue
                    }
                    do {
                        fits.append(try ETSFit.fit(y, spec: spec, period: period))
                        rows.append(Candidate(model: spec.name))
                    } catch {
                        rows.append(Candidate(model: spec.name, skipped: "fit failed: \(error)"))
                    }
                }
            }
        }
        guard let best = fits.filter({ $0.aicc.isFinite }).min(by: { $0.aicc < $1.aicc }) else {
            throw .insufficientData("no exponential-smoothing model could be fitted to \(y.count) days")
        }
        let total = fits.reduce(0.0) { $0 + exp(-0.5 * ($1.aicc - best.aicc)) }
        for fit in fits {
            guard let index = rows.firstIndex(where: { $0.model == fit.spec.name }) else { continue }
            rows[index].aicc = fit.aicc
            rows[index].deltaAICc = fit.aicc - best.aicc
            rows[index].weight = exp(-0.5 * (fit.aicc - best.aicc)) / total
        }
        return ETSSelection(chosen: best, candidates: rows)
    }

    static func refusal(_ spec: ETSSpec, days: Int, positive: Bool, period: Int) -> String? {
        if spec.logScale && !positive { return "some days have no cost" }
        if spec.trend == .additive && days < undampedTrendMinimumDays { return "undamped trend needs \(undampedTrendMinimumDays) days" }
        if spec.trend == .damped && days < dampedTrendMinimumDays { return "damped trend needs \(dampedTrendMinimumDays) days" }
        if spec.seasonal && days < max(seasonalMinimumDays, 3 * period) { return "seasonality needs \(seasonalMinimumDays) days" }
        let k = spec.parameterCount(period: period)
        if days <= k + 1 { return "\(k) parameters need more than \(k + 1) days" }
        return nil
    }
}
