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
    struct Rule: Sendable {
        var tier: String
        var tag, operation, user, tenant, model, keyword: String?
        var minTokens, maxTokens: Int64?
        var regex: SafeRegex?
        var hasCode: Bool?
    }

    /// The step's typed parameters.
    let settings: Configuration
    let pricer: Pricer
    var counters = MetricCounts()

    /// Parses rule mappings (conditions as in `rules`), refusing values that would match wrongly.
    static func parseRules(_ rules: [[String: String]], parameter: String = "rules") throws(ParameterProblem) -> [Rule] {
        var parsed: [Rule] = []
        for (item, r) in rules.enumerated() {
            func count(_ key: String) throws(ParameterProblem) -> Int64? {
                guard let text = r[key] else { return nil }
                let value = try ValidationContext(catalog: nil).number(text, parameter: parameter, item: item, key: key,
                                                                       in: 0...Double(TokenUsage.maximum), integer: true)
                return Int64(value)
            }
            var regex: SafeRegex?
            if let pattern = r["regex"] {
                do { regex = try SafeRegex(pattern) } catch {
                    throw ParameterProblem(parameter, item: item, key: "regex", error.description)
                }
            }
            var hasCode: Bool?
            if let text = r["has_code"] {
                guard let flag = Bool(text.lowercased()) else {
                    throw ParameterProblem(parameter, item: item, key: "has_code", "expected true or false, found '\(text.prefix(40))'")
                }
                hasCode = flag
            }
            parsed.append(Rule(tier: r["tier"] ?? "keep", tag: r["tag"], operation: r["operation"], user: r["user"], tenant: r["tenant"],
                               model: r["model"], keyword: r["keyword"]?.lowercased(), minTokens: try count("min_prompt_tokens"),
                               maxTokens: try count("max_prompt_tokens"), regex: regex, hasCode: hasCode))
        }
        return parsed
    }

    /// Beta priors, each parameter positive and finite.
    static func parsePriors(_ rules: [[String: String]]) throws(ParameterProblem) -> [(tier: String, tag: String?, alpha: Double, beta: Double)] {
        let check = ValidationContext(catalog: nil)
        var priors: [(tier: String, tag: String?, alpha: Double, beta: Double)] = []
        for (item, r) in rules.enumerated() {
            guard let tier = r["tier"] else { throw ParameterProblem("quality_priors", item: item, key: "tier", "every prior names its tier") }
            guard let alphaText = r["alpha"], let betaText = r["beta"] else {
                throw ParameterProblem("quality_priors", item: item, key: r["alpha"] == nil ? "alpha" : "beta", "every prior needs alpha and beta")
            }
            let alpha = try check.number(alphaText, parameter: "quality_priors", item: item, key: "alpha", in: 1e-6...1e9)
            let beta = try check.number(betaText, parameter: "quality_priors", item: item, key: "beta", in: 1e-6...1e9)
            priors.append((tier, r["tag"], alpha, beta))
        }
        return priors
    }

    /// What a scenario step sets: tiers, parsed rules and priors, each tier they name known, each model priced.
    public struct Configuration: Sendable {
        var tiers: [String: String]
        var rules: [Rule]
        /// A tier name, or `keep`.
        var defaultTier: String
        /// Model → output length factor.
        var verbosity: [String: Double]
        var priors: [(tier: String, tag: String?, alpha: Double, beta: Double)]
    }

    public static func configure(_ p: Parameters, context: ValidationContext) throws(ParameterProblem) -> Configuration {
        let tiers = try p.table("tiers")
        for (tier, model) in tiers.sorted(by: { $0.key < $1.key }) { try context.requireModel(model, parameter: "tiers", key: tier) }
        let ruleTables = try p.rules("rules")
        for (item, rule) in ruleTables.enumerated() where rule["tier"] == nil {
            throw ParameterProblem("rules", item: item, key: "tier", "every routing rule names its tier (or keep)")
        }
        let rules = try parseRules(ruleTables)
        for (item, rule) in rules.enumerated() where rule.tier != "keep" && tiers[rule.tier] == nil {
            throw ParameterProblem("rules", item: item, key: "tier", "unknown tier '\(rule.tier)'; tiers: \((tiers.keys.sorted() + ["keep"]).joined(separator: ", "))")
        }
        let fallback = try p.text("default_tier")
        if fallback != "keep" && tiers[fallback] == nil {
            throw ParameterProblem("default_tier", "unknown tier '\(fallback)'; tiers: \((tiers.keys.sorted() + ["keep"]).joined(separator: ", "))")
        }
        var verbosity: [String: Double] = [:]
        for (model, factor) in try p.table("verbosity").sorted(by: { $0.key < $1.key }) {
            try context.requireModel(model, parameter: "verbosity", key: model)
            verbosity[model] = try context.number(factor, parameter: "verbosity", key: model, in: 0.01...100)
        }
        let priors = try parsePriors(try p.rules("quality_priors"))
        for (item, prior) in priors.enumerated() where tiers[prior.tier] == nil && prior.tier != "keep" {
            throw ParameterProblem("quality_priors", item: item, key: "tier", "unknown tier '\(prior.tier)'")
        }
        return Configuration(tiers: tiers, rules: rules, defaultTier: fallback, verbosity: verbosity, priors: priors)
    }

    public init(_ c: Configuration, context: StrategyContext) {
        settings = c
        pricer = context.pricer
    }

    public static func exactWhenSharded(by key: ShardKey, configuration: Configuration) -> Bool { true }

    public var metrics: MetricCounts { counters }

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
        if let keyword = rule.keyword, !containsLowercased(prompt, keyword) { return false }
        if let regex = rule.regex, !regex.matches(prompt) { return false }
        if let hasCode = rule.hasCode, request.recorded.promptLooksLikeCode != hasCode { return false }
        return true
    }

    /// Whether the lowercased prompt contains `keyword` (lowercase already), as `prompt.lowercased().contains(keyword)`
    /// says, without lowercasing a copy of the prompt per rule when both are ASCII. Unicode lowercasing can turn other
    /// characters into ASCII ones ("K", the Kelvin sign, into "k"), so other texts take the long way.
    static func containsLowercased(_ prompt: String, _ keyword: String) -> Bool {
        guard !keyword.isEmpty, let found = ASCIISearch.contains(prompt, keyword, foldingCase: true) else {
            return prompt.lowercased().contains(keyword)
        }
        return found
    }

    static let codeSigns = ["def ", "func ", "function ", "class ", "import ", "return ", "#include", "=>", "();", "{\n", "};"]

    /// A code fence, or two or more of the usual signs of code.
    static func looksLikeCode(_ text: String) -> Bool {
        // Foundation's search matches canonically equivalent text ("\u{37E}" is ";"), so only ASCII text is searched
        // byte by byte.
        func contains(_ sign: String) -> Bool { ASCIISearch.contains(text, sign, foldingCase: false) ?? text.contains(sign) }
        if contains("```") { return true }
        var found = 0
        for sign in codeSigns where contains(sign) {
            found += 1
            if found == 2 { return true }
        }
        return false
    }

    /// Where the trace records per-model outcomes (`quality` keys `correct:<model>`, 0 or 1), the
    /// quality of the routed traffic is counted exactly: `outcomes` known and `correct` among them.
    mutating func countOutcome(_ request: ReplayRequest) {
        guard let model = request.model, let outcome = request.recorded.original.quality["correct:" + model] else { return }
        counters.add(.outcomes)
        counters.add(.correct, outcome)
    }

    public mutating func apply(_ request: inout ReplayRequest, ledger: inout Ledger) {
        guard request.served == nil, request.kind == .llm, var usage = request.usage else { return }
        defer { countOutcome(request) }
        let rule = settings.rules.first { Self.matches($0, request) }
        let tier = rule?.tier ?? settings.defaultTier
        counters.add(named: "tier:" + tier)
        // Expected quality from the priors: the Beta mean of the tier's success rate on this task.
        if let prior = settings.priors.first(where: { $0.tier == tier && ($0.tag == nil || request.tags.contains($0.tag!)) }) {
            counters.add(.priorRequests)
            counters.add(.expectedCorrect, prior.alpha / (prior.alpha + prior.beta))
            counters.add(named: "prior:\(tier):\(prior.tag ?? "*")")
        }
        guard tier != "keep", let target = settings.tiers[tier] else {
            ledger.note(Self.name, "keep", "model \(request.model ?? "?") kept")
            return
        }
        guard target != request.model else { return }
        let from = request.model ?? ""
        let scale = (settings.verbosity[target] ?? 1) / (settings.verbosity[from] ?? 1)
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
        counters.add(.routed)
        ledger.note(Self.name, "routed to \(tier)",
                    "\(from) → \(target)" + (rule == nil ? " (default tier)" : ""))
    }
}
