import CGSL

/// Descriptive statistics of a sample through GSL.
public struct Summary: Sendable, Equatable {
    public var count: Int
    public var mean: Double
    public var standardDeviation: Double
    public var minimum: Double
    public var maximum: Double

    /// Summarises a non-empty sample.
    public init(_ values: [Double]) throws(StatisticsError) {
        guard !values.isEmpty else { throw .insufficientData("summary of an empty sample") }
        GSL.prepare()
        count = values.count
        (mean, standardDeviation, minimum, maximum) = values.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            let mean = gsl_stats_mean(base, 1, buffer.count)
            let sd = buffer.count > 1 ? gsl_stats_sd_m(base, 1, buffer.count, mean) : 0
            var lo = 0.0, hi = 0.0
            gsl_stats_minmax(&lo, &hi, base, 1, buffer.count)
            return (mean, sd, lo, hi)
        }
    }

    /// The `p` quantile (0...1) by GSL's linear interpolation of the sorted sample.
    public static func quantile(_ values: [Double], _ p: Double) throws(StatisticsError) -> Double {
        guard !values.isEmpty else { throw .insufficientData("quantile of an empty sample") }
        GSL.prepare()
        var sorted = values
        sorted.withUnsafeMutableBufferPointer { gsl_sort($0.baseAddress!, 1, $0.count) }
        return sorted.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress!, 1, $0.count, p) }
    }
}
