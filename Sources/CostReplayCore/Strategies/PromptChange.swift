/// A prompt change under review: a new system prompt or template whose token count replaces the
/// recorded one, or a fixed number of tokens added to (or removed from) every prompt; re-priced
/// over the recorded traffic. The recorded cache split is kept where it still fits the new input.
public struct PromptChange: ReplayStrategy {
    public static let name = "prompt_change"
    public static let summary = "re-price the recorded traffic with a changed system prompt or template"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("system_tokens", .number(min: -1, max: 1e7, integer: true), default: .number(-1),
                      "new system prompt size in tokens, replacing the recorded system messages; -1 keeps them"),
        ParameterSpec("add_tokens", .number(min: -1e7, max: 1e7, integer: true), default: .number(0), "tokens added to every prompt"),
        ParameterSpec("tags", .texts, default: .list([]), "only requests with one of these tags; empty: all"),
    ]

    /// What a scenario step sets.
    public struct Configuration: Sendable {
        /// The new system prompt's tokens; -1 keeps the recorded system messages.
        var systemTokens: Int64
        var addTokens: Int64
        var tags: Set<String>
    }

    public static func configure(_ p: Parameters, context: ValidationContext) throws(ParameterProblem) -> Configuration {
        Configuration(systemTokens: Int64(try p.int("system_tokens")), addTokens: Int64(try p.int("add_tokens")), tags: Set(try p.list("tags")))
    }

    var counters = MetricCounts()
    /// The step's typed parameters.
    let settings: Configuration

    public init(_ c: Configuration, context: StrategyContext) {
        settings = c
    }

    public static func exactWhenSharded(by key: ShardKey, configuration: Configuration) -> Bool { true }
    public var metrics: MetricCounts { counters }

    public mutating func apply(_ request: inout ReplayRequest, ledger: inout Ledger) {
        guard request.served == nil, request.kind == .llm, var usage = request.usage else { return }
        guard settings.tags.isEmpty || request.tags.contains(where: settings.tags.contains) else { return }
        var delta = settings.addTokens
        if settings.systemTokens >= 0 {
            let recorded = request.messages.filter { $0.role == "system" }.reduce(Int64(0)) { $0 + $1.tokens }
            if recorded > 0 || !request.messages.isEmpty { delta += settings.systemTokens - recorded }
        }
        guard delta != 0 else { return }
        usage.input = max(0, usage.input + delta)
        let cached = usage.cacheRead + usage.cacheWrite5m + usage.cacheWrite1h
        if cached > usage.input {
            usage.cacheRead = 0
            usage.cacheWrite5m = 0
            usage.cacheWrite1h = 0
        }
        request.usage = usage
        counters.add(.changed)
        counters.add(.inputTokensAdded, Double(delta))
        ledger.note(Self.name, "re-priced", "input \(delta >= 0 ? "+" : "")\(delta) tokens")
    }
}
