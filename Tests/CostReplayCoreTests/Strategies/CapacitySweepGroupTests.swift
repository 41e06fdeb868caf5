@testable import CostReplayCore
import Foundation
import Testing
import TestSupport

/// A capacity sweep of single exact caches replayed as one group (shared per-request accounting, a hit mask per
/// member) gives the documents of one cache per point, whatever the requests are.
@Suite struct CapacitySweepGroupTests {
    /// Four days of requests over a few prompts and sessions, with what the shared accounting must get right: spans
    /// with and without a fee, a model with no price, requests without usage or without anything to key on, and a
    /// model whose only request of a day repeats an earlier prompt (so at large capacities the day has no cost at that
    /// model, and the key must be absent, not zero).
    static let mixedStore: String = {
        var state: UInt64 = 11
        let random: () -> UInt64 = { state &+= 0x9e37_79b9_7f4a_7c15; return StableHash.finalise(state) }
        var records: [TraceRecord] = []
        var second = 0.0
        for i in 0..<1600 {
            second += Double(random() % 600_000) / 1000
            let prompt = Int(random() % 30)
            let models = ["gpt-4o", "gpt-4o-mini", "mystery-model-7"]
            var r = Replays.request("r\(i)", at: second, model: models[prompt % 3], prompt: random() % 17 == 0 ? nil : "q \(prompt)",
                                    duration: Double(random() % 20_000) / 1000, response: "a \(prompt) v\(random() % 2)")
            r.sessionID = random() % 5 == 0 ? nil : "s\(random() % 40)"
            if random() % 23 == 0 { r.usage = nil }
            records.append(r)
            if random() % 6 == 0 {
                var span = TraceRecord(id: "t\(i)")
                span.kind = .tool
                span.sessionID = r.sessionID
                span.startMicros = r.startMicros! + 500_000
                span.endMicros = span.startMicros! + 1_000_000
                if random() % 2 == 0 { span.attributes["cost_usd"] = random() % 3 == 0 ? "0" : "0.01" }
                records.append(span)
            }
        }
        // Day 5: claude-3-5-haiku's only request repeats its day-4 prompt within the hour.
        records.append(Replays.request("h1", at: 4 * 86_400 - 600, model: "claude-3-5-haiku", prompt: "haiku"))
        records.append(Replays.request("h2", at: 4 * 86_400 + 600, model: "claude-3-5-haiku", prompt: "haiku"))
        return Replays.store(records)
    }()

    static let sweeps = """
        scenarios:
          - name: free
            strategies:
              - exact_cache: {capacity: [1, 3, 10, 0], ttl: [0, 3600]}
          - name: paid
            strategies:
              - exact_cache: {capacity: [2, 6, 0], lookup_cost: 0.0001, hit_latency_ms: 50, scope: session}
        """

    @Test(arguments: [false, true])
    func spansUnpricedRequestsAndVanishingModelDaysGiveTheSameDocument(bySession: Bool) throws {
        let (onePass, perPoint) = try CapacitySweepTests.bothDocuments(Self.sweeps, path: Self.mixedStore) {
            $0.bootstrapBySession = bySession
        }
        #expect(onePass == perPoint)
        let result = try JSONDecoder().decode(ReplayResult.self, from: Data(onePass.utf8))
        // The trace exercises what the group must account for.
        #expect(result.baseline.spans > 0 && result.baseline.unpricedRequests > 0)
        #expect(result.scenarios.allSatisfy { ($0.metrics["1:exact_cache"]?["no_key"] ?? 0) > 0 })
        let served = result.scenarios.map { $0.totals.servedRequests }
        #expect(Set(served).count > 4, "hits differ from point to point")
        let haikuDays = result.scenarios.map { $0.byModelDaily?.filter { $0.model == "claude-3-5-haiku" }.count ?? 0 }
        #expect(haikuDays.contains(1) && haikuDays.contains(2), "the haiku day vanishes where the repeat is a hit")
        if bySession { #expect(result.scenarios[0].intervals?.method.contains("sessions") == true) }
    }

    @Test func anExplainedRequestFallsBackToOneChainPerPointWithTheSameLedgers() throws {
        let (onePass, perPoint) = try CapacitySweepTests.bothRuns(Self.sweeps, path: Self.mixedStore) { $0.explainID = "h2" }
        #expect(onePass.document == perPoint.document)
        #expect(onePass.ledgers == perPoint.ledgers)
        #expect(onePass.ledgers.values.contains { $0.contains { $0.decision == "hit" } })
    }

    @Test func theEngineReplaysASweepOfSingleCachesAsOneGroupOnly() throws {
        func groups(_ yaml: String, explain: String? = nil) throws -> [Int] {
            let plans = try ScenarioLoader.parse(text: yaml, path: "s.yaml").plans
            var options = ReplayOptions()
            options.explainID = explain
            options.workers = 1
            let engine = ReplayEngine(plans: plans, pricer: Pricer(catalog: sharedCatalog), options: options)
            return engine.groups.flatMap { $0.sweepGroups.map(\.chains.count) }
        }
        // The free caches sweep capacity and TTL in one group.
        #expect(try groups(Self.sweeps) == [8, 3])
        #expect(try groups(Self.sweeps, explain: "r1") == [])
        // A second lever after the cache: the full chains have two steps, so the members keep their own chains.
        #expect(try groups("""
            scenarios:
              - name: s
                strategies:
                  - exact_cache: {capacity: [10, 20]}
                  - truncate: {mode: window_turns, keep_turns: 4}
            """) == [])
    }
}
