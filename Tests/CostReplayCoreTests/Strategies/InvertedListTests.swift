@testable import CostReplayCore
import Testing
import TestSupport

/// The list layout of the approximate index: prefixes transposed by 16, kept right through appends and removals.
@Suite struct InvertedListTests {
    @Test func survivorsAreTheMembersWhosePrefixBoundReachesTheCutAfterAppendsAndRemovals() {
        let prefix = 16, dimension = 96
        var rng = SplitMix(11)
        func component() -> Float { Float(Int(rng.next() % 2001) - 1000) / 1000 }
        var vectors: [Int: [Float]] = [:], tails: [Int: Float] = [:]
        var list = InvertedList()
        for slot in 0..<70 {
            vectors[slot] = (0..<dimension).map { _ in component() }
            tails[slot] = Float(slot % 7) / 10
            list.append(slot, vector: vectors[slot]!, tail: tails[slot]!, prefix: prefix)
        }
        // Remove from the middle, the end and the start, crossing a group boundary (70 → 63 members).
        for position in [5, 68, 0, 31, 40, 16, 10] { _ = list.remove(at: position, prefix: prefix) }
        #expect(list.count == 63)
        let query = (0..<dimension).map { _ in component() }
        for cut: Float in [-100, 0, 1, 3] {
            var found: [Int] = []
            list.survivors(query, prefix: prefix, queryTail: 2, cut: cut) { found.append($0) }
            let expected = list.slots.map(Int.init).filter { slot in
                var partial: Float = 0
                for i in 0..<prefix { partial += query[i] * vectors[slot]![i] }
                return partial + 2 * tails[slot]! >= cut
            }
            #expect(found == expected, "cut \(cut)")
        }
    }

    @Test func approximateLookupsOnPrunedDimensionsFindTheExactHits() throws {
        // 128 components: the index prunes with a 16-component prefix, so lists scan through their own prefix copies.
        let dimension = 128
        let vectors = SemanticApproximateTests.vectorsWithNearDuplicates(count: 4_000, dimension: dimension, seed: 9)
        let pricer = Pricer(catalog: sharedCatalog)
        let exact = try PrefilledSemanticCache(dimension: dimension, threshold: 0.9, pricer: pricer)
        exact.fill(vectors[0..<3_000 * dimension])
        let exactCounts = exact.lookUp(vectors[(3_000 * dimension)...])
        let approximate = try PrefilledSemanticCache(dimension: dimension, threshold: 0.9, pricer: pricer, search: SemanticApproximateTests.approximate)
        approximate.fill(vectors[0..<3_000 * dimension])
        let counts = approximate.lookUp(vectors[(3_000 * dimension)...])
        #expect(exactCounts.hits > 250)
        #expect(Double(counts.recallFoundHits) >= 0.99 * Double(counts.recallExactHits), "recall \(counts.recallFoundHits)/\(counts.recallExactHits)")
        #expect(Double(counts.hits) >= 0.99 * Double(exactCounts.hits) && counts.hits <= exactCounts.hits + 10)
    }
}
