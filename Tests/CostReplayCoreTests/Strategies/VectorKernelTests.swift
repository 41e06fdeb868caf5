import Testing
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
