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

/// The parameters of one strategy instance, checked against its specs: what a scenario file says, kept for labels,
/// documents and for telling identical steps apart. Strategies read them once, into their typed
/// ``ReplayStrategy/Configuration``, through the throwing accessors below: a missing or mistyped value is an error
/// naming the parameter, never a silent 0, "" or false.
public struct Parameters: Sendable, Hashable {
    public var values: [String: ParameterValue]

    public init(_ values: [String: ParameterValue] = [:]) { self.values = values }

    func value(_ name: String, _ expected: String) throws(ParameterProblem) -> ParameterValue {
        guard let value = values[name] else { throw ParameterProblem(name, "has no value (expected \(expected))") }
        return value
    }

    func mismatch(_ name: String, _ expected: String, _ found: ParameterValue) -> ParameterProblem {
        ParameterProblem(name, "expected \(expected), found '\(found.description.prefix(40))'")
    }

    public func number(_ name: String) throws(ParameterProblem) -> Double {
        let found = try value(name, "a number")
        guard case .number(let value) = found else { throw mismatch(name, "a number", found) }
        return value
    }

    /// A whole number within `Int`'s range (the spec bounds it; this refuses what no spec should let through).
    public func int(_ name: String) throws(ParameterProblem) -> Int {
        let value = try number(name)
        guard value.rounded() == value, abs(value) < 9e15 else { throw ParameterProblem(name, "expected a whole number, found \(value)") }
        return Int(value)
    }

    public func text(_ name: String) throws(ParameterProblem) -> String {
        let found = try value(name, "a text")
        guard case .text(let value) = found else { throw mismatch(name, "a text", found) }
        return value
    }

    /// One of the cases of `choice`, by its name in scenario files.
    public func choice<Choice: RawRepresentable<String>>(_ name: String, as choice: Choice.Type) throws(ParameterProblem) -> Choice {
        let text = try text(name)
        guard let value = Choice(rawValue: text) else { throw ParameterProblem(name, "'\(text.prefix(40))' is not a known choice") }
        return value
    }

    public func flag(_ name: String) throws(ParameterProblem) -> Bool {
        let found = try value(name, "true or false")
        guard case .flag(let value) = found else { throw mismatch(name, "true or false", found) }
        return value
    }

    public func list(_ name: String) throws(ParameterProblem) -> [String] {
        let found = try value(name, "a list")
        guard case .list(let value) = found else { throw mismatch(name, "a list", found) }
        return value
    }

    public func table(_ name: String) throws(ParameterProblem) -> [String: String] {
        let found = try value(name, "a mapping")
        guard case .table(let value) = found else { throw mismatch(name, "a mapping", found) }
        return value
    }

    public func rules(_ name: String) throws(ParameterProblem) -> [[String: String]] {
        let found = try value(name, "a list of rules")
        guard case .rules(let value) = found else { throw mismatch(name, "a list of rules", found) }
        return value
    }

    /// `name=value` pairs in name order, for labels.
    public var label: String { values.keys.sorted().map { "\($0)=\(values[$0]!)" }.joined(separator: ",") }
}

/// A parameter whose value is one of a fixed set of names: the spec's choices come from the cases, so the file's
/// checks and the strategy's cases cannot drift apart.
public protocol ParameterChoice: RawRepresentable<String>, CaseIterable, Sendable, Hashable {}

extension ParameterChoice {
    static var names: [String] { allCases.map(\.rawValue) }
}
