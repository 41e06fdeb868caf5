/// The result of re-pricing the stored traffic: one row per group plus a total, with billed
/// cost beside computed cost wherever the trace carried it. Every renderer reads this document.
public struct CostReport: Sendable, Codable {
    public static let version = "costreplay.cost/1"
    public var version = CostReport.version
    public var groupBy: CostGrouping
    public var window: Window
    public var rows: [CostRow]
    public var total: CostRow
    /// Requests that could not be priced, by reason and model.
    public var unpriced: [UnpricedGroup]
    /// Assumptions the pricer made, with how many requests each touched.
    public var notes: [NoteCount]
    /// Price sources used.
    public var priceSources: [String]
    /// The price catalog in force.
    public var catalog: CatalogInfo?

    public struct Window: Sendable, Codable, Equatable {
        public var from: String?
        public var to: String?
    }

    public struct UnpricedGroup: Sendable, Codable, Equatable {
        public var reason: String
        public var model: String
        public var requests: Int

        public init(reason: String, model: String, requests: Int) {
            self.reason = reason
            self.model = model
            self.requests = requests
        }
    }

    public struct NoteCount: Sendable, Codable, Equatable {
        public var note: String
        public var model: String
        public var requests: Int
    }
}

/// Totals of one group.
public struct CostRow: Sendable, Codable, Equatable {
    public var key: String
    /// Set on `--by request` rows only: the request's model, provider and start (ISO 8601 UTC).
    public var model: String?
    public var provider: String?
    public var start: String?
    public var requests = 0
    public var pricedRequests = 0
    public var unpricedRequests = 0
    public var inputTokens: Int64 = 0
    public var cacheReadTokens: Int64 = 0
    public var cacheWriteTokens: Int64 = 0
    public var outputTokens: Int64 = 0
    public var reasoningTokens: Int64 = 0
    /// Computed cost of the priced requests.
    public var computedCost = Money.zero
    /// Requests whose trace carries a billed cost, and the sum of those costs.
    public var billedRequests = 0
    public var billedCost = Money.zero
    /// Computed cost of the requests that carry a billed cost, for a like-for-like gap.
    public var computedOnBilled = Money.zero

    public init(key: String) { self.key = key }

    /// Computed minus billed over the requests that carry both; nil when none does.
    public var gap: Money? { billedRequests > 0 ? computedOnBilled - billedCost : nil }

    /// Names the one request a `--by request` row stands for.
    mutating func describe(_ row: PricingRow) {
        model = row.pricingInput.model
        provider = row.pricingInput.provider
        start = row.pricingInput.startMicros.map(Timestamp.iso)
    }

    mutating func add(_ row: PricingRow, priced: PricedRequest) {
        requests += 1
        if let usage = row.pricingInput.usage {
            inputTokens += usage.input
            cacheReadTokens += usage.cacheRead
            cacheWriteTokens += usage.cacheWrite5m + usage.cacheWrite1h
            outputTokens += usage.output
            reasoningTokens += usage.reasoning
        }
        if let cost = priced.cost {
            pricedRequests += 1
            computedCost += cost
            if let billed = row.billedCost {
                billedRequests += 1
                billedCost += billed
                computedOnBilled += cost
            }
        } else {
            unpricedRequests += 1
            if let billed = row.billedCost {
                // Billed but not computable: the whole billed amount is a gap.
                billedRequests += 1
                billedCost += billed
            }
        }
    }
}
