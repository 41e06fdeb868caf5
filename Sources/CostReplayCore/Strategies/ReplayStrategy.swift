/// One lever of a scenario: sees each request in time order and may serve it, change it, or pass.
///
/// Strategies are value types; each scenario point owns its own instances, so state (cache
/// contents) never leaks between points. A strategy must be a pure function of the requests it
/// has seen and its parameters (and the seeded random source it is given).
public protocol ReplayStrategy {
    /// The strategy's parameters as typed values (enums for choices, parsed rules, resolved profiles), built and
    /// checked once by the scenario loader (``configure(_:context:)``), so a strategy never reads a parameter by name.
    associatedtype Configuration: Sendable
    /// The name used in scenario files.
    static var name: String { get }
    static var summary: String { get }
    static var parameters: [ParameterSpec] { get }
    /// Builds the configuration from parameters the loader has read and checked against ``parameters`` (every one
    /// present, defaults filled in), refusing what the specs cannot express (rule contents, model names the catalog
    /// does not know, value combinations), so a bad value is an error when the file loads and never a silent default.
    static func configure(_ parameters: Parameters, context: ValidationContext) throws(ParameterProblem) -> Configuration
    init(_ configuration: Configuration, context: StrategyContext)
    /// Sees one request, noting its decision in `ledger` (kept only for the request `--explain` names).
    mutating func apply(_ request: inout ReplayRequest, ledger: inout Ledger)
    /// Sees the next batch of requests before they are replayed one by one (for look-ahead work
    /// that must not change any decision).
    mutating func prepare(_ batch: [ReplayRequest])
    /// Called once after the last request (to drain simulations and settle fixed costs).
    mutating func finish()
    /// Costs not tied to one request (servers over the replayed span), added to the scenario's cost.
    var fixedCost: Money { get }
    /// Counters for the result document (hits, lookups, tokens, …); summed across shards.
    var metrics: MetricCounts { get }
    /// Whether sharding by `key` gives the unsharded result exactly.
    static func exactWhenSharded(by key: ShardKey, configuration: Configuration) -> Bool
    /// Lets the instances at the root of several chains share state where that changes no result (one semantic index for
    /// a threshold sweep, one recency stack for a capacity sweep): `contexts[i]` is the context of the root configured
    /// by `roots[i]`. By default nothing is shared.
    static func share(_ contexts: inout [StrategyContext], roots: [Configuration], options: ReplayOptions)
    /// A rough cost of one `apply` relative to a cheap lever, used only to balance chains over workers (never a result).
    static var relativeCost: Int { get }
}

extension ReplayStrategy {
    public mutating func prepare(_ batch: [ReplayRequest]) {}
    public mutating func finish() {}
    public var fixedCost: Money { .zero }
    public static var relativeCost: Int { 1 }
    public static func share(_ contexts: inout [StrategyContext], roots: [Configuration], options: ReplayOptions) {}
}

/// One step's configuration with its strategy type, so the engine can build, shard-check and share steps without
/// knowing any strategy (the existential box around ``ReplayStrategy/Configuration``).
protocol ConfiguredStrategy: Sendable {
    func make(_ context: StrategyContext) -> any ReplayStrategy
    func exactWhenSharded(by key: ShardKey) -> Bool
    /// ``ReplayStrategy/share(_:roots:options:)`` over roots of this step's strategy type.
    func share(_ contexts: inout [StrategyContext], roots: [any ConfiguredStrategy], options: ReplayOptions)
}

struct Configured<Strategy: ReplayStrategy>: ConfiguredStrategy {
    let configuration: Strategy.Configuration

    func make(_ context: StrategyContext) -> any ReplayStrategy { Strategy(configuration, context: context) }

    func exactWhenSharded(by key: ShardKey) -> Bool { Strategy.exactWhenSharded(by: key, configuration: configuration) }

    func share(_ contexts: inout [StrategyContext], roots: [any ConfiguredStrategy], options: ReplayOptions) {
        let configurations = roots.compactMap { ($0 as? Configured<Strategy>)?.configuration }
        // Roots are grouped by strategy type, so every one is of this type; sharing is never needed for a result.
        guard configurations.count == roots.count, configurations.count == contexts.count else { return }
        Strategy.share(&contexts, roots: configurations, options: options)
    }
}

extension ReplayStrategy {
    /// Configures a step of this type (opened from an `any ReplayStrategy.Type`).
    static func configured(_ parameters: Parameters, context: ValidationContext) throws(ParameterProblem) -> any ConfiguredStrategy {
        Configured<Self>(configuration: try configure(parameters, context: context))
    }
}

/// What strategies may use besides the request.
public struct StrategyContext {
    public let pricer: Pricer
    public let seed: UInt64
    /// Set by the engine for semantic caches that share one index with the other points of a sweep.
    var semanticHub: (hub: SemanticHub, member: Int)?
    /// Set by the engine for LRU exact caches that share one recency stack with the other capacities of a sweep.
    var capacitySweep: (sweep: CapacitySweep, member: Int)?
    /// The shared state this context carries, if any: instances sharing it must run on one worker.
    var sharedState: ObjectIdentifier? {
        semanticHub.map { ObjectIdentifier($0.hub) } ?? capacitySweep.map { ObjectIdentifier($0.sweep) }
    }
    /// Stored embedding sets by name, for semantic caches whose `embedding` names one.
    public var embeddings: [String: StoredEmbeddings] = [:]

    public init(pricer: Pricer, seed: UInt64) {
        self.pricer = pricer
        self.seed = seed
    }
}

/// What requests are partitioned by for `--shard`.
public enum ShardKey: String, Sendable, Codable, CaseIterable {
    case tenant, user, session
}

/// The strategies scenario files may name, in one ordered list.
public enum StrategyRegistry {
    public static let all: [any ReplayStrategy.Type] = [
        ExactCache.self, SemanticCache.self, PrefixCache.self, ComponentCache.self, ModelRouter.self, Cascade.self, Truncate.self, BatchOffload.self, LocalGPU.self, PromptChange.self,
    ]

    public static func named(_ name: String) -> (any ReplayStrategy.Type)? { all.first { $0.name == name } }
}
