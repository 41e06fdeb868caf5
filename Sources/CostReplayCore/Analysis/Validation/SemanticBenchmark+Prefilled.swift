/// A semantic cache pre-filled with many entries, then a block of lookups: how `costreplay-bench semantic-prefilled`
/// compares exact and approximate search at sizes a growing-cache replay cannot reach in minutes (docs/performance.md).
///
/// Fill and lookups go through the real ``SemanticCache`` (its hub, look-ahead, approximate index and recall sample);
/// only the engine around it is left out. Vector i is request "q<i>", one second after vector i − 1, with no TTL or
/// capacity, so a miss in the query block joins the cache as in a replay.
public final class PrefilledSemanticCache {
    public struct Counts: Sendable, Hashable {
        public var lookups: Int
        public var hits: Int
        /// Sampled approximate lookups that exact search answers with a hit, and those the approximate search also hit.
        public var recallExactHits: Int
        public var recallFoundHits: Int
    }

    private var cache: SemanticCache
    private let dimension: Int
    private var next = 0

    /// `search` adds semantic-cache parameters (`search: approximate`, `probes`, `recall_sample`, …).
    public init(dimension: Int, threshold: Double, pricer: Pricer, search: [String: ParameterValue] = [:]) throws(ParameterProblem) {
        self.dimension = dimension
        let configuration = try SemanticCache.configure(SemanticBenchmark.parameters(threshold: threshold, search: search),
                                                        context: ValidationContext(catalog: nil))
        cache = SemanticCache(configuration, context: StrategyContext(pricer: pricer, seed: 0))
    }

    /// Stores the next `vectors.count / dimension` vectors without looking them up.
    public func fill(_ vectors: ArraySlice<Float>) {
        for request in requests(vectors) { cache.prefill(request) }
    }

    /// Looks up the next vectors in batches of the engine's size (each batch prepared first, as the engine does).
    public func lookUp(_ vectors: ArraySlice<Float>) -> Counts {
        let before = cache.metrics
        var ledger = Ledger(recording: false)
        let all = requests(vectors)
        for start in stride(from: 0, to: all.count, by: ReplayEngine.batchSize) {
            var batch = Array(all[start..<min(all.count, start + ReplayEngine.batchSize)])
            cache.prepare(batch)
            for index in batch.indices { cache.apply(&batch[index], ledger: &ledger) }
        }
        let after = cache.metrics
        func delta(_ metric: Metric) -> Int { Int((after[metric] ?? 0) - (before[metric] ?? 0)) }
        return Counts(lookups: delta(.lookups), hits: delta(.hits), recallExactHits: delta(.recallExactHits), recallFoundHits: delta(.recallFoundHits))
    }

    /// Lists in the approximate index (0 when exact or not trained yet).
    public var lists: Int { cache.hub.partitions.values.first?.lists?.listCount ?? 0 }

    private func requests(_ vectors: ArraySlice<Float>) -> [ReplayRequest] {
        let count = vectors.count / dimension
        defer { next += count }
        return (0..<count).map { offset in
            let from = vectors.startIndex + offset * dimension
            let r = SemanticBenchmark.record(next + offset, vectors[from..<from + dimension])
            return ReplayRequest(r, modelID: 0, responseID: 0)
        }
    }
}
