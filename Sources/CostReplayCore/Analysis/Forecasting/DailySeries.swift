/// The daily cost (and request) series of the baseline, re-priced.
public struct DailySeries: Sendable {
    /// Days since the epoch.
    public var days: [Int64]
    public var cost: [Double]
    public var requests: [Double]

    public init(days: [Int64], cost: [Double], requests: [Double]) {
        self.days = days
        self.cost = cost
        self.requests = requests
    }

    public static func from(store: TraceStore, pricer: Pricer, window: TraceStore.TimeWindow) throws -> DailySeries {
        var cost: [Int64: Money] = [:]
        var requests: [Int64: Double] = [:]
        try store.forEachPricingRow(in: window, ordered: false) { row in
            guard row.kind == .llm, let start = row.startMicros, let price = pricer.price(row.pricingInput).cost else { return }
            let day = Timestamp.floorDiv(start, 86_400_000_000)
            cost[day, default: .zero] += price
            requests[day, default: 0] += 1
        }
        guard let first = cost.keys.min(), let last = cost.keys.max() else { return DailySeries(days: [], cost: [], requests: []) }
        // Days without traffic inside the span count as zero-cost days.
        let days = Array(first...last)
        return DailySeries(days: days, cost: days.map { cost[$0]?.dollars ?? 0 }, requests: days.map { requests[$0] ?? 0 })
    }
}
