/// The outcome of looking a traced model name up in the catalog: the entry used, with notes on
/// how loosely it matched, or why no entry may be used and which one came nearest.
public struct ModelResolution: Sendable {
    public var pricing: ModelPricing?
    /// Set when `pricing` came from another provider's entry (a documented host, or `--provider-fallback`).
    public var notes: [PricingNote] = []
    public var unpriced: UnpricedReason?
    /// The entry that would have been used without the provider rule, as `provider/id`.
    public var nearest: String?
    /// Whether the entry belongs to the provider the request named (genai-prices applies price
    /// variants only then).
    public var isOwnEntry = true

    static func found(_ pricing: ModelPricing, notes: [PricingNote] = [], own: Bool = true) -> ModelResolution {
        ModelResolution(pricing: pricing, notes: notes, unpriced: nil, nearest: nil, isOwnEntry: own)
    }

    static func refused(_ reason: UnpricedReason, nearest: ModelPricing?) -> ModelResolution {
        ModelResolution(pricing: nil, notes: [], unpriced: reason, nearest: nearest?.qualifiedID)
    }
}
