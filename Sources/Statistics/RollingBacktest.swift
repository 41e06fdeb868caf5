#if canImport(Glibc)
import Glibc
#endif

/// Rolling-origin evaluation (Tashman 2000; the M4 and M5 practice): the forecaster is refitted at several
/// cut points and scored on the days after each, with MASE and P10–P90 coverage beside seasonal-naive's.
public struct RollingBacktest: Sendable, Codable, Equatable {
    /// Scores at one horizon, over all its origins.
    public struct Horizon: Sendable, Codable, Equatable {
        public var days: Int
        public var origins: Int
        /// Mean over origins of MASE (daily absolute error of the P50 over the in-sample seasonal-naive error).
        public var mase: Double
        public var naiveMASE: Double
        /// Share of held-out days inside the P10–P90 interval (80% nominal).
        public var coverage: Double
        public var naiveCoverage: Double
    }

    public var horizons: [Horizon]
    /// Horizons the data could not support, with why.
    public var skipped: [String]

    public static let defaultHorizons = [7, 28, 90]
    /// Origins per horizon, a week apart, the latest cutting off the last `h` days.
    public static let maximumOrigins = 4
    public static let minimumTraining = 21

    /// Runs the evaluation; the forecaster is ``ETSSelection`` plus ``ETSForecast/quantiles(_:horizon:paths:random:)``.
    public static func run(_ y: [Double], horizons: [Int] = defaultHorizons, paths: Int = 400, seed: UInt64) throws(StatisticsError) -> RollingBacktest {
        var result = RollingBacktest(horizons: [], skipped: [])
        let random = RandomSource(seed: seed)
        for h in horizons {
            let origins = (0..<maximumOrigins).map { y.count - h - 7 * $0 }.filter { $0 >= minimumTraining }
            guard !origins.isEmpty else {
                result.skipped.append("\(h)-day horizon: needs \(minimumTraining + h) days, the series has \(y.count)")
                continue
            }
            var mase = 0.0, naiveMASE = 0.0, inside = 0, naiveInside = 0
            for origin in origins {
                let training = Array(y[..<origin]), actual = Array(y[origin..<(origin + h)])
                let forecast = try ETSForecast.quantiles(try ETSSelection.select(training).chosen, horizon: h, paths: paths, random: random)
                let naive = ETSForecast.seasonalNaive(training, horizon: h)
                let scale = max(ETSForecast.naiveScale(training), 1e-9 * max(training.reduce(0, +) / Double(origin), 1e-12))
                mase += zip(forecast.p50, actual).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(h) / scale
                naiveMASE += zip(naive.p50, actual).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(h) / scale
                inside += (0..<h).filter { forecast.p10[$0] <= actual[$0] && actual[$0] <= forecast.p90[$0] }.count
                naiveInside += (0..<h).filter { naive.p10[$0] <= actual[$0] && actual[$0] <= naive.p90[$0] }.count
            }
            let count = Double(origins.count), days = Double(origins.count * h)
            result.horizons.append(Horizon(days: h, origins: origins.count, mase: mase / count, naiveMASE: naiveMASE / count,
                                           coverage: Double(inside) / days, naiveCoverage: Double(naiveInside) / days))
        }
        return result
    }
}
