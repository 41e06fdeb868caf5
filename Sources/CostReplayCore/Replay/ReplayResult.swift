/// The versioned result document of a replay: what every renderer, `merge`, forecasts and the CI
/// gate read, so nothing is replayed twice. Same inputs and seed, same bytes.
public struct ReplayResult: Sendable, Codable, Equatable {
    public static let currentVersion = "costreplay.result/1"
    public var version = ReplayResult.currentVersion
    public var inputs: Inputs
    public var baseline: Totals
    public var scenarios: [ScenarioResult]
    public var diagnostics: [String]
    /// The store's own health: rejected records and the billed-versus-computed gap of the replayed requests.
    public var store: StoreHealth?

    public struct Inputs: Sendable, Codable, Equatable {
        public var database: String
        public var window: CostReport.Window
        public var seed: UInt64
        public var shard: Shard?
        public var scenarioFile: String
        /// Stable hash of the scenario file text.
        public var scenarioDigest: String
        public var priceSources: [String]
        /// The price catalog in force; nil in documents written before catalogs were versioned.
        public var catalog: CatalogInfo?
    }

    public struct Shard: Sendable, Codable, Equatable {
        public var key: ShardKey
        public var indices: [Int]
        public var count: Int
        /// True for parts of an input split by the key before the replay (`simulate --stdin --part`): each part's
        /// store health covers only its own records, so merging sums it. Nil for `--shard` of one store.
        public var presplit: Bool?
    }
}

/// Money and counts of one replay (baseline or a scenario point).
public struct Totals: Sendable, Codable, Equatable {
    /// Billed model calls seen.
    public var requests = 0
    /// Calls priced both in the baseline and the scenario; money sums cover these.
    public var comparedRequests = 0
    public var unpricedRequests = 0
    /// Structural spans (tool, retrieval) seen.
    public var spans = 0
    public var baselineCost = Money.zero
    public var cost = Money.zero
    public var servedRequests = 0
    /// Costs not tied to requests (local servers), included in `cost`.
    public var fixedCost = Money.zero
    public var latencySavedMs = 0.0
    public var inputTokens: Int64 = 0
    public var cacheReadTokens: Int64 = 0
    public var cacheWriteTokens: Int64 = 0
    public var outputTokens: Int64 = 0

    public var savings: Money { baselineCost - cost }
    public var savingsShare: Double { baselineCost.femtos == 0 ? 0 : savings.dollars / baselineCost.dollars }

    /// The sum of two shards' totals; nil when a count, token count or amount would overflow, so a merge of edited
    /// documents stops with an error instead of trapping.
    func adding(_ b: Totals) -> Totals? {
        func sum<T: FixedWidthInteger>(_ x: T, _ y: T) -> T? {
            let (value, overflow) = x.addingReportingOverflow(y)
            return overflow ? nil : value
        }
        func money(_ x: Money, _ y: Money) -> Money? { sum(x.femtos, y.femtos).map(Money.init(femtos:)) }
        guard let requests = sum(requests, b.requests), let compared = sum(comparedRequests, b.comparedRequests),
              let unpriced = sum(unpricedRequests, b.unpricedRequests), let spans = sum(spans, b.spans),
              let served = sum(servedRequests, b.servedRequests), let baselineCost = money(baselineCost, b.baselineCost),
              let cost = money(cost, b.cost), let fixedCost = money(fixedCost, b.fixedCost),
              let input = sum(inputTokens, b.inputTokens), let cacheRead = sum(cacheReadTokens, b.cacheReadTokens),
              let cacheWrite = sum(cacheWriteTokens, b.cacheWriteTokens), let output = sum(outputTokens, b.outputTokens) else { return nil }
        return Totals(requests: requests, comparedRequests: compared, unpricedRequests: unpriced, spans: spans, baselineCost: baselineCost,
                      cost: cost, servedRequests: served, fixedCost: fixedCost, latencySavedMs: latencySavedMs + b.latencySavedMs,
                      inputTokens: input, cacheReadTokens: cacheRead, cacheWriteTokens: cacheWrite, outputTokens: output)
    }
}

/// One scenario point's outcome.
public struct ScenarioResult: Sendable, Codable, Equatable {
    public var label: String
    public var scenario: String
    public var steps: [Step]
    public var totals: Totals
    /// Per strategy (by position: `1:exact_cache`), its counters.
    public var metrics: [String: [String: Double]]
    /// Savings of each lever applied in order: the cost after levers 1…k against after 1…k−1.
    public var waterfall: [Attribution]
    /// Each lever alone against the baseline.
    public var alone: [Attribution]
    /// False when a strategy's state spans shards (a global cache), so merged shards only approximate.
    public var exactWhenSharded: Bool
    /// 95% bootstrap intervals (whole days resampled), when there were at least two days.
    public var intervals: BootstrapIntervals?
    /// Per strategy: exact binomial (Clopper–Pearson) 95% intervals of its observed rates.
    public var rates: [String: [String: RateInterval]]?
    /// Baseline and scenario cost per UTC day (compared requests; fixed costs spread by requests),
    /// for paired comparisons such as the CI gate.
    public var daily: [DailyTotal]?
    /// Cost by the model each request was finally sent to ("(served)" when a strategy answered it).
    public var byModel: [String: Money]?
    /// The same per UTC day, for cost by model over time (baseline: the recorded model).
    public var byModelDaily: [ModelDay]?
    public var baselineByModelDaily: [ModelDay]?
    /// Sharded runs only: the bootstrap blocks' sums, from which `merge` draws the intervals of the whole trace.
    public var blocks: BlockSums?

    public struct Step: Sendable, Codable, Equatable {
        public var strategy: String
        public var parameters: [String: ParameterValue]
    }

    public struct Attribution: Sendable, Codable, Equatable {
        public var strategy: String
        public var costBefore: Money
        public var costAfter: Money
        public var savings: Money { costBefore - costAfter }
    }
}

/// 95% percentile-bootstrap intervals of a scenario's money figures.
public struct BootstrapIntervals: Sendable, Codable, Equatable {
    /// What was resampled, how often, with which seed.
    public var method: String
    public var blocks: Int
    public var resamples: Int
    public var cost: [Double]
    public var savings: [Double]
    public var savingsShare: [Double]
    public var servedShare: [Double]
}

/// An observed rate with its exact binomial interval.
public struct RateInterval: Sendable, Codable, Equatable {
    public var events: Int
    public var trials: Int
    public var rate: Double
    public var lower: Double
    public var upper: Double
}

/// One UTC day of a scenario: the baseline and scenario cost of the same requests.
public struct DailyTotal: Sendable, Codable, Equatable {
    public var day: String
    public var baseline: Money
    public var cost: Money
    public var requests: Int

    public init(day: String, baseline: Money, cost: Money, requests: Int) {
        self.day = day
        self.baseline = baseline
        self.cost = cost
        self.requests = requests
    }
}

/// What the report's diagnostics show about the trace itself.
public struct StoreHealth: Sendable, Codable, Equatable {
    public var rejectedRecords: Int
    public var billedRequests: Int
    public var billedCost: Money
    public var computedOnBilled: Money
    public var gap: Money { computedOnBilled - billedCost }
    public var unpricedModels: [String]
}

/// Cost of one model on one UTC day.
public struct ModelDay: Sendable, Codable, Equatable {
    public var model: String
    public var day: String
    public var cost: Money

    public init(model: String, day: String, cost: Money) {
        self.model = model
        self.day = day
        self.cost = cost
    }
}
