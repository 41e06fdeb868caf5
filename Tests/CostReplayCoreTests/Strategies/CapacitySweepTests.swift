@testable import CostReplayCore
import Foundation
import Testing
import TestSupport

/// One-pass capacity sweeps of LRU exact caches give the same documents as one cache per point, and are used only
/// where that holds.
@Suite struct CapacitySweepTests {
    /// The documents of `yaml` replayed over the store at `path`, one pass per capacity group and one cache per point.
    static func bothDocuments(_ yaml: String, path: String, options configure: (inout ReplayOptions) -> Void = { _ in })
        throws -> (onePass: String, perPoint: String) {
        let (onePass, perPoint) = try bothRuns(yaml, path: path, options: configure)
        return (onePass.document, perPoint.document)
    }

    /// The encoded documents and explained ledgers of both paths.
    static func bothRuns(_ yaml: String, path: String, options configure: (inout ReplayOptions) -> Void)
        throws -> (onePass: (document: String, ledgers: [String: [LedgerEntry]]), perPoint: (document: String, ledgers: [String: [LedgerEntry]])) {
        let file = try ScenarioLoader.parse(text: yaml, path: "sweep.yaml")
        func run(onePass: Bool) throws -> (document: String, ledgers: [String: [LedgerEntry]]) {
            var options = ReplayOptions()
            configure(&options)
            options.onePassCapacitySweeps = onePass
            let (result, ledgers) = try Simulation(scenarioFile: file, pricer: Pricer(catalog: sharedCatalog), options: options)
                .run(store: try TraceStore(existingPath: path), databasePath: "sweep.db")
            return (String(decoding: try ResultFile.encode(result), as: UTF8.self), ledgers)
        }
        return (try run(onePass: true), try run(onePass: false))
    }

    /// Requests over 25 prompts arriving 0–20 s apart and taking 0–30 s, so duplicates arrive while the first is in
    /// flight, TTLs of seconds expire entries between repeats, and responses differ for the same prompt.
    static let denseStore: String = {
        var state: UInt64 = 3
        let random: () -> UInt64 = { state &+= 0x9e37_79b9_7f4a_7c15; return StableHash.finalise(state) }
        var second = 0.0
        let records = (0..<2500).map { i -> TraceRecord in
            second += Double(random() % 20_000) / 1000
            let prompt = Int(random() % 25)
            return Replays.request("r\(i)", at: second, model: prompt % 3 == 0 ? "gpt-4o-mini" : "gpt-4o",
                                    prompt: "question \(prompt)", duration: Double(random() % 30_000) / 1000,
                                    tenant: "t\(prompt % 2)", response: "answer \(prompt) v\(random() % 3)")
        }
        return Replays.store(records)
    }()

    @Test func tinyCapacitiesAndShortTTLsGiveTheSameDocumentAsOneCachePerPoint() throws {
        let yaml = """
            scenarios:
              - name: dense
                strategies:
                  - exact_cache: {capacity: [1, 2, 3, 4, 8, 20, 0], ttl: [0, 15, 60, 600], lookup_cost: 0.0001}
              - name: tenant
                strategies:
                  - exact_cache: {capacity: [2, 5, 9], ttl: 40, scope: tenant, normalise: [whitespace, case]}
            """
        let (onePass, perPoint) = try Self.bothDocuments(yaml, path: Self.denseStore)
        #expect(onePass == perPoint)
        // The trace exercises what differs between capacities: evictions, expirations, in-flight misses.
        let result = try JSONDecoder().decode(ReplayResult.self, from: Data(onePass.utf8))
        let counters = result.scenarios.map { $0.metrics["1:exact_cache"] ?? [:] }
        #expect(counters.contains { ($0["evictions"] ?? 0) > 0 && ($0["expirations"] ?? 0) > 0 })
        #expect(counters.contains { ($0["likely_false_hits"] ?? 0) > 0 })
        #expect(Set(counters.map { $0["hits"] ?? 0 }).count > 10, "hits differ from point to point")
        let unbounded = counters[6]  // capacity 0, TTL 0: a miss that stores nothing is a duplicate still in flight
        #expect((unbounded["misses"] ?? 0) > 25)
    }

    @Test func aSyntheticTraceWithAttributionChainsGivesTheSameDocument() throws {
        var options = SynthOptions()
        options.requests = 3000
        options.seed = 5
        options.days = 2
        let path = Replays.synthesizedStore(options)
        // Two steps: the full chain, its prefix and the exact cache alone all start with the same cache, so a group
        // holds several members of the same capacity.
        let yaml = """
            scenarios:
              - name: sweep
                strategies:
                  - exact_cache: {capacity: [1, 3, 10, 40, 160, 0], ttl: [0, 300, 3600]}
                  - truncate: {mode: window_turns, keep_turns: 4}
            """
        let (onePass, perPoint) = try Self.bothDocuments(yaml, path: path)
        #expect(onePass == perPoint)
    }

    static func groups(_ yaml: String) throws -> [[Int]] {
        let plans = try ScenarioLoader.parse(text: yaml, path: "groups.yaml").plans
        // The plans whose first step is an exact cache, as the engine hands its roots to `share`.
        let roots = plans.indices.compactMap { plan in
            (plans[plan].steps.first?.configured as? Configured<ExactCache>).map { (plan: plan, configuration: $0.configuration) }
        }
        let shared = Dictionary(uniqueKeysWithValues: ExactCache.capacitySweeps(roots.map(\.configuration)).map { (roots[$0.key].plan, $0.value) })
        let bySweep = Dictionary(grouping: shared.keys.sorted()) { ObjectIdentifier(shared[$0]!.sweep) }
        for (chain, entry) in shared { #expect(entry.member == bySweep[ObjectIdentifier(entry.sweep)]!.firstIndex(of: chain)) }
        return bySweep.values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }

    @Test func onlyLRUExactCachesThatDifferInCapacityAloneShareOnePass() throws {
        // Capacity × TTL: one group (the recency order does not depend on the TTL).
        #expect(try Self.groups("""
            scenarios:
              - name: s
                strategies:
                  - exact_cache: {capacity: [10, 20, 30], ttl: [60, 300]}
            """).map(\.count) == [6])
        // LFU eviction keeps one cache per point.
        #expect(try Self.groups("""
            scenarios:
              - name: s
                strategies:
                  - exact_cache: {capacity: [10, 20, 30], eviction: lfu}
            """) == [])
        // A TTL sweep at one capacity shares one stack too.
        #expect(try Self.groups("""
            scenarios:
              - name: s
                strategies:
                  - exact_cache: {capacity: 10, ttl: [60, 300]}
            """) == [[0, 1]])
        // Scope, normalisation, lookup cost and hit latency must agree; scenarios may share a group.
        #expect(try Self.groups("""
            scenarios:
              - name: a
                strategies:
                  - exact_cache: {capacity: [10, 20], scope: tenant}
              - name: b
                strategies:
                  - exact_cache: {capacity: [10, 20], normalise: [case]}
              - name: c
                strategies:
                  - exact_cache: {capacity: 30, scope: tenant}
              - name: d
                strategies:
                  - exact_cache: {capacity: [10, 20], hit_latency_ms: 1}
            """) == [[0, 1, 4], [2, 3], [5, 6]])
        // An exact cache after another lever sees requests that lever changed: not shared.
        #expect(try Self.groups("""
            scenarios:
              - name: s
                strategies:
                  - truncate: {mode: window_turns, keep_turns: 4}
                  - exact_cache: {capacity: [10, 20, 30]}
            """) == [])
        // At most 64 members share one stack; a leftover of one keeps its own cache.
        let many = try Self.groups("""
            scenarios:
              - name: s
                strategies:
                  - exact_cache: {capacity: {from: 1, to: 65, step: 1}}
            """)
        #expect(many == [Array(0..<64)])
    }

    @Test func theEngineKeepsOneCachePerPointWhenAskedTo() throws {
        let plans = try ScenarioLoader.parse(text: """
            scenarios:
              - name: s
                strategies:
                  - exact_cache: {capacity: [10, 20, 30]}
            """, path: "s.yaml").plans
        var options = ReplayOptions()
        let shared = ReplayEngine(plans: plans, pricer: Pricer(catalog: sharedCatalog), options: options)
        #expect(shared.chains.allSatisfy { ($0.strategies[0] as! ExactCache).sweep != nil })
        options.onePassCapacitySweeps = false
        let separate = ReplayEngine(plans: plans, pricer: Pricer(catalog: sharedCatalog), options: options)
        #expect(separate.chains.allSatisfy { ($0.strategies[0] as! ExactCache).sweep == nil })
    }
}
