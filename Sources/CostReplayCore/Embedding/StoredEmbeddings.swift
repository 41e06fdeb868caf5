/// One named set of request embeddings loaded for a replay: request id → unit vector, plus the tokens the
/// embedding model counted for that request's text (for the lever's embedding cost).
///
/// Identical texts share one vector. Vectors are normalised on load, so a semantic cache compares them by dot
/// product whatever the endpoint returned.
public final class StoredEmbeddings: Sendable {
    public let info: TraceStore.EmbeddingSetInfo
    public let dimension: Int
    let slots: [String: Int32]
    let vectors: [Float]
    let tokens: [Double]

    public init(store: TraceStore, name: String) throws {
        let sets = try store.embeddingSets()
        guard let info = sets.first(where: { $0.name == name }) else {
            throw EmbeddingError.missingSet(name: name, available: sets.map(\.name))
        }
        self.info = info
        var slots: [String: Int32] = [:], vectors: [Float] = [], tokens: [Double] = []
        var dimension = info.dimension ?? 0
        var byText: [String: Int32] = [:]
        try store.forEachEmbedding(set: info) { id, textHash, read, count in
            if let slot = byText[textHash] {
                slots[id] = slot
                return
            }
            let vector = read()
            if dimension == 0 { dimension = vector.count }
            guard vector.count == dimension else { return }
            let slot = Int32(tokens.count)
            byText[textHash] = slot
            slots[id] = slot
            vectors.append(contentsOf: HashingEmbedder.normalised(vector))
            tokens.append(count)
        }
        self.slots = slots
        self.vectors = vectors
        self.tokens = tokens
        self.dimension = dimension
    }

    public var count: Int { slots.count }

    /// The request's vector and embedding tokens, or nil when the set has none for it.
    public func embedding(of requestID: String) -> (vector: [Float], tokens: Double)? {
        guard let slot = slots[requestID].map(Int.init) else { return nil }
        return (Array(vectors[slot * dimension..<(slot + 1) * dimension]), tokens[slot])
    }
}
