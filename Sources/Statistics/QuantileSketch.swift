import CGSL
import Glibc

/// Quantiles of a growing sample in bounded memory: exact up to `exactLimit` values, then read from log-spaced buckets.
///
/// Up to `exactLimit` values (``defaultExactLimit``, 65,536) every value is kept and ``quantile(_:)`` is
/// ``Summary/quantile(_:_:)`` of them, bit for bit. The value after that moves the sample into a GSL histogram
/// (`gsl_histogram`) whose bucket edges grow by ``bucketRatio`` (1.01) from 10⁻⁶ to 10¹², 4,166 buckets (about
/// 65 KiB), and memory stays there however many values follow.
///
/// **Error bound once bucketed.** GSL's quantile interpolates linearly between the order statistics of rank ⌊h⌋ and
/// ⌊h⌋ + 1, h = p(n − 1). The estimate interpolates, with the same weights, the geometric centres of the buckets that
/// hold those two ranks, clamped to the exact smallest and largest value (kept, and standing for ranks 0 and n − 1).
/// A value and its bucket's centre are within a factor √1.01 of each other, so for values in [10⁻⁶, 10¹²) the estimate
/// is within a factor √1.01 of the exact quantile: a relative error under 0.5% (``relativeErrorBound``). Values below
/// 10⁻⁶ share one bucket read as the smallest value (for a sample of zeros and positives, an absolute error under
/// 10⁻⁶); values at or above 10¹² share one read as the largest.
public struct QuantileSketch: Sendable {
    /// Values kept exactly before the sample moves into buckets.
    public static let defaultExactLimit = 65_536
    /// Ratio of a bucket's upper to its lower edge.
    public static let bucketRatio = 1.01
    /// Largest relative error of a bucketed quantile for values in ``bucketedRange``: √1.01 − 1, with a margin for
    /// the rounding of the edges.
    public static let relativeErrorBound = 0.005
    /// Values that fall in a log-spaced bucket; the rest share an underflow or an overflow bucket.
    public static let bucketedRange = 1e-6..<1e12

    public let exactLimit: Int
    /// The values while the sample is exact; nil once it is bucketed.
    public private(set) var samples: [Double]? = []
    public private(set) var count = 0
    public private(set) var minimum = Double.infinity
    public private(set) var maximum = -Double.infinity
    private var buckets: Buckets?
    private var underflow = 0
    private var overflow = 0

    /// `exactLimit` below the default is for tests that reach the bucketed state quickly.
    public init(exactLimit: Int = Self.defaultExactLimit) {
        self.exactLimit = max(0, exactLimit)
    }

    /// True once the quantiles are read from buckets (within ``relativeErrorBound``).
    public var isBucketed: Bool { samples == nil }

    public mutating func add(_ value: Double) {
        count += 1
        minimum = min(minimum, value)
        maximum = max(maximum, value)
        if samples != nil {
            if count <= exactLimit {
                samples!.append(value)
                return
            }
            let kept = samples!
            samples = nil
            buckets = Buckets()
            for old in kept { place(old) }
        }
        place(value)
    }

    private mutating func place(_ value: Double) {
        if value < Self.bucketedRange.lowerBound {
            underflow += 1
        } else if value >= Self.bucketedRange.upperBound || value.isNaN {
            overflow += 1
        } else {
            if !isKnownUniquelyReferenced(&buckets) { buckets = buckets!.copy() }
            buckets!.increment(value)
        }
    }

    /// The `p` quantile (0...1): exact (GSL's linear interpolation of the sorted sample) up to ``exactLimit`` values,
    /// within ``relativeErrorBound`` of it after.
    public func quantile(_ p: Double) throws(StatisticsError) -> Double {
        try quantiles([p])[0]
    }

    /// Several quantiles, sorting an exact sample once.
    public func quantiles(_ ps: [Double]) throws(StatisticsError) -> [Double] {
        guard count > 0 else { throw .insufficientData("quantile of an empty sample") }
        if let samples {
            GSL.prepare()
            var sorted = samples
            sorted.withUnsafeMutableBufferPointer { gsl_sort($0.baseAddress!, 1, $0.count) }
            return sorted.withUnsafeBufferPointer { buffer in
                ps.map { gsl_stats_quantile_from_sorted_data(buffer.baseAddress!, 1, buffer.count, $0) }
            }
        }
        return ps.map { p in
            let h = min(max(p, 0), 1) * Double(count - 1)
            let low = Int(h.rounded(.down)), weight = h - h.rounded(.down)
            let lower = value(rank: low)
            return weight == 0 ? lower : (1 - weight) * lower + weight * value(rank: min(low + 1, count - 1))
        }
    }

    /// The bucket estimate of the value of 0-based rank `rank`.
    private func value(rank: Int) -> Double {
        if rank == 0 || rank < underflow { return minimum }
        if rank == count - 1 || rank >= count - overflow { return maximum }
        let centre = buckets!.centre(ofRank: rank - underflow)
        return min(max(centre, minimum), maximum)
    }
}

/// A `gsl_histogram` with the sketch's log-spaced edges, owned by one sketch (copied before a shared one changes).
private final class Buckets: @unchecked Sendable {
    /// Shared edges: lower bound × ratio^i, i = 0...count.
    static let edges: [Double] = {
        let (low, high) = (QuantileSketch.bucketedRange.lowerBound, QuantileSketch.bucketedRange.upperBound)
        let count = Int((log(high / low) / log(QuantileSketch.bucketRatio)).rounded(.up))
        var edges = (0..<count).map { low * pow(QuantileSketch.bucketRatio, Double($0)) }
        edges.append(high)
        return edges
    }()

    let histogram: UnsafeMutablePointer<gsl_histogram>

    init() {
        GSL.prepare()
        let edges = Self.edges
        histogram = gsl_histogram_alloc(edges.count - 1)
        _ = edges.withUnsafeBufferPointer { gsl_histogram_set_ranges(histogram, $0.baseAddress!, $0.count) }
    }

    private init(cloning other: Buckets) { histogram = gsl_histogram_clone(other.histogram) }

    func copy() -> Buckets { Buckets(cloning: self) }

    deinit { gsl_histogram_free(histogram) }

    /// Counts a value inside the edges.
    func increment(_ value: Double) { _ = gsl_histogram_increment(histogram, value) }

    /// Geometric centre of the bucket holding the value of 0-based rank `rank` among the bucketed values.
    func centre(ofRank rank: Int) -> Double {
        let bins = gsl_histogram_bins(histogram)
        var below = 0.0
        var bin = 0
        while bin < bins - 1 {
            below += gsl_histogram_get(histogram, bin)
            if below > Double(rank) { break }
            bin += 1
        }
        var lower = 0.0, upper = 0.0
        _ = gsl_histogram_get_range(histogram, bin, &lower, &upper)
        return (lower * upper).squareRoot()
    }
}
