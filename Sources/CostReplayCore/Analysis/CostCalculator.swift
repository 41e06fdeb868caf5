/// Re-prices every stored request and groups the result: the baseline of `costreplay cost`.
public struct CostCalculator {
    public let pricer: Pricer

    public init(pricer: Pricer) { self.pricer = pricer }

    /// Streams the store once. Structural spans (tool, agent, retrieval) are not billed calls and
    /// are left out of request counts.
    public func report(store: TraceStore, by grouping: CostGrouping, window: TraceStore.TimeWindow) throws -> CostReport {
        var tally = CostTally(pricer: pricer, by: grouping)
        try store.forEachPricingRow(in: window, ordered: false) { tally.add($0) }
        return tally.report(window: window)
    }

    /// Streams a record source once (canonical JSONL on standard input); the same report as from a store holding it.
    public func report(source: RecordSource, by grouping: CostGrouping, window: TraceStore.TimeWindow) throws -> CostReport {
        var tally = CostTally(pricer: pricer, by: grouping)
        try source.forEach { tally.add(PricingRow($0)) }
        return tally.report(window: window)
    }
}

/// The running sums of a cost report, fed one request at a time.
public struct CostTally {
    let pricer: Pricer
    let grouping: CostGrouping
    var groups: [String: CostRow] = [:]
    var total = CostRow(key: "total")
    var unpriced: [String: Int] = [:]
    var notes: [String: Int] = [:]

    public init(pricer: Pricer, by grouping: CostGrouping) {
        self.pricer = pricer
        self.grouping = grouping
    }

    /// Prices one request into its groups; structural spans are skipped.
    public mutating func add(_ row: PricingRow) {
        guard row.kind == .llm else { return }
        let priced = pricer.price(row.pricingInput)
        total.add(row, priced: priced)
        for key in grouping.keys(row) { groups[key, default: CostRow(key: key)].add(row, priced: priced) }
        if grouping == .request, let key = grouping.keys(row).first { groups[key]!.describe(row) }
        if let reason = priced.unpricedDescription { unpriced[reason + "\u{0}" + (row.pricingInput.model ?? "(none)"), default: 0] += 1 }
        for note in priced.notes { notes[note.description + "\u{0}" + (row.pricingInput.model ?? "(none)"), default: 0] += 1 }
    }

    public func report(window: TraceStore.TimeWindow) -> CostReport {
        func split(_ key: String) -> (String, String) {
            let parts = key.split(separator: "\u{0}", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
        return CostReport(
            groupBy: grouping,
            window: .init(from: window.from.map(Timestamp.iso), to: window.to.map(Timestamp.iso)),
            rows: CostReport.sorted(Array(groups.values), by: grouping), total: total,
            unpriced: CostReport.sorted(unpriced.map { key, count in
                let (reason, model) = split(key)
                return .init(reason: reason, model: model, requests: count)
            }),
            notes: CostReport.sorted(notes.map { key, count in
                let (note, model) = split(key)
                return .init(note: note, model: model, requests: count)
            }),
            priceSources: pricer.catalog.sources, catalog: pricer.catalog.info)
    }
}

extension CostReport {
    /// Rows in report order: time-like groups by key, others by computed cost (largest first), ties by key.
    static func sorted(_ rows: [CostRow], by grouping: CostGrouping) -> [CostRow] {
        rows.sorted { grouping.isTimeLike ? $0.key < $1.key : ($0.computedCost, $1.key) > ($1.computedCost, $0.key) }
    }

    static func sorted(_ groups: [UnpricedGroup]) -> [UnpricedGroup] {
        groups.sorted { ($0.requests, $1.model) > ($1.requests, $0.model) }
    }

    static func sorted(_ notes: [NoteCount]) -> [NoteCount] {
        notes.sorted { ($0.requests, $1.model) > ($1.requests, $0.model) }
    }
}

extension CostGrouping {
    var isTimeLike: Bool { self == .day || self == .week || self == .month }
}

extension PricingRow {
    /// The pricing columns of a record, as the store would return them.
    init(_ r: TraceRecord) {
        self.init(id: r.id, kind: r.kind, pricingInput: r.pricingInput, billedCost: r.billedCost, userID: r.userID,
                  tenantID: r.tenantID, sessionID: r.sessionID, traceID: r.traceID, tags: r.tags)
    }
}
