import CGSL

/// Ordinary least squares through GSL's `gsl_multifit_linear`, with the coefficient covariance
/// for prediction intervals and parameter draws.
public struct LinearFit: Sendable {
    public var coefficients: [Double]
    /// Row-major p × p covariance of the coefficients: σ² (XᵀX)⁻¹.
    public var covariance: [Double]
    /// Residual variance: χ² / (n − p).
    public var residualVariance: Double
    public var observations: Int

    /// Fits `y ≈ X β` for the rows of `design` (n × p, n > p).
    public init(design: [[Double]], response: [Double]) throws(StatisticsError) {
        GSL.prepare()
        let n = response.count, p = design.first?.count ?? 0
        guard n > p, p > 0, design.count == n else { throw .insufficientData("a fit of \(p) parameters needs more than \(p) observations, got \(n)") }
        let x = gsl_matrix_alloc(n, p)!, y = gsl_vector_alloc(n)!, c = gsl_vector_alloc(p)!, cov = gsl_matrix_alloc(p, p)!
        let work = gsl_multifit_linear_alloc(n, p)!
        defer {
            gsl_matrix_free(x); gsl_vector_free(y); gsl_vector_free(c); gsl_matrix_free(cov); gsl_multifit_linear_free(work)
        }
        for i in 0..<n {
            gsl_vector_set(y, i, response[i])
            for j in 0..<p { gsl_matrix_set(x, i, j, design[i][j]) }
        }
        var chisq = 0.0
        try GSL.check(gsl_multifit_linear(x, y, c, cov, &chisq, work), "least-squares fit")
        coefficients = (0..<p).map { gsl_vector_get(c, $0) }
        residualVariance = chisq / Double(n - p)
        // gsl_multifit_linear already scales (XᵀX)⁻¹ by the residual variance.
        covariance = (0..<(p * p)).map { gsl_matrix_get(cov, $0 / p, $0 % p) }
        observations = n
    }

    public func predict(_ row: [Double]) -> Double { zip(row, coefficients).reduce(0) { $0 + $1.0 * $1.1 } }

    /// Variance of the fitted mean at `row`: xᵀ Σ x.
    public func meanVariance(_ row: [Double]) -> Double {
        let p = coefficients.count
        var total = 0.0
        for i in 0..<p { for j in 0..<p { total += row[i] * covariance[i * p + j] * row[j] } }
        return total
    }

    /// The lower-triangular Cholesky factor of the covariance (row-major), for correlated draws.
    public func choleskyFactor() throws(StatisticsError) -> [Double] {
        GSL.prepare()
        let p = coefficients.count
        let m = gsl_matrix_alloc(p, p)!
        defer { gsl_matrix_free(m) }
        for i in 0..<p { for j in 0..<p { gsl_matrix_set(m, i, j, covariance[i * p + j]) } }
        try GSL.check(gsl_linalg_cholesky_decomp1(m), "Cholesky factorisation of the fit covariance")
        return (0..<(p * p)).map { index in
            let (i, j) = (index / p, index % p)
            return j <= i ? gsl_matrix_get(m, i, j) : 0
        }
    }
}

extension RandomSource {
    /// A draw of mean + L z with z standard normal (L lower-triangular, row-major).
    public func correlatedNormal(mean: [Double], factor: [Double]) -> [Double] {
        let p = mean.count
        let z = (0..<p).map { _ in gaussian(sigma: 1) }
        return (0..<p).map { i in mean[i] + (0...i).reduce(0) { $0 + factor[i * p + $1] * z[$1] } }
    }
}
