import CGSL

/// Probabilities of the distributions CostReplay's models use, through GSL.
public enum Distributions {
    /// P(T > x) for a log-normal T with the given median and log-scale sigma.
    public static func lognormalUpperTail(_ x: Double, median: Double, sigma: Double) -> Double {
        GSL.prepare()
        guard x > 0 else { return 1 }
        guard median > 0, sigma > 0 else { return x < median ? 1 : 0 }
        return gsl_cdf_lognormal_Q(x, log(median), sigma)
    }

    /// The mean of a log-normal with the given median and sigma: median · e^(σ²/2).
    public static func lognormalMean(median: Double, sigma: Double) -> Double {
        median * exp(sigma * sigma / 2)
    }
}

#if canImport(Glibc)
import Glibc
#endif
