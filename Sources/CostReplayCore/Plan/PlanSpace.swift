/// The lever settings a plan search tries: sensible defaults for the levers a trace can feed.
public struct PlanSpace: Sendable, Codable, Equatable {
    public var options: [LeverOption]
    /// Where the models cheaper than a recorded one are routed (with measured outcomes only).
    public static let cheapModel = "gpt-4o-mini"

    public init(options: [LeverOption]) { self.options = options }

    /// Options for each lever the profile can feed, and none for levers it cannot: routing only
    /// where outcomes of the cheaper model are recorded (so its quality is measured, not assumed),
    /// semantic caching only with prompt texts, truncation only with message structure, batch only
    /// for traffic tagged `async`, component caching only with tool or retrieval spans.
    public static func defaults(for profile: TraceProfile) -> PlanSpace {
        var options: [LeverOption] = [
            LeverOption(lever: "caching", strategy: "exact_cache", label: "exact cache, 1 h",
                        step: "{exact_cache: {ttl: 1h, normalise: [whitespace, case], scope: tenant}}"),
        ]
        if profile.withText > 0 {
            for threshold in ["0.85", "0.9", "0.95"] {
                options.append(LeverOption(lever: "caching", strategy: "semantic_cache", label: "semantic cache, threshold \(threshold)",
                                           step: "{semantic_cache: {threshold: \(threshold), ttl: 1d, scope: tenant}}"))
            }
        }
        if profile.toolSpans > 0 {
            options.append(LeverOption(lever: "caching", strategy: "component_cache", label: "tool-call cache, 10 min",
                                       step: "{component_cache: {ttl: 10m}}"))
        }
        let routable = profile.outcomeModels.filter { $0.key.hasPrefix("feature:") && $0.value.contains(cheapModel) }.keys.sorted()
        // Each routable feature alone, then all of them: the frontier runs through these.
        for tag in routable {
            options.append(routing([tag]))
        }
        if routable.count > 1 { options.append(routing(routable)) }
        if profile.withMessages > 0 && profile.sessions > 0 {
            for keep in [4, 8] {
                options.append(LeverOption(lever: "truncation", strategy: "truncate", label: "keep the last \(keep) messages",
                                           step: "{truncate: {mode: window_turns, keep_turns: \(keep)}}", needs: "prefix_cache"))
            }
        }
        options.append(LeverOption(lever: "caching", strategy: "prefix_cache", label: "provider prompt cache, 5 min",
                                   step: "{prefix_cache: {ttl: 5m, min_tokens: 1024}}"))
        if profile.requestsByTag["async", default: 0] > 0 {
            options.append(LeverOption(lever: "batch", strategy: "batch_offload", label: "batch API for async traffic",
                                       step: "{batch_offload: {tags: [async], deadline: 24h, median_completion: 1h, sigma: 1}}",
                                       eligibleTags: ["async"]))
        }
        // Self-hosting the feature with the most spend, on one bought 2×H100 server (defaults of local_gpu).
        if let (tag, _) = profile.spendByTag.filter({ $0.key.hasPrefix("feature:") }).max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
            options.append(LeverOption(lever: "self-hosting", strategy: "local_gpu", label: "one 2×H100 server for \(tag)",
                                       step: "{local_gpu: {tags: [\"\(tag)\"], servers: 1}}", eligibleTags: [tag]))
        }
        return PlanSpace(options: options)
    }

    static func routing(_ tags: [String]) -> LeverOption {
        let rules = tags.map { "{tag: \"\($0)\", tier: small}" }.joined(separator: ", ")
        return LeverOption(lever: "routing", strategy: "model_router",
                           label: "route \(tags.map { $0.replacing("feature:", with: "") }.joined(separator: " + ")) to \(cheapModel)",
                           step: "{model_router: {tiers: {small: \(cheapModel)}, rules: [\(rules)], default_tier: keep}}",
                           eligibleTags: tags)
    }

    /// The order strategies run in a plan: caches first, then what changes the model or the prompt,
    /// then the provider cache of the final prompt and model, then where the call is served.
    static let order = ["exact_cache", "semantic_cache", "component_cache", "model_router", "cascade", "truncate",
                        "prefix_cache", "batch_offload", "local_gpu"]
}
