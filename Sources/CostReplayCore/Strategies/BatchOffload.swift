import Statistics

/// Batch offloading: requests that need no immediate answer go through the provider's batch API
/// at its discount, with the risk that a deferred request misses its deadline.
///
/// Eligible: any of `tags`, or an `operations` entry, and never one of `exclude_tags` (the
/// user-facing flag), and, when `hours` is set, a start within those UTC hours. The discount is the
/// model's batch rate from the price catalog; where the catalog has none the request stays at the
/// standard rate and is counted (`no_batch_rate`). Batch and prompt-cache discounts stack, as the
/// providers bill them (Anthropic: "the Batch API discount stacks with prompt caching", docs,
/// Message Batches, pricing; OpenAI publishes batch prices for cached input at half the cached
/// rate), so cached tokens are discounted too.
///
/// SLA risk: completion time is log-normal with median `median_completion` and log-scale `sigma`;
/// a request misses when it completes after min(`deadline`, `completion_window`). The expected
/// number of misses is the sum of those probabilities (`expected_sla_misses`).
public struct BatchOffload: ReplayStrategy {
    public static let name = "batch_offload"
    public static let summary = "send async-eligible requests to the provider's batch API"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("tags", .texts, default: .list(["async"]), "requests with any of these tags are eligible"),
        ParameterSpec("operations", .texts, default: .list([]), "requests with these operations are eligible"),
        ParameterSpec("exclude_tags", .texts, default: .list(["interactive", "user-facing"]), "never offload these"),
        ParameterSpec("hours", .text, default: .text(""), "UTC start hours when offloading is allowed, e.g. 0-6,20-24; empty: any"),
        ParameterSpec("completion_window", .duration(min: 60, max: 7 * 86_400), default: .number(86_400), "the provider's batch window"),
        ParameterSpec("deadline", .duration(min: 60, max: 30 * 86_400), default: .number(86_400), "when the deferred answer is needed"),
        ParameterSpec("median_completion", .duration(min: 1, max: 7 * 86_400), default: .number(3600), "median batch completion time"),
        ParameterSpec("sigma", .number(min: 0.01, max: 5, integer: false), default: .number(1), "log-scale spread of completion time"),
    ]

    /// The step's typed parameters.
    let settings: Configuration
    let missProbability: Double
    let meanDelaySeconds: Double
    let pricer: Pricer
    var counters = MetricCounts()

    /// What a scenario step sets.
    public struct Configuration: Sendable {
        var tags: Set<String>
        var operations: Set<String>
        var excluded: Set<String>
        /// Allowed UTC start hours; empty: any.
        var hours: [ClosedRange<Int>]
        /// Seconds: the earlier of the deadline and the provider's completion window.
        var limit: Double
        var medianCompletion: Double
        var sigma: Double
    }

    public static func configure(_ p: Parameters, context: ValidationContext) throws(ParameterProblem) -> Configuration {
        let hours = try parseHours(try p.text("hours"))
        let tags = try p.list("tags"), operations = try p.list("operations")
        guard !tags.isEmpty || !operations.isEmpty else {
            throw ParameterProblem("tags", "no tags and no operations: nothing would be eligible; name the async traffic's tags or operations")
        }
        return Configuration(tags: Set(tags), operations: Set(operations), excluded: Set(try p.list("exclude_tags")), hours: hours,
                             limit: min(try p.number("deadline"), try p.number("completion_window")),
                             medianCompletion: try p.number("median_completion"), sigma: try p.number("sigma"))
    }

    public init(_ c: Configuration, context: StrategyContext) {
        settings = c
        missProbability = Distributions.lognormalUpperTail(c.limit, median: c.medianCompletion, sigma: c.sigma)
        meanDelaySeconds = Distributions.lognormalMean(median: c.medianCompletion, sigma: c.sigma)
        pricer = context.pricer
    }

    public static func exactWhenSharded(by key: ShardKey, configuration: Configuration) -> Bool { true }

    public var metrics: MetricCounts {
        var metrics = counters
        metrics[.missProbability] = missProbability
        return metrics
    }

    /// "0-6,20-24" → [0…5, 20…23]: hour h is allowed when lower ≤ h < upper.
    static func parseHours(_ text: String) throws(ParameterProblem) -> [ClosedRange<Int>] {
        var ranges: [ClosedRange<Int>] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { Int(String($0).trimmingSpaces) }
            guard bounds.count == 2, let lower = bounds[0], let upper = bounds[1], 0 <= lower, lower < upper, upper <= 24 else {
                throw ParameterProblem("hours", "'\(part.prefix(40))' is not a range of UTC hours like 0-6 (0 ≤ from < to ≤ 24)")
            }
            ranges.append(lower...(upper - 1))
        }
        return ranges
    }

    func eligible(_ request: ReplayRequest) -> Bool {
        let tagged = request.tags.contains { settings.tags.contains($0) } || request.recorded.operation.map(settings.operations.contains) == true
        guard tagged, !request.tags.contains(where: { settings.excluded.contains($0) }) else { return false }
        if settings.hours.isEmpty { return true }
        let hour = Int((Timestamp.floorDiv(request.startMicros, 3_600_000_000) % 24 + 24) % 24)
        return settings.hours.contains { $0.contains(hour) }
    }

    public mutating func apply(_ request: inout ReplayRequest, ledger: inout Ledger) {
        guard request.served == nil, request.kind == .llm, !request.isBatch else { return }
        guard eligible(request) else { return }
        counters.add(.eligible)
        guard let model = request.model, pricer.catalog.find(model: model, provider: request.provider)?.hasBatchPrices == true else {
            counters.add(.noBatchRate)
            ledger.note(Self.name, "pass", "eligible but no batch rate is known for \(request.model ?? "its model")")
            return
        }
        request.isBatch = true
        counters.add(.deferred)
        counters.add(.expectedSlaMisses, missProbability)
        counters.add(.expectedDelayHours, meanDelaySeconds / 3600)
        ledger.note(Self.name, "deferred to batch",
                    "batch rate; P(miss deadline) = \(MoneyFormat.fixed(missProbability * 100, decimals: 2))%")
    }
}
