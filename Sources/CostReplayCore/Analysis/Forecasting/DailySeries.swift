/// The daily cost (and request) series of the baseline, re-priced.
public struct DailySeries: Sendable {
    /// Days since the epoch.
    public var days: [Int64]
    public var cost: [Double]
    public var requests: [Double]
    /// Days of earlier traffic left out because the span exceeds ``maximumHistoryDays``.
    public var droppedDays: Int64 = 0

    /// The most history a forecast fits: 53 weeks, which holds every weekly pattern and trend the models describe
    /// (they have no yearly season) and keeps the fits and backtests to seconds. A store whose span is longer (a stray
    /// record dated in year 1 or 9999 makes it millions of days) is forecast from its latest 53 weeks, and the
    /// document says so.
    public static let maximumHistoryDays: Int64 = 53 * 7

    public init(days: [Int64], cost: [Double], requests: [Double]) {
        self.days = days
        self.cost = cost
        self.requests = requests
    }

    public static func from(store: TraceStore, pricer: Pricer, window: TraceStore.TimeWindow,
                            maximumDays: Int64 = maximumHistoryDays) throws -> DailySeries {
        var cost: [Int64: Money] = [:]
        var requests: [Int64: Double] = [:]
        try store.forEachPricingRow(in: window, ordered: false) { row in
            guard row.kind == .llm, let start = row.pricingInput.startMicros, let price = pricer.cost(row.pricingInput) else { return }
            let day = Timestamp.floorDiv(start, 86_400_000_000)
            cost[day, default: .zero] += price
            requests[day, default: 0] += 1
        }
        guard let earliest = cost.keys.min(), let last = cost.keys.max() else { return DailySeries(days: [], cost: [], requests: []) }
        let first = max(earliest, last - maximumDays + 1)
        // Days without traffic inside the span count as zero-cost days.
        let days = Array(first...last)
        var series = DailySeries(days: days, cost: days.map { cost[$0]?.dollars ?? 0 }, requests: days.map { requests[$0] ?? 0 })
        series.droppedDays = first - earliest
        return series
    }
}
