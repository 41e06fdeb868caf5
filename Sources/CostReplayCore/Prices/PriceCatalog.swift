import Synchronization

/// The dated price catalog: built-in genai-prices data, the batch and service-tier overlay, and
/// any user price files, with a cached model lookup.
///
/// An unknown model is never priced at $0: ``find(model:provider:)`` returns nil and the pricer
/// counts and reports it.
public final class PriceCatalog: @unchecked Sendable {
    /// User entries first (they override), then the built-in providers in feed order.
    var userModels: [ModelPricing] = []
    var providers: [ProviderEntry] = []
    var overlay: [String: OverlayEntry] = [:]
    /// Lookups memoised by (provider, model); guarded because replays price on two threads.
    private let cache = Mutex<[String: ModelPricing?]>([:])
    /// Descriptions of every price source loaded, recorded with each run.
    /// Loading is not thread-safe; load every file before pricing starts.
    public private(set) var sources: [String] = []

    struct ProviderEntry {
        var id: String
        var name: String
        var providerMatch: MatchClause
        var modelMatch: MatchClause
        var models: [ModelPricing]
    }

    struct OverlayEntry {
        var batch: RateFactors?
        var tiers: [String: RateFactors]
    }

    public init() {}

    /// The catalog shipped with CostReplay.
    public static func builtIn() throws(PriceError) -> PriceCatalog {
        let catalog = PriceCatalog()
        try catalog.loadGenAIPrices(bytes: BundledResource.bytes("genai-prices-v2.json"),
                                    source: "genai-prices v2 feed (pydantic/genai-prices 47df840, 2026-08-21, MIT)")
        try catalog.loadOverlay(bytes: BundledResource.bytes("rate-overlay.json"))
        return catalog
    }

    /// The pricing of a model name as it appears in a trace, or nil when no entry matches.
    public func find(model: String, provider: String?) -> ModelPricing? {
        let key = (provider ?? "") + "|" + model
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let found = search(model: model.lowercased(), provider: provider?.lowercased())
        cache.withLock { $0[key] = found }
        return found
    }

    func search(model: String, provider: String?) -> ModelPricing? {
        if let hit = userModels.first(where: { ($0.provider.isEmpty || provider == nil || $0.provider == provider) && $0.match.matches(model) }) {
            return hit
        }
        if let provider {
            let chosen = providers.filter { $0.id == provider || $0.providerMatch.matches(provider) }
            for entry in chosen { if let hit = entry.models.first(where: { $0.match.matches(model) }) { return hit } }
        }
        // "openai/gpt-4o", "anthropic.claude-3-haiku": try the part after the provider prefix.
        for separator in ["/", ":"] {
            if let range = model.range(of: separator) {
                let prefix = String(model[..<range.lowerBound])
                let rest = String(model[range.upperBound...])
                if let hit = search(model: rest, provider: prefix) { return hit }
            }
        }
        for entry in providers where entry.modelMatch.matches(model) {
            if let hit = entry.models.first(where: { $0.match.matches(model) }) { return hit }
        }
        for entry in providers {
            if let hit = entry.models.first(where: { $0.match.matches(model) }) { return hit }
        }
        return nil
    }

    /// Batch and service-tier factors from the overlay, by the catalog id or the traced name.
    func attachOverlay(_ pricing: inout ModelPricing) {
        let entry = overlay[pricing.id.lowercased()] ?? overlay[pricing.provider + "/" + pricing.id.lowercased()]
        guard let entry else { return }
        if let batch = entry.batch { pricing.batch = batch }
        for (tier, factors) in entry.tiers where pricing.serviceTiers[tier] == nil { pricing.serviceTiers[tier] = factors }
    }

    func addSource(_ text: String) { sources.append(text) }

    /// Clears the lookup cache after a load.
    func invalidate() { cache.withLock { $0.removeAll() } }
}

/// Errors loading price data.
public enum PriceError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case invalid(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "cannot read price file \(path): \(reason)"
        case let .invalid(path, reason): return "price file \(path): \(reason)"
        }
    }
}
