import Statistics

/// Chooses a semantic-cache threshold with a guarantee: the highest hit rate among the swept
/// thresholds whose false-hit rate has an upper confidence bound at or below `maxFalseHitRate`.
///
/// The bound is the one-sided exact (Clopper–Pearson) upper bound at `confidence` on the share of
/// false hits among the hits that could be checked. A threshold with no checkable hits gives no
/// evidence and is never chosen.
public enum ThresholdRecommendation {
    public struct Candidate: Sendable, Codable, Equatable {
        public var label: String
        public var threshold: Double
        public var hitRate: Double
        public var falseHits: Int
        public var checkedHits: Int
        public var upperBound: Double

        public init(label: String, threshold: Double, hitRate: Double, falseHits: Int, checkedHits: Int, upperBound: Double) {
            self.label = label
            self.threshold = threshold
            self.hitRate = hitRate
            self.falseHits = falseHits
            self.checkedHits = checkedHits
            self.upperBound = upperBound
        }
    }

    public struct Recommendation: Sendable, Codable {
        public var maxFalseHitRate: Double
        public var confidence: Double
        public var chosen: Candidate?
        public var candidates: [Candidate]
        public var statement: String
    }

    /// One-sided upper bound on a binomial rate (k of n) at the given confidence.
    public static func upperBound(events k: Int, trials n: Int, confidence: Double) -> Double {
        guard n > 0 else { return 1 }
        return k >= n ? 1 : Intervals.betaQuantile(confidence, Double(k + 1), Double(n - k))
    }

    public static func recommend(_ candidates: [Candidate], maxFalseHitRate: Double, confidence: Double) -> Recommendation {
        let eligible = candidates.filter { $0.checkedHits > 0 && $0.upperBound <= maxFalseHitRate }
        let chosen = eligible.max { ($0.hitRate, -$0.threshold) < ($1.hitRate, -$1.threshold) }
        let percent = { (value: Double) in MoneyFormat.fixed(value * 100, decimals: 1) + "%" }
        let statement: String
        if let chosen {
            statement = "threshold \(chosen.threshold): hit rate \(percent(chosen.hitRate)); with \(percent(confidence)) confidence "
                + "its false-hit rate is at most \(percent(chosen.upperBound)) (≤ \(percent(maxFalseHitRate))), from \(chosen.falseHits) "
                + "false of \(chosen.checkedHits) checked hits"
        } else {
            statement = "no swept threshold has a false-hit rate provably at most \(percent(maxFalseHitRate)) with \(percent(confidence)) confidence"
        }
        return Recommendation(maxFalseHitRate: maxFalseHitRate, confidence: confidence, chosen: chosen, candidates: candidates, statement: statement)
    }

    /// Candidates from the semantic-cache points of a result document.
    public static func candidates(from result: ReplayResult, confidence: Double) -> [Candidate] {
        result.scenarios.compactMap { scenario in
            guard let (key, counters) = scenario.metrics.first(where: { $0.key.hasSuffix(":" + SemanticCache.name) }),
                  let position = Int(key.split(separator: ":")[0]), position >= 1, position <= scenario.steps.count,
                  case .number(let threshold)? = scenario.steps[position - 1].parameters["threshold"] else { return nil }
            let lookups = counters[.lookups] ?? 0
            let falseHits = Int(counters[.likelyFalseHits] ?? 0), checked = Int(counters[.hitsWithResponse] ?? 0)
            return Candidate(label: scenario.label, threshold: threshold, hitRate: lookups > 0 ? (counters[.hits] ?? 0) / lookups : 0,
                             falseHits: falseHits, checkedHits: checked,
                             upperBound: upperBound(events: falseHits, trials: checked, confidence: confidence))
        }
    }

    /// Candidates from the QQP validation: false hits are the hits that are not correct.
    public static func candidates(from rows: [QQPValidation.Row], confidence: Double) -> [Candidate] {
        rows.map { row in
            Candidate(label: "qqp", threshold: row.threshold, hitRate: row.hitRate, falseHits: row.hits - row.correctHits,
                      checkedHits: row.hits, upperBound: upperBound(events: row.hits - row.correctHits, trials: row.hits, confidence: confidence))
        }
    }
}
