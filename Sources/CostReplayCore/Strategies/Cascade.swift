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
        ParameterSpec("escalate_on", .choice(["score", "outcome", "probability"]), default: .text("score"), "what triggers escalation"),
        ParameterSpec("threshold", .number(min: -1e9, max: 1e9, integer: false), default: .number(0.5), "escalate when the score is below this"),
        ParameterSpec("probability", .number(min: 0, max: 1, integer: false), default: .number(0.2), "escalation probability"),
        ParameterSpec("tags", .texts, default: .list([]), "only requests with one of these tags; empty: all"),
    ]

    let cheap: String
    let strong: String
    let mode: String
    let threshold: Double
    let probability: Double
    let tags: Set<String>
    let pricer: Pricer
    let random: RandomSource
    var counters = CacheCounters()

    public init(parameters p: Parameters, context: StrategyContext) {
        cheap = p.text("cheap")
        strong = p.text("strong")
        mode = p.text("escalate_on")
        threshold = p.number("threshold")
        probability = p.number("probability")
        tags = Set(p.list("tags"))
        pricer = context.pricer
        random = RandomSource(seed: context.seed)
    }

    public static func validate(_ p: Parameters, context: ValidationContext) throws(ParameterProblem) {
        try context.requireModel(p.text("cheap"), parameter: "cheap")
        try context.requireModel(p.text("strong"), parameter: "strong")
    }

    public static func exactWhenSharded(by key: ShardKey, parameters: Parameters) -> Bool {
        parameters.text("escalate_on") != "probability"
    }

    public var metrics: [String: Double] { counters.values }

    public mutating func apply(_ request: inout ReplayRequest, ledger: inout Ledger) {
        guard request.served == nil, request.kind == .llm, var usage = request.usage else { return }
        guard tags.isEmpty || request.tags.contains(where: tags.contains) else { return }
        let quality = request.recorded.original.quality
        let escalate: Bool
        switch mode {
        case "outcome":
            guard let outcome = quality["correct:" + cheap] else { counters.add("no_outcome"); return }
            escalate = outcome < 0.5
        case "probability":
            escalate = random.bernoulli(probability)
        default:
            guard let score = quality["score:" + cheap] else { counters.add("no_score"); return }
            escalate = score < threshold
        }
        counters.add("requests")
        usage.cacheRead = 0
        usage.cacheWrite5m = 0
        usage.cacheWrite1h = 0
        var first = request
        first.model = cheap
        first.provider = pricer.catalog.find(model: cheap, provider: nil)?.provider
        first.usage = usage
        if escalate {
            counters.add("escalated")
            // The cheap attempt is paid for on top of the strong call.
            request.extraCost += pricer.price(first.pricingInput).cost ?? .zero
            request.model = strong
            request.provider = pricer.catalog.find(model: strong, provider: nil)?.provider
            request.usage = usage
        } else {
            request = first
        }
        if let outcome = quality["correct:" + (request.model ?? "")] {
            counters.add("outcomes")
            counters.add("correct", outcome)
        }
        ledger.note(Self.name, escalate ? "escalated" : "answered by cheap model",
                    escalate ? "\(cheap) then \(strong); both paid" : "\(cheap) only")
    }
}
