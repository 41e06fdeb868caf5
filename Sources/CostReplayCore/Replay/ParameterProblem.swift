/// A parameter value a strategy refuses; the loader turns it into a ``ScenarioError`` with the
/// file and line of the parameter (or of the rule, for `item`).
public struct ParameterProblem: Error, Sendable, Equatable {
    /// The top-level parameter, as written in the scenario file.
    public var parameter: String
    /// The 0-based rule of a rules list, when the problem is inside one.
    public var item: Int?
    /// The key inside the rule or table, when there is one.
    public var key: String?
    public var message: String

    public init(_ parameter: String, item: Int? = nil, key: String? = nil, _ message: String) {
        self.parameter = parameter
        self.item = item
        self.key = key
        self.message = message
    }
}

/// What strategies may consult when they validate their parameters.
public struct ValidationContext {
    /// The price catalog, when the caller has one: model names are then checked against it.
    public var catalog: PriceCatalog?

    public init(catalog: PriceCatalog?) { self.catalog = catalog }

    /// Refuses a model name the catalog cannot price, with the nearest known name.
    public func requireModel(_ model: String, parameter: String, item: Int? = nil, key: String? = nil) throws(ParameterProblem) {
        guard let catalog, catalog.find(model: model, provider: nil) == nil else { return }
        throw ParameterProblem(parameter, item: item, key: key,
                               "unknown model '\(model)'" + ScenarioLoader.suggestion(model, catalog.knownModelIDs)
                               + "; name a model the price catalog knows, or add it with --prices")
    }

    /// A finite number written as text in a table or rule, within bounds.
    public func number(_ text: String, parameter: String, item: Int? = nil, key: String, in range: ClosedRange<Double>,
                       integer: Bool = false) throws(ParameterProblem) -> Double {
        guard let value = Double(text.trimmingSpaces), value.isFinite else {
            throw ParameterProblem(parameter, item: item, key: key, "expected a number, found '\(text.prefix(40))'")
        }
        if integer && value.rounded() != value {
            throw ParameterProblem(parameter, item: item, key: key, "expected a whole number, found \(text.prefix(40))")
        }
        guard range.contains(value) else {
            throw ParameterProblem(parameter, item: item, key: key,
                                   "\(JSONText.number(value)) is out of range \(JSONText.number(range.lowerBound))…\(JSONText.number(range.upperBound))")
        }
        return value
    }
}
