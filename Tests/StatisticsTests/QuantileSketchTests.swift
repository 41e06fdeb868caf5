import Statistics
import Testing

@Suite struct QuantileSketchTests {
    static let ps = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1] + (1..<200).map { Double($0) / 200 }

    /// Latency-like values over six orders of magnitude, with ties.
    static func sample(_ count: Int, seed: UInt64) -> [Double] {
        let random = RandomSource(seed: seed)
        return (0..<count).map { i in i % 10 == 0 ? 250 : random.lognormal(mu: 5, sigma: 2) }
    }

    static func sketch(_ values: [Double], exactLimit: Int = QuantileSketch.defaultExactLimit) -> QuantileSketch {
        var sketch = QuantileSketch(exactLimit: exactLimit)
        for value in values { sketch.add(value) }
        return sketch
    }

    @Test func upToTheLimitQuantilesAreSummaryQuantilesBitForBit() throws {
        let values = Self.sample(20_000, seed: 7)
        let sketch = Self.sketch(values, exactLimit: 20_000)
        #expect(!sketch.isBucketed)
        #expect(sketch.samples == values)
        for p in Self.ps { #expect(try sketch.quantile(p) == Summary.quantile(values, p), "p \(p)") }
        #expect(try sketch.quantiles(Self.ps) == Self.ps.map { try Summary.quantile(values, $0) })
    }

    @Test func pastTheLimitQuantilesAreWithinTheStatedRelativeError() throws {
        let values = Self.sample(30_000, seed: 11)
        let sketch = Self.sketch(values, exactLimit: 1_000)
        #expect(sketch.isBucketed)
        #expect(sketch.samples == nil)
        #expect(sketch.count == 30_000)
        var worst = 0.0
        for p in Self.ps {
            let exact = try Summary.quantile(values, p), estimate = try sketch.quantile(p)
            worst = max(worst, abs(estimate / exact - 1))
        }
        #expect(worst <= QuantileSketch.relativeErrorBound)
        // Buckets do lose something: a bound far above the error would not test it.
        #expect(worst > QuantileSketch.relativeErrorBound / 10)
        // The extremes are kept exactly.
        #expect(try sketch.quantile(0) == values.min())
        #expect(try sketch.quantile(1) == values.max())
    }

    @Test func theLimitIsTheLastExactCount() throws {
        let values = Self.sample(1_001, seed: 3)
        let atLimit = Self.sketch(Array(values.prefix(1_000)), exactLimit: 1_000)
        #expect(!atLimit.isBucketed)
        #expect(Self.sketch(values, exactLimit: 1_000).isBucketed)
    }

    @Test func zerosAndHugeValuesFallInTheirOwnBucketsReadAsTheExtremes() throws {
        let values = [Double](repeating: 0, count: 300) + Self.sample(700, seed: 5) + [2e12, 3e12]
        let sketch = Self.sketch(values, exactLimit: 10)
        #expect(try sketch.quantile(0.1) == 0)
        #expect(try sketch.quantile(0.25) == 0)
        #expect(try sketch.quantile(1) == 3e12)
        for p in [0.5, 0.75, 0.9, 0.99] {
            let exact = try Summary.quantile(values, p), estimate = try sketch.quantile(p)
            #expect(abs(estimate / exact - 1) <= QuantileSketch.relativeErrorBound, "p \(p)")
        }
    }

    @Test func aCopyDoesNotChangeWhenTheOriginalDoes() throws {
        var original = Self.sketch(Self.sample(2_000, seed: 9), exactLimit: 100)
        let copy = original
        let before = try copy.quantiles(Self.ps)
        for _ in 0..<5_000 { original.add(1e9) }
        #expect(try copy.quantiles(Self.ps) == before)
        #expect(copy.count == 2_000)
        #expect(try original.quantile(0.9) > 0.99e9)
    }

    @Test func anEmptySketchHasNoQuantile() {
        #expect(throws: StatisticsError.insufficientData("quantile of an empty sample")) { _ = try QuantileSketch().quantile(0.5) }
    }
}
