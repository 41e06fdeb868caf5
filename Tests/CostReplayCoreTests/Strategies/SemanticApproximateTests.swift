import CostReplayCore
import Foundation
import Testing
import TestSupport

/// `search: approximate` (the inverted-file index): recall measured against exact search, determinism, validation.
@Suite struct SemanticApproximateTests {
    /// Unrelated unit vectors, a third of them (after the first 100) replaced by a near-duplicate of a random earlier
    /// vector (cosine ≈ 0.97–0.99), seeded: the duplicates are the hits an exact search finds at 0.9.
    static func vectorsWithNearDuplicates(count: Int, dimension: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix(seed)
        func gaussian() -> Float {
            let u = max(1e-12, Double(rng.next() >> 11) / Double(1 << 53)), v = Double(rng.next() >> 11) / Double(1 << 53)
            return Float((-2 * log(u)).squareRoot() * cos(2 * .pi * v))
        }
        func unit(_ v: [Float]) -> [Float] {
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / norm }
        }
        var rows: [[Float]] = []
        for i in 0..<count {
            if i >= 100, rng.next() % 3 == 0 {
                let original = rows[Int(rng.next() % UInt64(i))]
                rows.append(unit(original.map { $0 + gaussian() * 0.015 }))
            } else {
                rows.append(unit((0..<dimension).map { _ in gaussian() }))
            }
        }
        return rows.flatMap { $0 }
    }

    static let approximate: [String: ParameterValue] = [
        "search": .text("approximate"), "train_at": .number(500), "probes": .number(12), "recall_sample": .number(1),
    ]

    @Test func approximateSearchFindsAtLeastNinetyNinePercentOfTheExactHitsOnNearDuplicates() throws {
        let dimension = 64
        let vectors = Self.vectorsWithNearDuplicates(count: 4_000, dimension: dimension, seed: 3)
        let pricer = Pricer(catalog: sharedCatalog)
        let exact = try SemanticBenchmark.run(vectors: vectors, dimension: dimension, thresholds: [0.9], pricer: pricer)[0]
        let row = try SemanticBenchmark.run(vectors: vectors, dimension: dimension, thresholds: [0.9], pricer: pricer, search: Self.approximate)[0]
        #expect(exact.hits > 1_000 && exact.hits < 1_500, "about a third of the vectors are near-duplicates")
        #expect(exact.recallExactHits == 0, "exact search samples nothing")
        // Every lookup after training is sampled: the sample holds most of the hits.
        #expect(row.recallExactHits > 1_000)
        #expect(Double(row.recallFoundHits) >= 0.99 * Double(row.recallExactHits), "recall \(row.recallFoundHits)/\(row.recallExactHits)")
        #expect(Double(row.hits) >= 0.99 * Double(exact.hits) && row.hits <= exact.hits + 10)
    }

    @Test func withFloat16VectorsTheApproximateSearchStillFindsTheExactHits() throws {
        let dimension = 384  // long enough for the prefix bound, whose list copies must be of the rounded vectors
        let vectors = Self.vectorsWithNearDuplicates(count: 1_500, dimension: dimension, seed: 5)
        let pricer = Pricer(catalog: sharedCatalog)
        let half: [String: ParameterValue] = ["vectors": .text("float16")]
        let exact = try SemanticBenchmark.run(vectors: vectors, dimension: dimension, thresholds: [0.9], pricer: pricer, search: half)[0]
        let row = try SemanticBenchmark.run(vectors: vectors, dimension: dimension, thresholds: [0.9], pricer: pricer,
                                            search: Self.approximate.merging(half) { $1 })[0]
        #expect(exact.hits > 300)
        #expect(row.recallExactHits > 200, "lookups after training are all sampled")
        #expect(Double(row.recallFoundHits) >= 0.99 * Double(row.recallExactHits), "recall \(row.recallFoundHits)/\(row.recallExactHits)")
        #expect(Double(row.hits) >= 0.99 * Double(exact.hits) && row.hits <= exact.hits + 10)
    }

    @Test func oneProbeOfManyListsMissesHitsAndTheSampleShowsIt() throws {
        let dimension = 64
        let vectors = Self.vectorsWithNearDuplicates(count: 3_000, dimension: dimension, seed: 4)
        var settings = Self.approximate
        settings["probes"] = .number(1)
        settings["lists"] = .number(200)
        let row = try SemanticBenchmark.run(vectors: vectors, dimension: dimension, thresholds: [0.9], pricer: Pricer(catalog: sharedCatalog),
                                        search: settings)[0]
        // Unrelated 64-d vectors have no cluster structure, so a single list of 200 misses many duplicates: recall is
        // measured, not assumed.
        #expect(row.recallExactHits > 500)
        #expect(row.recallFoundHits < row.recallExactHits)
    }

    @Test func approximateResultsAreTheSameForAnyNumberOfWorkers() throws {
        let dimension = 64
        let vectors = Self.vectorsWithNearDuplicates(count: 2_500, dimension: dimension, seed: 5)
        let pricer = Pricer(catalog: sharedCatalog)
        var sampled = Self.approximate
        sampled["recall_sample"] = .number(0.3)
        let first = try SemanticBenchmark.run(vectors: vectors, dimension: dimension, thresholds: [0.85, 0.9, 0.95], pricer: pricer,
                                          search: sampled, workers: 1)
        #expect(first.allSatisfy { $0.recallExactHits > 50 && $0.recallExactHits < 1_000 }, "a seeded share is sampled")
        for workers in [2, 3] {
            let again = try SemanticBenchmark.run(vectors: vectors, dimension: dimension, thresholds: [0.85, 0.9, 0.95], pricer: pricer,
                                              search: sampled, workers: workers)
            #expect(again.map(\.hits) == first.map(\.hits), "workers: \(workers)")
            #expect(again.map(\.recallExactHits) == first.map(\.recallExactHits), "workers: \(workers)")
            #expect(again.map(\.recallFoundHits) == first.map(\.recallFoundHits), "workers: \(workers)")
        }
    }

    @Test func moreProbesThanListsIsAScenarioErrorAtTheProbesLine() {
        let yaml = """
            scenarios:
              - name: a
                strategies:
                  - semantic_cache:
                      search: approximate
                      lists: 64
                      probes: 100
            """
        #expect(throws: ScenarioError(file: "s.yaml", line: 7, key: "probes", "must be at most lists (64)")) {
            _ = try ScenarioLoader.parse(text: yaml, path: "s.yaml")
        }
    }

    @Test func anUnknownSearchModeIsAScenarioError() {
        #expect(throws: ScenarioError.self) {
            _ = try ScenarioLoader.parse(text: "scenarios: [{name: a, strategies: [{semantic_cache: {search: hnsw}}]}]", path: "s.yaml")
        }
    }

    @Test func theRecallOfHitsIsReportedAsARateWithItsExactInterval() throws {
        let dimension = 64
        let vectors = Self.vectorsWithNearDuplicates(count: 2_000, dimension: dimension, seed: 6)
        let row = try SemanticBenchmark.run(vectors: vectors, dimension: dimension, thresholds: [0.9], pricer: Pricer(catalog: sharedCatalog),
                                        search: Self.approximate)[0]
        let recall = try #require(row.recall)
        #expect(recall.trials == row.recallExactHits && recall.events == row.recallFoundHits && recall.trials > 300)
        #expect(recall.lower < recall.rate && recall.rate <= recall.upper && recall.lower > 0.95)
    }
}

/// A cache pre-filled past its training size: lists split as it grows, and the approximate search still finds the hits.
@Suite struct PrefilledSemanticCacheTests {
    @Test func listsSplitAsTheCacheGrowsAndApproximateLookupsFindTheExactHits() throws {
        let dimension = 64
        let vectors = SemanticApproximateTests.vectorsWithNearDuplicates(count: 6_000, dimension: dimension, seed: 8)
        let pricer = Pricer(catalog: sharedCatalog)
        let exact = try PrefilledSemanticCache(dimension: dimension, threshold: 0.9, pricer: pricer)
        exact.fill(vectors[0..<5_000 * dimension])
        let exactCounts = exact.lookUp(vectors[(5_000 * dimension)...])
        let approximate = try PrefilledSemanticCache(dimension: dimension, threshold: 0.9, pricer: pricer, search: SemanticApproximateTests.approximate)
        approximate.fill(vectors[0..<5_000 * dimension])
        let counts = approximate.lookUp(vectors[(5_000 * dimension)...])
        // Trained at 500 entries with √500 ≈ 22 lists; 5,000 entries need more, so lists must have split.
        #expect(approximate.lists > 30, "lists \(approximate.lists)")
        #expect(exactCounts.lookups == 1_000 && counts.lookups == 1_000)
        #expect(exactCounts.hits > 250 && exactCounts.recallExactHits == 0)
        // Every lookup is sampled, so the sample sees (almost: a missed hit is stored and changes later lookups) the hits exact search finds.
        #expect(abs(counts.recallExactHits - exactCounts.hits) <= 5, "\(counts.recallExactHits) against \(exactCounts.hits)")
        #expect(Double(counts.recallFoundHits) >= 0.99 * Double(counts.recallExactHits), "recall \(counts.recallFoundHits)/\(counts.recallExactHits)")
        #expect(counts.hits == counts.recallFoundHits)
    }
}
