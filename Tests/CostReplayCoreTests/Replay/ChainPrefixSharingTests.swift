@testable import CostReplayCore
import Foundation
import Testing
import TestSupport

/// Chains whose first steps are the same strategies with the same parameters share those strategy instances (a trie of
/// steps), and the documents are the same as with one instance per chain and step.
@Suite struct ChainPrefixSharingTests {
    static let levers: String = {
        try! String(contentsOf: Fixtures.root.appendingPathComponent("scenarios/levers.yaml"), encoding: .utf8)
    }()

    static func plans(_ yaml: String) throws -> [ScenarioPlan] {
        try ScenarioLoader.parse(text: yaml, path: "s.yaml").plans
    }

    /// The document and the explained request's ledgers, with or without sharing.
    static func replay(_ yaml: String, sharing: Bool, workers: Int? = nil, explain: String? = nil) throws -> (String, [String: [LedgerEntry]]) {
        var options = ReplayOptions()
        options.sharedChainPrefixes = sharing
        options.workers = workers
        options.explainID = explain
        let (result, ledgers) = try Simulation(scenarioFile: ScenarioLoader.parse(text: yaml, path: "s.yaml"), pricer: Pricer(catalog: sharedCatalog),
                                               options: options).run(store: try TraceStore(existingPath: ReplayGoldenTests.storePath), databasePath: "golden.db")
        return (String(decoding: try ResultFile.encode(result), as: UTF8.self), ledgers)
    }

    @Test func theAllLeversChainsShareTheirCommonPrefixes() throws {
        let plans = try Self.plans(Self.levers)
        let engine = ReplayEngine(plans: plans, pricer: Pricer(catalog: sharedCatalog), options: ReplayOptions())
        let instances = engine.groups.reduce(0) { $0 + $1.nodes.count }
        let semantic = engine.groups.reduce(0) { $0 + $1.nodes.count { $0.strategy is SemanticCache } }
        // Applications per request without sharing: each point's full list, its prefixes and each lever alone.
        let unshared = plans.reduce(0) { total, plan in
            let n = plan.steps.count
            return total + (n == 1 ? 1 : n + n * (n - 1) / 2 + n)
        }
        #expect(unshared == 83)
        // all-levers' nine steps; all-but-local adds its own router, truncation, prefix cache and batch step after the
        // shared exact and semantic caches; lone levers that start no other chain add the rest.
        #expect(instances < unshared / 3, "\(instances) instances")
        // The semantic cache runs twice: after the shared exact cache, and alone.
        #expect(semantic == 2)
        var options = ReplayOptions()
        options.sharedChainPrefixes = false
        let separate = ReplayEngine(plans: plans, pricer: Pricer(catalog: sharedCatalog), options: options)
        #expect(separate.groups.reduce(0) { $0 + $1.nodes.count } == unshared)
    }

    @Test func sharingGivesTheSameDocumentAndLedgersForAnyNumberOfWorkers() throws {
        // A request that reaches the end of the all-levers list, so every shared step writes to its ledger.
        var target = ""
        try TraceStore(existingPath: ReplayGoldenTests.storePath).forEachRecord { record, _ in
            if target.isEmpty && record.tags.contains("feature:agent") && record.messages.count > 2 { target = record.id }
        }
        #expect(!target.isEmpty)
        let (separate, separateLedgers) = try Self.replay(Self.levers, sharing: false, workers: 2, explain: target)
        for workers in [1, 2, 3] {
            let (shared, sharedLedgers) = try Self.replay(Self.levers, sharing: true, workers: workers, explain: target)
            #expect(shared == separate, "workers: \(workers)")
            #expect(sharedLedgers.mapValues { $0.map(\.strategy) } == separateLedgers.mapValues { $0.map(\.strategy) })
            #expect(sharedLedgers.mapValues { $0.map(\.detail) } == separateLedgers.mapValues { $0.map(\.detail) })
        }
        #expect((separateLedgers["all-levers"]?.count ?? 0) >= 3)
    }

    /// Random decisions (a cascade escalating at random, batch completions) come from the seed and the request, so
    /// a shared instance draws what each chain's own would; an identical step under a different earlier step is
    /// not shared.
    @Test func randomLeversAndDivergingPrefixesStayExact() throws {
        let yaml = """
            scenarios:
              - name: a
                strategies:
                  - cascade: {cheap: gpt-4o-mini, strong: gpt-4o, escalate_on: probability, probability: 0.3}
                  - batch_offload: {tags: [async], deadline: 2h, median_completion: 1h, sigma: 1}
                  - exact_cache: {ttl: 10m, capacity: 50}
              - name: b
                strategies:
                  - cascade: {cheap: gpt-4o-mini, strong: gpt-4o, escalate_on: probability, probability: 0.3}
                  - exact_cache: {ttl: 10m, capacity: 50}
              - name: c
                strategies:
                  - truncate: {mode: window_turns, keep_turns: 2}
                  - exact_cache: {ttl: 10m, capacity: [50, 100]}
            """
        let engine = ReplayEngine(plans: try Self.plans(yaml), pricer: Pricer(catalog: sharedCatalog), options: ReplayOptions())
        let nodes = engine.groups.flatMap(\.nodes)
        // 24 chains' steps (each point's list, its prefixes, each lever alone) on 10 instances: the cascade (a, b, their
        // prefixes and lone cascades), the batch step under it, an exact cache under each of those two, the lone batch
        // step, the lone 50- and 100-entry caches (a's and b's lone cache is c's lone 50-entry one), the truncation,
        // and an exact cache of each capacity under it.
        #expect(nodes.count == 10)
        #expect(nodes.count { $0.strategy is ExactCache } == 6)
        #expect(nodes.count { $0.strategy is ExactCache && $0.depth == 0 } == 2)
        #expect(try Self.replay(yaml, sharing: true).0 == Self.replay(yaml, sharing: false).0)
    }

    /// A point without levers has no node in the trie; it still sees every request, unchanged, on any worker count.
    @Test func aPointWithoutLeversCostsTheBaseline() throws {
        let yaml = """
            scenarios:
              - name: none
                strategies: []
              - name: exact
                strategies:
                  - exact_cache: {ttl: 1h}
            """
        for workers in [1, 2] {
            let (document, _) = try Self.replay(yaml, sharing: true, workers: workers)
            let result = try JSONDecoder().decode(ReplayResult.self, from: Data(document.utf8))
            #expect(result.scenarios[0].totals.cost == result.baseline.cost)
            #expect(result.scenarios[0].totals.requests == result.baseline.requests)
            #expect(result.scenarios[1].totals.cost < result.baseline.cost)
        }
        let alone = try Self.replay("scenarios: [{name: none, strategies: []}]", sharing: true).0
        let result = try JSONDecoder().decode(ReplayResult.self, from: Data(alone.utf8))
        #expect(result.scenarios.map(\.totals.cost) == [result.baseline.cost])
    }
}
