/// Re-prices every stored request and groups the result: the baseline of `costreplay cost`.
public struct CostCalculator {
    public let pricer: Pricer

    public init(pricer: Pricer) { self.pricer = pricer }

    /// Streams the store once. Structural spans (tool, agent, retrieval) are not billed calls and
    /// are left out of request counts.
    public func report(store: TraceStore, by grouping: CostGrouping, window: TraceStore.TimeWindow) throws -> CostReport {
        var groups: [String: CostRow] = [:]
        var total = CostRow(key: "total")
        var unpriced: [String: Int] = [:]
        var notes: [String: Int] = [:]
        try store.forEachPricingRow(in: window, ordered: false) { row in
            guard row.kind == .llm else { return }
            let priced = pricer.price(row.pricingInput)
            total.add(row, priced: priced)
            for key in grouping.keys(row) { groups[key, default: CostRow(key: key)].add(row, priced: priced) }
            if grouping == .request, let key = grouping.keys(row).first { groups[key]!.describe(row) }
            if let reason = priced.unpricedDescription { unpriced[reason + "\u{0}" + (row.model ?? "(none)"), default: 0] += 1 }
            for note in priced.notes { notes[note.description + "\u{0}" + (row.model ?? "(none)"), default: 0] += 1 }
        }
        func split(_ key: String) -> (String, String) {
            let parts = key.split(separator: "\u{0}", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
        let rows = groups.values.sorted { grouping.isTimeLike ? $0.key < $1.key : ($0.computedCost, $1.key) > ($1.computedCost, $0.key) }
        return CostReport(
            groupBy: grouping,
            window: .init(from: window.from.map(Timestamp.iso), to: window.to.map(Timestamp.iso)),
            rows: rows, total: total,
            unpriced: unpriced.map { key, count in
                let (reason, model) = split(key)
                return .init(reason: reason, model: model, requests: count)
            }.sorted { ($0.requests, $1.model) > ($1.requests, $0.model) },
            notes: notes.map { key, count in
                let (note, model) = split(key)
                return .init(note: note, model: model, requests: count)
            }.sorted { ($0.requests, $1.model) > ($1.requests, $0.model) },
            priceSources: pricer.catalog.sources, catalog: pricer.catalog.info)
    }
}

extension CostGrouping {
    var isTimeLike: Bool { self == .day || self == .week || self == .month }
}
