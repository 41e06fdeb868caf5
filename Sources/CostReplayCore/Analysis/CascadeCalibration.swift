import Statistics

/// Chooses a cascade's score threshold from the stored trace, as RouteLLM calibrates its routers:
/// for a target share of escalated requests, or for a target share of the strong model's quality
/// at least cost.
public enum CascadeCalibration {
    public struct Sample: Sendable {
        public var score: Double
        public var cheapCorrect: Double?
        public var strongCorrect: Double?

        public init(score: Double, cheapCorrect: Double?, strongCorrect: Double?) {
            self.score = score
            self.cheapCorrect = cheapCorrect
            self.strongCorrect = strongCorrect
        }
    }

    public struct Result: Codable, Sendable, Equatable {
        public var threshold: Double
        public var requests: Int
        public var escalatedShare: Double
        /// Accuracy of the cascade and of the strong model alone, where outcomes are recorded.
        public var quality: Double?
        public var strongQuality: Double?
    }

    /// Scores and outcomes of every billed request that has `score:<cheap>`.
    public static func samples(store: TraceStore, cheap: String, strong: String) throws -> [Sample] {
        var result: [Sample] = []
        try store.forEachRecord { record, _ in
            guard record.kind == .llm, let score = record.quality["score:" + cheap] else { return }
            result.append(Sample(score: score, cheapCorrect: record.quality["correct:" + cheap],
                                 strongCorrect: record.quality["correct:" + strong]))
        }
        return result
    }

    /// The threshold below which `share` of the scores fall (GSL quantile).
    public static func forShare(_ samples: [Sample], share: Double) throws(StatisticsError) -> Result {
        let threshold = try Summary.quantile(samples.map(\.score), share)
        return evaluate(samples, threshold: threshold)
    }

    /// The lowest threshold (fewest escalations) whose quality reaches `target` × the strong
    /// model's quality; nil when no threshold does or outcomes are missing.
    public static func forQuality(_ samples: [Sample], target: Double) -> Result? {
        let candidates = Array(Set(samples.map(\.score))).sorted() + [Double.infinity]
        for threshold in candidates {
            let result = evaluate(samples, threshold: threshold)
            if let quality = result.quality, let strong = result.strongQuality, quality >= target * strong { return result }
        }
        return nil
    }

    /// The cost–quality trade-off over thresholds (escalated share 0…100% in `steps`), with RouteLLM's
    /// PGR per point and the APGR: quality gained over the cheap model as a share of the strong
    /// model's gain. Nil when outcomes are not recorded.
    public static func curve(_ samples: [Sample], steps: Int = 10) throws(StatisticsError) -> (points: [Result], pgr: [Double], apgr: Double)? {
        let scores = samples.map(\.score)
        let cheapOnly = evaluate(samples, threshold: -.infinity), strongOnly = evaluate(samples, threshold: .infinity)
        guard let low = cheapOnly.quality, let high = strongOnly.quality else { return nil }
        var points: [Result] = []
        for step in 0...steps {
            let share = Double(step) / Double(steps)
            let threshold = step == 0 ? -Double.infinity : step == steps ? .infinity : try Summary.quantile(scores, share)
            points.append(evaluate(samples, threshold: threshold))
        }
        let pgr = points.map { high == low ? 1 : (($0.quality ?? low) - low) / (high - low) }
        return (points, pgr, pgr.reduce(0, +) / Double(pgr.count))
    }

    static func evaluate(_ samples: [Sample], threshold: Double) -> Result {
        var escalated = 0, known = 0
        var correct = 0.0, strongCorrect = 0.0
        for sample in samples {
            let escalate = sample.score < threshold
            if escalate { escalated += 1 }
            if let cheap = sample.cheapCorrect, let strong = sample.strongCorrect {
                known += 1
                correct += escalate ? strong : cheap
                strongCorrect += strong
            }
        }
        return Result(threshold: threshold, requests: samples.count,
                      escalatedShare: samples.isEmpty ? 0 : Double(escalated) / Double(samples.count),
                      quality: known > 0 ? correct / Double(known) : nil, strongQuality: known > 0 ? strongCorrect / Double(known) : nil)
    }
}
