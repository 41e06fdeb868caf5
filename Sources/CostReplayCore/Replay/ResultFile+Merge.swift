extension ResultFile {
    /// Combines shard documents of one scenario file into one.
    ///
    /// Money, counts, per-day and per-model sums and the bootstrap blocks are summed; rates, diagnostics and, once
    /// every shard is in, the bootstrap intervals are drawn again from the sums, so merging the shards of a
    /// partition-exact scenario gives the unsharded document's figures to the femtodollar and its intervals exactly.
    public static func merge(_ parts: [ReplayResult]) throws -> ReplayResult {
        guard var merged = parts.first else { throw SimulationError.mergeMismatch("no documents") }
        guard let first = merged.inputs.shard else { throw SimulationError.mergeMismatch("only shards of one --shard I/N run can be merged") }
        var indices = Set(first.indices)
        for part in parts.dropFirst() {
            try checkCompatible(part, with: merged)
            let shard = part.inputs.shard!
            guard indices.isDisjoint(with: shard.indices) else {
                throw SimulationError.mergeMismatch("shard \(shard.indices.map(String.init).joined(separator: ",")) appears twice")
            }
            indices.formUnion(shard.indices)
            guard let baseline = merged.baseline.adding(part.baseline) else { throw SimulationError.mergeMismatch(overflow("baseline")) }
            merged.baseline = baseline
            for index in merged.scenarios.indices {
                guard merged.scenarios[index].add(part.scenarios[index]) else { throw SimulationError.mergeMismatch(overflow("scenarios[\(index)].totals")) }
            }
            if first.presplit == true, let health = part.store { merged.store = merged.store.map { $0 + health } ?? health }
        }
        try checkBlocks(parts)
        let complete = indices.count == first.count
        merged.inputs.shard?.indices = indices.sorted()
        for index in merged.scenarios.indices {
            merged.scenarios[index].rates = RateIntervals.of(merged.scenarios[index].metrics)
            merged.scenarios[index].blocks = BlockSums.merged(parts.compactMap { $0.scenarios[index].blocks })
            // Intervals describe the whole trace, so they are drawn only once every shard is in; until then the
            // blocks stay, for a later merge.
            merged.scenarios[index].intervals = complete ? merged.scenarios[index].blocks?.intervals : nil
            if complete { merged.scenarios[index].blocks = nil }
        }
        merged.diagnostics = ReplayEngine.diagnostics(baseline: merged.baseline, scenarios: merged.scenarios)
        if !complete {
            merged.diagnostics.append("merged \(indices.count) of \(first.count) shards; the missing ones are not counted")
        }
        // The merged document must read back: sums of plausible shards can still pass a bound.
        if let problem = ResultLimits.problem(in: merged) {
            throw SimulationError.mergeMismatch("the merged document's \(problem.field) \(problem.reason)")
        }
        return merged
    }

    static func overflow(_ field: String) -> String { "the sum of \(field) overflows; a shard document holds figures no replay writes" }

    static func checkCompatible(_ part: ReplayResult, with merged: ReplayResult) throws {
        guard part.inputs.scenarioDigest == merged.inputs.scenarioDigest else {
            throw SimulationError.mergeMismatch("the documents come from different scenario files")
        }
        guard part.scenarios.map(\.label) == merged.scenarios.map(\.label) else {
            throw SimulationError.mergeMismatch("the documents have different scenario points")
        }
        guard let shard = part.inputs.shard, let mine = merged.inputs.shard, shard.count == mine.count, shard.key == mine.key,
              shard.presplit == mine.presplit else {
            throw SimulationError.mergeMismatch("only shards of one --shard I/N run (or parts of one --part I/N split) can be merged")
        }
        guard part.inputs.seed == merged.inputs.seed else {
            throw SimulationError.mergeMismatch("the documents were replayed with different seeds (\(merged.inputs.seed), \(part.inputs.seed))")
        }
        for (mine, theirs) in zip(merged.scenarios, part.scenarios)
        where mine.waterfall.count != theirs.waterfall.count || mine.alone.count != theirs.alone.count {
            throw SimulationError.mergeMismatch("scenario point \(mine.label) has different levers in the documents")
        }
    }

    /// Intervals are drawn from every shard's blocks or none: blocks missing from some shards, or drawn with another
    /// seed, resample count or unit, would give the intervals of part of the trace, so the merge is refused.
    static func checkBlocks(_ parts: [ReplayResult]) throws {
        for index in parts[0].scenarios.indices {
            let label = parts[0].scenarios[index].label
            let blocks = parts.map { $0.scenarios[index].blocks }
            let missing = blocks.filter { $0 == nil }.count
            if missing > 0 && missing < parts.count {
                throw SimulationError.mergeMismatch("scenario point \(label) has bootstrap blocks in \(parts.count - missing) of \(parts.count) documents;"
                                                    + " replay every shard with the same --bootstrap (0 in all for no intervals)")
            }
            let present = blocks.compactMap { $0 }
            if let first = present.first,
               !present.allSatisfy({ $0.unit == first.unit && $0.seed == first.seed && $0.resamples == first.resamples }) {
                throw SimulationError.mergeMismatch("scenario point \(label) has bootstrap blocks of different units, seeds or resample counts")
            }
        }
    }
}

extension ScenarioResult {
    /// Adds another shard's figures of the same point; false when the totals overflow.
    mutating func add(_ other: ScenarioResult) -> Bool {
        guard let sum = totals.adding(other.totals) else { return false }
        totals = sum
        for (strategy, counters) in other.metrics {
            metrics[strategy, default: [:]].merge(counters) { mine, theirs in mine + theirs }
            for name in Self.settings where counters[name] != nil { metrics[strategy]![name] = counters[name] }
        }
        for lever in waterfall.indices {
            waterfall[lever].costBefore += other.waterfall[lever].costBefore
            waterfall[lever].costAfter += other.waterfall[lever].costAfter
        }
        for lever in alone.indices {
            alone[lever].costBefore += other.alone[lever].costBefore
            alone[lever].costAfter += other.alone[lever].costAfter
        }
        if let theirs = other.byModel { byModel = (byModel ?? [:]).merging(theirs, uniquingKeysWith: +) }
        daily = Self.sum(daily, other.daily)
        byModelDaily = Self.sum(byModelDaily, other.byModelDaily)
        baselineByModelDaily = Self.sum(baselineByModelDaily, other.baselineByModelDaily)
        return true
    }

    /// Metrics that are a lever's setting rather than a count (batch offload's modelled miss probability): the same
    /// in every shard, so kept rather than added.
    static let settings = [Metric.missProbability.name]

    static func sum(_ a: [DailyTotal]?, _ b: [DailyTotal]?) -> [DailyTotal]? {
        guard let a, let b else { return a ?? b }
        var days: [String: DailyTotal] = [:]
        for day in a + b {
            days[day.day] = days[day.day].map {
                DailyTotal(day: day.day, baseline: $0.baseline + day.baseline, cost: $0.cost + day.cost, requests: $0.requests + day.requests)
            } ?? day
        }
        return days.keys.sorted().map { days[$0]! }
    }

    static func sum(_ a: [ModelDay]?, _ b: [ModelDay]?) -> [ModelDay]? {
        guard let a, let b else { return a ?? b }
        var sums: [ModelDayText: Money] = [:]
        for entry in a + b { sums[ModelDayText(model: entry.model, day: entry.day), default: .zero] += entry.cost }
        return sums.sorted { ($0.key.model, $0.key.day) < ($1.key.model, $1.key.day) }
            .map { ModelDay(model: $0.key.model, day: $0.key.day, cost: $0.value) }
    }

    /// A (model, ISO day) pair as documents write it.
    struct ModelDayText: Hashable {
        var model: String
        var day: String
    }
}

extension StoreHealth {
    /// The health of two parts of one split input: counts and sums added, unpriced models counted together.
    static func + (a: StoreHealth, b: StoreHealth) -> StoreHealth {
        StoreHealth(rejectedRecords: a.rejectedRecords + b.rejectedRecords, billedRequests: a.billedRequests + b.billedRequests,
                    billedCost: a.billedCost + b.billedCost, computedOnBilled: a.computedOnBilled + b.computedOnBilled,
                    unpricedModels: UnpricedLine.merge(a.unpricedModels + b.unpricedModels))
    }
}

/// A store health line naming an unpriced model, `MODEL (COUNT, REASON)`, as the replay writes it.
enum UnpricedLine {
    /// Lines of the same model and reason with their counts added, in the replay's order (most requests first, then
    /// model); a line of another shape is kept once as it is.
    static func merge(_ lines: [String]) -> [String] {
        var counts: [String: (model: String, reason: String, count: Int)] = [:]
        var others: [String] = []
        for line in lines {
            guard let (model, count, reason) = parse(line) else {
                if !others.contains(line) { others.append(line) }
                continue
            }
            counts[model + "\u{0}" + reason, default: (model, reason, 0)].count += count
        }
        let merged = counts.values.sorted { ($0.count, $1.model) > ($1.count, $0.model) }
        return merged.map { "\($0.model) (\($0.count), \($0.reason))" } + others
    }

    static func parse(_ line: String) -> (String, Int, String)? {
        guard line.hasSuffix(")") else { return nil }
        var search = line.startIndex
        while let open = line.range(of: " (", range: search..<line.endIndex) {
            let rest = line[open.upperBound...]
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            // Counts beyond any trace are not added (a line of another shape is kept as it is), so sums cannot overflow.
            if !digits.isEmpty, rest.dropFirst(digits.count).hasPrefix(", "), let count = Int(digits), count <= ResultLimits.maxCount {
                let reason = rest.dropFirst(digits.count + 2).dropLast()
                return (String(line[..<open.lowerBound]), count, String(reason))
            }
            search = open.upperBound
        }
        return nil
    }
}
