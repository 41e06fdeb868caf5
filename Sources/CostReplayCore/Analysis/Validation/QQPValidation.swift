import Foundation

/// The semantic-cache check on GPTCache's QQP pairs: the cache holds each pair's text_a, each
/// text_b queries it.
///
/// Per threshold t: a query *hits* when its nearest cached question has similarity ≥ t. A hit is
/// *correct* when that nearest question is the query's own pair and the pair is labelled a
/// duplicate. Hit rate = hits / queries; precision = correct hits / hits; recall = correct hits /
/// duplicate pairs.
public enum QQPValidation {
    public struct DataSet {
        public var labels: [Bool]
        /// Row 2i is text_a of pair i, row 2i+1 is text_b.
        public var vectors: [[Float]]
    }

    public struct Row: Codable, Sendable, Equatable {
        public var threshold: Double
        public var queries: Int
        public var hits: Int
        public var correctHits: Int
        public var duplicates: Int
        public var hitRate: Double { Double(hits) / Double(max(queries, 1)) }
        public var precision: Double { hits == 0 ? 1 : Double(correctHits) / Double(hits) }
        public var recall: Double { Double(correctHits) / Double(max(duplicates, 1)) }
    }

    /// Labels, and texts in row order (text_a then text_b of each pair).
    static func readPairs(folder: String) throws -> (labels: [Bool], texts: [String]) {
        let jsonPath = folder + "/similiar_qqp_full.first2000.json"
        let bytes = try LineReader(path: jsonPath).readAll()
        let parser = JSONParser()
        defer { withExtendedLifetime(parser) {} }
        let root = try parser.parse(bytes)
        var labels: [Bool] = []
        var texts: [String] = []
        for pair in root.elements {
            labels.append((pair["label"]?.int64 ?? 0) == 1)
            texts.append(pair["text_a"]?.string ?? "")
            texts.append(pair["text_b"]?.string ?? "")
        }
        return (labels, texts)
    }

    public static func load(folder: String, builtin: Bool) throws -> DataSet {
        let (labels, texts) = try readPairs(folder: folder)
        if builtin {
            let embedder = HashingEmbedder()
            return DataSet(labels: labels, vectors: texts.map(embedder.embed))
        }
        let raw = try LineReader(path: folder + "/first2000.minilm-l6-v2.f32le").readAll()
        let dimension = 384
        guard raw.count == texts.count * dimension * 4 else {
            throw SimulationError.unreadableResult(path: folder, reason: "embedding file has \(raw.count) bytes, expected \(texts.count * dimension * 4)")
        }
        let floats: [Float] = raw.withUnsafeBytes { buffer in
            (0..<texts.count * dimension).map { Float(bitPattern: UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
        return DataSet(labels: labels, vectors: (0..<texts.count).map { Array(floats[$0 * dimension..<($0 + 1) * dimension]) })
    }

    /// One nearest-neighbour search per query, then every threshold from the same answers.
    public static func evaluate(_ data: DataSet, thresholds: [Double]) -> [Row] {
        var index = VectorIndex(dimension: data.vectors[0].count)
        for pair in data.labels.indices { index.add(data.vectors[2 * pair]) }
        let nearest = data.labels.indices.map { index.nearest(data.vectors[2 * $0 + 1])! }
        let duplicates = data.labels.filter { $0 }.count
        return thresholds.map { threshold in
            var hits = 0, correct = 0
            for (pair, best) in nearest.enumerated() where Double(best.score) >= threshold {
                hits += 1
                if best.slot == pair && data.labels[pair] { correct += 1 }
            }
            return Row(threshold: threshold, queries: data.labels.count, hits: hits, correctHits: correct, duplicates: duplicates)
        }
    }

    public static func table(_ rows: [Row], embedder: String) -> String {
        "QQP pairs (GPTCache, first 2,000): cache = text_a, queries = text_b, embeddings: \(embedder)\n"
            + TextTable.render(header: ["threshold", "hits", "hit rate", "precision", "recall"], rows: rows.map { row in
                [MoneyFormat.fixed(row.threshold, decimals: 2), MoneyFormat.count(row.hits), percent(row.hitRate),
                 percent(row.precision), percent(row.recall)]
            })
    }

    public static func json(_ rows: [Row]) -> String {
        "[" + rows.map { row in
            var o = JSONText.Object()
            o.add("threshold", row.threshold)
            o.add("queries", row.queries)
            o.add("hits", row.hits)
            o.add("correct_hits", row.correctHits)
            o.add("duplicates", row.duplicates)
            o.add("hit_rate", row.hitRate)
            o.add("precision", row.precision)
            o.add("recall", row.recall)
            return o.text
        }.joined(separator: ",\n") + "]\n"
    }

    static func percent(_ value: Double) -> String { MoneyFormat.fixed(value * 100, decimals: 1) + "%" }
}
