/// Prices one request at the rates in force when it ran.
///
/// Rules, in order: an application cache hit costs nothing; the entry comes from
/// ``PriceCatalog/resolve(model:provider:)`` (never another provider's unless allowed); batch and
/// service-tier prices the catalog lists for the entry replace the standard rates
/// (genai-prices `price_variants`); uncached input, cache reads, 5-minute and 1-hour cache writes,
/// visible output and reasoning output each at their own rate, where a missing cache rate falls
/// back as genai-prices prices the most specific unit it has (genai_prices/decompose.py): a
/// 1-hour write without a 1-hour rate at the cache-write rate, then the input rate; a cache read
/// without a read rate at the input rate; reasoning without a reasoning rate at the output rate.
/// The long-context tier of every rate, cache rates included, is chosen by the request's total
/// input tokens (genai-prices' cliff model, `calc_unit_price`). Batch and service-tier traffic
/// without listed prices is scaled by the overlay's factors. Anything that cannot be priced is
/// reported, never treated as $0.
public struct Pricer {
    public let catalog: PriceCatalog

    public init(catalog: PriceCatalog) { self.catalog = catalog }

    public func price(_ request: PricingInput) -> PricedRequest {
        var notes: [PricingNote]? = []
        switch evaluate(request, notes: &notes) {
        case let .priced(breakdown, resolved):
            return PricedRequest(cost: breakdown.total, breakdown: breakdown, pricing: resolved?.resolution.pricing, notes: notes ?? [],
                                 unpriced: nil)
        case let .unpriced(reason, nearest):
            var refused = PricedRequest.unpriced(reason)
            refused.nearest = nearest
            return refused
        }
    }

    /// ``price(_:)``'s cost alone, nil when the request cannot be priced: what the replay sums for every request, without
    /// the notes, the breakdown and the entry (a copy of the entry retains each of its strings and arrays).
    func cost(_ request: PricingInput) -> Money? {
        var notes: [PricingNote]? = nil
        guard case .priced(let breakdown, _) = evaluate(request, notes: &notes) else { return nil }
        return breakdown.total
    }

    /// The outcome of pricing: the breakdown and the entry used (none for an application cache hit), or why none.
    private enum Evaluation {
        case priced(CostBreakdown, ResolutionCache.Resolved?)
        case unpriced(UnpricedReason, nearest: String?)
    }

    /// ``price(_:)``'s rules; notes are collected only when `notes` is not nil.
    private func evaluate(_ request: PricingInput, notes: inout [PricingNote]?) -> Evaluation {
        if request.cacheHit { return .priced(CostBreakdown(), nil) }
        guard let usage = request.usage else { return .unpriced(.noUsage, nearest: nil) }
        guard let model = request.model else { return .unpriced(.noModel, nearest: nil) }
        let resolved = catalog.resolved(model: model, provider: request.provider)
        // Called on the memo's own entry: binding the entry to a local would copy it (a retain per string and array).
        guard let breakdown = resolved.resolution.pricing?.breakdown(usage, request, isOwnEntry: resolved.resolution.isOwnEntry,
                                                                     notes: &notes, before: resolved.resolution.notes) else {
            return .unpriced(resolved.resolution.unpriced ?? .unknownModel, nearest: resolved.resolution.nearest)
        }
        switch breakdown {
        case .success(let b): return .priced(b, resolved)
        case .failure(let refusal): return .unpriced(refusal.reason, nearest: refusal.nearest)
        }
    }

    /// The cost of each kind of token at one price set.
    @inline(__always)
    static func breakdown(_ usage: TokenUsage, _ set: PriceSet) -> CostBreakdown {
        let basis = usage.input
        var b = CostBreakdown()
        let inputRate = set.input.rate(inputTokens: basis)
        b.uncachedInput = inputRate.cost(usage.uncachedInput)
        b.cacheRead = (set.cacheRead?.rate(inputTokens: basis) ?? inputRate).cost(usage.cacheRead)
        let write5m = set.cacheWrite5m?.rate(inputTokens: basis) ?? inputRate
        b.cacheWrite = write5m.cost(usage.cacheWrite5m)
            + (set.cacheWrite1h?.rate(inputTokens: basis) ?? write5m).cost(usage.cacheWrite1h)
        let outputRate = set.output.rate(inputTokens: basis)
        if let reasoningRate = set.outputReasoning?.rate(inputTokens: basis) {
            b.output = outputRate.cost(usage.visibleOutput)
            b.reasoning = reasoningRate.cost(usage.reasoning)
        } else {
            b.output = outputRate.cost(usage.output)
        }
        b.requestFee = set.perRequest
        return b
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
    /// For an unpriced request, the catalog entry nearest to it (`provider/id`).
    public var nearest: String?

    public init(cost: Money?, breakdown: CostBreakdown, pricing: ModelPricing?, notes: [PricingNote], unpriced: UnpricedReason?) {
        self.cost = cost
        self.breakdown = breakdown
        self.pricing = pricing
        self.notes = notes
        self.unpriced = unpriced
    }

    static func unpriced(_ reason: UnpricedReason) -> PricedRequest {
        PricedRequest(cost: nil, breakdown: CostBreakdown(), pricing: nil, notes: [], unpriced: reason)
    }

    /// The reason with the nearest entry, as reports list it.
    public var unpricedDescription: String? {
        guard let unpriced else { return nil }
        guard let nearest else { return unpriced.rawValue }
        switch unpriced {
        case .noTokenRates: return "\(unpriced.rawValue) (\(nearest))"
        default: return "\(unpriced.rawValue); nearest entry \(nearest) (--provider-fallback uses it)"
        }
    }
}

/// Why a request has no computed cost.
public enum UnpricedReason: String, Sendable, Codable, CaseIterable {
    case unknownModel = "model not in the price catalog"
    case unknownProvider = "provider not in the price catalog"
    case providerLacksModel = "the provider has no price for this model"
    case noTokenRates = "the catalog entry has no token prices"
    case noModel = "no model recorded"
    case noUsage = "no token usage recorded"
}

/// Something the pricer had to assume, or an entry it used that the request did not name exactly.
public enum PricingNote: Sendable, Hashable, CustomStringConvertible {
    case noBatchRate
    case noServiceTierRate(String)
    case noOutputRate
    case listedFree
    /// The name matched the entry only by a prefix, pattern or date rewrite.
    case looseMatch(entry: String)
    /// The provider hosts the model maker's models and was priced from the maker's entry.
    case hostedEntry(host: String, entry: String)
    /// `--provider-fallback`: another provider's entry, by the user's leave.
    case providerFallback(entry: String)
    /// No provider was recorded and no provider claims the name; the first entry that matches was used.
    case inferredProvider(entry: String)

    public var description: String {
        switch self {
        case .noBatchRate: return "batch request but no batch rate known; standard rate used"
        case .noServiceTierRate(let tier): return "service tier '\(tier)' has no known rate; standard rate used"
        case .listedFree: return "the catalog lists this model with no charges; priced at $0"
        case .noOutputRate: return "output tokens but the entry has no output price; output priced at $0 as the catalog lists it"
        case .looseMatch(let entry): return "no entry of this exact name; priced as \(entry)"
        case .hostedEntry(let host, let entry): return "\(host) hosts this model; priced from \(entry)"
        case .providerFallback(let entry): return "the provider has no price for it; priced from \(entry) (--provider-fallback)"
        case .inferredProvider(let entry): return "no provider recorded or implied; priced from \(entry)"
        }
    }
}

/// Why an entry prices nothing for a request.
struct PricingRefusal: Error {
    var reason: UnpricedReason
    var nearest: String?
}

extension ModelPricing {
    /// ``Pricer/price(_:)``'s rules once the entry is known; notes (after `before`) only when `notes` is not nil.
    func breakdown(_ usage: TokenUsage, _ request: PricingInput, isOwnEntry: Bool, notes: inout [PricingNote]?,
                   before: [PricingNote]) -> Result<CostBreakdown, PricingRefusal> {
        let at = request.startMicros ?? 0
        let period = periodIndex(at: at)
        guard periods[period].prices.hasTokenRates || periods[period].prices.isFree else {
            return .failure(PricingRefusal(reason: .noTokenRates, nearest: qualifiedID))
        }
        if notes != nil {
            notes! += before
            if periods[period].prices.isFree { notes!.append(.listedFree) }
        }
        let tier = request.serviceTier?.lowercased()
        guard request.isBatch || !(tier ?? "").isEmpty else {
            // No variant or factor applies: the listed rates, read in place.
            let b = Pricer.breakdown(usage, periods[period].prices)
            noteMissingOutputRate(usage, periods[period].prices, notes: &notes)
            return .success(b)
        }
        var set = periods[period].prices
        var context: [String: String] = [:]
        if request.isBatch { context["processing"] = "batch" }
        if let tier, !tier.isEmpty { context["service_tier"] = tier }
        // genai-prices applies variants only to the named provider's own entries (types.py `ModelInfo.calc_price`).
        let override = isOwnEntry ? self.override(for: context, at: at) : nil
        if let override { set.apply(override) }
        var b = Pricer.breakdown(usage, set)
        // Listed variants start on the day they were verified; before it, the overlay's factors stand in.
        func listed(_ key: String, _ value: String) -> Bool {
            override != nil && variants.contains { $0.when == [key: value] && $0.constraint.holds(at: at) }
        }
        if request.isBatch && !listed("processing", "batch") {
            if let factors = batch { b.scale(factors) } else { notes?.append(.noBatchRate) }
        }
        if let tier, !Pricer.standardTiers.contains(tier), !listed("service_tier", tier) {
            if let factors = serviceTiers[tier] { b.scale(factors) } else { notes?.append(.noServiceTierRate(tier)) }
        }
        noteMissingOutputRate(usage, set, notes: &notes)
        return .success(b)
    }

    private func noteMissingOutputRate(_ usage: TokenUsage, _ set: PriceSet, notes: inout [PricingNote]?) {
        if notes != nil && usage.output > 0 && set.output.base == .zero && set.output.tiers.isEmpty && set.outputReasoning == nil {
            notes!.append(.noOutputRate)
        }
    }
}
