import Statistics

/// Exact binomial intervals for the rates strategies observe, from their counters.
enum RateIntervals {
    /// (rate name, events counter, trials counter or sum of counters).
    static let definitions: [(String, String, [String])] = [
        ("hit_rate", "hits", ["lookups"]),
        ("hit_rate", "hits", ["calls"]),
        ("likely_false_hit_rate", "likely_false_hits", ["hits_with_response"]),
        ("escalation_rate", "escalated", ["requests"]),
        ("truncated_rate", "truncated", ["requests"]),
        ("spill_rate", "spilled", ["local", "spilled"]),
        ("accuracy", "correct", ["outcomes"]),
    ]

    static func of(_ metrics: [String: [String: Double]]) -> [String: [String: RateInterval]] {
        var result: [String: [String: RateInterval]] = [:]
        for (strategy, counters) in metrics {
            for (name, event, trialKeys) in definitions where result[strategy]?[name] == nil {
                guard trialKeys.allSatisfy({ counters[$0] != nil }) || (trialKeys.count > 1 && counters[trialKeys[0]] != nil) else { continue }
                let trials = Int(trialKeys.reduce(0) { $0 + (counters[$1] ?? 0) })
                let events = Int(counters[event] ?? 0)
                guard trials > 0, events <= trials else { continue }
                let (lower, upper) = Intervals.clopperPearson(successes: events, trials: trials)
                result[strategy, default: [:]][name] = RateInterval(events: events, trials: trials, rate: Double(events) / Double(trials),
                                                                    lower: lower, upper: upper)
            }
        }
        return result
    }
}
