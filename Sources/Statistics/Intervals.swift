import CGSL

/// Confidence intervals for rates, through GSL.
public enum Intervals {
    /// The exact (Clopper–Pearson) interval for a binomial proportion: the α/2 and 1 − α/2
    /// quantiles of Beta(k, n − k + 1) and Beta(k + 1, n − k).
    public static func clopperPearson(successes k: Int, trials n: Int, confidence: Double = 0.95) -> (lower: Double, upper: Double) {
        GSL.prepare()
        guard n > 0 else { return (0, 1) }
        let alpha = 1 - confidence
        let lower = k == 0 ? 0 : betaQuantile(alpha / 2, Double(k), Double(n - k + 1))
        let upper = k == n ? 1 : betaQuantile(1 - alpha / 2, Double(k + 1), Double(n - k))
        return (lower, upper)
    }

    /// The p-quantile of Beta(a, b). GSL's `gsl_cdf_beta_Pinv` returns NaN for some large a, b
    /// (for example p = 0.975, a = 172, b = 3,358); then the quantile is found by bisection on GSL's
    /// CDF, which is monotone and accurate there, to 1e-15.
    public static func betaQuantile(_ p: Double, _ a: Double, _ b: Double) -> Double {
        GSL.prepare()
        let direct = gsl_cdf_beta_Pinv(p, a, b)
        if direct.isFinite { return direct }
        var low = 0.0, high = 1.0
        for _ in 0..<200 where high - low > 1e-15 {
            let middle = (low + high) / 2
            if gsl_cdf_beta_P(middle, a, b) < p { low = middle } else { high = middle }
        }
        return (low + high) / 2
    }
}
