import CGSL

/// Derivative-free minimisation through GSL's Nelder–Mead simplex (`gsl_multimin_fminimizer_nmsimplex2`).
public enum Minimiser {
    /// Where the search stopped: the best point, its value and the iterations used.
    public struct Result: Sendable {
        public var point: [Double]
        public var value: Double
        public var iterations: Int
    }

    /// Minimises `objective` from `start`, with initial simplex steps `step`, until the simplex is smaller
    /// than `tolerance` or `maxIterations` pass. Non-finite values count as very large, so an objective may
    /// refuse a region by returning infinity.
    public static func nelderMead(start: [Double], step: [Double], tolerance: Double = 1e-7, maxIterations: Int = 4000,
                                  _ objective: ([Double]) -> Double) throws(StatisticsError) -> Result {
        GSL.prepare()
        let n = start.count
        guard n > 0, step.count == n else { throw .insufficientData("a minimisation needs a start point and a step per dimension") }
        return try withoutActuallyEscaping(objective) { (escaping: @escaping ([Double]) -> Double) throws(StatisticsError) -> Result in
            var box = escaping
            return try withUnsafeMutablePointer(to: &box) { (context: UnsafeMutablePointer<([Double]) -> Double>) throws(StatisticsError) -> Result in
                var function = gsl_multimin_function(f: { x, params in
                    let f = params!.assumingMemoryBound(to: (([Double]) -> Double).self).pointee
                    let size = x!.pointee.size
                    let value = f((0..<size).map { gsl_vector_get(x, $0) })
                    return value.isFinite ? value : 1e300
                }, n: n, params: UnsafeMutableRawPointer(context))
                let x = gsl_vector_alloc(n)!, steps = gsl_vector_alloc(n)!
                let state = gsl_multimin_fminimizer_alloc(cgsl_nmsimplex2(), n)!
                defer { gsl_vector_free(x); gsl_vector_free(steps); gsl_multimin_fminimizer_free(state) }
                for i in 0..<n { gsl_vector_set(x, i, start[i]); gsl_vector_set(steps, i, step[i]) }
                try GSL.check(gsl_multimin_fminimizer_set(state, &function, x, steps), "Nelder–Mead set-up")
                var iterations = 0
                while iterations < maxIterations {
                    iterations += 1
                    let status = gsl_multimin_fminimizer_iterate(state)
                    if status == GSL_ENOPROG { break }
                    try GSL.check(status, "Nelder–Mead iteration")
                    if gsl_multimin_test_size(gsl_multimin_fminimizer_size(state), tolerance) == GSL_SUCCESS { break }
                }
                let best = gsl_multimin_fminimizer_x(state)!
                return Result(point: (0..<n).map { gsl_vector_get(best, $0) }, value: gsl_multimin_fminimizer_minimum(state), iterations: iterations)
            }
        }
    }
}
