/// Context truncation on multi-turn requests, from their message structure: a sliding window by
/// turns or by token budget, summarisation of what the window drops, and system-prompt
/// compression.
///
/// System messages are always kept (compressed by `system_ratio`). The window keeps the newest
/// messages: the last `keep_turns`, or as many as fit in `token_budget`. In `summarise` mode the
/// dropped messages are replaced by a summary of `summary_tokens`, and the summariser's calls are
/// paid for: per session, each message is summarised once, when it first falls out of the window
/// (input: the previous summary plus the newly dropped messages; output: the summary), at the
/// `summariser` model's rates. Input shrinks by the dropped tokens; the recorded cache split is
/// dropped, since the prompt's prefix changes. Requests without message structure pass unchanged.
public struct Truncate: ReplayStrategy {
    public static let name = "truncate"
    public static let summary = "shorten multi-turn context: sliding window, summaries, system-prompt compression"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("mode", .choice(Mode.names), default: .text(Mode.windowTurns.rawValue), "how history is cut"),
        ParameterSpec("keep_turns", .number(min: 1, max: 1000, integer: true), default: .number(6), "messages kept (window_turns, summarise)"),
        ParameterSpec("token_budget", .number(min: 1, max: 1e7, integer: true), default: .number(4000), "history tokens kept (window_tokens)"),
        ParameterSpec("summary_tokens", .number(min: 1, max: 1e5, integer: true), default: .number(300), "size of a summary"),
        ParameterSpec("summariser", .text, default: .text("gpt-4o-mini"), "the model that writes summaries"),
        ParameterSpec("system_ratio", .number(min: 0.05, max: 1, integer: false), default: .number(1), "system prompt kept after compression"),
        ParameterSpec("rag_top_k", .number(min: 0, max: 10_000, integer: true), default: .number(0), "retrieved chunks kept (role context, in rank order); 0: all"),
        ParameterSpec("rag_min_score", .number(min: -1e9, max: 1e9, integer: false), default: .number(-1e9), "drop retrieved chunks scored below this"),
    ]

    /// How history is cut.
    enum Mode: String, ParameterChoice {
        /// Keep the last `keep_turns` messages.
        case windowTurns = "window_turns"
        /// Keep the newest messages that fit in `token_budget`.
        case windowTokens = "window_tokens"
        /// Keep the last `keep_turns` and replace what falls out with a paid-for summary.
        case summarise
        /// Keep history (RAG cuts and system-prompt compression still apply).
        case none
    }

    /// What a scenario step sets.
    public struct Configuration: Sendable {
        var mode: Mode
        var keepTurns: Int
        var tokenBudget: Int64
        var summaryTokens: Int64
        var summariser: String
        var systemRatio: Double
        var ragTopK: Int
        var ragMinScore: Double
    }

    public static func configure(_ p: Parameters, context: ValidationContext) throws(ParameterProblem) -> Configuration {
        let summariser = try p.text("summariser")
        try context.requireModel(summariser, parameter: "summariser")
        return Configuration(mode: try p.choice("mode", as: Mode.self), keepTurns: try p.int("keep_turns"), tokenBudget: Int64(try p.int("token_budget")),
                             summaryTokens: Int64(try p.int("summary_tokens")), summariser: summariser, systemRatio: try p.number("system_ratio"),
                             ragTopK: try p.int("rag_top_k"), ragMinScore: try p.number("rag_min_score"))
    }

    let pricer: Pricer
    /// Per session: messages already summarised.
    var summarised: [String: Int] = [:]
    var counters = MetricCounts()
    /// The step's typed parameters.
    let settings: Configuration

    public init(_ c: Configuration, context: StrategyContext) {
        settings = c
        pricer = context.pricer
    }

    public static func exactWhenSharded(by key: ShardKey, configuration: Configuration) -> Bool {
        configuration.mode != .summarise || key == .session
    }

    public var metrics: MetricCounts { counters }

    /// Retrieved chunks (`context` messages) cut by rank and relevance.
    func droppedChunks(_ messages: [MessageInfo]) -> [Int] {
        let chunks = messages.indices.filter { messages[$0].role == "context" }
        return chunks.enumerated().filter { rank, index in
            (settings.ragTopK > 0 && rank >= settings.ragTopK) || (messages[index].score.map { $0 < settings.ragMinScore } ?? false)
        }.map(\.element)
    }

    /// Indices of conversation messages the window drops (the oldest ones).
    func dropped(_ messages: [MessageInfo]) -> [Int] {
        let history = messages.indices.filter { messages[$0].role != "system" && messages[$0].role != "context" }
        switch settings.mode {
        case .windowTokens:
            var kept: Int64 = 0
            var keepFrom = history.count
            for position in history.indices.reversed() {
                let tokens = messages[history[position]].tokens
                if kept + tokens > settings.tokenBudget && position < history.count - 1 { break }
                kept += tokens
                keepFrom = position
            }
            return Array(history.prefix(keepFrom))
        case .none:
            return []
        case .windowTurns, .summarise:
            return Array(history.dropLast(settings.keepTurns))
        }
    }

    public mutating func apply(_ request: inout ReplayRequest, ledger: inout Ledger) {
        guard request.served == nil, request.kind == .llm, var usage = request.usage, !request.messages.isEmpty else { return }
        let messages = request.messages
        counters.add(.requests)
        let drop = dropped(messages)
        let chunks = droppedChunks(messages)
        var removed = (drop + chunks).reduce(Int64(0)) { $0 + messages[$1].tokens }
        if !chunks.isEmpty { counters.add(.droppedChunks, Double(chunks.count)) }
        let system = messages.filter { $0.role == "system" }.reduce(Int64(0)) { $0 + $1.tokens }
        removed += Int64((Double(system) * (1 - settings.systemRatio)).rounded())
        var added: Int64 = 0
        if settings.mode == .summarise && !drop.isEmpty {
            added = settings.summaryTokens
            let session = request.sessionID ?? request.id
            let done = summarised[session] ?? 0
            if drop.count > done {
                let fresh = drop[done...].reduce(Int64(0)) { $0 + messages[$1].tokens }
                var call = request
                call.model = settings.summariser
                call.provider = pricer.catalog.find(model: settings.summariser, provider: nil)?.provider
                call.isBatch = false
                call.serviceTier = nil
                call.usage = TokenUsage(input: fresh + (done > 0 ? settings.summaryTokens : 0), output: settings.summaryTokens)
                if let cost = pricer.cost(call.pricingInput) {
                    request.extraCost += cost
                    counters.add(.summariserCostUsd, cost.dollars)
                }
                counters.add(.summariserCalls)
                summarised[session] = drop.count
            }
        }
        guard removed > 0 || added > 0 else { return }
        let before = usage.input
        usage.input = max(0, usage.input - removed + added)
        usage.cacheRead = 0
        usage.cacheWrite5m = 0
        usage.cacheWrite1h = 0
        request.usage = usage
        counters.add(.truncated)
        counters.add(.droppedMessages, Double(drop.count))
        counters.add(.inputTokensRemoved, Double(before - usage.input))
        ledger.note(Self.name, "truncated",
                    "\(drop.count) messages dropped, input \(before) → \(usage.input) tokens")
    }
}
