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
    public static func from(_ result: ReplayResult) -> [ForecastScenario] {
        result.scenarios.map { s in
            let sd = s.intervals.map { ($0.savingsShare[1] - $0.savingsShare[0]) / (2 * 1.959964) } ?? 0
            let base = s.totals.baselineCost.dollars
            let variable = (s.totals.cost - s.totals.fixedCost).dollars
            let days = s.metrics.values.compactMap { $0["span_hours"] }.max().map { $0 / 24 } ?? Double(s.intervals?.blocks ?? 30)
            return ForecastScenario(label: s.label, savingsShare: base == 0 ? 0 : (base - variable) / base, savingsShareSD: sd,
                                    monthlyFixed: s.totals.fixedCost.dollars / max(days, 1) * 30.436875)
        }
    }
}
