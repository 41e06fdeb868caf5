import Statistics

extension ReplayEngine {
    static func modelDays(_ sums: [ModelDayKey: Money]) -> [ModelDay] {
        sums.sorted { ($0.key.model, $0.key.day) < ($1.key.model, $1.key.day) }
            .map { ModelDay(model: $0.key.model, day: Timestamp.day($0.key.day * 86_400_000_000), cost: $0.value) }
    }

    static func byModel(_ sums: [ModelDayKey: Money]) -> [String: Money] {
        sums.reduce(into: [:]) { $0[$1.key.model, default: .zero] += $1.value }
    }

    /// Assembles the result document from the chains' totals.
    func document(inputs: ReplayResult.Inputs) -> ReplayResult {
        for group in groups { group.finish() }
        var results: [ScenarioResult] = []
        for (index, plan) in plans.enumerated() {
            let mine = chains.filter { $0.plan == index }
            guard let full = mine.first(where: { $0.role == .full }) else { continue }
            var metrics: [String: [String: Double]] = [:]
            for (position, strategy) in full.strategies.enumerated() {
                metrics["\(position + 1):\(type(of: strategy).name)"] = strategy.metrics.document
            }
            var waterfall: [ScenarioResult.Attribution] = []
            var alone: [ScenarioResult.Attribution] = []
            var previous = full.totals.baselineCost
            for (position, step) in plan.steps.enumerated() {
                let after = position == plan.steps.count - 1 ? full.totals.cost
                    : mine.first { $0.role == .prefix(position + 1) }?.totals.cost ?? full.totals.cost
                waterfall.append(.init(strategy: step.strategy, costBefore: previous, costAfter: after))
                previous = after
                let single = plan.steps.count == 1 ? full : mine.first { $0.role == .alone(position) }
                if let single {
                    alone.append(.init(strategy: step.strategy, costBefore: single.totals.baselineCost, costAfter: single.totals.cost))
                }
            }
            let exact = options.shard.map { shard in
                plan.steps.allSatisfy { $0.configured.exactWhenSharded(by: shard.key) }
            } ?? true
            var fixedShare = full.blocks
            // Fixed costs (local servers) are spread over the days pro rata to their requests.
            if full.totals.fixedCost != .zero {
                let total = fixedShare.days.values.reduce(0) { $0 + $1.requests }
                for day in fixedShare.days.keys where total > 0 {
                    fixedShare.days[day]!.cost += full.totals.fixedCost.femtos * Int128(fixedShare.days[day]!.requests) / Int128(total)
                }
            }
            results.append(ScenarioResult(
                label: plan.label, scenario: plan.scenario,
                steps: plan.steps.map { .init(strategy: $0.strategy, parameters: $0.parameters.values) },
                totals: full.totals, metrics: metrics, waterfall: waterfall, alone: alone, exactWhenSharded: exact,
                intervals: options.shard == nil ? fixedShare.intervals(resamples: options.bootstrapResamples, seed: options.seed &+ UInt64(index),
                                                                              unit: options.bootstrapBySession ? "sessions" : "UTC days") : nil,
                rates: RateIntervals.of(metrics),
                daily: full.daily.dailyTotals(fixed: full.totals.fixedCost),
                byModel: Self.byModel(full.byModelDaily.sums).merging(full.totals.fixedCost == .zero ? [:] : ["(local servers)": full.totals.fixedCost]) { $0 + $1 },
                byModelDaily: Self.modelDays(full.byModelDaily.sums), baselineByModelDaily: Self.modelDays(full.baselineByModelDaily.sums),
                blocks: options.shard == nil || options.bootstrapResamples <= 0 ? nil
                    : fixedShare.sums(unit: options.bootstrapBySession ? "sessions" : "UTC days", seed: options.seed &+ UInt64(index),
                                      resamples: options.bootstrapResamples)))
        }
        return ReplayResult(inputs: inputs, baseline: baseline, scenarios: results, diagnostics: Self.diagnostics(baseline: baseline, scenarios: results))
    }

    /// What the document says about requests the replay could not price or levers could not act on; a function of
    /// the totals and counters alone, so merged shards say it again from their sums.
    static func diagnostics(baseline: Totals, scenarios results: [ScenarioResult]) -> [String] {
        var diagnostics: [String] = []
        if baseline.unpricedRequests > 0 {
            diagnostics.append("\(baseline.unpricedRequests) requests could not be priced (unknown model or no usage); they are left out of every cost and saving")
        }
        if baseline.requests == 0 { diagnostics.append("no billed requests in the replayed window") }
        // Levers that could not act on some requests because the trace lacks what they need.
        let missing = ["no_key": "no prompt text, prompt hash or message hashes to key on",
                       "no_embedding": "no embedding and no prompt text", "no_prefix_structure": "no prefix block hashes or message hashes"]
        var reported: Set<String> = []
        for scenario in results {
            for (strategy, counters) in scenario.metrics.sorted(by: { $0.key < $1.key }) {
                for (counter, reason) in missing.sorted(by: { $0.key < $1.key }) {
                    guard let count = counters[counter], count > 0 else { continue }
                    let name = String(strategy.split(separator: ":").last!)
                    let line = "\(name): \(MoneyFormat.whole(count)) requests had \(reason), so it could not act on them"
                    if reported.insert(name + counter).inserted { diagnostics.append(line) }
                }
            }
        }
        // Never a silent $0: a stored embedding model without a catalog price is named as uncounted.
        for scenario in results {
            for (strategy, counters) in scenario.metrics.sorted(by: { $0.key < $1.key }) {
                guard let count = counters["embedding_unpriced_lookups"], count > 0 else { continue }
                let line = "\(strategy.split(separator: ":").last!): the embedding model of its stored vectors has no catalog price, so the embedding cost of \(MoneyFormat.whole(count)) lookups is not counted (add one with --prices)"
                if reported.insert(line).inserted { diagnostics.append(line) }
            }
        }
        // Latency percentiles past the exact limit are approximations; say so with their bound.
        for scenario in results {
            for (strategy, counters) in scenario.metrics.sorted(by: { $0.key < $1.key }) {
                guard let count = counters[.binnedLatencies], count > 0 else { continue }
                let line = "\(strategy.split(separator: ":").last!): latency and time-to-first-token percentiles of \(MoneyFormat.whole(count)) locally served requests are read from log-spaced buckets (within 0.5% of the exact figures; exact up to \(MoneyFormat.whole(Double(QuantileSketch.defaultExactLimit))) requests)"
                if reported.insert(line).inserted { diagnostics.append(line) }
            }
        }
        return diagnostics
    }
}

/// A (model, UTC day number) pair: the key of the per-model daily sums.
struct ModelDayKey: Hashable, Sendable {
    var model: String
    var day: Int64
}
