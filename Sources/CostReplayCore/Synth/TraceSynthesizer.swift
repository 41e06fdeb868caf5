import Statistics
import Foundation

/// Generates a realistic synthetic trace in canonical form: `costreplay synth`.
///
/// Seeded and deterministic. Token counts, conversation lengths, arrival burstiness, prefix reuse,
/// the share of near repeats that are true duplicates and per-prompt model outcomes are drawn from
/// distributions fitted to public traces (`SynthCalibration`, docs/synth.md); the feature mix,
/// models, repeat rates and the diurnal and weekly rhythm are stated assumptions. Billed costs come
/// from the catalog, with the provider prompt caching the trace records, so `costreplay cost`
/// reconciles; `mispricedShare` plants known gaps.
public struct TraceSynthesizer {
    let options: SynthOptions
    let pricer: Pricer
    let features = Feature.all
    let fitted: SynthCalibration

    public init(options: SynthOptions, pricer: Pricer, calibration: SynthCalibration = .bundled) {
        self.options = options
        self.pricer = pricer
        self.fitted = calibration
    }

    /// How a conversation's first prompt relates to the popular prompts.
    enum Repeat { case fresh, exact, paraphrase, related }

    /// A planned conversation or agent run (one request unless multi-step).
    struct Plan {
        var feature: Int
        var model: Int
        var user: Int
        var tenant: Int
        var turns: Int
        var popular: Int?
        var repeatKind: Repeat
        /// RAG: the document bundle whose leading chunks this request shares, and how many of its chunks lead.
        var bundle: Int?
        var bundleFraction: Double
        /// RouteLLM outcome cell: (weak correct, strong correct).
        var outcome: (Int, Int)?
    }

    /// Mutable state while records are emitted in time order.
    struct State {
        var history: [Int32: [MessageInfo]] = [:]
        /// The provider prompt cache as recorded: prefix key → (last use, tokens of the prefix).
        var providerCache: [UInt64: Int64] = [:]
    }

    /// Calls `emit` with each record in time order.
    public func generate(_ emit: (TraceRecord) throws -> Void) rethrows {
        let random = RandomSource(seed: options.seed)
        var plans: [Plan] = []
        var requests = 0
        while requests < options.requests {
            var plan = makePlan(random)
            plan.turns = min(plan.turns, options.requests - requests)
            requests += plan.turns
            plans.append(plan)
        }
        let asyncPlans = plans.indices.filter { features[plans[$0].feature].asyncEligible }
        let interactive = plans.indices.filter { !features[plans[$0].feature].asyncEligible }
        var starts = [Int64](repeating: 0, count: plans.count)
        for (indices, profile) in [(interactive, Self.interactiveRate), (asyncPlans, Self.asyncRate)] {
            for (index, time) in zip(indices, arrivals(count: indices.count, rate: profile, random)) { starts[index] = time }
        }
        var events: [(time: Int64, plan: Int32, turn: Int32)] = []
        events.reserveCapacity(options.requests)
        for (index, plan) in plans.enumerated() {
            var time = starts[index]
            for turn in 0..<plan.turns {
                events.append((time, Int32(index), Int32(turn)))
                // Assumed think time between turns (ShareGPT has no timestamps); agent steps follow within seconds.
                time += features[plan.feature].shape.isAgent
                    ? Int64((2 + random.exponential(mean: 6)) * 1e6) : Int64((2 + random.exponential(mean: 75)) * 1e6)
            }
        }
        events.sort { ($0.time, $0.plan, $0.turn) < ($1.time, $1.plan, $1.turn) }
        var state = State()
        for (index, event) in events.enumerated() {
            let plan = plans[Int(event.plan)]
            var messages = state.history.removeValue(forKey: event.plan) ?? []
            let records = makeRecords(index: index, plan: plan, planIndex: Int(event.plan), turn: Int(event.turn),
                                      time: event.time, messages: &messages, state: &state, random: random)
            if Int(event.turn) + 1 < plan.turns { state.history[event.plan] = messages }
            for record in records { try emit(record) }
        }
    }

    func makePlan(_ random: RandomSource) -> Plan {
        let featureIndex = random.categorical(features.map(\.weight))
        let feature = features[featureIndex]
        let model = random.categorical(feature.models.map(\.2))
        let roll = random.uniform()
        var popular: Int?
        var kind = Repeat.fresh
        if roll < feature.exactRepeat + feature.nearRepeat {
            // Zipf-like popularity over 300 prompts per feature.
            popular = min(299, Int(random.pareto(shape: 1.1, scale: 1)) - 1)
            // Of near repeats, the share QQP labels true duplicates are paraphrases; the rest only look alike.
            kind = roll < feature.exactRepeat ? .exact : (random.uniform() < fitted.qqp.duplicateShare ? .paraphrase : .related)
        }
        var turns = 1
        var bundle: Int?
        var fraction = 0.0
        var outcome: (Int, Int)?
        switch feature.shape {
        case .chat: turns = max(1, random.categorical(fitted.sharegpt.turns.probabilities))
        case .agent: turns = 2 + random.integer(below: 4)
        case .rag where random.uniform() < fitted.mooncake.reuseShare:
            bundle = min(199, Int(random.pareto(shape: 1.0, scale: 1)) - 1)
            fraction = fitted.mooncake.reusedPrefixFraction.sample(random)
        default: break
        }
        if let evaluation = feature.outcomes {
            let joint = (evaluation == "gsm8k" ? fitted.routellm.gsm8k : fitted.routellm.mmlu).joint
            let cell = random.categorical(joint.flatMap { $0 })
            outcome = (cell / 2, cell % 2)
        }
        return Plan(feature: featureIndex, model: model, user: zipf(options.users, random), tenant: zipf(options.tenants, random),
                    turns: turns, popular: popular, repeatKind: kind, bundle: bundle, bundleFraction: fraction, outcome: outcome)
    }

    func zipf(_ n: Int, _ random: RandomSource) -> Int { min(n - 1, Int(random.pareto(shape: 1.0, scale: 1)) - 1) }

    /// Assumed interactive rhythm: a diurnal peak around 15:00 UTC, weekends at 55%, growth of 1% a week.
    static func interactiveRate(day: Int, hour: Int, weekday: Int) -> Double {
        let diurnal = 0.25 + Double.maximum(0, 1 - abs(Double(hour) - 15) / 9)
        return diurnal * (weekday >= 5 ? 0.55 : 1) * (1 + 0.01 * Double(day / 7))
    }

    /// Assumed async rhythm: nightly jobs between 01:00 and 06:00 UTC, a trickle otherwise.
    static func asyncRate(day: Int, hour: Int, weekday: Int) -> Double { (1...5).contains(hour) ? 1 : 0.02 }

    /// `count` arrival instants: gaps drawn from Azure's normalised inter-arrival distribution (its
    /// burstiness) in operational time, mapped onto the hourly rate profile (time rescaling).
    func arrivals(count: Int, rate: (Int, Int, Int) -> Double, _ random: RandomSource) -> [Int64] {
        guard count > 0 else { return [] }
        let days = max(1, options.days)
        let firstDay = Timestamp.floorDiv(options.startMicros, 86_400_000_000)
        var cumulative = [0.0]
        for day in 0..<days {
            let weekday = Int((firstDay + Int64(day) + 3) % 7)
            for hour in 0..<24 { cumulative.append(cumulative.last! + rate(day, hour, weekday)) }
        }
        var operational = [Double]()
        operational.reserveCapacity(count)
        var u = 0.0
        for _ in 0..<count {
            u += fitted.azure.interarrival.quantiles.sample(random)
            operational.append(u)
        }
        let scale = cumulative.last! / (u + fitted.azure.interarrival.quantiles.sample(random))
        var hour = 0
        return operational.map { value in
            let target = value * scale
            while hour + 1 < cumulative.count - 1 && cumulative[hour + 1] <= target { hour += 1 }
            let within = (target - cumulative[hour]) / max(1e-12, cumulative[hour + 1] - cumulative[hour])
            return options.startMicros + Int64((Double(hour) + min(0.999_999, within)) * 3600e6)
        }
    }

    func tokens(_ value: Double, cap: Double = 250_000) -> Int64 { Int64(max(1, min(cap, value).rounded())) }
}

extension SynthCalibration.Interarrival {
    var quantiles: SynthCalibration.Distribution { .init(quantiles: normalisedQuantiles) }
}

extension Feature.Shape {
    var isAgent: Bool { if case .agent = self { true } else { false } }
}
