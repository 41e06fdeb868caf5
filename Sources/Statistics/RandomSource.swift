import CGSL

/// A seeded GSL Mersenne Twister with the distributions CostReplay samples from.
///
/// Passed explicitly wherever randomness is needed, so a run is a pure function of its seed.
/// Not thread-safe: one per task.
public final class RandomSource {
    let pointer: UnsafeMutablePointer<gsl_rng>

    public init(seed: UInt64) {
        GSL.prepare()
        pointer = gsl_rng_alloc(cgsl_rng_mt19937())
        gsl_rng_set(pointer, UInt(truncatingIfNeeded: seed))
    }

    deinit { gsl_rng_free(pointer) }

    /// Uniform on [0, 1).
    public func uniform() -> Double { gsl_rng_uniform(pointer) }

    /// Uniform integer in 0..<n (n > 0).
    public func integer(below n: Int) -> Int { Int(gsl_rng_uniform_int(pointer, UInt(n))) }

    public func lognormal(mu: Double, sigma: Double) -> Double { gsl_ran_lognormal(pointer, mu, sigma) }
    public func exponential(mean: Double) -> Double { gsl_ran_exponential(pointer, mean) }
    public func pareto(shape: Double, scale: Double) -> Double { gsl_ran_pareto(pointer, shape, scale) }
    public func poisson(mean: Double) -> Int { Int(gsl_ran_poisson(pointer, mean)) }
    public func gaussian(sigma: Double) -> Double { gsl_ran_gaussian_ziggurat(pointer, sigma) }
    public func beta(a: Double, b: Double) -> Double { gsl_ran_beta(pointer, a, b) }
    public func bernoulli(_ p: Double) -> Bool { gsl_ran_bernoulli(pointer, p) == 1 }
    /// Gamma with mean shape × scale (shape < 1 gives burstier gaps than Poisson).
    public func gamma(shape: Double, scale: Double) -> Double { gsl_ran_gamma(pointer, shape, scale) }

    /// Index drawn with probability proportional to `weights`.
    public func categorical(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var target = uniform() * total
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target < 0 { return index }
        }
        return weights.count - 1
    }
}
