import Statistics

/// A FrugalGPT-style cascade: every eligible request first goes to the cheap model; it escalates
/// to the strong model when a recorded score is below `threshold` (`escalate_on: score`), when the
/// cheap model's recorded outcome was wrong (`outcome`, a perfect verifier), or with probability
/// `probability` (seeded). An escalated request pays for both calls.
///
/// Scores and outcomes come from the trace's `quality` map: `score:<cheap model>` (for example a
/// confidence or a judge's grade) and `correct:<model>` (0 or 1). With outcomes recorded for both
/// models the cascade's exact quality is counted (`outcomes`, `correct`).
public struct Cascade: ReplayStrategy {
    public static let name = "cascade"
    public static let summary = "try a cheap model first and escalate to a strong one"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("cheap", .text, default: .text("gpt-4o-mini"), "the model tried first"),
        ParameterSpec("strong", .text, default: .text("gpt-4o"), "the model escalated to"),
        ParameterSpec("escalate_on", .choice(Escalation.names), default: .text(Escalation.score.rawValue), "what triggers escalation"),
        ParameterSpec("threshold", .number(min: -1e9, max: 1e9, integer: false), default: .number(0.5), "escalate when the score is below this"),
        ParameterSpec("probability", .number(min: 0, max: 1, integer: false), default: .number(0.2), "escalation probability"),
        ParameterSpec("tags", .texts, default: .list([]), "only requests with one of these tags; empty: all"),
    ]

    /// What sends a request on to the strong model.
    enum Escalation: String, ParameterChoice {
        /// A recorded score of the cheap model below the threshold.
        case score
        /// The cheap model's recorded outcome was wrong (a perfect verifier).
        case outcome
        /// A seeded coin with the given probability.
        case probability
    }

    /// What a scenario step sets.
    public struct Configuration: Sendable {
        var cheap: String
        var strong: String
        var escalation: Escalation
        var threshold: Double
        var probability: Double
        var tags: Set<String>
    }

    public static func configure(_ p: Parameters, context: ValidationContext) throws(ParameterProblem) -> Configuration {
        let cheap = try p.text("cheap"), strong = try p.text("strong")
        try context.requireModel(cheap, parameter: "cheap")
        try context.requireModel(strong, parameter: "strong")
        return Configuration(cheap: cheap, strong: strong, escalation: try p.choice("escalate_on", as: Escalation.self),
                             threshold: try p.number("threshold"), probability: try p.number("probability"), tags: Set(try p.list("tags")))
    }

    let pricer: Pricer
    let random: RandomSource
    var counters = MetricCounts()
    /// The step's typed parameters.
    let settings: Configuration

    public init(_ c: Configuration, context: StrategyContext) {
        settings = c
        pricer = context.pricer
        random = RandomSource(seed: context.seed)
    }

    public static func exactWhenSharded(by key: ShardKey, configuration: Configuration) -> Bool {
        configuration.escalation != .probability
    }

    public var metrics: MetricCounts { counters }

    public mutating func apply(_ request: inout ReplayRequest, ledger: inout Ledger) {
        guard request.served == nil, request.kind == .llm, var usage = request.usage else { return }
        guard settings.tags.isEmpty || request.tags.contains(where: settings.tags.contains) else { return }
        let quality = request.recorded.original.quality
        let escalate: Bool
        switch settings.escalation {
        case .outcome:
            guard let outcome = quality["correct:" + settings.cheap] else { counters.add(.noOutcome); return }
            escalate = outcome < 0.5
        case .probability:
            escalate = random.bernoulli(settings.probability)
        case .score:
            guard let score = quality["score:" + settings.cheap] else { counters.add(.noScore); return }
            escalate = score < settings.threshold
        }
        counters.add(.requests)
        usage.cacheRead = 0
        usage.cacheWrite5m = 0
        usage.cacheWrite1h = 0
        var first = request
        first.model = settings.cheap
        first.provider = pricer.catalog.find(model: settings.cheap, provider: nil)?.provider
        first.usage = usage
        if escalate {
            counters.add(.escalated)
            // The cheap attempt is paid for on top of the strong call.
            request.extraCost += pricer.cost(first.pricingInput) ?? .zero
            request.model = settings.strong
            request.provider = pricer.catalog.find(model: settings.strong, provider: nil)?.provider
            request.usage = usage
        } else {
            request = first
        }
        if let outcome = quality["correct:" + (request.model ?? "")] {
            counters.add(.outcomes)
            counters.add(.correct, outcome)
        }
        ledger.note(Self.name, escalate ? "escalated" : "answered by cheap model",
                    escalate ? "\(settings.cheap) then \(settings.strong); both paid" : "\(settings.cheap) only")
    }
}
