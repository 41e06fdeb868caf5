/// What a lever counts or measures, reported in a scenario's `metrics` under its name: the case name in snake case
/// (`noKey` is `no_key`, `latencyP95Ms` is `latency_p95_ms`). Levers count with these cases, and readers of result
/// documents look figures up with them, so a misspelt name is a compile error rather than a figure that is never found.
public enum Metric: Int, CaseIterable, Sendable {
    // Caches.
    case lookups, hits, misses, noKey, hitsWithResponse, likelyFalseHits, latencySavedMs, evictions, expirations
    case calls, costSavedUsd, similaritySum, noEmbedding
    case recallSampled, recallExactHits, recallFoundHits
    case embeddingTokens, embeddingCostUsd, embeddingUnpricedLookups
    case noPrefixStructure, cacheReadTokens, cacheWriteTokens, inputTokens
    // Levers that change or move requests.
    case requests, routed, priorRequests, expectedCorrect
    case escalated, outcomes, correct, noScore, noOutcome
    case truncated, droppedMessages, droppedChunks, inputTokensRemoved, inputTokensAdded, summariserCalls, summariserCostUsd
    case changed
    case eligible, deferred, noBatchRate, expectedSlaMisses, expectedDelayHours, missProbability
    // Local serving.
    case local, spilled, servers, gpus, utilisation, busyShare, spanHours, fixedCostUsd, energyCostUsd, energyKwh
    case monthlyFixedUsd, apiCostAvoidedUsd, tokensServed, localUsdPerMtok, breakEvenTokensPerMonth, monthsToBreakEven
    case latencyP50Ms, latencyP95Ms, latencyP99Ms, ttftP50Ms, ttftP95Ms, ttftP99Ms, binnedLatencies
    case autoServers

    /// Its name in result documents.
    public var name: String { Self.names[rawValue] }

    /// The metric a document name stands for, if any.
    public init?(name: String) {
        guard let index = Self.names.firstIndex(of: name) else { return nil }
        self.init(rawValue: index)
    }

    /// Document names by raw value: each case's name with every capital turned into `_` and its lower case.
    static let names: [String] = allCases.map { metric in
        String(String(describing: metric).flatMap { $0.isUppercase ? ["_"] + $0.lowercased() : [$0] })
    }
}

/// A lever's figures, kept in a flat array by ``Metric``: one is reported once something was added to it (even 0), as
/// the document has always shown only what a lever counted. `named` holds figures whose names come from the data or the
/// parameters (requests per routing tier, net saving per server count tried by `servers: auto`).
public struct MetricCounts: Sendable {
    private var values = [Double](repeating: 0, count: Metric.allCases.count)
    private var present = [Bool](repeating: false, count: Metric.allCases.count)
    var named: [String: Double] = [:]

    public init() {}

    public mutating func add(_ metric: Metric, _ amount: Double = 1) {
        values[metric.rawValue] += amount
        present[metric.rawValue] = true
    }

    /// Counts under a name made from the data (`tier:small`), for figures one per tier or per candidate.
    mutating func add(named name: String, _ amount: Double = 1) { named[name, default: 0] += amount }

    /// The figure, nil when nothing was counted; setting nil removes it.
    public subscript(_ metric: Metric) -> Double? {
        get { present[metric.rawValue] ? values[metric.rawValue] : nil }
        set {
            values[metric.rawValue] = newValue ?? 0
            present[metric.rawValue] = newValue != nil
        }
    }

    /// The figures by their document names.
    public var document: [String: Double] {
        var document = named
        for metric in Metric.allCases where present[metric.rawValue] { document[metric.name] = values[metric.rawValue] }
        return document
    }
}

extension Dictionary where Key == String, Value == Double {
    /// A metric of a lever's figures in a result document.
    public subscript(_ metric: Metric) -> Double? { self[metric.name] }
}
