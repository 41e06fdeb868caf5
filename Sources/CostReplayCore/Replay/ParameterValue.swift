/// A strategy parameter's value after the scenario file is read and sweeps are expanded.
public enum ParameterValue: Hashable, Sendable, Codable, CustomStringConvertible {
    case number(Double)
    case text(String)
    case flag(Bool)
    case list([String])
    /// A mapping of names to values, e.g. tier → model.
    case table([String: String])
    /// An ordered list of mappings, e.g. routing rules.
    case rules([[String: String]])

    public var description: String {
        switch self {
        case .number(let value): return JSONText.number(value)
        case .text(let value): return value
        case .flag(let value): return value ? "true" : "false"
        case .list(let values): return "[" + values.joined(separator: ",") + "]"
        case .table(let values): return "{" + values.keys.sorted().map { "\($0): \(values[$0]!)" }.joined(separator: ", ") + "}"
        case .rules(let values): return "[" + values.map { ParameterValue.table($0).description }.joined(separator: ", ") + "]"
        }
    }
}

/// What a strategy accepts for one parameter: its type, range and default.
public struct ParameterSpec: Sendable {
    public enum Kind: Sendable {
        /// A number within bounds; `integer` rejects fractions.
        case number(min: Double, max: Double, integer: Bool)
        /// A duration: seconds as a number, or text like `300s`, `5m`, `1h`, `2d`.
        case duration(min: Double, max: Double)
        case choice([String])
        case flag
        /// A list of choices, e.g. normalisation steps; never a sweep.
        case choices([String])
        case text
        /// A list of free strings (tags, operations); never a sweep.
        case texts
        /// A mapping of names to strings, keys limited to `keys` when given; never a sweep.
        case table(keys: [String]?)
        /// An ordered list of mappings whose keys are limited to `keys`; never a sweep.
        case rules(keys: [String])
    }

    public var name: String
    public var kind: Kind
    public var defaultValue: ParameterValue?
    public var help: String
    /// A number that may also be `auto` (kept as the text "auto"; the strategy resolves it, e.g. `servers: auto`).
    public var acceptsAuto = false

    public init(_ name: String, _ kind: Kind, default defaultValue: ParameterValue?, _ help: String, acceptsAuto: Bool = false) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
        self.acceptsAuto = acceptsAuto
    }
}

/// The parameters of one strategy instance, checked against its specs.
public struct Parameters: Sendable, Hashable {
    public var values: [String: ParameterValue]

    public init(_ values: [String: ParameterValue] = [:]) { self.values = values }

    public func number(_ name: String) -> Double {
        if case .number(let value)? = values[name] { return value }
        return 0
    }

    public func optionalNumber(_ name: String) -> Double? {
        if case .number(let value)? = values[name] { return value }
        return nil
    }

    public func int(_ name: String) -> Int { Int(number(name)) }

    public func text(_ name: String) -> String {
        if case .text(let value)? = values[name] { return value }
        return ""
    }

    public func optionalText(_ name: String) -> String? {
        if case .text(let value)? = values[name] { return value }
        return nil
    }

    public func flag(_ name: String) -> Bool {
        if case .flag(let value)? = values[name] { return value }
        return false
    }

    public func list(_ name: String) -> [String] {
        if case .list(let value)? = values[name] { return value }
        return []
    }

    public func table(_ name: String) -> [String: String] {
        if case .table(let value)? = values[name] { return value }
        return [:]
    }

    public func rules(_ name: String) -> [[String: String]] {
        if case .rules(let value)? = values[name] { return value }
        return []
    }

    /// `name=value` pairs in name order, for labels.
    public var label: String { values.keys.sorted().map { "\($0)=\(values[$0]!)" }.joined(separator: ",") }
}
