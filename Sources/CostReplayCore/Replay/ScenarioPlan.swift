/// One point to replay: a scenario with every parameter fixed (one point of a sweep).
public struct ScenarioPlan: Sendable {
    public var scenario: String
    /// `name[param=value,…]` for swept points; the scenario name otherwise.
    public var label: String
    public var steps: [Step]

    public struct Step: Sendable {
        /// The strategy, resolved once when the scenario file is read.
        public let type: any ReplayStrategy.Type
        /// The parameters as the file gives them (defaults filled in): labels, documents and step identity.
        public private(set) var parameters: Parameters
        /// The typed configuration built from `parameters` by the strategy.
        let configured: any ConfiguredStrategy
        /// Its name in scenario files.
        public var strategy: String { type.name }

        /// Configures the step, refusing parameters its strategy does not accept.
        public init(type: any ReplayStrategy.Type, parameters: Parameters, context: ValidationContext) throws(ParameterProblem) {
            self.type = type
            self.parameters = parameters
            configured = try type.configured(parameters, context: context)
        }

        /// The same step with one parameter replaced (e.g. `servers: auto` once chosen), configured again.
        public func setting(_ name: String, to value: ParameterValue, context: ValidationContext) throws(ParameterProblem) -> Step {
            var values = parameters.values
            values[name] = value
            return try Step(type: type, parameters: Parameters(values), context: context)
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
