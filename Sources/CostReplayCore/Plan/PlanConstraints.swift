/// What a recommended plan must respect: `costreplay plan --max-quality-risk … --max-sla-misses …`.
public struct PlanConstraints: Sendable, Codable, Equatable {
    /// Upper bound (at `confidence`) on the share of all responses expected to be worse than as recorded.
    public var maxQualityRisk = 0.01
    /// Expected batch deadline misses per month.
    public var maxSLAMissesPerMonth = 10.0
    /// Upper bound (at `confidence`) on a semantic cache's likely-false-hit rate among its hits.
    public var maxFalseHitRate = 0.05
    public var confidence = 0.95

    public init() {}
}

/// One setting of one lever that the search may adopt.
public struct LeverOption: Sendable, Codable, Equatable {
    /// The family the claims check groups by: caching, routing, truncation, batch, self-hosting.
    public var lever: String
    /// The scenario strategy, e.g. `semantic_cache`.
    public var strategy: String
    /// What a reader sees, e.g. "semantic cache, threshold 0.9".
    public var label: String
    /// The strategy step as a YAML flow mapping, e.g. `{semantic_cache: {threshold: 0.9}}`.
    public var step: String
    /// Feature tags whose spend the option acts on (empty: the whole bill).
    public var eligibleTags: [String]
    /// A strategy that must run after this one in the same plan (truncation drops the recorded
    /// provider cache split, so the provider cache is re-simulated after it).
    public var needs: String?

    public init(lever: String, strategy: String, label: String, step: String, eligibleTags: [String] = [], needs: String? = nil) {
        self.lever = lever
        self.strategy = strategy
        self.label = label
        self.step = step
        self.eligibleTags = eligibleTags
        self.needs = needs
    }
}
