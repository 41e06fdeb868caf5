import Foundation

/// What `prices show` prints: the rates in force at an instant, every period, and the sources.
public struct PriceView: Codable, Sendable {
    public var query: String
    public var provider: String
    public var model: String
    public var at: String?
    public var effective: String
    public var rates: [String: String]
    public var tiers: [String]
    public var periods: [String]
    public var batch: String?
    public var serviceTiers: [String: String]
    public var source: String

    public init(pricing: ModelPricing, at micros: Int64, query: String) {
        let (set, constraint) = pricing.prices(at: micros)
        self.query = query
        provider = pricing.provider
        model = pricing.id
        at = micros < Int64.max / 4 ? Timestamp.iso(micros) : nil
        effective = Self.describe(constraint)
        var rates: [String: String] = ["input": Self.rate(set.input.base), "output": Self.rate(set.output.base)]
        if let r = set.cacheRead { rates["cache_read"] = Self.rate(r.base) }
        if let r = set.cacheWrite5m { rates["cache_write_5m"] = Self.rate(r.base) }
        if let r = set.cacheWrite1h { rates["cache_write_1h"] = Self.rate(r.base) }
        if let r = set.outputReasoning { rates["output_reasoning"] = Self.rate(r.base) }
        if set.perRequest > .zero { rates["per_request"] = MoneyFormat.plain(set.perRequest, decimals: 6) }
        self.rates = rates
        tiers = set.input.tiers.map { "above \(MoneyFormat.count($0.aboveInputTokens)) input tokens: input \(Self.rate($0.rate))" }
            + set.output.tiers.map { "above \(MoneyFormat.count($0.aboveInputTokens)) input tokens: output \(Self.rate($0.rate))" }
        periods = pricing.periods.map { "\(Self.describe($0.constraint)): input \(Self.rate($0.prices.input.base)), output \(Self.rate($0.prices.output.base))" }
        batch = pricing.batch.map { "input ×\($0.input), output ×\($0.output) (\($0.source))" }
        serviceTiers = pricing.serviceTiers.mapValues { "input ×\(Self.factor($0.input)), output ×\(Self.factor($0.output))" }
        source = pricing.source
    }

    static func rate(_ rate: TokenRate) -> String { "$\(MoneyFormat.plain(Money(femtos: Int128(rate.nanosPerMillion) * 1_000_000), decimals: 4))/Mtok" }
    static func factor(_ value: Double) -> String { String(format: "%.3f", value) }

    static func describe(_ constraint: PriceConstraint) -> String {
        switch constraint {
        case .always: return "base price"
        case .from(let micros): return "from \(Timestamp.day(micros))"
        case .timeOfDay(let start, let end): return "daily \(start / 3600):\(String(format: "%02d", start / 60 % 60))–\(end / 3600):\(String(format: "%02d", end / 60 % 60)) UTC"
        }
    }

    public func text() -> String {
        var out = "\(query) → \(provider)/\(model)\n"
        out += "in force\(at.map { " at \($0)" } ?? " (latest)"): \(effective)\n"
        for key in rates.keys.sorted() { out += "  \(key): \(rates[key]!)\n" }
        for tier in tiers { out += "  tier: \(tier)\n" }
        if let batch { out += "batch: \(batch)\n" }
        for key in serviceTiers.keys.sorted() { out += "service tier \(key): \(serviceTiers[key]!)\n" }
        if periods.count > 1 { out += "periods:\n" + periods.map { "  \($0)\n" }.joined() }
        out += "source: \(source)\n"
        return out
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
