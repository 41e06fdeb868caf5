import Statistics

extension Planner {
    /// Every option alone, with a scenario of the recorded models for the routing quality baseline.
    func evaluateAlone(_ options: [LeverOption], profile: TraceProfile, store: TraceStore, databasePath: String,
                       window: TraceStore.TimeWindow) throws -> [OptionEvaluation] {
        var scenarios = options.enumerated().map { (name: "option \($0.offset)", steps: [$0.element]) }
        scenarios.append((name: "recorded models", steps: [LeverOption(
            lever: "routing", strategy: "model_router", label: "recorded models",
            step: "{model_router: {tiers: {small: \(PlanSpace.cheapModel)}, rules: [], default_tier: keep}}")]))
        let result = try replay(scenarios, store: store, databasePath: databasePath, resamples: 100, window: window)
        let months = Self.months(window) ?? profile.months
        let baselineCorrect = Self.metric(result.scenarios.last!, ModelRouter.self, .correct)
        return zip(options, result.scenarios).map { option, scenario in
            let risk = risk(option, scenario, baselineCorrect: baselineCorrect, months: months)
            var notes: [String] = []
            if risk.qualityUpper > constraints.maxQualityRisk {
                notes.append("quality risk up to \(Self.percent(risk.qualityUpper)) of responses exceeds \(Self.percent(constraints.maxQualityRisk))")
            }
            if risk.slaMissesPerMonth > constraints.maxSLAMissesPerMonth {
                notes.append("\(Self.number(risk.slaMissesPerMonth)) expected deadline misses a month exceed \(Self.number(constraints.maxSLAMissesPerMonth))")
            }
            if let falseHits = risk.falseHitUpper, falseHits > constraints.maxFalseHitRate {
                notes.append("false hits up to \(Self.percent(falseHits)) of hits exceed \(Self.percent(constraints.maxFalseHitRate))")
            }
            let served = [Metric.local, .spilled].reduce(into: [String: Double]()) { $0[$1.name] = Self.metric(scenario, LocalGPU.self, $1) }
            return OptionEvaluation(option: option, savings: scenario.totals.savings, savingsShare: scenario.totals.savingsShare,
                                    fixedCost: scenario.totals.fixedCost, served: option.strategy == "local_gpu" ? served : [:],
                                    risk: risk, feasible: notes.isEmpty, notes: notes)
        }
    }

    /// The risk of one option from its counters: routing's measured outcomes against the recorded
    /// models, a semantic cache's likely false hits, truncation's affected share measured on
    /// ShareGPT (docs/scenarios.md), batch deadline misses.
    func risk(_ option: LeverOption, _ scenario: ScenarioResult, baselineCorrect: Double, months: Double) -> Risk {
        let n = max(1, scenario.totals.requests)
        let oneSided = 2 * constraints.confidence - 1
        var risk = Risk()
        switch option.strategy {
        case "model_router":
            let degraded = max(0, Int((baselineCorrect - Self.metric(scenario, ModelRouter.self, .correct)).rounded()))
            risk.quality = Double(degraded) / Double(n)
            risk.qualityUpper = Intervals.clopperPearson(successes: degraded, trials: n, confidence: oneSided).upper
        case "semantic_cache":
            let falseHits = Int(Self.metric(scenario, SemanticCache.self, .likelyFalseHits))
            let hits = Int(Self.metric(scenario, SemanticCache.self, .hitsWithResponse))
            risk.quality = Double(falseHits) / Double(n)
            risk.qualityUpper = Intervals.clopperPearson(successes: falseHits, trials: n, confidence: oneSided).upper
            risk.falseHitUpper = hits == 0 ? 0 : Intervals.clopperPearson(successes: falseHits, trials: hits, confidence: oneSided).upper
        case "truncate":
            // Affected share of truncated requests on ShareGPT (docs/scenarios.md): 4 messages kept 19.1%
            // (interval to 20.4%), 8 kept 4.8% (to 5.5%), 2 kept 37.4% (to 39.0%).
            let (share, upper) = option.step.contains("keep_turns: 8") ? (0.048, 0.055)
                : option.step.contains("keep_turns: 4") ? (0.191, 0.204) : (0.374, 0.390)
            let truncated = Self.metric(scenario, Truncate.self, .truncated) / Double(n)
            risk.quality = truncated * share
            risk.qualityUpper = truncated * upper
        case "batch_offload":
            risk.slaMissesPerMonth = Self.metric(scenario, BatchOffload.self, .expectedSlaMisses) / months
        default: break
        }
        return risk
    }

    /// Combinations around the best feasible option of each strategy.
    func evaluateCombinations(_ alone: [OptionEvaluation], profile: TraceProfile, store: TraceStore,
                              databasePath: String, window: TraceStore.TimeWindow) throws -> [CandidatePlan] {
        let feasible = alone.filter(\.feasible)
        var base: [LeverOption] = []
        for strategy in PlanSpace.order {
            if let best = feasible.filter({ $0.option.strategy == strategy && $0.savings > .zero }).max(by: { $0.savings < $1.savings }) {
                base.append(best.option)
            }
        }
        var combinations: [(name: String, steps: [LeverOption])] = [("plan", base)]
        // Options left out: those that saved alone, or that save only with what they need after them.
        for evaluation in feasible where !base.contains(where: { $0.strategy == evaluation.option.strategy })
            && (evaluation.savings > .zero || evaluation.option.needs != nil) {
            combinations.append(("plan + \(evaluation.option.label)", base + [evaluation.option]))
        }
        // Other routing settings draw the cost-versus-quality frontier (semantic thresholds are judged alone: each
        // extra semantic chain costs a full replay).
        for evaluation in alone where evaluation.option.strategy == "model_router"
            && !base.contains(evaluation.option) {
            combinations.append(("plan with \(evaluation.option.label)",
                                 base.filter { $0.strategy != evaluation.option.strategy } + [evaluation.option]))
        }
        for strategy in ["model_router", "semantic_cache"] where base.contains(where: { $0.strategy == strategy }) {
            combinations.append(("plan without \(strategy)", base.filter { $0.strategy != strategy }))
        }
        var seen: Set<[String]> = []
        combinations = combinations.filter { !$0.steps.isEmpty && seen.insert(Self.ordered($0.steps).map(\.label)).inserted }
        guard !combinations.isEmpty else { return [] }
        let result = try replay(combinations, store: store, databasePath: databasePath, resamples: 0, window: window)
        return zip(combinations, result.scenarios).map { combination, scenario in
            let risk = combination.steps.compactMap { step in alone.first { $0.option == step }?.risk }.reduce(Risk(), +)
            return CandidatePlan(label: combination.name, steps: Self.ordered(combination.steps).map(\.label), cost: scenario.totals.cost,
                                 savings: scenario.totals.savings, savingsShare: scenario.totals.savingsShare, risk: risk,
                                 feasible: risk.qualityUpper <= constraints.maxQualityRisk
                                    && risk.slaMissesPerMonth <= constraints.maxSLAMissesPerMonth
                                    && (risk.falseHitUpper ?? 0) <= constraints.maxFalseHitRate)
        }
    }

    /// The recommended plan with full intervals, beside the lever families the claims check reads.
    func replayFinal(_ chosen: [LeverOption], alone: [OptionEvaluation], profile: TraceProfile, store: TraceStore,
                     databasePath: String) throws -> (ReplayResult, ScenarioResult, [String: [LeverOption]]) {
        guard !chosen.isEmpty else { throw PlanError.nothingSaves }
        var scenarios: [(name: String, steps: [LeverOption])] = [("plan", chosen)]
        var families = ["combined": chosen]
        for lever in ["caching", "routing", "batch"] {
            var steps = chosen.filter { $0.lever == lever }
            if steps.isEmpty, let best = alone.filter({ $0.option.lever == lever && $0.option.strategy != "local_gpu" })
                .max(by: { ($0.feasible ? 1 : 0, $0.savings) < ($1.feasible ? 1 : 0, $1.savings) }) {
                steps = [best.option]
            }
            if !steps.isEmpty {
                scenarios.append(("claims: \(lever)", steps))
                families[lever] = steps
            }
        }
        let result = try replay(scenarios, store: store, databasePath: databasePath, resamples: options.bootstrapResamples)
        return (result, result.scenarios[0], families)
    }

    func recommend(_ chosen: [LeverOption], result: ReplayResult, plan: ScenarioResult, alone: [OptionEvaluation],
                   profile: TraceProfile) -> Recommendation {
        let steps = Self.ordered(chosen)
        let bill = plan.totals.baselineCost.dollars
        let paired = Array(zip(steps, plan.waterfall))
        let contributions = paired.map { step, attribution in
            let eligible = Self.eligibleSpend(step, profile)
            var note: String?
            // A lever that loses alone in this order is kept only together with the one it needs after it.
            if attribution.savings < .zero, let need = step.needs, let after = paired.first(where: { $0.0.strategy == need }) {
                let together = attribution.savings + after.1.savings
                note = "\(step.label) drops the provider cache split the trace recorded, so alone it costs "
                    + "\(Self.dollars((.zero - attribution.savings).dollars)); with \(after.0.label) after it the two save "
                    + "\(Self.dollars(together.dollars)) together"
            }
            return Contribution(label: step.label, lever: step.lever, savings: attribution.savings,
                                shareOfBill: bill == 0 ? 0 : attribution.savings.dollars / bill, eligibleSpend: eligible,
                                shareOfEligible: eligible == 0 ? 0 : attribution.savings.dollars / eligible,
                                monthlySavings: attribution.savings.dollars / profile.months, note: note)
        }
        let monthly = plan.totals.savings.dollars / profile.months
        let yaml = "# The plan `costreplay plan` recommends; replay it with `costreplay simulate --scenario FILE`.\n"
            + Self.scenarioYAML([("recommended", chosen)])
        return Recommendation(
            steps: steps, baselineCost: plan.totals.baselineCost, cost: plan.totals.cost, savings: plan.totals.savings,
            savingsShare: plan.totals.savingsShare, savingsInterval: plan.intervals?.savings, shareInterval: plan.intervals?.savingsShare,
            monthlySavings: monthly, annualSavings: monthly * 12,
            risk: chosen.compactMap { step in alone.first { $0.option == step }?.risk }.reduce(Risk(), +),
            contributions: contributions, scenarioYAML: yaml)
    }

    func selfHosting(alone: [OptionEvaluation], chosen: [LeverOption], profile: TraceProfile, months: Double) -> SelfHostingVerdict? {
        guard let evaluation = alone.first(where: { $0.option.strategy == "local_gpu" }) else { return nil }
        let fixed = evaluation.fixedCost.dollars / months
        let replaced = (evaluation.savings + evaluation.fixedCost).dollars / months
        let included = chosen.contains(evaluation.option)
        let multiple = replaced > 0 ? fixed / replaced : nil
        let tag = evaluation.option.eligibleTags.first ?? "the traffic"
        let spilled = (evaluation.served[.spilled] ?? 0)
        let sentence: String
        if included {
            sentence = "Self-hosting pays: \(evaluation.option.label) replaces \(Self.dollars(replaced)) a month of API spend for "
                + "\(Self.dollars(fixed)) of servers."
        } else if let multiple {
            let calls = Double(profile.requestsByTag[tag, default: 0]) / profile.months * multiple
            sentence = "Self-hosting does not pay here: \(evaluation.option.label) costs \(Self.dollars(fixed)) a month and would replace "
                + "\(Self.dollars(replaced)) of API spend; it pays from about \(Self.number(multiple))× today's volume of \(tag) "
                + "(about \(Self.number(calls)) calls a month)" + (spilled > 0 ? ", with more servers: one already spills \(Self.number(spilled)) calls." : ", if the server keeps up.")
        } else {
            sentence = "Self-hosting does not pay here: \(evaluation.option.label) served nothing the API would have charged for."
        }
        return SelfHostingVerdict(option: evaluation.option.label, included: included, monthlyFixedCost: fixed,
                                  monthlyAPISpendReplaced: replaced, breakEvenMultiple: multiple, sentence: sentence)
    }

    static func eligibleSpend(_ option: LeverOption, _ profile: TraceProfile) -> Double {
        option.eligibleTags.isEmpty ? profile.spend : option.eligibleTags.reduce(0) { $0 + profile.spendByTag[$1, default: 0] }
    }

    /// A counter of a strategy, summed over its positions in the chain (`2:semantic_cache`).
    static func metric(_ scenario: ScenarioResult, _ strategy: any ReplayStrategy.Type, _ metric: Metric) -> Double {
        scenario.metrics.filter { $0.key.hasSuffix(":" + strategy.name) }.reduce(0) { $0 + ($1.value[metric] ?? 0) }
    }

    static func percent(_ share: Double) -> String { MoneyFormat.fixed(share * 100, decimals: share < 0.01 ? 2 : 1) + "%" }
    static func number(_ value: Double) -> String { MoneyFormat.grouped(MoneyFormat.fixed(value, decimals: value < 10 ? 1 : 0)) }
    static func dollars(_ value: Double) -> String { (value < 0 ? "-$" : "$") + MoneyFormat.grouped(MoneyFormat.fixed(abs(value), decimals: 2)) }
}

/// Why a plan cannot be made.
public enum PlanError: Error, Sendable, Equatable, CustomStringConvertible {
    case nothingSaves

    public var description: String {
        switch self {
        case .nothingSaves: return "no lever saves anything within the constraints; nothing to recommend"
        }
    }
}
