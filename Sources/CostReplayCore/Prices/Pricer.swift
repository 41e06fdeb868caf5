/// Prices one request at the rates in force when it ran.
///
/// Rules, in order: an application cache hit costs nothing; uncached input, cache reads, 5-minute
/// and 1-hour cache writes, visible output and reasoning output each at their own rate (a missing
/// cache rate falls back to the input rate, a missing reasoning rate to the output rate, as the
/// providers bill them); the long-context tier is chosen by the request's total input tokens
/// (genai-prices' cliff model); batch and service-tier traffic is scaled by that model's published
/// factors. Anything that cannot be priced is reported, never treated as $0.
public struct Pricer {
    public let catalog: PriceCatalog

    public init(catalog: PriceCatalog) { self.catalog = catalog }

    public func price(_ request: PricingInput) -> PricedRequest {
        if request.cacheHit { return PricedRequest(cost: .zero, breakdown: CostBreakdown(), pricing: nil, notes: [], unpriced: nil) }
        guard let usage = request.usage else { return .unpriced(.noUsage) }
        guard let model = request.model else { return .unpriced(.noModel) }
        guard let pricing = catalog.find(model: model, provider: request.provider) else { return .unpriced(.unknownModel) }
        let (set, _) = pricing.prices(at: request.startMicros ?? 0)
        let tierBasis = usage.input
        var b = CostBreakdown()
        let inputRate = set.input.rate(inputTokens: tierBasis)
        let outputRate = set.output.rate(inputTokens: tierBasis)
        b.uncachedInput = inputRate.cost(usage.uncachedInput)
        b.cacheRead = (set.cacheRead?.rate(inputTokens: tierBasis) ?? inputRate).cost(usage.cacheRead)
        let write5m = set.cacheWrite5m?.rate(inputTokens: tierBasis) ?? inputRate
        b.cacheWrite = write5m.cost(usage.cacheWrite5m)
            + (set.cacheWrite1h?.rate(inputTokens: tierBasis) ?? write5m).cost(usage.cacheWrite1h)
        if let reasoningRate = set.outputReasoning?.rate(inputTokens: tierBasis) {
            b.output = outputRate.cost(usage.visibleOutput)
            b.reasoning = reasoningRate.cost(usage.reasoning)
        } else {
            b.output = outputRate.cost(usage.output)
        }
        b.requestFee = set.perRequest
        var notes: [PricingNote] = []
        if request.isBatch {
            if let factors = pricing.batch { b.scale(factors) } else { notes.append(.noBatchRate) }
        }
        if let tier = request.serviceTier?.lowercased(), !Self.standardTiers.contains(tier) {
            if let factors = pricing.serviceTiers[tier] { b.scale(factors) } else { notes.append(.noServiceTierRate(tier)) }
        }
        return PricedRequest(cost: b.total, breakdown: b, pricing: pricing, notes: notes, unpriced: nil)
    }

    /// Service tiers billed at the standard rate.
    static let standardTiers: Set<String> = ["default", "auto", "standard", "on_demand", "scale", ""]
}

/// What the pricer needs of a request.
public struct PricingInput: Sendable {
    public var model: String?
    public var provider: String?
    public var startMicros: Int64?
    public var usage: TokenUsage?
    public var isBatch = false
    public var serviceTier: String?
    public var cacheHit = false

    public init(model: String?, provider: String?, startMicros: Int64?, usage: TokenUsage?, isBatch: Bool = false,
                serviceTier: String? = nil, cacheHit: Bool = false) {
        self.model = model
        self.provider = provider
        self.startMicros = startMicros
        self.usage = usage
        self.isBatch = isBatch
        self.serviceTier = serviceTier
        self.cacheHit = cacheHit
    }

    public init(_ record: TraceRecord) {
        self.init(model: record.model, provider: record.provider, startMicros: record.startMicros, usage: record.usage,
                  isBatch: record.isBatch, serviceTier: record.serviceTier, cacheHit: record.cacheHit)
    }
}

/// The cost of one request by component.
public struct CostBreakdown: Sendable, Hashable {
    public var uncachedInput = Money.zero
    public var cacheRead = Money.zero
    public var cacheWrite = Money.zero
    public var output = Money.zero
    public var reasoning = Money.zero
    public var requestFee = Money.zero

    public init() {}

    public var total: Money { uncachedInput + cacheRead + cacheWrite + output + reasoning + requestFee }

    mutating func scale(_ factors: RateFactors) {
        func apply(_ m: Money, _ f: Double) -> Money { Money(femtos: Int128((Double(m.femtos) * f).rounded())) }
        uncachedInput = apply(uncachedInput, factors.input)
        cacheRead = apply(cacheRead, factors.input)
        cacheWrite = apply(cacheWrite, factors.input)
        output = apply(output, factors.output)
        reasoning = apply(reasoning, factors.output)
    }
}

/// The result of pricing one request.
public struct PricedRequest: Sendable {
    /// Nil when the request could not be priced (see `unpriced`).
    public var cost: Money?
    public var breakdown: CostBreakdown
    public var pricing: ModelPricing?
    public var notes: [PricingNote]
    public var unpriced: UnpricedReason?

    static func unpriced(_ reason: UnpricedReason) -> PricedRequest {
        PricedRequest(cost: nil, breakdown: CostBreakdown(), pricing: nil, notes: [], unpriced: reason)
    }
}

/// Why a request has no computed cost.
public enum UnpricedReason: String, Sendable, Codable, CaseIterable {
    case unknownModel = "model not in the price catalog"
    case noModel = "no model recorded"
    case noUsage = "no token usage recorded"
}

/// Something the pricer had to assume.
public enum PricingNote: Sendable, Hashable, CustomStringConvertible {
    case noBatchRate
    case noServiceTierRate(String)

    public var description: String {
        switch self {
        case .noBatchRate: return "batch request but no batch rate known; standard rate used"
        case .noServiceTierRate(let tier): return "service tier '\(tier)' has no known rate; standard rate used"
        }
    }
}
