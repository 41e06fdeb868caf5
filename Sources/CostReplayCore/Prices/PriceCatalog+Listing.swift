/// What the catalog lists, for `prices status` and for tests that generate traffic from it.
extension PriceCatalog {
    /// One catalog entry and the literal names its match rule contains.
    public struct ListedEntry: Sendable {
        public var provider: String
        public var id: String
        /// The `equals`, `starts_with`, `ends_with` and `contains` strings of its match rule, lowercased.
        public var names: [String]
        /// Whether it prices tokens (or lists the model as free) in some period, rather than audio hours or pages.
        public var billsTokens: Bool
    }

    /// Every built-in entry in feed order.
    public var listedEntries: [ListedEntry] {
        providers.flatMap { provider in
            provider.models.map { model in
                ListedEntry(provider: provider.id, id: model.id, names: model.match.literals,
                            billsTokens: model.periods.contains { $0.prices.hasTokenRates || $0.prices.isFree })
            }
        }
    }

    /// Provider ids in feed order.
    public var providerIDs: [String] { providers.map(\.id) }

    /// Number of built-in entries that price tokens.
    public var pricedEntryCount: Int { listedEntries.filter(\.billsTokens).count }
}

extension MatchClause {
    /// The literal strings of the rule, in order.
    public var literals: [String] {
        switch self {
        case .equals(let s), .startsWith(let s), .endsWith(let s), .contains(let s): return [s]
        case .or(let clauses), .and(let clauses): return clauses.flatMap(\.literals)
        case .regex, .never: return []
        }
    }
}
