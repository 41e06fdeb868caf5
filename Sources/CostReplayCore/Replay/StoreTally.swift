/// The store-health block of a result document, counted during the replay's own pass over the window.
///
/// It covers every request of the window (shards included, so each shard's document describes the same store),
/// with the same rules as `costreplay cost`: billed costs are compared on the requests that are both billed and
/// priced (a billed request that cannot be priced adds its whole bill to the gap), and unpriced requests are counted by model and reason.
struct StoreTally {
    var billedRequests = 0
    var billedCost = Money.zero
    var computedOnBilled = Money.zero
    /// Requests per (reason, model) that could not be priced.
    var unpriced: [UnpricedKey: Int] = [:]

    struct UnpricedKey: Hashable {
        var reason: String
        var model: String
    }

    /// Counts one model call, priced as recorded at `cost` (nil when unpriced: `pricer` then says why).
    mutating func add(billed: Money?, _ input: PricingInput, cost: Money?, pricer: Pricer) {
        if let billed {
            // Billed but not computable counts too: its whole billed amount is a gap (as in `CostRow`).
            billedRequests += 1
            billedCost += billed
            computedOnBilled += cost ?? .zero
        }
        if cost == nil, let reason = pricer.price(input).unpricedDescription {
            unpriced[UnpricedKey(reason: reason, model: input.model ?? "(none)"), default: 0] += 1
        }
    }

    /// The block, with the store's count of rejected records.
    func health(rejectedRecords: Int) -> StoreHealth {
        let models = unpriced.sorted { ($0.value, $1.key.model, $1.key.reason) > ($1.value, $0.key.model, $0.key.reason) }
        return StoreHealth(rejectedRecords: rejectedRecords, billedRequests: billedRequests, billedCost: billedCost,
                           computedOnBilled: computedOnBilled,
                           unpricedModels: models.map { "\($0.key.model) (\($0.value), \($0.key.reason))" })
    }
}
