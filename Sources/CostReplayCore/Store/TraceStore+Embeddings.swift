/// Writes and reads the vectors of `costreplay embed` (tables in ``Schema/embeddingStatements``).
extension TraceStore {
    /// A named set of request embeddings: which model made them, from which text, stored how.
    public struct EmbeddingSetInfo: Sendable, Equatable {
        public var name: String
        public var model: String
        /// The vector cache key: the model, its `@dimensions` when asked for, and `#float32` when stored wide.
        public var modelKey: String
        public var endpoint: String
        public var dimension: Int?
        public var textMode: String
        public var precision: VectorPrecision

        public init(name: String, model: String, modelKey: String, endpoint: String, dimension: Int?, textMode: String, precision: VectorPrecision) {
            self.name = name
            self.model = model
            self.modelKey = modelKey
            self.endpoint = endpoint
            self.dimension = dimension
            self.textMode = textMode
            self.precision = precision
        }
    }

    var hasEmbeddingTables: Bool {
        ((try? database.scalar("SELECT count(*) FROM sqlite_master WHERE name='embedding_sets'")) ?? 0) == 1
    }

    public func embeddingSets() throws(StoreError) -> [EmbeddingSetInfo] {
        guard hasEmbeddingTables else { return [] }
        let s = try database.prepare("SELECT name, model, model_key, endpoint, dimension, text_mode, precision FROM embedding_sets ORDER BY name")
        var sets: [EmbeddingSetInfo] = []
        while try s.step() {
            sets.append(EmbeddingSetInfo(name: s.string(0) ?? "", model: s.string(1) ?? "", modelKey: s.string(2) ?? "", endpoint: s.string(3) ?? "",
                                         dimension: s.optionalInt64(4).map(Int.init), textMode: s.string(5) ?? "",
                                         precision: VectorPrecision(rawValue: s.string(6) ?? "") ?? .float16))
        }
        return sets
    }

    /// Records the set and which text hash each request maps to, in one transaction (replacing an earlier mapping).
    func saveEmbeddingSet(_ info: EmbeddingSetInfo, mapping: [(requestID: String, textHash: String)]) throws(StoreError) {
        try database.execute("BEGIN")
        let set = try database.prepare("INSERT OR REPLACE INTO embedding_sets VALUES (?,?,?,?,?,?,?)")
        set.bind(1, info.name); set.bind(2, info.model); set.bind(3, info.modelKey); set.bind(4, info.endpoint)
        set.bind(5, info.dimension.map(Int64.init)); set.bind(6, info.textMode); set.bind(7, info.precision.rawValue)
        try set.step()
        let clear = try database.prepare("DELETE FROM request_embeddings WHERE name = ?")
        clear.bind(1, info.name)
        try clear.step()
        let row = try database.prepare("INSERT OR REPLACE INTO request_embeddings VALUES (?,?,?)")
        for (id, hash) in mapping {
            row.reset()
            row.bind(1, info.name); row.bind(2, id); row.bind(3, hash)
            try row.step()
        }
        try database.execute("COMMIT")
    }

    /// Updates the set's dimension once the first vectors have arrived.
    func setEmbeddingDimension(name: String, dimension: Int) throws(StoreError) {
        let s = try database.prepare("UPDATE embedding_sets SET dimension = ? WHERE name = ?")
        s.bind(1, Int64(dimension)); s.bind(2, name)
        try s.step()
    }

    /// The text hashes among `hashes` that already have a vector for `modelKey`.
    func cachedTextHashes(modelKey: String) throws(StoreError) -> Set<String> {
        let s = try database.prepare("SELECT text_hash FROM embedding_vectors WHERE model_key = ?")
        s.bind(1, modelKey)
        var found: Set<String> = []
        while try s.step() { if let hash = s.string(0) { found.insert(hash) } }
        return found
    }

    /// The dimension of vectors already stored for `modelKey`, if any.
    func storedDimension(modelKey: String) throws(StoreError) -> Int? {
        let s = try database.prepare("SELECT dimension FROM embedding_vectors WHERE model_key = ? LIMIT 1")
        s.bind(1, modelKey)
        return try s.step() ? Int(s.int64(0)) : nil
    }

    /// Commits one batch of vectors: after a kill, a re-run finds them and embeds only the rest.
    func saveVectors(modelKey: String, precision: VectorPrecision, _ rows: [(textHash: String, tokens: Double, vector: [Float])]) throws(StoreError) {
        try database.execute("BEGIN")
        let s = try database.prepare("INSERT OR REPLACE INTO embedding_vectors VALUES (?,?,?,?,?)")
        for row in rows {
            s.reset()
            s.bind(1, modelKey); s.bind(2, row.textHash); s.bind(3, Int64(row.vector.count)); s.bind(4, row.tokens)
            s.bind(5, blob: precision.encode(row.vector))
            try s.step()
        }
        try database.execute("COMMIT")
    }

    /// Every request of a set with its vector and embedding tokens; requests whose text has no vector yet are skipped.
    func forEachEmbedding(set info: EmbeddingSetInfo, _ body: (_ requestID: String, _ textHash: String, _ vector: () -> [Float], _ tokens: Double) -> Void) throws(StoreError) {
        let s = try database.prepare("""
            SELECT r.request_id, r.text_hash, v.vector, v.tokens FROM request_embeddings r
            JOIN embedding_vectors v ON v.model_key = ? AND v.text_hash = r.text_hash WHERE r.name = ?
            """)
        s.bind(1, info.modelKey); s.bind(2, info.name)
        while try s.step() { body(s.string(0) ?? "", s.string(1) ?? "", { info.precision.decode(s.blob(2)) }, s.double(3)) }
    }
}
