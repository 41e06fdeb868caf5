/// The QQP check driven from text: the pairs as a trace to ingest and embed, and their vectors read back from the store.
extension QQPValidation {
    /// Request ids of the QQP texts: `qqp-I-a` (cached) and `qqp-I-b` (query) for pair I.
    static func requestID(pair: Int, query: Bool) -> String { "qqp-\(pair)-" + (query ? "b" : "a") }

    /// The 4,000 texts as canonical JSONL, one request each (ids above, prompt = the question), for `ingest` then `embed`.
    public static func trace(folder: String) throws -> String {
        let (_, texts) = try readPairs(folder: folder)
        let origin = Timestamp.parseISO("2026-01-01")!
        return texts.enumerated().map { index, text in
            var r = TraceRecord(id: requestID(pair: index / 2, query: index % 2 == 1))
            r.model = "gpt-4o-mini"
            r.provider = "openai"
            r.startMicros = origin + Int64(index) * 1_000_000
            r.usage = TokenUsage(input: 20, output: 20)
            r.promptText = text
            return CanonicalEncoder.line(r) + "\n"
        }.joined()
    }

    /// The pairs' labels with vectors from a stored embedding set (`costreplay embed` over ``trace(folder:)``).
    public static func load(folder: String, store: TraceStore, set name: String) throws -> DataSet {
        let (labels, _) = try readPairs(folder: folder)
        let stored = try StoredEmbeddings(store: store, name: name)
        var vectors: [[Float]] = []
        for pair in labels.indices {
            for query in [false, true] {
                guard let vector = stored.embedding(of: requestID(pair: pair, query: query))?.vector else {
                    throw EmbeddingError.usage("embedding set \"\(name)\" has no vector for \(requestID(pair: pair, query: query)); ingest `validate qqp --write-trace` output and run `embed --text conversation` first")
                }
                vectors.append(vector)
            }
        }
        return DataSet(labels: labels, vectors: vectors)
    }
}
