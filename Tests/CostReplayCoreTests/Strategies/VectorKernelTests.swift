import Testing
import CVectorKernels
@testable import CostReplayCore

/// The vector index's dot products give the same bits on every processor: the kernel picks AVX or SSE at run time,
/// and both must equal the plain order (16 lane sums, no fused multiply-add, lanes folded in order, then the tail).
struct VectorKernelTests {
    /// The order every path shares, written plainly.
    static func reference(_ a: [Float], _ b: [Float]) -> Float {
        var lanes = [Float](repeating: 0, count: 16)
        var i = 0
        while i + 16 <= a.count {
            for k in 0..<16 { lanes[k] += a[i + k] * b[i + k] }
            i += 16
        }
        var total: Float = -0.0
        for k in 0..<16 { total += lanes[k] }
        while i < a.count {
            total += a[i] * b[i]
            i += 1
        }
        return total
    }

    static func vectors(_ count: Int, dimension: Int, seed: UInt64) -> [[Float]] {
        var random = SplitMix(seed)
        return (0..<count).map { _ in (0..<dimension).map { _ in Float(Double(random.next() >> 11) / Double(1 << 53) * 2 - 1) } }
    }

    @Test(arguments: [384, 391, 7, 1536])
    func dotProductsEqualThePlainOrderBitForBit(dimension: Int) {
        let rows = Self.vectors(70, dimension: dimension, seed: UInt64(dimension))
        let queries = Array(rows.prefix(4))
        var index = VectorIndex(dimension: dimension)
        for row in rows { index.add(row) }
        var scores = [Float](repeating: .nan, count: 256)
        index.scores4(queries, slots: 3..<67, into: &scores)
        for slot in 3..<67 {
            for (k, query) in queries.enumerated() {
                let expected = Self.reference(rows[slot], query)
                #expect(index.score(query, slot: slot).bitPattern == expected.bitPattern)
                #expect(scores[k * 64 + slot - 3].bitPattern == expected.bitPattern)
            }
        }
    }
}

/// Float16 rows: a score is the float32 kernel's score against the exactly widened row, on every path.
struct HalfPrecisionKernelTests {
    @Test(arguments: [384, 391, 7])
    func float16ScoresEqualTheFloat32KernelOnTheWidenedRow(dimension: Int) {
        let rows = VectorKernelTests.vectors(20, dimension: dimension, seed: UInt64(dimension) + 1)
        // Subnormal, signed zero, the largest half and values that round: the conversion must be exact for all.
        var special = rows[0]
        for (i, value) in [Float(3e-6), -0.0, 65504, -1e-7, 0.1].enumerated() where i < dimension { special[i] = value }
        let query = rows[1]
        var index = VectorIndex(dimension: dimension, precision: .float16)
        for row in [special] + rows { index.add(row) }
        for (slot, row) in ([special] + rows).enumerated() {
            let widened = row.map { Float(Float16($0)) }
            let bits = row.map { Float16($0).bitPattern }
            let expected = VectorKernelTests.reference(widened, query)
            #expect(index.score(query, slot: slot).bitPattern == expected.bitPattern)
            let plain = query.withUnsafeBufferPointer { q in bits.withUnsafeBufferPointer { crk_dot_f16_reference(q.baseAddress!, $0.baseAddress!, dimension) } }
            #expect(plain.bitPattern == expected.bitPattern)
        }
    }

    @Test func aFloat16IndexFindsStoredVectorsAndMovesScoresByRoundingOnly() {
        let rows = VectorKernelTests.vectors(300, dimension: 384, seed: 3).map { row in
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return row.map { $0 / norm }
        }
        var full = VectorIndex(dimension: 384), half = VectorIndex(dimension: 384, precision: .float16)
        for row in rows.prefix(200) { full.add(row); half.add(row) }
        // A stored vector finds itself; any query's best score moves by float16 rounding only (about 2⁻¹¹ relative).
        for (slot, query) in rows.prefix(20).enumerated() { #expect(half.nearest(query)!.slot == slot) }
        for query in rows.suffix(100) { #expect(abs(full.nearest(query)!.score - half.nearest(query)!.score) < 1e-3) }
    }
}
