/// Two result documents side by side (this quarter against last, or two plans), from the documents
/// alone: scenario points are matched by label, money is compared per 30 days of replayed traffic
/// so that windows of different lengths compare fairly, and nothing is replayed.
public struct ResultComparison: Sendable {
    public struct Row: Sendable, Equatable {
        public var label: String
        /// Cost per 30 days in A and B; nil when the point is missing from that document.
        public var costA: Money?
        public var costB: Money?
        public var savingsShareA: Double?
        public var savingsShareB: Double?

        /// B − A per 30 days, when both have the point.
        public var change: Money? { costA.flatMap { a in costB.map { $0 - a } } }
    }

    public var nameA: String
    public var nameB: String
    public var daysA: Double
    public var daysB: Double
    public var rows: [Row]

    /// Throws when a document does not say how many days it replayed: assuming a period would scale its money by a
    /// made-up factor.
    public init(_ a: ReplayResult, named nameA: String, _ b: ReplayResult, named nameB: String) throws(ComparisonError) {
        self.nameA = nameA
        self.nameB = nameB
        guard let daysA = Self.days(a) else { throw ComparisonError.noPeriod(nameA) }
        guard let daysB = Self.days(b) else { throw ComparisonError.noPeriod(nameB) }
        self.daysA = daysA
        self.daysB = daysB
        func per30(_ money: Money, _ days: Double) -> Money { Money(dollars: money.dollars * 30 / days) }
        var rows = [Row(label: "baseline (as recorded)", costA: per30(a.baseline.cost, daysA), costB: per30(b.baseline.cost, daysB),
                        savingsShareA: 0, savingsShareB: 0)]
        let labels = a.scenarios.map(\.label) + b.scenarios.map(\.label).filter { label in !a.scenarios.contains { $0.label == label } }
        for label in labels {
            let sa = a.scenarios.first { $0.label == label }, sb = b.scenarios.first { $0.label == label }
            rows.append(Row(label: label, costA: sa.map { per30($0.totals.cost, daysA) }, costB: sb.map { per30($0.totals.cost, daysB) },
                            savingsShareA: sa?.totals.savingsShare, savingsShareB: sb?.totals.savingsShare))
        }
        self.rows = rows
    }

    /// Days of traffic a document replayed: its days with traffic, else the replayed span a lever measured, else its
    /// --from/--to window; nil when it says none of these.
    static func days(_ result: ReplayResult) -> Double? {
        if let daily = result.scenarios.first?.daily, !daily.isEmpty { return Double(daily.count) }
        if let hours = result.scenarios.lazy.compactMap({ $0.metrics.values.compactMap { $0[.spanHours] }.max() }).first, hours > 0 {
            return hours / 24
        }
        if let from = result.inputs.window.from.flatMap(Timestamp.parseISO), let to = result.inputs.window.to.flatMap(Timestamp.parseISO), to > from {
            return Double(to - from) / 86_400_000_000
        }
        return nil
    }

    static func share(_ value: Double?) -> String { value.map { MoneyFormat.fixed($0 * 100, decimals: 1) + "%" } ?? "—" }
    static func money(_ value: Money?) -> String { value.map(MoneyFormat.human) ?? "—" }
    static func signed(_ value: Money?) -> String {
        guard let value else { return "—" }
        return (value.femtos > 0 ? "+" : "") + MoneyFormat.human(value)
    }

    var header: [String] { ["scenario", "A per 30 d", "B per 30 d", "B − A", "A saves", "B saves"] }
    var cells: [[String]] {
        rows.map { [$0.label, Self.money($0.costA), Self.money($0.costB), Self.signed($0.change), Self.share($0.savingsShareA), Self.share($0.savingsShareB)] }
    }

    /// A console table (labels cut to keep it within 120 columns).
    public func table() -> String {
        "A: \(nameA) (\(MoneyFormat.fixed(daysA, decimals: 0)) days)\nB: \(nameB) (\(MoneyFormat.fixed(daysB, decimals: 0)) days)\n"
            + TextTable.render(header: header, rows: cells.map { [String($0[0].prefix(48))] + $0.dropFirst() })
    }

    /// A self-contained HTML page: no scripts, the report's own style sheet.
    public func html() -> String {
        let e = HTML.escape
        return """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>CostReplay comparison</title><style>\(HTML.style)</style></head>
            <body><main><h1>Two results side by side</h1>
            <p>A: \(e(nameA)), \(MoneyFormat.fixed(daysA, decimals: 0)) days replayed. B: \(e(nameB)), \(MoneyFormat.fixed(daysB, decimals: 0)) days replayed.
            Costs are per 30 days of each document's traffic; scenario points are matched by label.</p>
            \(HTML.table(header, cells, numeric: [1, 2, 3, 4, 5]))
            </main></body></html>

            """
    }
}

/// Why two documents cannot be put side by side.
public enum ComparisonError: Error, Equatable, CustomStringConvertible {
    case noPeriod(String)

    public var description: String {
        switch self {
        case .noPeriod(let name):
            return "\(name) does not say how many days it replayed (scenarios[0].daily is empty or missing, no replayed span, no --from/--to "
                + "window), so its costs cannot be put per 30 days; replay it with this version of costreplay"
        }
    }
}
