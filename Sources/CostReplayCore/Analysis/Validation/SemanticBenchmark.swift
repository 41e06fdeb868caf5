/// Drives the semantic cache over in-memory query vectors for `costreplay-bench semantic`.
///
/// Each vector is one request, one second after the previous, with no TTL or capacity: the cache
/// grows with every miss, as in the FAISS comparison (docs/performance.md).
public enum SemanticBenchmark {
    public struct Row: Sendable {
        public var threshold: Double
        public var hits: Int
        /// Approximate search: sampled exact hits and those the approximate search also found (0 and 0 when exact).
        public var recallExactHits: Int
        public var recallFoundHits: Int
        /// Recall of hits with its exact binomial interval, as every result document reports it.
        public var recall: RateInterval?
    }

    /// `search` adds semantic-cache parameters (`search: approximate`, `probes`, `recall_sample`, …).
    public static func run(vectors: [Float], dimension: Int, thresholds: [Double], pricer: Pricer,
                           search: [String: ParameterValue] = [:], workers: Int? = nil) throws(ParameterProblem) -> [Row] {
        let count = vectors.count / dimension
        let records: [TraceRecord] = (0..<count).map { index in record(index, vectors[index * dimension..<(index + 1) * dimension]) }
        var plans: [ScenarioPlan] = []
        for threshold in thresholds {
            plans.append(ScenarioPlan(scenario: "semantic", label: "t=\(threshold)", steps: [
                try .init(type: SemanticCache.self, parameters: parameters(threshold: threshold, search: search), context: ValidationContext(catalog: nil)),
            ]))
        }
        var options = ReplayOptions()
        options.workers = workers
        let engine = ReplayEngine(plans: plans, pricer: pricer, options: options)
        let result = engine.run(records: records, inputs: .init(
            database: "memory", window: .init(), seed: 0, shard: nil, scenarioFile: "benchmark", scenarioDigest: "", priceSources: []))
        return zip(thresholds, result.scenarios).map { threshold, scenario in
            let counters = scenario.metrics.values.first ?? [:]
            return Row(threshold: threshold, hits: scenario.totals.servedRequests, recallExactHits: Int(counters[.recallExactHits] ?? 0),
                       recallFoundHits: Int(counters[.recallFoundHits] ?? 0),
                       recall: scenario.rates?.values.first?["recall_of_hits"])
        }
    }

    /// Request `q<index>` with the vector, one second after request `q<index - 1>`.
    static func record(_ index: Int, _ vector: ArraySlice<Float>) -> TraceRecord {
        var r = TraceRecord(id: "q\(index)")
        r.startMicros = origin + Int64(index) * 1_000_000
        r.endMicros = r.startMicros
        r.model = "gpt-4o-mini"
        r.provider = "openai"
        r.usage = TokenUsage(input: 500, output: 100)
        r.embedding = Array(vector)
        return r
    }

    static let origin = Timestamp.parseISO("2026-01-01")!

    /// The semantic cache's defaults with `search`, at `threshold`, growing without limit and costing nothing.
    static func parameters(threshold: Double, search: [String: ParameterValue]) -> Parameters {
        let defaults = Dictionary(uniqueKeysWithValues: SemanticCache.parameters.compactMap { spec in spec.defaultValue.map { (spec.name, $0) } })
        return Parameters(defaults.merging(search) { $1 }.merging([
            "threshold": .number(threshold), "ttl": .number(0), "capacity": .number(0), "eviction": .text("lru"),
            "scope": .text("global"), "embeddings": .text("trace"), "lookup_cost": .number(0), "hit_latency_ms": .number(0),
        ]) { $1 })
    }
}
