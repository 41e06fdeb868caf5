/// CostReplay's built-in offline text embedder: signed feature hashing of words, word bigrams and
/// character trigrams into 384 dimensions, L2-normalised, so cosine similarity is a dot product.
///
/// It needs no model and no network and is deterministic. It measures lexical overlap: good at
/// near duplicates that share most words (reworded, reordered, re-cased, with typos), weak at
/// paraphrases that share meaning but few words. Traces that carry real embeddings (a model such as
/// all-MiniLM-L6-v2) should use those; `validate qqp --embedder builtin` reports how much is lost.
public struct HashingEmbedder: Sendable {
    public let dimension: Int

    public init(dimension: Int = 384) { self.dimension = dimension }

    public func embed(_ text: String) -> [Float] {
        var vector = [Float](repeating: 0, count: dimension)
        let words = Self.words(text)
        func add(_ feature: String, _ weight: Float) {
            let h = StableHash.hash(feature, seed: 0x5eed)
            let slot = Int(h % UInt64(dimension))
            vector[slot] += (h >> 63) == 0 ? weight : -weight
        }
        for (index, word) in words.enumerated() {
            add("w:" + word, 1)
            if index > 0 { add("b:" + words[index - 1] + " " + word, 0.7) }
            let padded = Array("<" + word + ">")
            if padded.count > 3 {
                for start in 0...(padded.count - 3) { add("c:" + String(padded[start..<start + 3]), 0.35) }
            }
        }
        return Self.normalised(vector)
    }

    /// Lowercased runs of letters and digits; bytes above ASCII count as letters (fast, no Unicode tables).
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            let isWordByte = (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte >= 128
            if byte >= 65 && byte <= 90 {
                current.append(byte + 32)
            } else if isWordByte {
                current.append(byte)
            } else if !current.isEmpty {
                words.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words
    }

    static func normalised(_ vector: [Float]) -> [Float] {
        var norm: Float = 0
        for value in vector { norm += value * value }
        guard norm > 0 else { return vector }
        let scale = 1 / norm.squareRoot()
        return vector.map { $0 * scale }
    }
}
