/// Semantic response cache: a request whose prompt embedding is within `threshold` cosine
/// similarity of a cached prompt (same model and scope) is served with that cached response.
///
/// Embeddings come from a stored set made by `costreplay embed` when `embedding` names one (its model's
/// cost per lookup, priced from the catalog, is a cost of the lever), else from the trace when it has
/// them, otherwise from the built-in ``HashingEmbedder`` over the prompt text. Search is exact (recall 1) unless `search: approximate` (``InvertedLists``), whose recall of hits is measured on a seeded sample of lookups. A hit whose
/// cached response differs from the response recorded for this request counts as a likely false
/// hit (docs/scenarios.md defines the measure); exact text repeats are counted apart.
public struct SemanticCache: ReplayStrategy {
    public static let name = "semantic_cache"
    /// A lookup scans a partition of cached vectors: far dearer than the other levers.
    public static let relativeCost = 8
    public static let summary = "serve similar prompts from an embedding-similarity cache"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("threshold", .number(min: 0, max: 1, integer: false), default: .number(0.9), "minimum cosine similarity for a hit"),
        CacheParameters.ttl, CacheParameters.capacity, CacheParameters.eviction, CacheParameters.scope,
        ParameterSpec("embeddings", .choice(EmbeddingSource.names), default: .text(EmbeddingSource.auto.rawValue),
                      "trace embeddings when present (auto), only trace, or always the built-in embedder"),
        ParameterSpec("embedding", .text, default: .text(""),
                      "a stored embedding set (`costreplay embed --model NAME`) whose vectors this cache uses; empty: see embeddings"),
        CacheParameters.lookupCost, CacheParameters.hitLatency,
        ParameterSpec("search", .choice(Search.names), default: .text(Search.exact.rawValue),
                      "exact flat search (recall 1), or an inverted-file index for caches of millions of entries"),
        ParameterSpec("lists", .number(min: 0, max: 65_536, integer: true), default: .number(0),
                      "approximate: lists of the inverted file at its training; 0 chooses √n; long lists split as the cache grows"),
        ParameterSpec("probes", .number(min: 1, max: 65_536, integer: true), default: .number(12),
                      "approximate: lists scanned per lookup"),
        ParameterSpec("train_at", .number(min: 1, max: 1e9, integer: true), default: .number(10_000),
                      "approximate: live entries in a scope before the index is trained (exact search until then); trained once"),
        ParameterSpec("recall_sample", .number(min: 0, max: 1, integer: false), default: .number(0.05),
                      "approximate: share of approximate lookups also answered exactly, to measure recall of hits"),
        ParameterSpec("vectors", .choice(VectorPrecision.names), default: .text(VectorPrecision.float32.rawValue),
                      "how cached vectors are held in memory: float32, or float16 (half the memory; docs/embeddings.md measures its effect on hits)"),
    ]

    /// Where a lookup's vector comes from when no stored set is named.
    enum EmbeddingSource: String, ParameterChoice {
        /// The trace's embedding when the request has one, else the built-in embedder over the prompt.
        case auto
        case trace
        case builtin
    }

    enum Search: String, ParameterChoice { case exact, approximate }

    /// What a scenario step sets.
    public struct Configuration: Sendable, Hashable {
        var threshold: Double
        var cache: CacheParameters.Settings
        var embeddings: EmbeddingSource
        /// A stored embedding set's name; nil: see `embeddings`.
        var embedding: String?
        var serving: CacheParameters.Serving
        /// The inverted file's settings in approximate mode; nil: exact search.
        var approximate: InvertedLists.Settings?
        /// Share of approximate lookups also answered exactly (0 in exact mode).
        var recallSample: Double
        /// How the index holds cached vectors.
        var vectors: VectorPrecision = .float32
    }

    public static func configure(_ p: Parameters, context: ValidationContext) throws(ParameterProblem) -> Configuration {
        let lists = try p.int("lists"), probes = try p.int("probes")
        if lists > 0, probes > lists { throw ParameterProblem("probes", "must be at most lists (\(lists))") }
        let approximate = try p.choice("search", as: Search.self) == .approximate
        let embedding = try p.text("embedding")
        return Configuration(threshold: try p.number("threshold"), cache: try CacheParameters.Settings(p),
                             embeddings: try p.choice("embeddings", as: EmbeddingSource.self), embedding: embedding.isEmpty ? nil : embedding,
                             serving: try CacheParameters.Serving(p),
                             approximate: approximate ? InvertedLists.Settings(lists: lists, probes: probes, trainAt: try p.int("train_at")) : nil,
                             recallSample: approximate ? try p.number("recall_sample") : 0,
                             vectors: try p.choice("vectors", as: VectorPrecision.self))
    }

    let threshold: Float
    let lookupCost: Money
    let hitLatency: Int64
    /// Approximate mode: a lookup whose id hashes below this (of 2⁶⁴, seeded) is also answered exactly.
    let recallCut: UInt64
    let seed: UInt64
    /// The stored set named by `embedding`, and what embedding a lookup's prompt costs per token by UTC day.
    let stored: StoredEmbeddings?
    let pricer: Pricer
    var embeddingRate: [Int64: Double?] = [:]
    var lifetimes: KeyedCache<String, Int>
    var counters = MetricCounts()
    /// The index: shared with the other points of a threshold sweep, or this cache's own.
    let hub: SemanticHub
    let member: Int

    public init(_ c: Configuration, context: StrategyContext) {
        threshold = Float(c.threshold)
        lookupCost = c.serving.lookupCost
        hitLatency = c.serving.hitLatency
        recallCut = c.approximate == nil ? 0 : Self.cut(c.recallSample)
        seed = context.seed
        lifetimes = c.cache.cache()
        lifetimes.tracksRemovals = true
        stored = c.embedding.flatMap { context.embeddings[$0] }
        pricer = context.pricer
        if let shared = context.semanticHub {
            (hub, member) = shared
        } else {
            hub = Self.makeHub(members: 1, configuration: c, context: context, pruneBelow: threshold)
            member = 0
        }
    }

    /// Semantic caches at the root that differ only in threshold share one index (at most 64 per index).
    public static func share(_ contexts: inout [StrategyContext], roots: [Configuration], options: ReplayOptions) {
        var bySignature: [Configuration: [Int]] = [:]
        for (index, root) in roots.enumerated() {
            var signature = root
            signature.threshold = 0
            bySignature[signature, default: []].append(index)
        }
        for members in bySignature.values.sorted(by: { $0[0] < $1[0] }) where members.count > 1 {
            for chunk in stride(from: 0, to: members.count, by: 64).map({ Array(members[$0..<min($0 + 64, members.count)]) }) {
                let lowest = chunk.map { Float(roots[$0].threshold) }.min()!
                let hub = makeHub(members: chunk.count, configuration: roots[chunk[0]], context: contexts[chunk[0]], pruneBelow: lowest)
                for (member, index) in chunk.enumerated() { contexts[index].semanticHub = (hub, member) }
            }
        }
    }

    /// A hub whose partition key and query follow this configuration (scope, embeddings, embedding).
    static func makeHub(members: Int, configuration c: Configuration, context: StrategyContext, pruneBelow: Float) -> SemanticHub {
        let scope = c.cache.scope, embeddings = c.embeddings
        let embedder = HashingEmbedder()
        let stored = c.embedding.flatMap { context.embeddings[$0] }
        return SemanticHub(members: members, pruneBelow: pruneBelow, approximate: c.approximate, precision: c.vectors, partitionKey: { request in
            guard request.kind == .llm else { return nil }
            return scope.key(request) + "|" + (request.model ?? "")
        }, queryVector: { request in
            guard request.kind == .llm else { return nil }
            if let stored { return stored.embedding(of: request.id)?.vector }
            return vector(request, embeddings: embeddings, embedder: embedder)
        })
    }

    /// Validation: a named set must be loaded (``Simulation`` loads every set a scenario names).
    public static func storedSetNames(_ plans: [ScenarioPlan]) -> Set<String> {
        Set(plans.flatMap(\.steps).compactMap { ($0.configured as? Configured<SemanticCache>)?.configuration.embedding })
    }

    /// Embedding the lookup's prompt with the stored set's model, priced at the catalog's input rate that day.
    mutating func chargeEmbedding(_ request: inout ReplayRequest) {
        guard let stored, let tokens = stored.embedding(of: request.id)?.tokens else { return }
        let day = request.startMicros / 86_400_000_000
        if embeddingRate[day] == nil {
            let million = pricer.price(PricingInput(model: stored.info.model, provider: nil, startMicros: request.startMicros,
                                                    usage: TokenUsage(input: 1_000_000, output: 0)))
            embeddingRate[day] = .some(million.cost.map { $0.dollars / 1_000_000 })
        }
        guard let rate = embeddingRate[day]!, rate > 0 else {
            counters.add(.embeddingUnpricedLookups)
            return
        }
        let cost = Money(dollars: rate * tokens)
        request.extraCost += cost
        counters.add(.embeddingTokens, tokens)
        counters.add(.embeddingCostUsd, cost.dollars)
    }

    static func vector(_ request: ReplayRequest, embeddings: EmbeddingSource, embedder: HashingEmbedder) -> [Float]? {
        if embeddings != .builtin, !request.embedding.isEmpty { return HashingEmbedder.normalised(request.embedding) }
        if embeddings != .trace, let text = request.promptText, !text.isEmpty { return request.recorded.embedding(of: text, by: embedder) }
        return nil
    }

    public mutating func prepare(_ batch: [ReplayRequest]) {
        if member == 0 { hub.prepare(batch) }
    }

    public static func exactWhenSharded(by key: ShardKey, configuration: Configuration) -> Bool {
        configuration.cache.exactWhenSharded(by: key)
    }

    public var metrics: MetricCounts {
        var metrics = counters
        metrics[.evictions] = Double(lifetimes.evictions)
        metrics[.expirations] = Double(lifetimes.expirations)
        return metrics
    }

    public mutating func apply(_ request: inout ReplayRequest, ledger: inout Ledger) {
        guard request.served == nil, request.kind == .llm else { return }
        guard let (partitionKey, query) = hub.resolve(request) else {
            counters.add(.noEmbedding)
            ledger.note(Self.name, "pass", "no embedding and no prompt text")
            return
        }
        counters.add(.lookups)
        request.extraCost += lookupCost
        chargeEmbedding(&request)
        let now = request.startMicros
        dropRemoved()
        // An expired entry must not shadow a live one: drop it and search again.
        var best = hub.nearest(member: member, request: request, partition: partitionKey, query: query, now: now)
        if recallCut > 0, hub.isApproximate(partitionKey), Self.sampled(request.id, seed: seed, below: recallCut) {
            checkRecall(best, partition: partitionKey, query: query, now: now)
        }
        while let candidate = best, candidate.score >= threshold,
              lifetimes.peek(partitionKey + "#" + String(candidate.slot), at: now) == nil {
            _ = lifetimes.lookup(partitionKey + "#" + String(candidate.slot), at: now)
            dropRemoved()
            hub.remove(member: member, partition: partitionKey, slot: candidate.slot)
            best = hub.nearest(member: member, request: request, partition: partitionKey, query: query, now: now)
        }
        if let best, best.score >= threshold, lifetimes.lookup(partitionKey + "#" + String(best.slot), at: now) != nil {
            counters.add(.hits)
            counters.add(.similaritySum, Double(best.score))
            if let recorded = request.responseHash, let cached = hub.response(partitionKey, slot: best.slot) {
                counters.add(.hitsWithResponse)
                if recorded != cached { counters.add(.likelyFalseHits) }
            }
            let saved = request.latencyMicros.map { max(0, $0 - hitLatency) } ?? 0
            counters.add(.latencySavedMs, Double(saved) / 1000)
            request.served = .init(strategy: Self.name, cost: .zero, latencyMicros: hitLatency)
            ledger.note(Self.name, "hit", "similarity \(best.score) ≥ \(threshold)")
            return
        }
        counters.add(.misses)
        // The look-ahead pass skips entries below the threshold, so the ledger asks for the exact nearest.
        let shown = ledger.isRecording ? hub.exactNearest(member: member, partition: partitionKey, query: query, now: now) : nil
        store(request, partition: partitionKey, query: query)
        ledger.note(Self.name, "miss", shown.map { "best similarity \($0.score) < \(threshold); stored" } ?? "nothing cached yet; stored")
    }

    /// Caches the request's response under its vector.
    mutating func store(_ request: ReplayRequest, partition: String, query: [Float]) {
        let now = request.startMicros
        let slot = hub.insert(member: member, request: request, partition: partition, query: query, available: request.endMicros ?? now)
        lifetimes.insert(partition + "#" + String(slot), slot, at: now, written: request.endMicros ?? now)
    }

    /// Caches the request with no lookup, as a miss would: how a benchmark pre-fills a large cache (``SemanticBenchmark``).
    mutating func prefill(_ request: ReplayRequest) {
        guard request.kind == .llm, let (partition, query) = hub.resolve(request) else { return }
        store(request, partition: partition, query: query)
    }

    /// Answers a sampled approximate lookup exactly too, on the same index state (before expired entries found by
    /// the lookup are dropped): recall of hits is the share of exact hits the approximate search also finds.
    ///
    /// The approximate search scores a subset of the entries exact search scores, so an approximate hit is an exact
    /// hit with no scan; only an approximate miss needs one, and that scan stops at the first entry at the threshold.
    mutating func checkRecall(_ approximate: (slot: Int, score: Float)?, partition: String, query: [Float], now: Int64) {
        counters.add(.recallSampled)
        if let approximate, approximate.score >= threshold {
            counters.add(.recallExactHits)
            counters.add(.recallFoundHits)
            return
        }
        guard hub.exactHasHit(member: member, partition: partition, query: query, now: now, threshold: threshold) else { return }
        counters.add(.recallExactHits)
    }

    static func cut(_ share: Double) -> UInt64 { share >= 1 ? .max : UInt64(share * 0x1p64) }

    /// A seeded hash of the request id (FNV-1a, then a 64-bit mix), the same on every run and for any worker count.
    static func sampled(_ id: String, seed: UInt64, below cut: UInt64) -> Bool {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash ^= hash >> 33; hash &*= 0xff51_afd7_ed55_8ccd; hash ^= hash >> 33
        return hash < cut
    }

    /// Frees the entries the lifetime cache evicted or expired.
    mutating func dropRemoved() {
        guard !lifetimes.removed.isEmpty else { return }
        for key in lifetimes.removed {
            guard let hash = key.lastIndex(of: "#"), let slot = Int(key[key.index(after: hash)...]) else { continue }
            hub.remove(member: member, partition: String(key[..<hash]), slot: slot)
        }
        lifetimes.removed.removeAll()
    }
}
