@testable import CostReplayCore
import Foundation
import Testing
import CVectorKernels
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

    /// Hits of a plain sequential replay: each vector against every earlier stored one (stored rounded to float16 when
    /// asked: what a float16 cache compares with).
    static func referenceHits(_ vectors: [Float], dimension: Int, threshold: Float, precision: VectorPrecision = .float32) -> Int {
        var stored: [ArraySlice<Float>] = []
        var hits = 0
        for i in 0..<vectors.count / dimension {
            let q = vectors[i * dimension..<(i + 1) * dimension]
            var best: Float = -2
            for s in stored { best = max(best, VectorIndex.dotForTesting(Array(q), Array(s))) }
            if best >= threshold { hits += 1 } else { stored.append(precision == .float32 ? q : q.map { Float(Float16($0)) }[...]) }
        }
        return hits
    }

    @Test(arguments: VectorPrecision.allCases)
    func aSweepAndSingleThresholdsGiveThePlainReplaysHits(vectors precision: VectorPrecision) throws {
        let dimension = 96
        let vectors = Self.vectors(count: 2_600, dimension: dimension, seed: 11)
        let thresholds = [0.8, 0.9, 0.95]
        let pricer = Pricer(catalog: sharedCatalog)
        let search: [String: ParameterValue] = ["vectors": .text(precision.rawValue)]
        let sweep = try SemanticBenchmark.run(vectors: vectors, dimension: dimension, thresholds: thresholds, pricer: pricer, search: search)
        for (index, threshold) in thresholds.enumerated() {
            let expected = Self.referenceHits(vectors, dimension: dimension, threshold: Float(threshold), precision: precision)
            #expect(expected > 50 && expected < 2_500, "threshold \(threshold) should split the vectors")
            #expect(sweep[index].hits == expected, "sweep, threshold \(threshold)")
            #expect(try SemanticBenchmark.run(vectors: vectors, dimension: dimension, thresholds: [threshold], pricer: pricer,
                                              search: search)[0].hits == expected)
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
    /// 150 slots (the last group of 16 is partial), a third of the first 100 freed and reused by later vectors.
    static func reusedIndex(_ precision: VectorPrecision = .float32) -> (VectorIndex, rows: [[Float]], source: [Int: Int]) {
        let dimension = 384
        let raw = SemanticPruningTests.vectors(count: 200, dimension: dimension, seed: 5)
        let rows = (0..<200).map { Array(raw[$0 * dimension..<($0 + 1) * dimension]) }
        var index = VectorIndex(dimension: dimension, precision: precision)
        for row in rows.prefix(100) { index.add(row) }
        for slot in stride(from: 0, to: 100, by: 3) { index.remove(slot) }
        // Freed slots are reused by the next vectors, which must replace the old columns.
        var source: [Int: Int] = [:]
        for (k, row) in rows[100..<184].enumerated() { source[index.add(row)] = 100 + k }
        return (index, rows, source)
    }

    @Test(arguments: VectorPrecision.allCases)
    func prefixBoundsFollowReusedSlotsAndNeverDropAnEntryAtTheCut(vectors precision: VectorPrecision) throws {
        let (index, rows, source) = Self.reusedIndex(precision)
        #expect(index.prefix == 64)
        let queries = [rows[184], rows[101], rows[185], rows[130]]  // two are stored, so some bounds pass
        let queryTails = queries.map { index.tailNorm($0) }
        let flat = queries.flatMap { $0 }
        let slots = 150
        for cut: Float in [0.05, 0.2, 0.9] {
            var passed = 0
            for start in stride(from: 0, to: slots, by: 64) {
                let count = min(64, slots - start), groups = (count + 15) / 16
                var masks = [UInt16](repeating: 0xFFFF, count: 16)
                var plain = [UInt16](repeating: 0xFFFF, count: 16)
                index.withRaw { raw in
                    flat.withUnsafeBufferPointer { q in
                        let p = { (k: Int) in q.baseAddress! + k * 384 }
                        raw.prefixBounds4(p(0), p(1), p(2), p(3), queryTails: queryTails, from: start, count: count, cut: cut,
                                          into: &masks)
                        crk_prefix_bound4_reference(raw.columns.baseAddress! + start * raw.prefix, raw.tails.baseAddress! + start,
                                                    count, raw.prefix, p(0), p(1), p(2), p(3), queryTails, cut, &plain)
                    }
                }
                // The run-time path (AVX here) and the plain C path agree bit for bit.
                #expect(masks.prefix(4 * groups) == plain.prefix(4 * groups))
                for k in 0..<4 {
                    for j in 0..<count {
                        let slot = start + j, original = rows[source[slot] ?? slot]
                        // A float16 index holds (and bounds) the rounded vector.
                        let row = precision == .float32 ? original : original.map { Float(Float16($0)) }
                        #expect(index.vector(slot: slot) == row)
                        let set = masks[k * groups + j / 16] & (1 << (j % 16)) != 0
                        if set { passed += 1 }
                        let partial = zip(queries[k].prefix(64), row.prefix(64)).reduce(Double(0)) { $0 + Double($1.0) * Double($1.1) }
                        let bound = partial + Double(queryTails[k]) * Double(index.tailNorm(slot: slot))
                        if abs(bound - Double(cut)) > 1e-4 { #expect(set == (bound >= Double(cut)), "slot \(slot) query \(k)") }
                        // Sound: an entry scoring at the cut is never pruned.
                        if index.score(queries[k], slot: slot) >= cut + 1e-5 { #expect(set) }
                    }
                    // No bit past the last slot.
                    if count % 16 != 0 { #expect(masks[k * groups + groups - 1] >> (count % 16) == 0) }
                }
            }
            // At 0.9 only the stored copies of two queries (and their neighbours by chance) can pass.
            #expect(passed > 0 && (cut < 0.9 || passed < slots))
        }
    }
}
