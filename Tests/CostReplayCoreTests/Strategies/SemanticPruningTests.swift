import CostReplayCore
import Foundation
import Testing
import TestSupport

/// The look-ahead pass prunes entries whose Cauchy–Schwarz bound is under the lowest threshold; hits must not change.
@Suite struct SemanticPruningTests {
    /// Clustered unit vectors (cluster centres plus noise), seeded: many near pairs around every threshold.
    static func vectors(count: Int, dimension: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix(seed)
        func gaussian() -> Float {
            let u = max(1e-12, Double(rng.next() >> 11) / Double(1 << 53)), v = Double(rng.next() >> 11) / Double(1 << 53)
            return Float((-2 * log(u)).squareRoot() * cos(2 * .pi * v))
        }
        let centres = (0..<count / 6).map { _ in (0..<dimension).map { _ in gaussian() } }
        var out: [Float] = []
        for _ in 0..<count {
            let centre = centres[Int(rng.next() % UInt64(centres.count))]
            var v = centre.map { $0 + gaussian() * 0.035 }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            v = v.map { $0 / norm }
            out += v
        }
        return out
    }

    /// Hits of a plain sequential replay: each vector against every earlier stored one.
    static func referenceHits(_ vectors: [Float], dimension: Int, threshold: Float) -> Int {
        var stored: [ArraySlice<Float>] = []
        var hits = 0
        for i in 0..<vectors.count / dimension {
            let q = vectors[i * dimension..<(i + 1) * dimension]
            var best: Float = -2
            for s in stored { best = max(best, VectorIndex.dotForTesting(Array(q), Array(s))) }
            if best >= threshold { hits += 1 } else { stored.append(q) }
        }
        return hits
    }

    @Test func aSweepAndSingleThresholdsGiveThePlainReplaysHits() throws {
        let dimension = 96
        let vectors = Self.vectors(count: 2_600, dimension: dimension, seed: 11)
        let thresholds = [0.8, 0.9, 0.95]
        let pricer = Pricer(catalog: sharedCatalog)
        let sweep = try SemanticBenchmark.run(vectors: vectors, dimension: dimension, thresholds: thresholds, pricer: pricer)
        for (index, threshold) in thresholds.enumerated() {
            let expected = Self.referenceHits(vectors, dimension: dimension, threshold: Float(threshold))
            #expect(expected > 50 && expected < 2_500, "threshold \(threshold) should split the vectors")
            #expect(sweep[index].hits == expected, "sweep, threshold \(threshold)")
            #expect(try SemanticBenchmark.run(vectors: vectors, dimension: dimension, thresholds: [threshold], pricer: pricer)[0].hits == expected)
        }
    }
}

/// A seeded SplitMix64, for test data only.
struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct VectorIndexPrefixTests {
    @Test func prefixScoresFollowReusedSlotsAndBoundTheFullScore() throws {
        let dimension = 384
        let raw = SemanticPruningTests.vectors(count: 200, dimension: dimension, seed: 5)
        let rows = (0..<200).map { Array(raw[$0 * dimension..<($0 + 1) * dimension]) }
        var index = VectorIndex(dimension: dimension)
        #expect(index.prefix == 64)
        for row in rows.prefix(100) { index.add(row) }
        for slot in stride(from: 0, to: 100, by: 3) { index.remove(slot) }
        // Freed slots are reused by the next vectors, which must replace the old columns.
        var slotOf: [Int: Int] = [:]
        for (k, row) in rows[100...].enumerated() { slotOf[index.add(row)] = 100 + k }
        var scores = [Float](repeating: 0, count: 256)
        let queries = Array(rows[150..<154])
        index.prefixScores4(queries, from: 64, into: &scores)
        for k in 0..<4 {
            for j in 0..<64 where index.isLive(64 + j) {
                let row = rows[slotOf[64 + j] ?? 64 + j]
                let partial = zip(queries[k].prefix(64), row.prefix(64)).reduce(Float(0)) { $0 + $1.0 * $1.1 }
                #expect(abs(scores[k * 64 + j] - partial) < 1e-5)
                let bound = scores[k * 64 + j] + index.tailNorm(queries[k]) * index.tailNorm(slot: 64 + j)
                #expect(bound >= index.score(queries[k], slot: 64 + j) - 1e-5)
            }
        }
    }
}
