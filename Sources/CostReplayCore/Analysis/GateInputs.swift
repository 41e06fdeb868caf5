/// What the cost gate (`check`, `baseline create`) requires of its documents before it compares them: one scenario
/// point, a whole trace rather than a shard, and, for a candidate replayed over the baseline's requests, the same
/// traffic.
public enum GateInputs {
    /// The index of the scenario point to use: the only one, or the one labelled `point`.
    ///
    /// A file or document with several points (or a sweep) must name one: taking the first silently would gate on a
    /// configuration nobody chose.
    public static func point(_ point: String?, labels: [String], in source: String) throws(GateInputError) -> Int {
        guard let point else {
            guard labels.count == 1 else { throw .severalPoints(source: source, labels: labels) }
            return 0
        }
        let matches = labels.indices.filter { labels[$0] == point }
        guard matches.count == 1 else { throw .unknownPoint(source: source, point: point, labels: labels, repeated: matches.count > 1) }
        return matches[0]
    }

    /// Refuses one shard of a `--shard I/N` run (or a partial merge): it holds part of the traffic.
    public static func wholeTrace(_ result: ReplayResult, in source: String) throws(GateInputError) {
        guard let shard = result.inputs.shard, Set(shard.indices).count < shard.count else { return }
        throw .shard(source: source, indices: shard.indices.sorted(), count: shard.count)
    }

    /// Refuses a candidate that replayed other traffic than the baseline: the gate pairs the same requests day by day.
    ///
    /// Both documents record the replayed traffic as recorded (`baseline`: billed requests, spans and their recorded
    /// tokens), whatever the scenario and prices; another store, window or shard differs in them.
    public static func sameTraffic(_ candidate: ReplayResult, in source: String, as baseline: ReplayResult, of baselinePath: String)
        throws(GateInputError) {
        let fields: [(String, Int64, Int64)] = [
            ("requests", Int64(candidate.baseline.requests), Int64(baseline.baseline.requests)),
            ("spans", Int64(candidate.baseline.spans), Int64(baseline.baseline.spans)),
            ("inputTokens", candidate.baseline.inputTokens, baseline.baseline.inputTokens),
            ("outputTokens", candidate.baseline.outputTokens, baseline.baseline.outputTokens),
            ("cacheReadTokens", candidate.baseline.cacheReadTokens, baseline.baseline.cacheReadTokens),
            ("cacheWriteTokens", candidate.baseline.cacheWriteTokens, baseline.baseline.cacheWriteTokens),
        ]
        for (field, mine, theirs) in fields where mine != theirs {
            throw .otherTraffic(source: source, field: "baseline.\(field)", value: mine, baselinePath: baselinePath, expected: theirs,
                                window: candidate.inputs.window, baselineWindow: baseline.inputs.window)
        }
    }

    /// Checks what `check` compares in a baseline document's result: plausible figures and daily costs to compare.
    public static func baselineProblem(_ result: ReplayResult) -> ResultLimits.Problem? {
        guard let first = result.scenarios.first else { return ResultLimits.Problem(field: "result.scenarios", reason: "is empty") }
        guard let daily = first.daily else { return ResultLimits.Problem(field: "result.scenarios[0].daily", reason: "is missing") }
        if daily.isEmpty { return ResultLimits.Problem(field: "result.scenarios[0].daily", reason: "is empty: there is no day to compare") }
        if let problem = ResultLimits.problem(in: result) { return ResultLimits.Problem(field: "result." + problem.field, reason: problem.reason) }
        return nil
    }
}

/// Why the gate refuses its inputs.
public enum GateInputError: Error, Equatable, CustomStringConvertible {
    case severalPoints(source: String, labels: [String])
    case unknownPoint(source: String, point: String, labels: [String], repeated: Bool)
    case shard(source: String, indices: [Int], count: Int)
    case otherTraffic(source: String, field: String, value: Int64, baselinePath: String, expected: Int64,
                      window: CostReport.Window, baselineWindow: CostReport.Window)

    public var description: String {
        switch self {
        case let .severalPoints(source, labels):
            return "\(source) has \(labels.count) scenario points (\(Self.list(labels))); choose one with --point NAME"
        case let .unknownPoint(source, point, labels, repeated):
            return repeated ? "\(source) has several scenario points named \(point); give each point its own name"
                : "\(source) has no scenario point \(point); its points: \(Self.list(labels))"
        case let .shard(source, indices, count):
            return "\(source) holds shard \(indices.map(String.init).joined(separator: ",")) of \(count) (inputs.shard), part of the traffic; "
                + "merge every shard first (costreplay merge)"
        case let .otherTraffic(source, field, value, baselinePath, expected, window, baselineWindow):
            return "\(source) replayed other traffic than the baseline \(baselinePath): \(field) is \(MoneyFormat.count(value)), "
                + "the baseline's result.\(field) is \(MoneyFormat.count(expected)) (window \(Self.window(window)) against \(Self.window(baselineWindow))); "
                + "check compares the same requests replayed both ways: replay the candidate over the baseline's store, or compare a new window with --trace"
        }
    }

    static func list(_ labels: [String]) -> String {
        labels.prefix(10).joined(separator: ", ") + (labels.count > 10 ? ", … \(labels.count - 10) more" : "")
    }

    static func window(_ window: CostReport.Window) -> String {
        window.from == nil && window.to == nil ? "all" : "\(window.from ?? "start")–\(window.to ?? "end")"
    }
}
