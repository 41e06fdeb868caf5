/// A change of price catalog between a baseline and a check, reported by the gate as its own
/// line so a price update is never mistaken for (or hidden in) a change of configuration.
public struct PriceCatalogChange: Sendable, Codable, Equatable {
    /// The baseline's catalog (`label`), or a note that the baseline did not record one.
    public var from: String
    public var to: String
    /// The baseline configuration's monthly cost at its own prices and at the check's prices;
    /// `atCurrentPrices` is nil when the baseline could not be replayed again.
    public var baselineAtRecordedPrices: Double
    public var baselineAtCurrentPrices: Double?
    /// Whether the candidate was compared with the baseline replayed at the check's prices.
    public var comparedAtSamePrices: Bool

    public init(from: String, to: String, baselineAtRecordedPrices: Double, baselineAtCurrentPrices: Double?, comparedAtSamePrices: Bool) {
        self.from = from
        self.to = to
        self.baselineAtRecordedPrices = baselineAtRecordedPrices
        self.baselineAtCurrentPrices = baselineAtCurrentPrices
        self.comparedAtSamePrices = comparedAtSamePrices
    }

    /// The line the gate prints.
    public var line: String {
        func money(_ value: Double) -> String { MoneyFormat.human(Money(dollars: value)) }
        var text = "price catalog changed: \(from) → \(to)"
        if let now = baselineAtCurrentPrices {
            let percent = baselineAtRecordedPrices == 0 ? 0 : (now - baselineAtRecordedPrices) / baselineAtRecordedPrices
            text += "; prices alone move the baseline from \(money(baselineAtRecordedPrices)) to \(money(now)) a month "
                + "(\(MoneyFormat.fixed(percent * 100, decimals: 1))%)"
        }
        text += comparedAtSamePrices ? "; baseline and candidate are compared at the new prices"
            : "; compared as recorded, so part of the difference is prices"
        return text
    }
}
