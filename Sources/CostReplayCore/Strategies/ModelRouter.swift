/// Rule-based model routing: each request goes to the tier of the first rule it matches, and is
/// re-priced at that tier's model.
///
/// A rule is a mapping of conditions and a `tier`; all its conditions must hold. Conditions:
/// `tag`, `operation`, `user`, `tenant`, `model` (the recorded one), `min_prompt_tokens`,
/// `max_prompt_tokens`, `keyword` (case-insensitive substring of the prompt), `regex`, `has_code`
/// (`true`/`false`: a code fence or common code syntax in the prompt). Requests no rule matches go
/// to `default_tier`, or keep their model when it is `keep`. Output length is kept as recorded, or
/// scaled by the target model's `verbosity` factor. A routed request's recorded cache split does
/// not carry to another model, so its input is billed uncached.
public struct ModelRouter: ReplayStrategy {
    public static let name = "model_router"
    public static let summary = "route requests to model tiers by rules"
    static let conditions = ["tag", "operation", "user", "tenant", "model", "min_prompt_tokens", "max_prompt_tokens",
                             "keyword", "regex", "has_code"]
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("tiers", .table(keys: nil), default: .table([:]), "tier name → model"),
        ParameterSpec("rules", .rules(keys: conditions + ["tier"]), default: .rules([]), "first matching rule wins"),
        ParameterSpec("default_tier", .text, default: .text("keep"), "tier for requests no rule matches, or keep"),
        ParameterSpec("verbosity", .table(keys: nil), default: .table([:]), "model → output length factor (default 1)"),
        ParameterSpec("quality_priors", .rules(keys: ["tier", "tag", "alpha", "beta"]), default: .rules([]),
                      "Beta(alpha, beta) prior of a tier's success rate on a task (tag); first match counts"),
    ]

    /// A routing condition set; also used by other levers to choose eligible traffic.
    struct Rule {
        var tier: String
        var tag, operation, user, tenant, model, keyword: String?
        var minTokens, maxTokens: Int64?
        var regex: Regex<AnyRegexOutput>?
        var hasCode: Bool?
    }

    let tiers: [String: String]
    let rules: [Rule]
    let defaultTier: String
    let verbosity: [String: Double]
    let priors: [(tier: String, tag: String?, alpha: Double, beta: Double)]
    let pricer: Pricer
    var counters = CacheCounters()

    /// Parses rule mappings (conditions as in `rules`).
    static func parseRules(_ rules: [[String: String]]) -> [Rule] {
        rules.map { r in
            Rule(tier: r["tier"] ?? "keep", tag: r["tag"], operation: r["operation"], user: r["user"], tenant: r["tenant"],
                 model: r["model"], keyword: r["keyword"]?.lowercased(), minTokens: r["min_prompt_tokens"].flatMap { Int64($0) },
                 maxTokens: r["max_prompt_tokens"].flatMap { Int64($0) }, regex: r["regex"].flatMap { try? Regex($0) },
                 hasCode: r["has_code"].flatMap { Bool($0.lowercased()) })
        }
    }

    public init(parameters p: Parameters, context: StrategyContext) {
        tiers = p.table("tiers")
        defaultTier = p.text("default_tier")
        verbosity = p.table("verbosity").compactMapValues(Double.init)
        priors = p.rules("quality_priors").compactMap { r in
            guard let tier = r["tier"], let alpha = r["alpha"].flatMap(Double.init), let beta = r["beta"].flatMap(Double.init),
                  alpha > 0, beta > 0 else { return nil }
            return (tier, r["tag"], alpha, beta)
        }
        pricer = context.pricer
        rules = Self.parseRules(p.rules("rules"))
    }

    public static func exactWhenSharded(by key: ShardKey, parameters: Parameters) -> Bool { true }

    public var metrics: [String: Double] { counters.values }

    static func matches(_ rule: Rule, _ request: ReplayRequest) -> Bool {
        if let tag = rule.tag, !request.tags.contains(tag) { return false }
        if let operation = rule.operation, request.recorded.operation != operation { return false }
        if let user = rule.user, request.userID != user { return false }
        if let tenant = rule.tenant, request.tenantID != tenant { return false }
        if let model = rule.model, request.recorded.original.model != model { return false }
        let tokens = request.usage?.input ?? 0
        if let minimum = rule.minTokens, tokens < minimum { return false }
        if let maximum = rule.maxTokens, tokens > maximum { return false }
        let prompt = request.promptText ?? ""
        if let keyword = rule.keyword, !prompt.lowercased().contains(keyword) { return false }
        if let regex = rule.regex, (try? regex.firstMatch(in: prompt)) == nil { return false }
        if let hasCode = rule.hasCode, Self.looksLikeCode(prompt) != hasCode { return false }
        return true
    }

    /// A code fence, or two or more of the usual signs of code.
    static func looksLikeCode(_ text: String) -> Bool {
        if text.contains("```") { return true }
        let signs = ["def ", "func ", "function ", "class ", "import ", "return ", "#include", "=>", "();", "{\n", "};"]
        return signs.filter { text.contains($0) }.count >= 2
    }

    /// Where the trace records per-model outcomes (`quality` keys `correct:<model>`, 0 or 1), the
    /// quality of the routed traffic is counted exactly: `outcomes` known and `correct` among them.
    mutating func countOutcome(_ request: ReplayRequest) {
        guard let model = request.model, let outcome = request.recorded.original.quality["correct:" + model] else { return }
        counters.add("outcomes")
        counters.add("correct", outcome)
    }

    public mutating func apply(_ request: inout ReplayRequest, explain: Bool, ledger: inout [LedgerEntry]) {
        guard request.served == nil, request.kind == .llm, var usage = request.usage else { return }
        defer { countOutcome(request) }
        let rule = rules.first { Self.matches($0, request) }
        let tier = rule?.tier ?? defaultTier
        counters.add("tier:" + tier)
        // Expected quality from the priors: the Beta mean of the tier's success rate on this task.
        if let prior = priors.first(where: { $0.tier == tier && ($0.tag == nil || request.tags.contains($0.tag!)) }) {
            counters.add("prior_requests")
            counters.add("expected_correct", prior.alpha / (prior.alpha + prior.beta))
            counters.add("prior:\(tier):\(prior.tag ?? "*")")
        }
        guard tier != "keep", let target = tiers[tier] else {
            if explain { ledger.append(.init(strategy: Self.name, decision: "keep", detail: "model \(request.model ?? "?") kept")) }
            return
        }
        guard target != request.model else { return }
        let from = request.model ?? ""
        let scale = (verbosity[target] ?? 1) / (verbosity[from] ?? 1)
        if scale != 1 {
            usage.output = Int64((Double(usage.output) * scale).rounded())
            usage.reasoning = min(usage.reasoning, usage.output)
        }
        usage.cacheRead = 0
        usage.cacheWrite5m = 0
        usage.cacheWrite1h = 0
        request.usage = usage
        request.model = target
        request.provider = pricer.catalog.find(model: target, provider: nil)?.provider
        counters.add("routed")
        if explain {
            ledger.append(.init(strategy: Self.name, decision: "routed to \(tier)",
                                detail: "\(from) → \(target)" + (rule == nil ? " (default tier)" : "")))
        }
    }
}
