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

@Suite struct IntervalTests {
    /// Reference values: scipy.stats.beta.ppf(0.025, k, n−k+1) and beta.ppf(0.975, k+1, n−k).
    @Test(arguments: [
        (171, 3529, 0.04160615654516104, 0.05606493358359269),
        (5, 20, 0.08657146910143461, 0.49104587170795744),
        (0, 10, 0.0, 0.3084971078187607),
        (10, 10, 0.6915028921812392, 1.0),
    ])
    func clopperPearsonMatchesSciPy(k: Int, n: Int, lower: Double, upper: Double) {
        let interval = Intervals.clopperPearson(successes: k, trials: n)
        #expect(abs(interval.lower - lower) < 1e-9)
        #expect(abs(interval.upper - upper) < 1e-9)
    }

    @Test func logNormalTailMatchesSciPy() {
        // scipy.stats.lognorm.sf(4.0, s=0.8, scale=1.0)
        #expect(abs(Distributions.lognormalUpperTail(4, median: 1, sigma: 0.8) - 0.041559570870408485) < 1e-12)
    }
}

@Suite struct LinearFitTests {
    @Test func coefficientsAndCovarianceMatchNumPy() throws {
        // y = 2 + 0.5 x + noise; reference: numpy.linalg.lstsq and σ² (XᵀX)⁻¹ with σ² = RSS / (n − p).
        let x: [Double] = [0, 1, 2, 3, 4, 5, 6, 7]
        let y: [Double] = [2.1, 2.4, 3.1, 3.4, 4.1, 4.4, 5.2, 5.4]
        let fit = try LinearFit(design: x.map { [1, $0] }, response: y)
        #expect(abs(fit.coefficients[0] - 2.025000000000001) < 1e-12)
        #expect(abs(fit.coefficients[1] - 0.4964285714285717) < 1e-12)
        #expect(abs(fit.covariance[3] - 0.0004294217687074822) < 1e-12)
    }

    @Test func tooFewObservationsIsAnError() {
        #expect(throws: StatisticsError.insufficientData("a fit of 2 parameters needs more than 2 observations, got 2")) {
            _ = try LinearFit(design: [[1, 0], [1, 1]], response: [1, 2])
        }
    }
}
