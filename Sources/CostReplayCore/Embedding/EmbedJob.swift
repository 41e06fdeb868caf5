import Foundation

/// Embeds the stored prompts of a store through an endpoint: the library side of `costreplay embed`.
///
/// Identical texts are embedded once (vectors are keyed by model and text hash, across runs and sets), batches
/// run `concurrency` at a time, and each batch's vectors are committed as it arrives, so a run that is killed
/// loses at most the batches in flight and a re-run embeds only what is missing.
public struct EmbedJob {
    public var name: String
    public var model: String
    public var dimensions: Int?
    public var textMode: EmbeddingTextMode
    public var batchSize = 64
    public var concurrency = 4
    public var precision = VectorPrecision.float16
    /// Called after each committed batch with (texts embedded so far, texts to embed).
    public var progress: (Int, Int) -> Void = { _, _ in }

    public init(name: String? = nil, model: String, dimensions: Int?, textMode: EmbeddingTextMode) {
        self.model = model
        self.dimensions = dimensions
        self.textMode = textMode
        self.name = name ?? (model + (dimensions.map { "@\($0)" } ?? ""))
    }

    /// What a run did.
    public struct Summary: Sendable, Equatable {
        public var requests = 0
        public var requestsWithText = 0
        public var uniqueTexts = 0
        public var alreadyStored = 0
        public var embedded = 0
        public var batches = 0
        public var tokens = 0.0
        public var dimension: Int?
    }

    var modelKey: String {
        model + (dimensions.map { "@\($0)" } ?? "") + (precision == .float32 ? "#float32" : "")
    }

    /// The cache key of a text: two 64-bit stable hashes, so 10⁸ distinct texts collide with odds below 10⁻²⁰.
    static func textHash(_ text: String) -> String {
        StableHash.hex(StableHash.hash(text, seed: 0x656d62)) + StableHash.hex(StableHash.hash(text, seed: 0x7465787))
    }

    public func run(store: TraceStore, endpoint: any EmbeddingEndpoint) throws -> Summary {
        guard batchSize >= 1, batchSize <= 2048 else { throw EmbeddingError.usage("--batch must be between 1 and 2048") }
        guard concurrency >= 1, concurrency <= 64 else { throw EmbeddingError.usage("--concurrency must be between 1 and 64") }
        if let dimensions, dimensions < 1 { throw EmbeddingError.usage("--dimensions must be 1 or more") }
        var summary = Summary()
        var mapping: [(requestID: String, textHash: String)] = []
        var pending: [(hash: String, text: String)] = []
        var seen: Set<String> = []
        let cached = try store.cachedTextHashes(modelKey: modelKey)
        try store.forEachRecord { record, _ in
            guard record.kind == .llm else { return }
            summary.requests += 1
            guard let text = textMode.text(of: record) else { return }
            summary.requestsWithText += 1
            let hash = Self.textHash(text)
            mapping.append((record.id, hash))
            guard seen.insert(hash).inserted else { return }
            if cached.contains(hash) { summary.alreadyStored += 1 } else { pending.append((hash, text)) }
        }
        summary.uniqueTexts = seen.count
        guard summary.requestsWithText > 0 else {
            throw EmbeddingError.usage("none of the \(summary.requests) stored model calls has prompt text to embed (ingest a trace that records prompts)")
        }
        let stored = try store.storedDimension(modelKey: modelKey)
        if let stored, let dimensions, stored != dimensions {
            throw EmbeddingError.dimensionMismatch("the store holds \(stored)-dimensional vectors for \(modelKey), --dimensions is \(dimensions)")
        }
        summary.dimension = stored ?? dimensions
        try store.saveEmbeddingSet(.init(name: name, model: model, modelKey: modelKey, endpoint: endpoint.name, dimension: summary.dimension,
                                         textMode: textMode.description, precision: precision), mapping: mapping)
        let batches = stride(from: 0, to: pending.count, by: batchSize).map { Array(pending[$0..<min(pending.count, $0 + batchSize)]) }
        progress(0, pending.count)
        let outcome = UncheckedBox(OutcomeBox(summary))
        let work = UncheckedBox((store, endpoint, batches, self))
        let done = DispatchSemaphore(value: 0)
        Task {
            defer { done.signal() }
            do { try await work.value.3.embed(work.value.2, store: work.value.0, endpoint: work.value.1, into: outcome.value, total: pending.count) } catch {
                outcome.value.error = error
            }
        }
        done.wait()
        if let error = outcome.value.error { throw error }
        return outcome.value.summary
    }

    /// Runs the batches `concurrency` at a time; commits each as it completes (on this task, one at a time).
    private func embed(_ batches: [[(hash: String, text: String)]], store: TraceStore, endpoint: any EmbeddingEndpoint,
                       into outcome: OutcomeBox, total: Int) async throws {
        try await withThrowingTaskGroup(of: (Int, EmbeddingBatch).self) { group in
            var next = 0
            func start() {
                guard next < batches.count else { return }
                let index = next, texts = batches[index].map(\.text)
                group.addTask { (index, try await endpoint.embed(texts)) }
                next += 1
            }
            for _ in 0..<concurrency { start() }
            while let (index, answer) = try await group.next() {
                try commit(batches[index], answer, store: store, endpoint: endpoint.name, into: outcome)
                progress(outcome.summary.embedded, total)
                start()
            }
        }
    }

    private func commit(_ batch: [(hash: String, text: String)], _ answer: EmbeddingBatch, store: TraceStore, endpoint: String,
                        into outcome: OutcomeBox) throws {
        let expected = outcome.summary.dimension ?? answer.vectors[0].count
        if let wrong = answer.vectors.firstIndex(where: { $0.count != expected }) {
            let source = dimensions != nil ? "--dimensions" : outcome.summary.dimension != nil ? "the vectors already stored for \(modelKey)" : "the first vector of the batch"
            throw EmbeddingError.dimensionMismatch("\(endpoint) returned a \(answer.vectors[wrong].count)-dimensional vector where \(source) has \(expected)")
        }
        if outcome.summary.dimension == nil {
            outcome.summary.dimension = expected
            try store.setEmbeddingDimension(name: name, dimension: expected)
        }
        // Endpoints report tokens per batch; each text gets a share in proportion to its UTF-8 length.
        let lengths = batch.map { Double(max(1, $0.text.utf8.count)) }
        let totalLength = lengths.reduce(0, +)
        let tokens = answer.promptTokens.map(Double.init) ?? lengths.reduce(0) { $0 + ($1 / 4).rounded(.up) }
        try store.saveVectors(modelKey: modelKey, precision: precision, zip(batch, zip(lengths, answer.vectors)).map { item, pair in
            (item.hash, tokens * pair.0 / totalLength, pair.1)
        })
        outcome.summary.embedded += batch.count
        outcome.summary.batches += 1
        outcome.summary.tokens += tokens
    }
}

/// The run's summary and first error, filled in by the embedding task.
final class OutcomeBox {
    var summary: EmbedJob.Summary
    var error: (any Error)?
    init(_ summary: EmbedJob.Summary) { self.summary = summary }
}
