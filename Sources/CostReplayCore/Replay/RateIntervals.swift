import Statistics

/// Exact binomial intervals for the rates strategies observe, from their counters.
enum RateIntervals {
    /// Per strategy: (rate name, events counter, trial counters summed).
    static let definitions: [String: [(String, Metric, [Metric])]] = [
        ExactCache.name: [("hit_rate", .hits, [.lookups]), ("likely_false_hit_rate", .likelyFalseHits, [.hitsWithResponse])],
        SemanticCache.name: [("hit_rate", .hits, [.lookups]), ("likely_false_hit_rate", .likelyFalseHits, [.hitsWithResponse]),
                             ("recall_of_hits", .recallFoundHits, [.recallExactHits])],
        ComponentCache.name: [("hit_rate", .hits, [.calls])],
        PrefixCache.name: [("hit_rate", .hits, [.requests])],
        Cascade.name: [("escalation_rate", .escalated, [.requests]), ("accuracy", .correct, [.outcomes])],
        ModelRouter.name: [("accuracy", .correct, [.outcomes])],
        Truncate.name: [("truncated_rate", .truncated, [.requests])],
        LocalGPU.name: [("spill_rate", .spilled, [.local, .spilled])],
    ]

    /// Rates with trials; a missing events counter means none happened.
    static func of(_ metrics: [String: [String: Double]]) -> [String: [String: RateInterval]] {
        var result: [String: [String: RateInterval]] = [:]
        for (strategy, counters) in metrics {
            let name = String(strategy.split(separator: ":").last ?? "")
            for (rate, event, trialKeys) in definitions[name] ?? [] {
                let trialCount = trialKeys.reduce(0) { $0 + (counters[$1] ?? 0) }, eventCount = counters[event] ?? 0
                // Counters are whole counts of requests; anything else (a stray score) is no rate.
                guard trialCount.isFinite, eventCount.isFinite, trialCount >= 1, eventCount >= 0, trialCount < 1e15,
                      eventCount <= trialCount else { continue }
                let trials = Int(trialCount), events = Int(eventCount)
                let (lower, upper) = Intervals.clopperPearson(successes: events, trials: trials)
                result[strategy, default: [:]][rate] = RateInterval(events: events, trials: trials, rate: Double(events) / Double(trials),
                                                                    lower: lower, upper: upper)
            }
        }
        return result
    }
}
