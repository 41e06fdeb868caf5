import Statistics
import Foundation

/// Generates a realistic synthetic trace in canonical form: `costreplay synth`.
///
/// Seeded and deterministic. Shape: a feature mix with heavy-tailed token counts, exact repeats of
/// popular prompts and paraphrased near repeats, multi-turn chat sessions whose history grows turn
/// by turn, diurnal and weekly arrival rhythm, several models and providers, Zipf-like users and
/// tenants, async-eligible features tagged for batch offloading. Billed costs come from the
/// catalog so `costreplay cost` reconciles; `mispricedShare` plants known gaps.
public struct TraceSynthesizer {
    let options: SynthOptions
    let pricer: Pricer
    let features = Feature.all

    public init(options: SynthOptions, pricer: Pricer) {
        self.options = options
        self.pricer = pricer
    }

    /// A planned conversation (one request unless multi-turn).
    struct Plan {
        var feature: Int
        var model: Int
        var user: Int
        var tenant: Int
        var turns: Int
        var popular: Int?
        var paraphrase: Bool
    }

    /// Calls `emit` with each record in time order.
    public func generate(_ emit: (TraceRecord) throws -> Void) rethrows {
        let random = RandomSource(seed: options.seed)
        var plans: [Plan] = []
        var events: [(time: Int64, plan: Int32, turn: Int32)] = []
        events.reserveCapacity(options.requests)
        while events.count < options.requests {
            let plan = makePlan(random)
            let start = arrival(random)
            var time = start
            for turn in 0..<min(plan.turns, options.requests - events.count) {
                events.append((time, Int32(plans.count), Int32(turn)))
                time += Int64(random.exponential(mean: 75) * 1e6) + 2_000_000
            }
            plans.append(plan)
        }
        events.sort { ($0.time, $0.plan, $0.turn) < ($1.time, $1.plan, $1.turn) }
        var history: [Int32: [MessageInfo]] = [:]
        for (index, event) in events.enumerated() {
            let plan = plans[Int(event.plan)]
            var messages = history.removeValue(forKey: event.plan) ?? []
            let record = makeRecord(index: index, plan: plan, planIndex: Int(event.plan), turn: Int(event.turn),
                                    time: event.time, messages: &messages, random: random)
            if Int(event.turn) + 1 < plan.turns { history[event.plan] = messages }
            try emit(record)
        }
    }

    func makePlan(_ random: RandomSource) -> Plan {
        let featureIndex = random.categorical(features.map(\.weight))
        let feature = features[featureIndex]
        let model = random.categorical(feature.models.map(\.2))
        let roll = random.uniform()
        var popular: Int?
        var paraphrase = false
        if roll < feature.exactRepeat + feature.nearRepeat {
            // Zipf-like popularity over 300 prompts per feature.
            popular = min(299, Int(random.pareto(shape: 1.1, scale: 1)) - 1)
            paraphrase = roll >= feature.exactRepeat
        }
        let turns = feature.multiTurn ? 1 + min(30, Int(random.exponential(mean: 3))) : 1
        return Plan(feature: featureIndex, model: model, user: zipf(options.users, random), tenant: zipf(options.tenants, random),
                    turns: turns, popular: popular, paraphrase: paraphrase)
    }

    func zipf(_ n: Int, _ random: RandomSource) -> Int { min(n - 1, Int(random.pareto(shape: 1.0, scale: 1)) - 1) }

    /// An arrival instant with a diurnal peak around 15:00 UTC and quieter weekends.
    func arrival(_ random: RandomSource) -> Int64 {
        let hourWeights = (0..<24).map { hour in 0.25 + Double.maximum(0, 1 - abs(Double(hour) - 15) / 9) }
        while true {
            let day = random.integer(below: max(1, options.days))
            let weekday = ((Timestamp.floorDiv(options.startMicros, 86_400_000_000) + Int64(day)) + 3) % 7
            if weekday >= 5 && random.uniform() > 0.55 { continue }
            let hour = random.categorical(hourWeights)
            let second = Int64(hour * 3600) + Int64(random.uniform() * 3600)
            return options.startMicros + Int64(day) * 86_400_000_000 + second * 1_000_000 + Int64(random.integer(below: 1_000_000))
        }
    }

    func tokens(median: Double, sigma: Double, _ random: RandomSource, cap: Double = 250_000) -> Int64 {
        Int64(max(1, min(cap, random.lognormal(mu: log(median), sigma: sigma)).rounded()))
    }
}
