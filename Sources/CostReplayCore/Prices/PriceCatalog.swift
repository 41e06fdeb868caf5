import Synchronization

/// The dated price catalog: genai-prices data (bundled, or installed by `prices update`), the
/// batch and service-tier overlay, and any user price files, with a cached model lookup.
///
/// An unknown model is never priced at $0: ``resolve(model:provider:)`` says why it has no
/// price and names the nearest entry, and the pricer counts and reports it.
/// A value: loading (`loadUserFile`, the provider fall-back switch) mutates a copy before pricing starts, and the
/// copies a replay's workers share are immutable, so the type is `Sendable` without any unchecked promise.
public struct PriceCatalog: Sendable {
    /// User entries first (they override), then the catalog's providers in feed order.
    var userModels: [ModelPricing] = []
    var providers: [ProviderEntry] = []
    var overlay: [String: OverlayEntry] = [:]
    /// Lookups memoised by (provider, model); guarded because replays price on several threads. A loaded catalog
    /// gets a fresh cache, so copies made before a load never see another copy's answers.
    private var cache = ResolutionCache()
    /// Descriptions of every price source loaded, recorded with each run.
    public private(set) var sources: [String] = []
    /// The catalog in force: version, date and origin, named by every output that carries money.
    public internal(set) var info = CatalogInfo(name: "custom", version: "unversioned", date: "unknown", origin: "none", source: "")
    /// Price a provider's request from another provider's entry when the provider has none
    /// (`--provider-fallback`); off by default, since hosts do not all charge the maker's price.
    public var allowsProviderFallback = false {
        didSet { invalidate() }
    }

    struct ProviderEntry {
        var id: String
        var name: String
        var providerMatch: MatchClause
        var modelMatch: MatchClause
        var models: [ModelPricing]
        /// Providers whose models this one hosts at their prices (`fallback_model_providers`).
        var fallbacks: [String] = []
    }

    struct OverlayEntry {
        var batch: RateFactors?
        var tiers: [String: RateFactors]
    }

    public init() {}

    /// The catalog shipped with CostReplay (scripts/update-prices.py writes it).
    public static func builtIn() throws(PriceError) -> PriceCatalog {
        try load(bytes: BundledResource.bytes("price-catalog.json"), origin: "bundled", installed: nil)
    }

    /// A catalog from genai-prices data plus the bundled overlay; `origin` says where the data was read.
    static func load(bytes: [UInt8], origin: String, installed: String?) throws(PriceError) -> PriceCatalog {
        var catalog = PriceCatalog()
        let described = try catalog.loadGenAIPrices(bytes: bytes, source: origin)
        catalog.info = CatalogInfo(
            name: described["name"] ?? "genai-prices feed", version: described["version"] ?? "unversioned",
            date: described["date"] ?? installed ?? "unknown", origin: origin,
            source: described["source"] ?? origin, installed: installed)
        catalog.sources = ["\(catalog.info.label): \(catalog.info.source)"]
        try catalog.loadOverlay(bytes: BundledResource.bytes("rate-overlay.json"))
        return catalog
    }

    /// The pricing of a model name as it appears in a trace, or nil when none may be used.
    public func find(model: String, provider: String?) -> ModelPricing? {
        resolve(model: model, provider: provider).pricing
    }

    /// Which entry prices a model name for a provider, with notes on any loose match, or why none does.
    public func resolve(model: String, provider: String?) -> ModelResolution {
        resolved(model: model, provider: provider).resolution
    }

    /// ``resolve(model:provider:)`` as the memo keeps it: one reference, where a copy of the resolution would retain
    /// each of the entry's strings and arrays (the replay prices every request).
    func resolved(model: String, provider: String?) -> ResolutionCache.Resolved {
        let key = ResolutionCache.Key(model: model, provider: provider)
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let found = ResolutionCache.Resolved(resolveUncached(model: model.lowercased(), provider: provider?.lowercased()))
        cache.withLock { $0[key] = found }
        return found
    }

    /// Batch and service-tier factors from the overlay, by the catalog id or the traced name.
    static func attachOverlay(_ overlay: [String: OverlayEntry], to pricing: inout ModelPricing) {
        let entry = overlay[pricing.id.lowercased()] ?? overlay[pricing.provider + "/" + pricing.id.lowercased()]
        guard let entry else { return }
        if let batch = entry.batch { pricing.batch = batch }
        for (tier, factors) in entry.tiers where pricing.serviceTiers[tier] == nil { pricing.serviceTiers[tier] = factors }
    }

    mutating func addSource(_ text: String) { sources.append(text) }

    /// Starts a new lookup cache after a load (copies keep theirs).
    mutating func invalidate() { cache = ResolutionCache() }
}

/// The memo of ``PriceCatalog/resolve(model:provider:)``, shared by copies of one loaded catalog.
final class ResolutionCache: Sendable {
    /// A traced model and provider, as given (no string is built per lookup).
    struct Key: Hashable {
        var model: String
        var provider: String?
    }

    /// A resolution, immutable once made.
    final class Resolved: Sendable {
        let resolution: ModelResolution
        init(_ resolution: ModelResolution) { self.resolution = resolution }
    }

    let lookups = Mutex<[Key: Resolved]>([:])

    func withLock<R>(_ body: (inout [Key: Resolved]) -> R) -> R { lookups.withLock { body(&$0) } }
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
