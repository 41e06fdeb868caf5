import Statistics

/// What `costreplay forecast` produces: monthly P10/P50/P90 per scenario, annual totals, the fit,
/// and a backtest. Versioned and seeded like every result document.
public struct ForecastDocument: Sendable, Codable {
    public static let currentVersion = "costreplay.forecast/1"
    public var version = ForecastDocument.currentVersion
    public var inputs: Inputs
    public var fit: FitSummary
    public var months: [MonthRow]
    public var annual: [AnnualRow]
    public var backtest: Backtest?
    public var warnings: [String]

    public struct Inputs: Sendable, Codable {
        public var database: String
        public var firstDay: String
        public var lastDay: String
        public var months: Int
        public var paths: Int
        public var seed: UInt64
        public var growth: [Double]?
        public var result: String?
        /// Scheduled price changes as "YYYY-MM:change".
        public var priceChanges: [String] = []
        /// The price catalog the history was priced with (nil in documents written before catalogs were named).
        public var catalog: CatalogInfo?
    }

    public struct FitSummary: Sendable, Codable {
        public var days: Int
        public var weeklySeasonality: Bool
        /// Daily growth of cost on the log scale, and as a monthly rate.
        public var dailyLogGrowth: Double
        public var monthlyGrowth: Double
        public var residualSD: Double
        public var coefficients: [Double]
    }

    public struct MonthRow: Sendable, Codable, Equatable {
        public var month: String
        public var scenario: String
        public var p10: Double
        public var p50: Double
        public var p90: Double
    }

    public struct AnnualRow: Sendable, Codable, Equatable {
        public var scenario: String
        public var p10: Double
        public var p50: Double
        public var p90: Double
    }

    public struct Backtest: Sendable, Codable, Equatable {
        public var trainingDays: Int
        public var heldOutDays: Int
        /// Mean absolute percentage error of daily cost: the fitted model and a naive forecast
        /// (the mean of the last 7 training days).
        public var modelMAPE: Double
        public var naiveMAPE: Double
        public var heldOutCost: Double
        public var modelTotal: Double
        public var naiveTotal: Double
    }
}

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
