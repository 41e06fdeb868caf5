/// A scenario to project: the distribution of its savings share on per-request costs, and its
/// fixed monthly cost (local servers), which does not scale with traffic.
public struct ForecastScenario: Sendable {
    public var label: String
    public var savingsShare: Double
    public var savingsShareSD: Double
    public var monthlyFixed: Double

    public init(label: String, savingsShare: Double, savingsShareSD: Double, monthlyFixed: Double = 0) {
        self.label = label
        self.savingsShare = savingsShare
        self.savingsShareSD = savingsShareSD
        self.monthlyFixed = monthlyFixed
    }

    /// From a result document: the share of per-request cost saved (fixed costs taken out), an SD
    /// from the bootstrap interval, and fixed costs per month over the replayed days.
    ///
    /// The replayed days come from the scenario's strategy metrics (`span_hours`), else from its daily
    /// totals (first to last day), else from its bootstrap's day blocks. A scenario with fixed costs and
    /// none of these is refused: spreading its fixed cost over a guessed span would misstate every month.
    public static func from(_ result: ReplayResult, path: String = "the result document") throws(ScenarioError) -> [ForecastScenario] {
        try result.scenarios.enumerated().map { (index, s) throws(ScenarioError) in
            let sd = s.intervals.map { ($0.savingsShare[1] - $0.savingsShare[0]) / (2 * 1.959964) } ?? 0
            let base = s.totals.baselineCost.dollars
            let variable = (s.totals.cost - s.totals.fixedCost).dollars
            var monthlyFixed = 0.0
            if s.totals.fixedCost != .zero {
                guard let days = replayedDays(s) else {
                    throw ScenarioError(file: path, line: 0, key: "scenarios[\(index)]",
                                        "scenario \"\(s.label)\" has fixed costs but no span to spread them over (no span_hours metric, daily totals or bootstrap blocks)")
                }
                monthlyFixed = s.totals.fixedCost.dollars / days * 30.436875
            }
            return ForecastScenario(label: s.label, savingsShare: base == 0 ? 0 : (base - variable) / base, savingsShareSD: sd,
                                    monthlyFixed: monthlyFixed)
        }
    }

    /// Days the scenario replayed, from the first source the document carries; nil when it carries none.
    static func replayedDays(_ s: ScenarioResult) -> Double? {
        if let hours = s.metrics.values.compactMap({ $0[.spanHours] }).max(), hours > 0 { return max(hours / 24, 1) }
        let days = (s.daily ?? []).compactMap { Timestamp.parseISO($0.day).map { Timestamp.floorDiv($0, 86_400_000_000) } }
        if let first = days.min(), let last = days.max() { return Double(last - first + 1) }
        if let blocks = s.intervals?.blocks, blocks > 0 { return Double(blocks) }
        return nil
    }
}
