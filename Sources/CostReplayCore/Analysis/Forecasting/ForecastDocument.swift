import Statistics

/// What `costreplay forecast` produces: monthly P10/P50/P90 per scenario with the part the history gives
/// and the part the drivers add, annual totals, the model chosen and its evidence, rolling-origin
/// backtests and the assumptions. Versioned and seeded like every result document.
public struct ForecastDocument: Sendable, Codable {
    public static let currentVersion = "costreplay.forecast/2"
    public var version = ForecastDocument.currentVersion
    public var inputs: Inputs
    public var model: ModelSummary
    public var history: [HistoryDay]
    public var months: [MonthRow]
    public var annual: [AnnualRow]
    public var backtest: RollingBacktest
    public var assumptions: [String]
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
        public var drivers: String?
        /// Scheduled price changes from the command line as "YYYY-MM-DD:change".
        public var priceChanges: [String] = []
        /// The price catalog the history was priced with (nil for a series given directly).
        public var catalog: CatalogInfo?
    }

    /// The model chosen by AICc, its parameters, and every candidate considered.
    public struct ModelSummary: Sendable, Codable {
        public var chosen: String
        public var days: Int
        public var alpha: Double
        public var beta: Double?
        public var gamma: Double?
        public var phi: Double?
        /// Innovations' SD on the fitted scale, and the factor it is widened by for a short trace.
        public var sigma: Double
        public var widening: Double
        public var aicc: Double
        public var candidates: [ETSSelection.Candidate]
        public var rules: [String]
    }

    public struct HistoryDay: Sendable, Codable, Equatable {
        public var day: String
        public var cost: Double
    }

    public struct MonthRow: Sendable, Codable, Equatable {
        public var month: String
        public var scenario: String
        public var p10: Double
        public var p50: Double
        public var p90: Double
        /// P50 of the month from the history alone (today's prices, mix and plan), and P50 of what the drivers add.
        public var historyP50: Double
        public var driversP50: Double
    }

    public struct AnnualRow: Sendable, Codable, Equatable {
        public var scenario: String
        public var p10: Double
        public var p50: Double
        public var p90: Double
        public var historyP50: Double
        public var driversP50: Double
    }
}
