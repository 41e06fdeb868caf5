/// A token rate that may change above a prompt-size threshold.
///
/// genai-prices' "cliff" model: when a request's input tokens exceed a tier's start, that tier's
/// rate applies to all tokens of the kind (Anthropic, Google and OpenAI long-context pricing).
public struct TieredRate: Sendable, Hashable {
    public var base: TokenRate
    /// Ascending by threshold.
    public var tiers: [Tier]

    public struct Tier: Sendable, Hashable {
        public var aboveInputTokens: Int64
        public var rate: TokenRate
    }

    public init(base: TokenRate, tiers: [Tier] = []) {
        self.base = base
        self.tiers = tiers.sorted { $0.aboveInputTokens < $1.aboveInputTokens }
    }

    @inline(__always)
    public func rate(inputTokens: Int64) -> TokenRate {
        var rate = base
        for tier in tiers where inputTokens > tier.aboveInputTokens { rate = tier.rate }
        return rate
    }
}

/// The rates of one model during one period: per million tokens of each kind.
public struct PriceSet: Sendable, Hashable {
    public var input: TieredRate
    public var output: TieredRate
    public var cacheRead: TieredRate?
    public var cacheWrite5m: TieredRate?
    public var cacheWrite1h: TieredRate?
    public var outputReasoning: TieredRate?
    /// A fee per request (genai-prices `requests_kcount` / 1000).
    public var perRequest: Money = .zero

    public init(input: TieredRate, output: TieredRate) {
        self.input = input
        self.output = output
    }
}

/// When a ``PriceSet`` is in force.
public enum PriceConstraint: Sendable, Hashable {
    case always
    /// From this instant (µs since the epoch) on.
    case from(Int64)
    /// Daily UTC window in seconds of the day, e.g. DeepSeek's off-peak hours; may wrap midnight.
    case timeOfDay(start: Int, end: Int)

    func holds(at micros: Int64) -> Bool {
        switch self {
        case .always: return true
        case .from(let start): return micros >= start
        case .timeOfDay(let start, let end):
            let second = Int(Timestamp.floorDiv(micros, 1_000_000) % 86_400 + 86_400) % 86_400
            return start <= end ? (second >= start && second < end) : (second >= start || second < end)
        }
    }
}

/// A price set with its constraint.
public struct PricePeriod: Sendable, Hashable {
    public var constraint: PriceConstraint
    public var prices: PriceSet
}

/// Multipliers for batch and service-tier traffic, from published per-tier rates.
public struct RateFactors: Sendable, Hashable, Codable {
    public var input: Double
    public var output: Double
    public var source: String

    public init(input: Double, output: Double, source: String) {
        self.input = input
        self.output = output
        self.source = source
    }
}

/// Everything the catalog knows about one model.
public struct ModelPricing: Sendable {
    public var provider: String
    public var id: String
    public var name: String?
    public var match: MatchClause
    /// Tried last to first; the first one is the fallback (genai-prices' rule).
    public var periods: [PricePeriod]
    public var contextWindow: Int?
    /// Where the prices come from, shown by `prices show` and recorded with each run.
    public var source: String
    public var batch: RateFactors?
    public var serviceTiers: [String: RateFactors] = [:]

    /// The price set in force at an instant.
    public func prices(at micros: Int64) -> (PriceSet, PriceConstraint) {
        for period in periods.reversed() where period.constraint.holds(at: micros) {
            return (period.prices, period.constraint)
        }
        return (periods[0].prices, periods[0].constraint)
    }
}
