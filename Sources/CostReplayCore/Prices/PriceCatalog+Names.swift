extension PriceCatalog {
    /// Every model id the catalog prices, for did-you-mean suggestions.
    public var knownModelIDs: [String] {
        userModels.map(\.id) + providers.flatMap { $0.models.map(\.id) }
    }
}
