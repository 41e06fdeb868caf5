import Foundation

/// What `prices show` prints: the rates in force at an instant with every long-context tier of
/// every rate (cache rates included) at full precision, every period, and the sources.
public struct PriceView: Codable, Sendable {
    public var query: String
    public var provider: String
    public var model: String
    public var at: String?
    public var effective: String
    /// Dollars per million tokens, exact (no rounding), by kind.
    public var rates: [String: Rate]
    public var perRequest: String?
    public var periods: [Period]
    public var variants: [String]
    public var batch: String?
    public var serviceTiers: [String: String]
    public var notes: [String]
    public var source: String
    public var catalog: CatalogInfo

    /// One rate: the base and the tiers that replace it above an input-token threshold.
    public struct Rate: Codable, Sendable, Equatable {
        public var base: String
        public var tiers: [Tier]
    }

    public struct Tier: Codable, Sendable, Equatable {
        public var aboveInputTokens: Int64
        public var rate: String
    }

    public struct Period: Codable, Sendable {
        public var when: String
        public var rates: [String: Rate]
    }

    public init(pricing: ModelPricing, at micros: Int64, query: String, notes: [PricingNote] = [], catalog: CatalogInfo) {
        let (set, constraint) = pricing.prices(at: micros)
        self.query = query
        provider = pricing.provider
        model = pricing.id
        at = micros < Int64.max / 4 ? Timestamp.iso(micros) : nil
        effective = Self.describe(constraint)
        rates = Self.rates(set)
        perRequest = set.perRequest > .zero ? MoneyFormat.plain(set.perRequest, decimals: 15).trimmingZeros : nil
        periods = pricing.periods.map { Period(when: Self.describe($0.constraint), rates: Self.rates($0.prices)) }
        variants = pricing.variants.map { variant in
            let when = variant.when.keys.sorted().map { "\($0)=\(variant.when[$0]!)" }.joined(separator: ", ")
            let changed = Self.rates(variant.prices).sorted { $0.key < $1.key }.map { "\($0.key) \(Self.text($0.value))" }
            return "\(when)\(variant.constraint == .always ? "" : " (\(Self.describe(variant.constraint)))"): " + changed.joined(separator: ", ")
        }
        batch = pricing.batch.map { "input ×\($0.input), output ×\($0.output) (\($0.source))" }
        serviceTiers = pricing.serviceTiers.mapValues { "input ×\(Self.factor($0.input)), output ×\(Self.factor($0.output))" }
        self.notes = notes.map(\.description) + Self.shadowed(pricing.periods)
        source = pricing.source
        self.catalog = catalog
    }

    /// Periods that can never apply: the feeds try prices last to first, so an unconditional price
    /// hides every period listed before it (a feed ordered newest first does this by mistake).
    static func shadowed(_ periods: [PricePeriod]) -> [String] {
        guard let last = periods.lastIndex(where: { $0.constraint == .always }) else { return [] }
        return periods[..<last].filter { $0.constraint != .always }.map {
            "the period \(describe($0.constraint)) is never in force: the unconditional price listed after it takes precedence (prices are tried last to first)"
        }
    }

    static func rates(_ set: PriceSet) -> [String: Rate] {
        var override = PriceOverride()
        override.input = set.input
        override.output = set.output
        override.cacheRead = set.cacheRead
        override.cacheWrite5m = set.cacheWrite5m
        override.cacheWrite1h = set.cacheWrite1h
        override.outputReasoning = set.outputReasoning
        return rates(override)
    }

    static func rates(_ o: PriceOverride) -> [String: Rate] {
        let named: [(String, TieredRate?)] = [("input", o.input), ("output", o.output), ("cache_read", o.cacheRead),
                                              ("cache_write_5m", o.cacheWrite5m), ("cache_write_1h", o.cacheWrite1h),
                                              ("output_reasoning", o.outputReasoning)]
        var result: [String: Rate] = [:]
        for case let (name, rate?) in named {
            result[name] = Rate(base: exact(rate.base), tiers: rate.tiers.map { Tier(aboveInputTokens: $0.aboveInputTokens, rate: exact($0.rate)) })
        }
        return result
    }

    /// A rate in dollars per million tokens with every digit the catalog holds.
    static func exact(_ rate: TokenRate) -> String {
        MoneyFormat.plain(Money(femtos: Int128(rate.nanosPerMillion) * 1_000_000), decimals: 9).trimmingZeros
    }

    static func text(_ rate: Rate) -> String {
        "$\(rate.base)/Mtok" + rate.tiers.map { "; above \(MoneyFormat.count($0.aboveInputTokens)) input tokens $\($0.rate)/Mtok" }.joined()
    }

    static func factor(_ value: Double) -> String { String(format: "%.3f", value) }

    static func describe(_ constraint: PriceConstraint) -> String {
        switch constraint {
        case .always: return "base price"
        case .from(let micros): return "from \(Timestamp.day(micros))"
        case .timeOfDay(let start, let end): return "daily \(start / 3600):\(String(format: "%02d", start / 60 % 60))–\(end / 3600):\(String(format: "%02d", end / 60 % 60)) UTC"
        }
    }

    static let order = ["input", "cache_read", "cache_write_5m", "cache_write_1h", "output", "output_reasoning"]

    public func text() -> String {
        var out = "\(query) → \(provider)/\(model)\n"
        for note in notes { out += "note: \(note)\n" }
        out += "in force\(at.map { " at \($0)" } ?? " (latest)"): \(effective)\n"
        for key in Self.order { if let rate = rates[key] { out += "  \(key): \(Self.text(rate))\n" } }
        if let perRequest { out += "  per request: $\(perRequest)\n" }
        for variant in variants { out += "variant \(variant)\n" }
        if let batch { out += "batch: \(batch)\n" }
        for key in serviceTiers.keys.sorted() { out += "service tier \(key): \(serviceTiers[key]!)\n" }
        if periods.count > 1 {
            out += "periods:\n"
            for period in periods {
                out += "  \(period.when): " + Self.order.compactMap { key in period.rates[key].map { "\(key) \(Self.text($0))" } }.joined(separator: ", ") + "\n"
            }
        }
        out += "source: \(source)\n"
        out += CatalogInfo.footer(catalog)
        return out
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}

extension String {
    /// `2.500000000` as `2.5`, `3.000` as `3`.
    var trimmingZeros: String {
        guard contains(".") else { return self }
        var text = self
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
