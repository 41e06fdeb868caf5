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

    /// Whether the catalog gave an input or output token rate: an entry without either (audio,
    /// per-search or unpublished prices) cannot price token usage, and is reported, not $0.
    public var hasTokenRates = true
    /// The catalog lists the model with no charges at all (`"prices": {}`, e.g. OpenRouter's `:free`
    /// models): priced at $0 with a note saying so.
    public var isFree = false

    public init(input: TieredRate, output: TieredRate) {
        self.input = input
        self.output = output
    }

    /// Replaces the rates an override names (genai-prices `price_variants`, resolved per key).
    mutating func apply(_ override: PriceOverride) {
        if let r = override.input { input = r }
        if let r = override.output { output = r }
        if let r = override.cacheRead { cacheRead = r }
        if let r = override.cacheWrite5m { cacheWrite5m = r }
        if let r = override.cacheWrite1h { cacheWrite1h = r }
        if let r = override.outputReasoning { outputReasoning = r }
    }
}

/// The rates a price variant replaces; nil keeps the standard rate.
public struct PriceOverride: Sendable, Hashable {
    public var input, output, cacheRead, cacheWrite5m, cacheWrite1h, outputReasoning: TieredRate?

    var isEmpty: Bool { [input, output, cacheRead, cacheWrite5m, cacheWrite1h, outputReasoning].allSatisfy { $0 == nil } }

    /// Fills the keys this override leaves open from a later variant: the first variant naming a key wins.
    mutating func fillGaps(from other: PriceOverride) {
        input = input ?? other.input
        output = output ?? other.output
        cacheRead = cacheRead ?? other.cacheRead
        cacheWrite5m = cacheWrite5m ?? other.cacheWrite5m
        cacheWrite1h = cacheWrite1h ?? other.cacheWrite1h
        outputReasoning = outputReasoning ?? other.outputReasoning
    }
}

/// Prices that replace the standard ones for requests with a given context, e.g.
/// `{"processing": "batch"}` or `{"service_tier": "priority"}` (genai-prices `PriceVariant`).
public struct PriceVariant: Sendable, Hashable {
    public var when: [String: String]
    public var constraint: PriceConstraint
    public var prices: PriceOverride
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
    /// Context-specific prices (batch, service tiers), tried first to last per rate.
    public var variants: [PriceVariant] = []

    /// Whether batch traffic has a price of its own: listed batch prices or a batch factor.
    public var hasBatchPrices: Bool { batch != nil || variants.contains { $0.when["processing"] == "batch" } }

    /// `provider/id`, how notes and reasons name an entry.
    public var qualifiedID: String { provider.isEmpty ? id : provider + "/" + id }

    /// The variant rates for a request context at an instant (genai-prices `ModelInfo.get_prices`):
    /// each rate comes from the first variant whose context and constraint hold.
    public func override(for context: [String: String], at micros: Int64) -> PriceOverride? {
        guard !context.isEmpty else { return nil }
        var result = PriceOverride()
        for variant in variants where variant.constraint.holds(at: micros)
            && variant.when.allSatisfy({ context[$0.key] == $0.value }) {
            result.fillGaps(from: variant.prices)
        }
        return result.isEmpty ? nil : result
    }

    /// The price set in force at an instant.
    public func prices(at micros: Int64) -> (PriceSet, PriceConstraint) {
        let period = periods[periodIndex(at: micros)]
        return (period.prices, period.constraint)
    }

    /// The index in `periods` of the price set in force at an instant: the last whose constraint holds, else the first.
    func periodIndex(at micros: Int64) -> Int {
        periods.indices.last { periods[$0].constraint.holds(at: micros) } ?? 0
    }
}
