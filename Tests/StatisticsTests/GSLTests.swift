import Statistics
import Testing

@Suite struct GSLTests {
    @Test func gslIsLinkedAndReportsItsVersion() {
        #expect(GSL.version.hasPrefix("2."))
    }

    @Test func quantilesInterpolateLikeNumPy() throws {
        // numpy.quantile([1, 2, 3, 4, 10], 0.9) == 7.6 (linear interpolation)
        #expect(abs(try Summary.quantile([1, 2, 3, 4, 10], 0.9) - 7.6) < 1e-12)
    }

    @Test func summariesMatchHandComputedValues() throws {
        let summary = try Summary([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(summary.mean == 5)
        #expect(abs(summary.standardDeviation - 2.138089935299395) < 1e-12)
    }

    @Test func anEmptySampleIsAnErrorNotACrash() {
        #expect(throws: StatisticsError.insufficientData("summary of an empty sample")) { _ = try Summary([]) }
    }

    @Test func theSameSeedGivesTheSameDraws() {
        let a = RandomSource(seed: 7), b = RandomSource(seed: 7), c = RandomSource(seed: 8)
        let drawsA = (0..<5).map { _ in a.uniform() }
        #expect(drawsA == (0..<5).map { _ in b.uniform() })
        #expect(drawsA != (0..<5).map { _ in c.uniform() })
    }
}
