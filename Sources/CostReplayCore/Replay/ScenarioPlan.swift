/// One point to replay: a scenario with every parameter fixed (one point of a sweep).
public struct ScenarioPlan: Sendable {
    public var scenario: String
    /// `name[param=value,…]` for swept points; the scenario name otherwise.
    public var label: String
    public var steps: [Step]

    public struct Step: Sendable {
        /// The strategy, resolved once when the scenario file is read.
        public var type: any ReplayStrategy.Type
        public var parameters: Parameters
        /// Its name in scenario files.
        public var strategy: String { type.name }

        public init(type: any ReplayStrategy.Type, parameters: Parameters) {
            self.type = type
            self.parameters = parameters
        }
    }

    /// The strategy types in order.
    var types: [any ReplayStrategy.Type] { steps.map(\.type) }
}

/// A parsed scenario file.
public struct ScenarioFile: Sendable {
    public var path: String
    public var text: String
    public var plans: [ScenarioPlan]
}
