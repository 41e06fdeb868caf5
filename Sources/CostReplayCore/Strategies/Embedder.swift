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
        let dimension = UInt64(self.dimension)
        vector.withUnsafeMutableBufferPointer { vector in
            func add(_ h: UInt64, _ weight: Float) {
                let h = StableHash.finalise(h)
                vector[Int(h % dimension)] += (h >> 63) == 0 ? weight : -weight
            }
            // The lowercased words, back to back in `bytes`; `ends[i]` is where word i stops.
            var bytes: [UInt8] = [], ends: [Int] = []
            bytes.reserveCapacity(text.utf8.count)
            var ascii = true, wordIsASCII: [Bool] = []
            for byte in text.utf8 {
                if byte >= 65 && byte <= 90 {
                    bytes.append(byte + 32)
                } else if (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte >= 128 {
                    bytes.append(byte)
                    if byte >= 128 { ascii = false }
                } else if bytes.count > (ends.last ?? 0) {
                    ends.append(bytes.count)
                    wordIsASCII.append(ascii)
                    ascii = true
                }
            }
            if bytes.count > (ends.last ?? 0) {
                ends.append(bytes.count)
                wordIsASCII.append(ascii)
            }
            bytes.withUnsafeBufferPointer { bytes in
                // FNV-1a as in ``StableHash``, fed the feature's UTF-8 bytes without building the feature's string.
                let start = 0xcbf2_9ce4_8422_2325 ^ UInt64(0x5eed)
                func feed(_ h: inout UInt64, _ byte: UInt8) { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
                func feed(_ h: inout UInt64, _ range: Range<Int>) { for i in range { feed(&h, bytes[i]) } }
                var previous = 0..<0
                for (index, end) in ends.enumerated() {
                    let word = (index == 0 ? 0 : ends[index - 1])..<end
                    var h = start
                    feed(&h, UInt8(ascii: "w")); feed(&h, UInt8(ascii: ":")); feed(&h, word)
                    add(h, 1)
                    if index > 0 {
                        h = start
                        feed(&h, UInt8(ascii: "b")); feed(&h, UInt8(ascii: ":")); feed(&h, previous)
                        feed(&h, UInt8(ascii: " ")); feed(&h, word)
                        add(h, 0.7)
                    }
                    previous = word
                    if wordIsASCII[index] {
                        // An ASCII word's characters are its bytes: trigrams of "<word>" (a word of one letter has none).
                        guard word.count >= 2 else { continue }
                        func at(_ i: Int) -> UInt8 {
                            i == word.lowerBound - 1 ? UInt8(ascii: "<") : i == word.upperBound ? UInt8(ascii: ">") : bytes[i]
                        }
                        for first in (word.lowerBound - 1)...(word.upperBound - 2) {
                            h = start
                            feed(&h, UInt8(ascii: "c")); feed(&h, UInt8(ascii: ":"))
                            feed(&h, at(first)); feed(&h, at(first + 1)); feed(&h, at(first + 2))
                            add(h, 0.35)
                        }
                    } else {
                        // Otherwise trigrams of characters (grapheme clusters, which "<" may join).
                        let padded = Array("<" + String(decoding: UnsafeBufferPointer(rebasing: bytes[word]), as: UTF8.self) + ">")
                        if padded.count > 3 {
                            for first in 0...(padded.count - 3) {
                                add(StableHash.unfinalised("c:" + String(padded[first..<first + 3]), seed: 0x5eed), 0.35)
                            }
                        }
                    }
                }
            }
        }
        return Self.normalised(vector)
    }

    /// The embedding as first written, one string per feature: the reference ``embed(_:)`` is tested against.
    func embedByStrings(_ text: String) -> [Float] {
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
