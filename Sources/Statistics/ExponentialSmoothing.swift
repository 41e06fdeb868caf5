#if canImport(Glibc)
import Glibc
#endif

/// One exponential-smoothing model of the innovations state-space family (Hyndman, Koehler, Ord and
/// Snyder, "Forecasting with Exponential Smoothing", 2008, ch. 2): additive errors, a level, an optional
/// additive or damped trend and optional additive seasonality, on the series itself or on its logarithm
/// (where trend and seasonality act as growth rates and weekday factors, as they do on cost).
public struct ETSSpec: Sendable, Hashable, Codable {
    public enum Trend: String, Sendable, Hashable, Codable, CaseIterable { case none, additive, damped }

    public var trend: Trend
    public var seasonal: Bool
    public var logScale: Bool

    public init(trend: Trend, seasonal: Bool, logScale: Bool) {
        self.trend = trend
        self.seasonal = seasonal
        self.logScale = logScale
    }

    /// ETS notation (error, trend, season) with the scale: "ETS(A,Ad,A) on log cost".
    public var name: String {
        let trendLetter = switch trend { case .none: "N"; case .additive: "A"; case .damped: "Ad" }
        return "ETS(A,\(trendLetter),\(seasonal ? "A" : "N")) on \(logScale ? "log cost" : "cost")"
    }

    /// Smoothing parameters, initial states and the error variance: what AICc counts.
    public func parameterCount(period: Int) -> Int {
        var k = 2 + 1 // α, initial level, σ
        if trend != .none { k += 2 } // β, initial slope
        if trend == .damped { k += 1 } // φ
        if seasonal { k += period } // γ and period − 1 free initial seasonal states
        return k
    }
}

/// An ETS model fitted by maximum likelihood (Gaussian innovations, σ concentrated out) with GSL's
/// Nelder–Mead minimiser over the smoothing parameters and the initial states (level, slope, seasonal).
public struct ETSFit: Sendable {
    public var spec: ETSSpec
    public var period: Int
    public var alpha: Double
    public var beta: Double
    public var gamma: Double
    public var phi: Double
    public var observations: Int
    public var parameterCount: Int
    /// Innovations' standard deviation on the fitted scale, SSE / (n − k).
    public var sigma: Double
    /// Log-likelihood of the series on its own scale (the log-scale fit carries the Jacobian, −Σ log y),
    /// so fits on both scales compare by AICc.
    public var logLikelihood: Double
    public var aicc: Double
    /// The fitted initial seasonal states (before the first observation), indexed by (time mod period),
    /// summing to zero; empty without seasonality.
    public var initialSeason: [Double]
    /// Final states; `season` is indexed by (time mod period).
    var level: Double
    var slope: Double
    var season: [Double]

    /// Bounds after Hyndman et al. and statsforecast: φ in [0.8, 0.98], 0 < β < α, 0 < γ < 1 − α.
    static let phiRange = (low: 0.8, high: 0.98)

    /// Fits `spec` to `y` (positive values when `spec.logScale`).
    public static func fit(_ y: [Double], spec: ETSSpec, period: Int = 7) throws(StatisticsError) -> ETSFit {
        let n = y.count
        let k = spec.parameterCount(period: period)
        guard n > k + 1 else { throw .insufficientData("\(spec.name) has \(k) parameters and needs more than \(k + 1) days, got \(n)") }
        if spec.logScale && y.contains(where: { !($0 > 0) }) { throw .insufficientData("\(spec.name) needs every value positive") }
        let z = spec.logScale ? y.map { log($0) } : y
        let start = initialStates(z, spec: spec, period: period)
        let spread = max(standardDeviation(z), 1e-6)
        // Three starts: near-fixed states (the decomposition's pattern kept), slow smoothing (a stable level, φ low)
        // and fast (a level that follows steps, φ near 1). With the initial states free the likelihood is often
        // flat and multimodal in α (a short flat series fits almost as well as a random walk as a fixed level), and
        // the forecast's width depends on which optimum is taken, so each start is run to its own optimum.
        // The initial states (level, slope and period − 1 seasonal states, the last set so they sum to zero) are
        // fitted with the smoothing parameters, as AICc counts them (Hyndman et al. 2008, §5.2).
        var starts: [[Double]] = []
        var steps: [Double] = []
        for (a, b, g, f) in [(0.05, 0.01, 0.01, 0.9), (0.3, 0.1, 0.1, 0.8), (0.8, 0.05, 0.05, 0.95)] {
            var first = [logit(a)]
            steps = [1.0]
            if spec.trend != .none { first.append(logit(b)); steps.append(1) }
            if spec.seasonal { first.append(logit(g)); steps.append(1) }
            if spec.trend == .damped { first.append(logit(f)); steps.append(1) }
            first.append(start.level); steps.append(spread)
            if spec.trend != .none { first.append(start.slope); steps.append(spread / Double(period)) }
            if spec.seasonal { first += start.season.dropLast(); steps += Array(repeating: spread / 2, count: period - 1) }
            starts.append(first)
        }
        let objective = { (u: [Double]) -> Double in
            let p = Parameters(u, spec: spec, period: period)
            let sse = run(z, spec: spec, period: period, p, level: p.level, slope: p.slope, season: p.season).sse
            return Double(n) * log(max(sse, 1e-300) / Double(n))
        }
        var best: Minimiser.Result?
        for first in starts {
            var result = try Minimiser.nelderMead(start: first, step: steps, objective)
            // Restarts from the optimum escape the simplex's early collapse (a common Nelder–Mead failure in
            // ten or more dimensions); they stop when one no longer improves.
            for _ in 0..<4 {
                let again = try Minimiser.nelderMead(start: result.point, step: steps.map { $0 / 4 }, objective)
                let improved = again.value < result.value - 1e-6
                if again.value < result.value { result = again }
                if !improved { break }
            }
            if best.map({ result.value < $0.value }) ?? true { best = result }
        }
        guard let best else { throw .insufficientData("\(spec.name): no start to fit from") }
        let p = Parameters(best.point, spec: spec, period: period)
        let final = run(z, spec: spec, period: period, p, level: p.level, slope: p.slope, season: p.season)
        let sse = max(final.sse, 1e-300)
        var logLikelihood = -0.5 * Double(n) * (log(2 * Double.pi * sse / Double(n)) + 1)
        if spec.logScale { logLikelihood -= z.reduce(0, +) }
        let kk = Double(k), nn = Double(n)
        let aicc = -2 * logLikelihood + 2 * kk + 2 * kk * (kk + 1) / (nn - kk - 1)
        return ETSFit(spec: spec, period: period, alpha: p.alpha, beta: p.beta, gamma: p.gamma, phi: p.phi, observations: n,
                      parameterCount: k, sigma: (sse / max(nn - kk, 1)).squareRoot(), logLikelihood: logLikelihood, aicc: aicc,
                      initialSeason: p.season, level: final.level, slope: final.slope, season: final.season)
    }

    /// The median forecast of the next `horizon` values (the point forecast, back-transformed).
    public func median(horizon: Int) -> [Double] {
        var damp = 0.0, power = 1.0
        return (0..<horizon).map { h in
            if spec.trend != .none { power *= phi; damp += power }
            let z = level + damp * slope + (spec.seasonal ? season[(observations + h) % period] : 0)
            return spec.logScale ? exp(z) : max(z, 0)
        }
    }

    /// Simulates `paths` future sample paths of `horizon` values with Gaussian innovations of SD
    /// `sigma × inflation`, calling `body(path, values)` for each; values are clamped at zero on the raw scale.
    ///
    /// Each path also draws the states' own uncertainty, which the innovations do not carry (with small
    /// smoothing parameters the level and slope are estimates from the whole series): the level moves by
    /// N(0, σ²/n) and the slope by N(0, 12σ²/(n(n²−1))), the standard errors of a fitted mean and line;
    /// the slope offset is damped as the model damps (φ = 0.98 for models without a trend, so a level model
    /// still admits the growth the data cannot rule out, without extrapolating it undamped).
    public func simulate(horizon: Int, paths: Int, random: RandomSource, inflation: Double = 1,
                         _ body: (Int, UnsafeBufferPointer<Double>) -> Void) {
        var values = [Double](repeating: 0, count: horizon)
        let p = Parameters(alpha: alpha, beta: beta, gamma: gamma, phi: phi)
        let sd = sigma * inflation, n = Double(observations)
        let levelSD = sd / n.squareRoot(), slopeSD = sd * (12 / (n * (n * n - 1))).squareRoot()
        let driftPhi = spec.trend == .none ? Self.phiRange.high : phi
        for path in 0..<paths {
            var l = level + random.gaussian(sigma: levelSD), b = slope, s = season
            let driftSlope = random.gaussian(sigma: slopeSD)
            var drift = 0.0, power = 1.0
            for h in 0..<horizon {
                let t = observations + h
                let mean = Self.step(spec, p, &l, &b, &s, t % period, error: 0, predictOnly: true)
                let e = random.gaussian(sigma: sd)
                _ = Self.step(spec, p, &l, &b, &s, t % period, error: e, predictOnly: false)
                power *= driftPhi
                drift += power * driftSlope
                let z = mean + e + drift
                values[h] = spec.logScale ? exp(z) : max(z, 0)
            }
            values.withUnsafeBufferPointer { body(path, $0) }
        }
    }
}

extension ETSFit {
    /// The smoothing parameters decoded from the minimiser's unconstrained vector.
    struct Parameters {
        var alpha: Double, beta = 0.0, gamma = 0.0, phi = 1.0, level = 0.0, slope = 0.0
        /// Initial seasonal states, indexed by (time mod period); empty without seasonality.
        var season: [Double] = []

        init(alpha: Double, beta: Double, gamma: Double, phi: Double) {
            (self.alpha, self.beta, self.gamma, self.phi) = (alpha, beta, gamma, phi)
        }

        init(_ u: [Double], spec: ETSSpec, period: Int) {
            var i = 0
            func next() -> Double { defer { i += 1 }; return u[i] }
            alpha = 1e-4 + (0.9999 - 1e-4) * logistic(next())
            if spec.trend != .none { beta = alpha * logistic(next()) }
            if spec.seasonal { gamma = (1 - alpha) * logistic(next()) }
            if spec.trend == .damped { phi = ETSFit.phiRange.low + (ETSFit.phiRange.high - ETSFit.phiRange.low) * logistic(next()) }
            level = next()
            if spec.trend != .none { slope = next() }
            if spec.seasonal {
                season = (1..<period).map { _ in next() }
                season.append(-season.reduce(0, +))
            }
        }
    }

    /// One step of the recursion at seasonal slot `slot`: returns the one-step prediction and, unless
    /// `predictOnly`, updates the states with the innovation `error`.
    @inline(__always)
    static func step(_ spec: ETSSpec, _ p: Parameters, _ l: inout Double, _ b: inout Double, _ s: inout [Double], _ slot: Int,
                     error: Double, predictOnly: Bool) -> Double {
        let damped = spec.trend == .none ? 0 : p.phi * b
        let seasonal = spec.seasonal ? s[slot] : 0
        let prediction = l + damped + seasonal
        guard !predictOnly else { return prediction }
        l = l + damped + p.alpha * error
        if spec.trend != .none { b = damped + p.beta * error }
        if spec.seasonal { s[slot] = seasonal + p.gamma * error }
        return prediction
    }

    static func run(_ z: [Double], spec: ETSSpec, period: Int, _ p: Parameters, level: Double, slope: Double, season: [Double])
        -> (sse: Double, level: Double, slope: Double, season: [Double]) {
        var l = level, b = slope, s = season, sse = 0.0
        for t in z.indices {
            let prediction = step(spec, p, &l, &b, &s, t % period, error: 0, predictOnly: true)
            let e = z[t] - prediction
            sse += e * e
            _ = step(spec, p, &l, &b, &s, t % period, error: e, predictOnly: false)
        }
        return (sse, l, b, s)
    }

    /// Starting states for the fit: a least-squares line through the first (up to four) whole cycles, and the
    /// mean detrended deviation of each seasonal slot, centred.
    static func initialStates(_ z: [Double], spec: ETSSpec, period: Int) -> (level: Double, slope: Double, season: [Double]) {
        let span = min(z.count, max(period, (min(z.count, 4 * period) / period) * period))
        let xs = (0..<span).map(Double.init), ys = Array(z[..<span])
        let mx = xs.reduce(0, +) / Double(span), my = ys.reduce(0, +) / Double(span)
        let sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let sxy = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let slope = spec.trend == .none || sxx == 0 ? 0 : sxy / sxx
        var season = [Double](repeating: 0, count: period)
        if spec.seasonal {
            var counts = [Double](repeating: 0, count: period)
            for t in 0..<span {
                season[t % period] += ys[t] - (my + (spec.trend == .none ? 0 : (sxy / max(sxx, 1e-300)) * (Double(t) - mx)))
                counts[t % period] += 1
            }
            for j in 0..<period { season[j] /= max(counts[j], 1) }
            let centre = season.reduce(0, +) / Double(period)
            season = season.map { $0 - centre }
        }
        // The level one step before the first observation.
        return (my - slope * (mx + 1), slope, season)
    }

    static func standardDeviation(_ z: [Double]) -> Double {
        let mean = z.reduce(0, +) / Double(max(z.count, 1))
        return (z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(z.count - 1, 1))).squareRoot()
    }
}

@inline(__always) func logistic(_ u: Double) -> Double { 1 / (1 + exp(-u)) }
@inline(__always) func logit(_ p: Double) -> Double { log(p / (1 - p)) }
