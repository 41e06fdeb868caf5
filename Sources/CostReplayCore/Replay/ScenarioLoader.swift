import Yams

/// Reads a YAML scenario file, checks every strategy and parameter against the registry, and
/// expands sweeps (a list, or `{from, to, step}`) into a grid of plans. Any problem is a
/// ``ScenarioError`` with file, line and key, raised before any replay work.
public enum ScenarioLoader {
    /// Scenario files are small; anything larger is a mistake (or /dev/zero) and is refused unread.
    public static let maximumFileSize = 4 << 20
    /// Scenario names and labels end up in tables, CSV files and reports.
    public static let maximumNameLength = 200
    /// Strategies in one scenario's chain.
    public static let maximumStrategies = 32

    /// Loads and checks a scenario file; with a `catalog`, model names are checked against it.
    public static func load(path: String, maxPoints: Int = 200, catalog: PriceCatalog? = nil) throws(ScenarioError) -> ScenarioFile {
        let text: String
        do { text = try BoundedFile.text(path: path, limit: maximumFileSize, what: "scenario file") } catch {
            throw ScenarioError(file: path, line: 0, error.reason)
        }
        return try parse(text: text, path: path, maxPoints: maxPoints, catalog: catalog)
    }

    public static func parse(text: String, path: String, maxPoints: Int = 200, catalog: PriceCatalog? = nil) throws(ScenarioError) -> ScenarioFile {
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw ScenarioError(file: path, line: 1, "the file is empty") }
            root = node
        } catch let error as ScenarioError {
            throw error
        } catch let error as YamlError {
            throw ScenarioError(file: path, line: yamlLine(error), "invalid YAML: \(yamlMessage(error))")
        } catch {
            throw ScenarioError(file: path, line: 1, "invalid YAML: \(error)")
        }
        guard let mapping = root.mapping else { throw ScenarioError(file: path, line: line(root), "expected a mapping with a 'scenarios' list") }
        for (key, _) in mapping where key.string != "scenarios" && key.string != "version" && key.string != "description" {
            throw ScenarioError(file: path, line: line(key), key: key.string, "unknown top-level key; expected 'scenarios'")
        }
        guard let list = mapping["scenarios"]?.sequence, !list.isEmpty else {
            throw ScenarioError(file: path, line: line(root), key: "scenarios", "expected a non-empty list of scenarios")
        }
        var plans: [ScenarioPlan] = []
        var names: Set<String> = []
        let context = ValidationContext(catalog: catalog)
        for scenario in list {
            let points = try readScenario(scenario, path: path, maxPoints: maxPoints, used: plans.count, context: context)
            guard let name = points.first?.scenario else { continue }
            guard names.insert(name).inserted else {
                throw ScenarioError(file: path, line: line(scenario), key: "name", "duplicate scenario name '\(name)'")
            }
            plans += points
            if plans.count > maxPoints {
                throw ScenarioError(file: path, line: line(scenario), key: name,
                                    "the sweeps expand to more than --max-points \(maxPoints) scenario points")
            }
        }
        return ScenarioFile(path: path, text: text, plans: plans)
    }

    static func readScenario(_ node: Node, path: String, maxPoints: Int, used: Int, context: ValidationContext) throws(ScenarioError) -> [ScenarioPlan] {
        guard let mapping = node.mapping else { throw ScenarioError(file: path, line: line(node), "a scenario must be a mapping with 'name' and 'strategies'") }
        for (key, _) in mapping where !["name", "description", "strategies"].contains(key.string ?? "") {
            throw ScenarioError(file: path, line: line(key), key: key.string, "unknown scenario key; expected name, description, strategies")
        }
        guard let name = mapping["name"]?.string, !name.isEmpty else {
            throw ScenarioError(file: path, line: line(node), key: "name", "every scenario needs a name")
        }
        guard name.count <= maximumNameLength, !name.unicodeScalars.contains(where: TerminalText.isControl) else {
            throw ScenarioError(file: path, line: line(node), key: "name",
                                "a scenario name is at most \(maximumNameLength) characters, without control characters")
        }
        guard let steps = mapping["strategies"]?.sequence else {
            throw ScenarioError(file: path, line: line(node), key: "strategies", "scenario '\(name)' needs a list of strategies")
        }
        // Each lever of a chain also runs alone for attribution; a few dozen is far beyond any real plan.
        guard steps.count <= maximumStrategies else {
            throw ScenarioError(file: path, line: line(node), key: "strategies",
                                "scenario '\(name)' lists \(steps.count) strategies; at most \(maximumStrategies)")
        }
        // Each step: its type and, per parameter, the values to sweep over.
        var stepOptions: [(any ReplayStrategy.Type, [(String, [ParameterValue])])] = []
        var stepLines: [ParameterLines] = []
        for step in steps {
            let (type, options, lines) = try readStep(step, path: path)
            stepOptions.append((type, options))
            stepLines.append(lines)
        }
        // Counted from the parameters before anything is built: a 10^9-point grid must be refused, not expanded.
        var points = 1
        for (_, options) in stepOptions {
            for (_, values) in options {
                let (product, overflow) = points.multipliedReportingOverflow(by: values.count)
                guard !overflow, product <= maxPoints - used else {
                    throw ScenarioError(file: path, line: line(node), key: name,
                                        "the sweeps expand to more than --max-points \(maxPoints) scenario points")
                }
                points = product
            }
        }
        var grid: [[[String: ParameterValue]]] = [stepOptions.map { _ in [:] }]
        var swept: [(step: Int, name: String)] = []
        for (stepIndex, (_, options)) in stepOptions.enumerated() {
            for (parameter, values) in options {
                if values.count > 1 { swept.append((stepIndex, parameter)) }
                grid = grid.flatMap { point in values.map { value in
                    var copy = point
                    copy[stepIndex][parameter] = value
                    return copy
                } }
            }
        }
        // Each point's steps are configured (typed and checked by their strategy) here, once; a refusal names the
        // file and the line of the parameter, or of the rule inside it.
        var plans: [ScenarioPlan] = []
        plans.reserveCapacity(grid.count)
        for point in grid {
            let label = swept.isEmpty ? name
                : name + "[" + swept.map { "\($0.name)=\(point[$0.step][$0.name]!)" }.joined(separator: ",") + "]"
            var planSteps: [ScenarioPlan.Step] = []
            for (index, (option, values)) in zip(stepOptions, point).enumerated() {
                do { planSteps.append(try ScenarioPlan.Step(type: option.0, parameters: Parameters(values), context: context)) } catch {
                    let lines = stepLines[index]
                    let at = error.item.flatMap { lines.items[error.parameter]?[safe: $0] } ?? lines.parameters[error.parameter] ?? lines.step
                    let key = error.parameter + (error.item.map { "[\($0)]" } ?? "") + (error.key.map { ".\($0)" } ?? "")
                    throw ScenarioError(file: path, line: at, key: key, error.message)
                }
            }
            plans.append(ScenarioPlan(scenario: name, label: label, steps: planSteps))
        }
        return plans
    }

    /// Where each parameter (and each rule of a rules list) of one step stands in the file.
    struct ParameterLines {
        var step: Int
        var parameters: [String: Int] = [:]
        var items: [String: [Int]] = [:]
    }

    static func readStep(_ node: Node, path: String) throws(ScenarioError) -> (any ReplayStrategy.Type, [(String, [ParameterValue])], ParameterLines) {
        let name: String
        let body: Node?
        if let text = node.string {
            name = text
            body = nil
        } else if let mapping = node.mapping, mapping.count == 1, let (key, value) = mapping.first, let text = key.string {
            name = text
            body = value
        } else {
            throw ScenarioError(file: path, line: line(node), "a strategy is its name, or a one-key mapping of its name to its parameters")
        }
        guard let type = StrategyRegistry.named(name) else {
            let known = StrategyRegistry.all.map { $0.name }
            throw ScenarioError(file: path, line: line(node), key: name,
                                "unknown strategy" + suggestion(name, known) + "; known: \(known.joined(separator: ", "))")
        }
        var options: [(String, [ParameterValue])] = []
        var given: [String: Node] = [:]
        var lines = ParameterLines(step: line(node))
        if let body, !(body.scalar?.string.isEmpty ?? false) || body.mapping != nil {
            guard let mapping = body.mapping else {
                throw ScenarioError(file: path, line: line(body), key: name, "parameters must be a mapping")
            }
            for (key, value) in mapping {
                let parameter = key.string ?? ""
                guard type.parameters.contains(where: { $0.name == parameter }) else {
                    let known = type.parameters.map(\.name)
                    throw ScenarioError(file: path, line: line(key), key: parameter,
                                        "unknown parameter of \(name)" + suggestion(parameter, known) + "; known: \(known.joined(separator: ", "))")
                }
                given[parameter] = value
                lines.parameters[parameter] = line(key)
                if let items = value.sequence { lines.items[parameter] = items.map(line) }
            }
        }
        for spec in type.parameters {
            if let node = given[spec.name] {
                options.append((spec.name, try ParameterReader.values(node, spec: spec, path: path)))
            } else if let value = spec.defaultValue {
                options.append((spec.name, [value]))
            }
        }
        return (type, options, lines)
    }

    static func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    static func yamlLine(_ error: YamlError) -> Int {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _): return mark.line
        case let .duplicatedKeysInMapping(_, context): return context.mark.line
        default: return 0
        }
    }

    static func yamlMessage(_ error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, _, _), let .parser(_, problem, _, _), let .composer(_, problem, _, _): return problem
        case let .duplicatedKeysInMapping(duplicates, _):
            return "a key appears twice in one mapping: " + duplicates.map { "'\($0)'" }.joined(separator: ", ")
        default: return "\(error)"
        }
    }

    /// "; did you mean 'x'?" for a near miss (edit distance ≤ 2).
    static func suggestion(_ word: String, _ candidates: [String]) -> String {
        let best = candidates.map { ($0, distance(word, $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= 2 else { return "" }
        return " (did you mean '\(best.0)'?)"
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
