/// Searches lever combinations for the cheapest plan within the constraints: `costreplay plan`.
///
/// Three replays of the stored trace: every option alone (its saving and risk), then combinations
/// built from the best feasible option of each strategy (adding each option the first choice left
/// out, swapping the routing and semantic settings for the cost-versus-risk frontier), then the
/// recommended plan with full bootstrap intervals beside the lever families the claims check needs.
/// A combination's risk is the sum of its options' risks measured alone (an upper bound when
/// caches in front take traffic away from a later lever).
public struct Planner {
    public var pricer: Pricer
    public var constraints: PlanConstraints
    public var options: ReplayOptions
    public var space: PlanSpace?
    /// Days from the trace's first day that the search replays (`nil`: the whole trace). The default keeps
    /// the search quick on long traces; a trace whose first weeks are not typical needs more.
    public var searchDays: Int?

    public init(pricer: Pricer, constraints: PlanConstraints, options: ReplayOptions, space: PlanSpace? = nil,
                searchDays: Int? = Planner.defaultSearchDays) {
        self.pricer = pricer
        self.constraints = constraints
        self.options = options
        self.space = space
        self.searchDays = searchDays
    }

    /// The plan document and the replay result of the recommended plan (first scenario: `plan`).
    public func run(store: TraceStore, databasePath: String) throws -> (PlanDocument, ReplayResult) {
        let profile = try TraceProfile.read(store: store, pricer: pricer)
        let space = self.space ?? PlanSpace.defaults(for: profile)
        // The search replays the first `searchDays` days of a longer trace (every lever sees whole days);
        // the recommended plan is replayed on all of it.
        let search = Self.searchWindow(profile, options.window, days: searchDays)
        let alone = try evaluateAlone(space.options, profile: profile, store: store, databasePath: databasePath, window: search)
        var candidates = try evaluateCombinations(alone, profile: profile, store: store, databasePath: databasePath, window: search)
        markFrontier(&candidates)
        let best = candidates.filter(\.feasible).min { ($0.cost, $0.steps.count) < ($1.cost, $1.steps.count) }
        var chosen = best.map { plan in plan.steps.compactMap { label in alone.first { $0.option.label == label }?.option } } ?? []
        // When every combination tried breaks a bound together, options that keep them alone are still a plan:
        // the largest savings first, one per strategy, while their summed risks stay within the bounds.
        if chosen.isEmpty {
            var risk = Risk()
            for evaluation in alone.filter({ $0.feasible && $0.savings > .zero }).sorted(by: { $0.savings > $1.savings })
            where !chosen.contains(where: { $0.strategy == evaluation.option.strategy }) {
                let total = risk + evaluation.risk
                guard total.qualityUpper <= constraints.maxQualityRisk, total.slaMissesPerMonth <= constraints.maxSLAMissesPerMonth,
                      (total.falseHitUpper ?? 0) <= constraints.maxFalseHitRate else { continue }
                chosen.append(evaluation.option)
                risk = total
            }
        }
        var (final, steps, families) = try replayFinal(chosen, alone: alone, profile: profile, store: store, databasePath: databasePath)
        // A lever that adds nothing after the others (its waterfall saving ≤ 0) is left out.
        // Truncation drops the recorded provider cache split and the provider cache after it restores it,
        // so a lever and what it needs are judged together.
        let needed = Set(chosen.compactMap(\.needs))
        let ordered = Self.ordered(chosen)
        let useful = zip(ordered, steps.waterfall).filter { step, attribution in
            if let need = step.needs, let after = zip(ordered, steps.waterfall).first(where: { $0.0.strategy == need }) {
                return attribution.savings + after.1.savings > .zero
            }
            return attribution.savings > .zero || needed.contains(step.strategy)
        }.map(\.0).filter { step in chosen.contains(step) }
        if useful.count < chosen.count {
            chosen = useful
            (final, steps, families) = try replayFinal(chosen, alone: alone, profile: profile, store: store, databasePath: databasePath)
        }
        let recommendation = recommend(chosen, result: final, plan: steps, alone: alone, profile: profile)
        let document = PlanDocument(
            profile: profile, constraints: constraints, options: alone,
            searchDays: (Self.months(search) ?? profile.months) * 30.44, candidates: candidates, recommended: recommendation,
            selfHosting: selfHosting(alone: alone, chosen: chosen, profile: profile, months: Self.months(search) ?? profile.months),
            claims: ClaimsCheck.rows(result: final, families: families, alone: alone, profile: profile),
            catalog: pricer.catalog.info)
        return (document, final)
    }

    /// Replays a scenario file built from named steps.
    func replay(_ scenarios: [(name: String, steps: [LeverOption])], store: TraceStore, databasePath: String,
                resamples: Int, window: TraceStore.TimeWindow? = nil) throws -> ReplayResult {
        let text = Self.scenarioYAML(scenarios)
        let file = try ScenarioLoader.parse(text: text, path: "plan.yaml", maxPoints: 1000, catalog: pricer.catalog)
        var options = self.options
        options.bootstrapResamples = resamples
        if let window { options.window = window }
        return try Simulation(scenarioFile: file, pricer: pricer, options: options).run(store: store, databasePath: databasePath).0
    }

    static func scenarioYAML(_ scenarios: [(name: String, steps: [LeverOption])]) -> String {
        var text = "scenarios:\n"
        for scenario in scenarios {
            text += "  - name: \"\(scenario.name)\"\n    strategies:\n"
            for step in ordered(scenario.steps) { text += "      - \(step.step)\n" }
        }
        return text
    }

    /// Options in the order strategies must run, with what each needs added once.
    static func ordered(_ steps: [LeverOption]) -> [LeverOption] {
        var all = steps
        for step in steps {
            if let needed = step.needs, !all.contains(where: { $0.strategy == needed }) {
                all.append(LeverOption(lever: "caching", strategy: needed, label: "provider prompt cache, 5 min",
                                       step: "{prefix_cache: {ttl: 5m, min_tokens: 1024}}"))
            }
        }
        return all.sorted { (PlanSpace.order.firstIndex(of: $0.strategy) ?? 99) < (PlanSpace.order.firstIndex(of: $1.strategy) ?? 99) }
    }

    public static let defaultSearchDays = 14
    /// A lever in the plan that saves less than this share of the bill is called marginal: worth adopting
    /// only where it costs little to run.
    public static let materialShare = 0.01

    /// The sentence that names the plan's marginal levers, if any (a lever kept for the one after it is not one).
    static func marginalSentence(_ contributions: [Contribution]) -> String? {
        let marginal = contributions.filter { $0.note == nil && $0.shareOfBill < materialShare }
        guard !marginal.isEmpty else { return nil }
        let names = marginal.map { "\($0.label) (\(dollars($0.monthlySavings)) a month, \(percent($0.shareOfBill)))" }
        return "Marginal: " + names.joined(separator: " and ") + (marginal.count == 1 ? " saves" : " each save")
            + " under \(percent(materialShare)) of the bill; adopt only where cheap to run"
    }

    static func months(_ window: TraceStore.TimeWindow) -> Double? {
        guard let from = window.from, let to = window.to else { return nil }
        return Double(to - from) / 86_400e6 / 30.44
    }

    /// The first `days` whole days of a trace longer than `days` + 7 days; otherwise the whole trace.
    static func searchWindow(_ profile: TraceProfile, _ window: TraceStore.TimeWindow, days: Int?) -> TraceStore.TimeWindow {
        guard let days, window.from == nil, window.to == nil, profile.days > Double(days) + 7 else { return window }
        let firstDay = Timestamp.floorDiv(profile.firstMicros, 86_400_000_000) * 86_400_000_000
        return TraceStore.TimeWindow(from: firstDay, to: firstDay + Int64(days) * 86_400_000_000)
    }

    func markFrontier(_ candidates: inout [CandidatePlan]) {
        for index in candidates.indices {
            let me = candidates[index]
            candidates[index].onFrontier = !candidates.contains { other in
                other.cost <= me.cost && other.risk.qualityUpper <= me.risk.qualityUpper
                    && (other.cost < me.cost || other.risk.qualityUpper < me.risk.qualityUpper)
            }
        }
    }
}
