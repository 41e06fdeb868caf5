import Yams

/// Reads one parameter's YAML value into the values to replay: one value, or several for a sweep
/// (a list, or `{from, to, step}`), each checked against the parameter's spec.
enum ParameterReader {
    static func values(_ node: Node, spec: ParameterSpec, path: String) throws(ScenarioError) -> [ParameterValue] {
        let line = node.mark?.line ?? 0
        if case .choices(let allowed) = spec.kind {
            // A list is the value itself here, never a sweep.
            let items = try strings(node, spec: spec, path: path)
            for item in items where !allowed.contains(item) {
                throw ScenarioError(file: path, line: line, key: spec.name, "'\(item.prefix(40))' is not one of \(allowed.joined(separator: ", "))")
            }
            return [.list(items)]
        }
        switch spec.kind {
        case .texts:
            return [.list(try strings(node, spec: spec, path: path))]
        case .table(let keys):
            guard let mapping = node.mapping else {
                throw ScenarioError(file: path, line: line, key: spec.name, "expected a mapping")
            }
            var table: [String: String] = [:]
            for (key, value) in mapping {
                let name = key.string ?? ""
                if let keys, !keys.contains(name) {
                    throw ScenarioError(file: path, line: key.mark?.line ?? line, key: name,
                                        "unknown key in \(spec.name); known: \(keys.joined(separator: ", "))")
                }
                guard let text = value.string else {
                    throw ScenarioError(file: path, line: value.mark?.line ?? line, key: name, "expected a single value")
                }
                table[name] = text
            }
            return [.table(table)]
        case .rules(let keys):
            guard let sequence = node.sequence else {
                throw ScenarioError(file: path, line: line, key: spec.name, "expected a list of rules")
            }
            var rules: [[String: String]] = []
            for item in sequence {
                guard case .table(let table) = try values(item, spec: ParameterSpec(spec.name, .table(keys: keys), default: nil, ""), path: path)[0] else {
                    continue
                }
                rules.append(table)
            }
            return [.rules(rules)]
        default:
            break
        }
        if let sequence = node.sequence {
            guard !sequence.isEmpty else { throw ScenarioError(file: path, line: line, key: spec.name, "an empty list sweeps nothing") }
            return try sequence.map { item throws(ScenarioError) in try single(item, spec: spec, path: path) }
        }
        if let mapping = node.mapping {
            for (key, _) in mapping where !["from", "to", "step"].contains(key.string ?? "") {
                throw ScenarioError(file: path, line: key.mark?.line ?? line, key: spec.name, "a range has only from, to and step; found '\((key.string ?? "?").prefix(40))'")
            }
            guard let from = mapping["from"].flatMap(number), let to = mapping["to"].flatMap(number),
                  let step = mapping["step"].flatMap(number), from.isFinite, to.isFinite, step.isFinite else {
                throw ScenarioError(file: path, line: line, key: spec.name, "a range needs finite numeric from, to and step")
            }
            guard step > 0, to >= from else {
                throw ScenarioError(file: path, line: line, key: spec.name, "a range needs step > 0 and to ≥ from")
            }
            // Counted in floating point first: a tiny step would overflow an integer count.
            let points = ((to - from) / step + 1e-9).rounded(.down) + 1
            guard points.isFinite, points <= 10_000 else {
                throw ScenarioError(file: path, line: line, key: spec.name, "the range has \(points.isFinite ? JSONText.number(points) : "too many") points; at most 10,000")
            }
            let count = Int(points)
            return try (0..<count).map { index throws(ScenarioError) in
                // Rounded to 12 decimals so 0.7 + 5 × 0.05 prints as 0.95.
                let value = ((from + Double(index) * step) * 1e12).rounded() / 1e12
                return try check(value, spec: spec, path: path, line: line)
            }
        }
        return [try single(node, spec: spec, path: path)]
    }

    static func single(_ node: Node, spec: ParameterSpec, path: String) throws(ScenarioError) -> ParameterValue {
        let line = node.mark?.line ?? 0
        guard let text = node.string else {
            throw ScenarioError(file: path, line: line, key: spec.name, "expected a single value")
        }
        switch spec.kind {
        case .number:
            if spec.acceptsAuto && text == "auto" { return .text("auto") }
            guard let value = Double(text) else {
                throw ScenarioError(file: path, line: line, key: spec.name, "expected a number\(spec.acceptsAuto ? " or auto" : ""), found '\(text.prefix(40))'")
            }
            return try check(value, spec: spec, path: path, line: line)
        case .duration:
            guard let value = duration(text) else {
                throw ScenarioError(file: path, line: line, key: spec.name, "expected a duration like 300, 300s, 5m, 1h or 2d, found '\(text.prefix(40))'")
            }
            return try check(value, spec: spec, path: path, line: line)
        case .choice(let allowed):
            guard allowed.contains(text) else {
                throw ScenarioError(file: path, line: line, key: spec.name, "'\(text.prefix(40))' is not one of \(allowed.joined(separator: ", "))")
            }
            return .text(text)
        case .flag:
            guard let value = Bool(text.lowercased()) else { throw ScenarioError(file: path, line: line, key: spec.name, "expected true or false") }
            return .flag(value)
        case .text:
            return .text(text)
        case .choices, .texts:
            return .list([text])
        case .table, .rules:
            throw ScenarioError(file: path, line: line, key: spec.name, "expected a mapping")
        }
    }

    static func check(_ value: Double, spec: ParameterSpec, path: String, line: Int) throws(ScenarioError) -> ParameterValue {
        guard value.isFinite else {
            throw ScenarioError(file: path, line: line, key: spec.name, "expected a finite number, found \(value)")
        }
        switch spec.kind {
        case let .number(min, max, integer):
            if integer && value.rounded() != value {
                throw ScenarioError(file: path, line: line, key: spec.name, "expected a whole number, found \(JSONText.number(value))")
            }
            guard value >= min && value <= max else {
                throw ScenarioError(file: path, line: line, key: spec.name, "\(JSONText.number(value)) is out of range \(JSONText.number(min))…\(JSONText.number(max))")
            }
        case let .duration(min, max):
            guard value >= min && value <= max else {
                throw ScenarioError(file: path, line: line, key: spec.name, "\(JSONText.number(value)) s is out of range \(JSONText.number(min))…\(JSONText.number(max)) s")
            }
        default:
            throw ScenarioError(file: path, line: line, key: spec.name, "a range needs a numeric parameter")
        }
        return .number(value)
    }

    static func number(_ node: Node) -> Double? { node.string.flatMap(Double.init) }

    /// A scalar or a list of scalars; nested mappings or lists are refused, never dropped.
    static func strings(_ node: Node, spec: ParameterSpec, path: String) throws(ScenarioError) -> [String] {
        if let text = node.string { return [text] }
        guard let sequence = node.sequence else {
            throw ScenarioError(file: path, line: node.mark?.line ?? 0, key: spec.name, "expected a value or a list of values")
        }
        return try sequence.map { item throws(ScenarioError) in
            guard let text = item.string else {
                throw ScenarioError(file: path, line: item.mark?.line ?? 0, key: spec.name, "expected a list of plain values")
            }
            return text
        }
    }

    /// Seconds from `300`, `300s`, `5m`, `1h`, `2d`.
    static func duration(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        if let value = Double(text) { return value }
        guard let unit = text.last, let scale = units[unit], let value = Double(text.dropLast()) else { return nil }
        return value * scale
    }
}
