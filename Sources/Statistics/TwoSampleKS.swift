#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The two-sample Kolmogorov–Smirnov statistic: the largest gap between two empirical CDFs.
///
/// GSL has no KS test, so it lives here. `criticalValue` is the asymptotic bound
/// c(α)·√((n+m)/(n·m)) with c(α) = √(−ln(α/2)/2) (Smirnov), which D exceeds with probability
/// about α when both samples come from one continuous distribution.
public struct TwoSampleKS: Sendable, Equatable {
    public let statistic: Double
    public let sizes: (Int, Int)

    public static func == (a: TwoSampleKS, b: TwoSampleKS) -> Bool { a.statistic == b.statistic && a.sizes == b.sizes }

    public init(_ a: [Double], _ b: [Double]) throws(StatisticsError) {
        guard !a.isEmpty, !b.isEmpty else { throw StatisticsError.insufficientData("a two-sample KS statistic needs two non-empty samples") }
        let x = a.sorted(), y = b.sorted()
        var i = 0, j = 0, gap = 0.0
        // Step through both samples together; ties advance both before the CDFs are compared.
        while i < x.count && j < y.count {
            let value = Swift.min(x[i], y[j])
            while i < x.count && x[i] == value { i += 1 }
            while j < y.count && y[j] == value { j += 1 }
            gap = Swift.max(gap, abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
        }
        statistic = gap
        sizes = (x.count, y.count)
    }

    public func criticalValue(alpha: Double) -> Double {
        let (n, m) = (Double(sizes.0), Double(sizes.1))
        return (-0.5 * log(alpha / 2)).squareRoot() * ((n + m) / (n * m)).squareRoot()
    }
}
