#if canImport(Glibc)
import Glibc
#endif

/// Daily P10/P50/P90 from the chosen ETS model's simulated sample paths, widened for short series.
public enum ETSForecast {
    /// Daily quantiles over a horizon.
    public struct Quantiles: Sendable, Equatable {
        public var p10: [Double]
        public var p50: [Double]
        public var p90: [Double]
    }

    /// How much the innovations' SD is widened for a series of `days`: a short series says little about
    /// its own model (which of the candidates, which parameters), which the fitted σ does not carry.
    /// √(56 / days) below eight weeks, 1 from there on; measured against coverage in docs/forecast.md.
    public static func inflation(days: Int) -> Double {
        days >= ETSSelection.undampedTrendMinimumDays ? 1 : (Double(ETSSelection.undampedTrendMinimumDays) / Double(max(days, 1))).squareRoot()
    }

    /// Daily quantiles of `paths` simulated paths of the fit.
    public static func quantiles(_ fit: ETSFit, horizon: Int, paths: Int, random: RandomSource) throws(StatisticsError) -> Quantiles {
        var columns = [[Double]](repeating: [Double](repeating: 0, count: paths), count: horizon)
        fit.simulate(horizon: horizon, paths: paths, random: random, inflation: inflation(days: fit.observations)) { path, values in
            for h in 0..<horizon { columns[h][path] = values[h] }
        }
        var result = Quantiles(p10: [], p50: [], p90: [])
        for column in columns {
            result.p10.append(try Summary.quantile(column, 0.1))
            result.p50.append(try Summary.quantile(column, 0.5))
            result.p90.append(try Summary.quantile(column, 0.9))
        }
        return result
    }

    /// Seasonal-naive forecast (the value a period earlier) with Gaussian P10/P90 from the in-sample
    /// seasonal differences, widened by √(whole periods ahead), as statsforecast's SeasonalNaive does.
    public static func seasonalNaive(_ y: [Double], horizon: Int, period: Int = 7) -> Quantiles {
        let lag = y.count >= 2 * period ? period : 1
        let differences = (lag..<y.count).map { y[$0] - y[$0 - lag] }
        let sd = (differences.reduce(0) { $0 + $1 * $1 } / Double(max(differences.count, 1))).squareRoot()
        var result = Quantiles(p10: [], p50: [], p90: [])
        for h in 0..<horizon {
            let point = y[y.count - lag + h % lag]
            let spread = 1.2815515655446004 * sd * Double(h / lag + 1).squareRoot()
            result.p10.append(point - spread)
            result.p50.append(point)
            result.p90.append(point + spread)
        }
        return result
    }

    /// Mean absolute error of the in-sample seasonal-naive forecast: the scale of MASE (Hyndman and
    /// Koehler 2006). Lag 1 when the series is shorter than two periods.
    public static func naiveScale(_ y: [Double], period: Int = 7) -> Double {
        let lag = y.count >= 2 * period ? period : 1
        guard y.count > lag else { return 0 }
        return (lag..<y.count).reduce(0.0) { $0 + abs(y[$1] - y[$1 - lag]) } / Double(y.count - lag)
    }
}
