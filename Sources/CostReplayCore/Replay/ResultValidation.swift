/// What a result document may hold: the figures no replay writes are refused when a document is read (and when shards
/// are merged), naming the field by its JSON path, so nothing downstream traps or shows a clamped number.
///
/// The bounds are far beyond any real trace (a trillion requests, a quadrillion dollars) and far inside what the
/// arithmetic holds: a monthly or yearly projection of a bounded figure stays inside `Money`'s ±$10²⁰, and counts can
/// be summed over many shards before an `Int` could overflow.
public enum ResultLimits {
    /// Requests, spans, days' requests, blocks' counts, rate trials.
    public static let maxCount = 1_000_000_000_000
    /// Token counts of one document.
    public static let maxTokens: Int64 = 1_000_000_000_000_000
    /// Any dollar figure, in magnitude: $10¹⁵.
    public static let maxDollars = Money(femtos: Int128(1_000_000_000_000_000) * Money.femtosPerDollar)
    /// A strategy counter or a bootstrap bound, in magnitude.
    public static let maxFigure = 1e15
    /// Bootstrap resamples a document may ask `merge` to draw.
    public static let maxResamples = 1_000_000

    /// A field that no replay writes.
    public struct Problem: Error, Equatable, Sendable {
        /// JSON path of the field, e.g. `scenarios[0].totals.requests`.
        public var field: String
        public var reason: String
    }

    /// The first implausible field of the document, if any.
    public static func problem(in result: ReplayResult) -> Problem? {
        do {
            try check(result)
            return nil
        } catch {
            return error
        }
    }

    static func check(_ result: ReplayResult) throws(Problem) {
        if let shard = result.inputs.shard {
            try count(shard.count, "inputs.shard.count", minimum: 1)
            guard !shard.indices.isEmpty else { throw Problem(field: "inputs.shard.indices", reason: "is empty") }
            for (i, index) in shard.indices.enumerated() where index < 0 || index >= shard.count {
                throw Problem(field: "inputs.shard.indices[\(i)]", reason: "is \(index), outside 0..<\(shard.count)")
            }
            guard Set(shard.indices).count == shard.indices.count else {
                throw Problem(field: "inputs.shard.indices", reason: "names a shard twice")
            }
        }
        try totals(result.baseline, "baseline")
        for (s, scenario) in result.scenarios.enumerated() { try self.scenario(scenario, "scenarios[\(s)]") }
        if let health = result.store {
            try count(health.rejectedRecords, "store.rejectedRecords")
            try count(health.billedRequests, "store.billedRequests")
            try money(health.billedCost, "store.billedCost")
            try money(health.computedOnBilled, "store.computedOnBilled")
        }
    }

    static func totals(_ t: Totals, _ path: String) throws(Problem) {
        for (value, name) in [(t.requests, "requests"), (t.comparedRequests, "comparedRequests"), (t.unpricedRequests, "unpricedRequests"),
                              (t.spans, "spans"), (t.servedRequests, "servedRequests")] {
            try count(value, "\(path).\(name)")
        }
        for (value, name) in [(t.inputTokens, "inputTokens"), (t.cacheReadTokens, "cacheReadTokens"),
                              (t.cacheWriteTokens, "cacheWriteTokens"), (t.outputTokens, "outputTokens")] {
            guard value >= 0 else { throw Problem(field: "\(path).\(name)", reason: "is negative (\(value))") }
            guard value <= maxTokens else { throw Problem(field: "\(path).\(name)", reason: "is \(value), more than \(MoneyFormat.count(maxTokens))") }
        }
        try money(t.baselineCost, "\(path).baselineCost")
        try money(t.cost, "\(path).cost")
        try money(t.fixedCost, "\(path).fixedCost")
        if t.comparedRequests > t.requests { throw Problem(field: "\(path).comparedRequests", reason: "exceeds its requests") }
        guard t.latencySavedMs.isFinite, t.latencySavedMs >= 0, t.latencySavedMs <= 1e20 else {
            throw Problem(field: "\(path).latencySavedMs", reason: "is \(t.latencySavedMs), not a finite figure from 0 to 1e20")
        }
    }

    static func scenario(_ s: ScenarioResult, _ path: String) throws(Problem) {
        try totals(s.totals, "\(path).totals")
        for (key, counters) in s.metrics.sorted(by: { $0.key < $1.key }) {
            for (name, value) in counters.sorted(by: { $0.key < $1.key }) { try figure(value, "\(path).metrics[\"\(key)\"][\"\(name)\"]") }
        }
        for (list, name) in [(s.waterfall, "waterfall"), (s.alone, "alone")] {
            for (i, step) in list.enumerated() {
                try money(step.costBefore, "\(path).\(name)[\(i)].costBefore")
                try money(step.costAfter, "\(path).\(name)[\(i)].costAfter")
            }
        }
        if let intervals = s.intervals {
            for (values, name) in [(intervals.cost, "cost"), (intervals.savings, "savings"), (intervals.savingsShare, "savingsShare"),
                                   (intervals.servedShare, "servedShare")] {
                guard values.count == 2 else { throw Problem(field: "\(path).intervals.\(name)", reason: "has \(values.count) bounds, not 2") }
                for (i, value) in values.enumerated() { try figure(value, "\(path).intervals.\(name)[\(i)]") }
                if values[0] > values[1] { throw Problem(field: "\(path).intervals.\(name)", reason: "has its lower bound above its upper bound") }
            }
        }
        for (strategy, rates) in (s.rates ?? [:]).sorted(by: { $0.key < $1.key }) {
            for (name, rate) in rates.sorted(by: { $0.key < $1.key }) {
                let field = "\(path).rates[\"\(strategy)\"][\"\(name)\"]"
                try count(rate.trials, "\(field).trials")
                try count(rate.events, "\(field).events")
                guard [rate.rate, rate.lower, rate.upper].allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 1 }) else {
                    throw Problem(field: field, reason: "has a rate or bound outside 0…1")
                }
            }
        }
        for (model, cost) in (s.byModel ?? [:]).sorted(by: { $0.key < $1.key }) { try money(cost, "\(path).byModel[\"\(model)\"]") }
        for (list, name) in [(s.byModelDaily, "byModelDaily"), (s.baselineByModelDaily, "baselineByModelDaily")] {
            for (i, entry) in (list ?? []).enumerated() {
                try day(entry.day, "\(path).\(name)[\(i)].day")
                try money(entry.cost, "\(path).\(name)[\(i)].cost")
            }
        }
        if let daily = s.daily { try self.daily(daily, of: s.totals, "\(path).daily") }
        if let blocks = s.blocks { try self.blocks(blocks, of: s.totals, "\(path).blocks") }
    }

    /// Days unique, figures in range, and summing to the totals: the days hold the compared requests' baseline and
    /// their cost with fixed costs spread by whole femtodollars (so up to the fixed cost short). A femtodollar an entry
    /// and a part in 10¹² are allowed either way for amounts written with more decimals than a femtodollar.
    static func daily(_ daily: [DailyTotal], of totals: Totals, _ path: String) throws(Problem) {
        var seen: Set<String> = []
        var baseline = Money.zero, cost = Money.zero
        for (i, entry) in daily.enumerated() {
            try day(entry.day, "\(path)[\(i)].day")
            guard seen.insert(entry.day).inserted else { throw Problem(field: "\(path)[\(i)].day", reason: "repeats \(entry.day)") }
            try money(entry.baseline, "\(path)[\(i)].baseline")
            try money(entry.cost, "\(path)[\(i)].cost")
            try count(entry.requests, "\(path)[\(i)].requests")
            baseline += entry.baseline
            cost += entry.cost
        }
        try sums(baseline: baseline, cost: cost, entries: daily.count, of: totals, path)
    }

    static func blocks(_ blocks: BlockSums, of totals: Totals, _ path: String) throws(Problem) {
        let n = blocks.keys.count
        guard blocks.baseline.count == n, blocks.cost.count == n, blocks.served.count == n, blocks.requests.count == n else {
            throw Problem(field: path, reason: "has columns of different lengths")
        }
        guard ["UTC days", "sessions"].contains(blocks.unit) else { throw Problem(field: "\(path).unit", reason: "is not UTC days or sessions") }
        guard blocks.resamples >= 1, blocks.resamples <= maxResamples else {
            throw Problem(field: "\(path).resamples", reason: "is \(blocks.resamples), not from 1 to \(MoneyFormat.count(maxResamples))")
        }
        guard Set(blocks.keys).count == n else { throw Problem(field: "\(path).keys", reason: "names a block twice") }
        var baseline = Money.zero, cost = Money.zero
        for i in 0..<n {
            try money(blocks.baseline[i], "\(path).baseline[\(i)]")
            try money(blocks.cost[i], "\(path).cost[\(i)]")
            try count(blocks.served[i], "\(path).served[\(i)]")
            try count(blocks.requests[i], "\(path).requests[\(i)]")
            baseline += blocks.baseline[i]
            cost += blocks.cost[i]
        }
        try sums(baseline: baseline, cost: cost, entries: n, of: totals, path)
    }

    static func sums(baseline: Money, cost: Money, entries: Int, of totals: Totals, _ path: String) throws(Problem) {
        // Amounts written with more decimals than a femtodollar are read through a `Double`: a part in 10¹² is slack.
        let slack = Money(femtos: Int128(entries) + max(totals.baselineCost.femtos, totals.cost.femtos) / 1_000_000_000_000)
        guard baseline <= totals.baselineCost + slack, baseline >= totals.baselineCost - slack else {
            throw Problem(field: path, reason: "sums to a baseline of \(MoneyFormat.human(baseline)), not the totals' \(MoneyFormat.human(totals.baselineCost))")
        }
        // Fixed costs are not spread at all when no request was compared.
        guard cost <= totals.cost + slack, cost >= totals.cost - totals.fixedCost - slack else {
            throw Problem(field: path, reason: "sums to a cost of \(MoneyFormat.human(cost)), not the totals' \(MoneyFormat.human(totals.cost))")
        }
    }

    static func count(_ value: Int, _ field: String, minimum: Int = 0) throws(Problem) {
        guard value >= minimum else { throw Problem(field: field, reason: value < 0 ? "is negative (\(value))" : "is \(value), less than \(minimum)") }
        guard value <= maxCount else { throw Problem(field: field, reason: "is \(value), more than \(MoneyFormat.count(maxCount))") }
    }

    static func money(_ value: Money, _ field: String) throws(Problem) {
        guard value.femtos >= 0 else { throw Problem(field: field, reason: "is negative (\(MoneyFormat.human(value)))") }
        guard value <= maxDollars else {
            throw Problem(field: field, reason: "is \(MoneyFormat.human(value)), more than \(MoneyFormat.human(maxDollars))")
        }
    }

    static func figure(_ value: Double, _ field: String) throws(Problem) {
        guard value.isFinite, abs(value) <= maxFigure else { throw Problem(field: field, reason: "is \(value), beyond ±1e15") }
    }

    static func day(_ text: String, _ field: String) throws(Problem) {
        guard text.count == 10, Timestamp.parseISO(text) != nil else { throw Problem(field: field, reason: "is not a YYYY-MM-DD day") }
    }
}
