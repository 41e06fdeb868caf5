/// One point to replay: a scenario with every parameter fixed (one point of a sweep).
public struct ScenarioPlan: Sendable {
    public var scenario: String
    /// `name[param=value,…]` for swept points; the scenario name otherwise.
    public var label: String
    public var steps: [Step]

    public struct Step: Sendable {
        public var strategy: String
        public var parameters: Parameters
    }

    /// The strategy types in order.
    var types: [any ReplayStrategy.Type] { steps.map { StrategyRegistry.named($0.strategy)! } }
}

/// A parsed scenario file.
public struct ScenarioFile: Sendable {
    public var path: String
    public var text: String
    public var plans: [ScenarioPlan]
}
