/// The store-health block of a result document, counted during the replay's own pass over the window.
///
/// It covers every request of the window (shards included, so each shard's document describes the same store),
/// with the same rules as `costreplay cost`: every billed request and its billed cost, the computed cost of those
/// that can be priced, and unpriced requests counted by model and reason.
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

    /// Counts one model call, priced as recorded.
    mutating func add(_ record: TraceRecord, priced: PricedRequest) {
        // As the cost report counts them: a billed request that cannot be priced is billed all the same (its whole
        // billed amount is a gap).
        if let billed = record.billedCost {
            billedRequests += 1
            billedCost += billed
            if let cost = priced.cost { computedOnBilled += cost }
        }
        if let reason = priced.unpricedDescription {
            unpriced[UnpricedKey(reason: reason, model: record.model ?? "(none)"), default: 0] += 1
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
