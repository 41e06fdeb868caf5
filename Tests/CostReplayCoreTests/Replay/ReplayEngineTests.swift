import CostReplayCore
import Foundation
import Testing
import TestSupport

@Suite struct ReplayEngineTests {
    /// A synthetic trace stored once; each test opens its own connection (tests run in parallel).
    static let samplePath: String = {
        var options = SynthOptions()
        options.requests = 1500
        options.seed = 5
        options.days = 3
        return Replays.synthesizedStore(options)
    }()

    static var sampleStore: TraceStore { try! TraceStore(existingPath: samplePath) }

    func simulate(_ yaml: String, _ options: ReplayOptions = ReplayOptions()) throws -> (ReplayResult, [String: [LedgerEntry]]) {
        try Simulation(scenarioFile: try ScenarioLoader.parse(text: yaml, path: "t.yaml"), pricer: Pricer(catalog: sharedCatalog),
                       options: options).run(store: Self.sampleStore, databasePath: "sample.db")
    }

    static let twoLevers = "scenarios: [{name: both, strategies: [{exact_cache: {ttl: 1h, scope: tenant}}, {prefix_cache: {ttl: 5m, scope: tenant}}]}]"

    @Test func theSameInputsGiveByteIdenticalDocuments() throws {
        let a = try ResultFile.encode(simulate(Self.twoLevers).0)
        let b = try ResultFile.encode(simulate(Self.twoLevers).0)
        #expect(a == b)
    }

    @Test func theWaterfallAddsUpToTheTotalSaving() throws {
        let result = try simulate(Self.twoLevers).0
        let scenario = result.scenarios[0]
        #expect(scenario.waterfall.map(\.strategy) == ["exact_cache", "prefix_cache"])
        #expect(scenario.waterfall.reduce(Money.zero) { $0 + $1.savings } == scenario.totals.savings)
        #expect(scenario.waterfall[0].costBefore == result.baseline.cost)
        #expect(scenario.alone.count == 2)
        #expect(scenario.totals.savings > .zero)
    }

    @Test func costByModelOverTimeReconcilesWithTheTotals() throws {
        let result = try simulate(Self.twoLevers).0
        let scenario = result.scenarios[0]
        let perDay = try #require(scenario.byModelDaily)
        let baselinePerDay = try #require(scenario.baselineByModelDaily)
        #expect(Set(perDay.map(\.day)).count == 3)
        #expect(perDay.reduce(Money.zero) { $0 + $1.cost } == scenario.totals.cost - scenario.totals.fixedCost)
        #expect(baselinePerDay.reduce(Money.zero) { $0 + $1.cost } == result.baseline.cost)
        for (model, cost) in try #require(scenario.byModel) {
            #expect(perDay.filter { $0.model == model }.reduce(Money.zero) { $0 + $1.cost } == cost)
        }
    }

    @Test func theModelsDailyCSVCarriesEveryModelDayOnBothSides() throws {
        let result = try simulate(Self.twoLevers).0
        let scenario = result.scenarios[0]
        let lines = ReplayResultRenderer.modelsDailyCSV(result).split(separator: "\r\n").map(String.init)
        #expect(lines.first == "point,side,day,model,cost_usd,price_catalog")
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.filter { $0[1] == "baseline" }.count == scenario.baselineByModelDaily?.count)
        #expect(rows.filter { $0[1] == "scenario" }.count == scenario.byModelDaily?.count)
        let baselineSum = rows.filter { $0[1] == "baseline" }.compactMap { Double($0[4]) }.reduce(0, +)
        #expect(abs(baselineSum - result.baseline.cost.dollars) < 1e-6)
    }

    @Test func tenantScopedCachesMergeFromShardsExactly() throws {
        let whole = try simulate(Self.twoLevers).0
        var parts: [ReplayResult] = []
        for index in 0..<3 {
            var options = ReplayOptions()
            options.shard = ShardFilter(index: index, count: 3, key: .tenant)
            parts.append(try simulate(Self.twoLevers, options).0)
        }
        let merged = try ResultFile.merge(parts)
        #expect(merged.scenarios[0].exactWhenSharded)
        #expect(merged.baseline.cost == whole.baseline.cost)
        #expect(merged.scenarios[0].totals.cost == whole.scenarios[0].totals.cost)
        // Every decision counter agrees; `expirations` only counts clean-up, which depends on interleaving.
        func decisions(_ result: ReplayResult) -> [String: [String: Double]] {
            result.scenarios[0].metrics.mapValues { $0.filter { $0.key != "expirations" } }
        }
        #expect(decisions(merged) == decisions(whole))
        #expect(merged.inputs.shard?.indices == [0, 1, 2])
    }

    @Test func aGlobalCacheIsMarkedApproximateWhenSharded() throws {
        var options = ReplayOptions()
        options.shard = ShardFilter(index: 0, count: 2, key: .tenant)
        let result = try simulate("scenarios: [{name: g, strategies: [{exact_cache: {scope: global}}]}]", options).0
        #expect(!result.scenarios[0].exactWhenSharded)
    }

    @Test func mergingTheSameShardTwiceIsRefused() throws {
        var options = ReplayOptions()
        options.shard = ShardFilter(index: 0, count: 2, key: .tenant)
        let part = try simulate(Self.twoLevers, options).0
        #expect(throws: SimulationError.mergeMismatch("shard 0 appears twice")) { try ResultFile.merge([part, part]) }
    }

    @Test func explainListsEachStrategysDecision() throws {
        var options = ReplayOptions()
        var target = ""
        try Self.sampleStore.forEachRecord { record, _ in if target.isEmpty && !record.messages.isEmpty { target = record.id } }
        options.explainID = target
        let ledgers = try simulate(Self.twoLevers, options).1
        let entries = try #require(ledgers["both"])
        #expect(entries.map(\.strategy) == ["exact_cache", "prefix_cache", "result"] || entries.map(\.strategy) == ["exact_cache", "result"])
    }

    @Test func aResultDocumentRoundTripsThroughJSON() throws {
        let result = try simulate(Self.twoLevers).0
        let path = Fixtures.temporaryDirectory().appendingPathComponent("result.json").path
        try ResultFile.encode(result).write(to: URL(fileURLWithPath: path))
        #expect(try ResultFile.read(path: path).scenarios[0].totals.requests == result.scenarios[0].totals.requests)
    }

    @Test func aMalformedResultDocumentIsAClearError() throws {
        let path = Fixtures.write("{\"version\": \"costreplay.result/1\"}", name: "bad.json")
        #expect(throws: SimulationError.unreadableResult(path: path, reason: "missing 'inputs'")) { try ResultFile.read(path: path) }
    }
}

@Suite struct SemanticSweepTests {
    /// A threshold sweep shares one index; each point must equal a replay of that threshold alone.
    @Test(arguments: ["ttl: 1h, capacity: 40, eviction: lru", "ttl: 0, capacity: 0", "capacity: 25, eviction: lfu, scope: tenant"])
    func aSharedIndexSweepEqualsIndependentReplays(parameters: String) throws {
        let engine = ReplayEngineTests()
        let thresholds = [0.6, 0.75, 0.9]
        let swept = try engine.simulate("scenarios: [{name: s, strategies: [{semantic_cache: {threshold: [0.6, 0.75, 0.9], \(parameters)}}]}]").0
        #expect(swept.scenarios.count == 3)
        for (index, threshold) in thresholds.enumerated() {
            let alone = try engine.simulate("scenarios: [{name: s, strategies: [{semantic_cache: {threshold: \(threshold), \(parameters)}}]}]").0
            #expect(swept.scenarios[index].totals == alone.scenarios[0].totals)
            #expect(swept.scenarios[index].metrics.values.first == alone.scenarios[0].metrics.values.first)
        }
        #expect(swept.scenarios[0].totals.servedRequests > 0)
    }
}

@Suite struct SemanticReferenceTests {
    /// The look-ahead blocked search gives the same hits as a plain sequential nearest-neighbour replay.
    @Test(arguments: [0.5, 0.7, 0.85])
    func lookAheadSearchMatchesAPlainSequentialReplay(threshold: Double) throws {
        let engine = ReplayEngineTests()
        let result = try engine.simulate("scenarios: [{name: s, strategies: [{semantic_cache: {threshold: \(threshold), embeddings: builtin}}]}]").0
        // Reference: every prompt against every earlier stored prompt of the same model, in time order.
        let embedder = HashingEmbedder()
        var stored: [String: [(vector: [Float], available: Int64)]] = [:]
        var hits = 0
        try ReplayEngineTests.sampleStore.forEachRecord { record, _ in
            guard record.kind == .llm, let text = record.promptText, !text.isEmpty else { return }
            let query = embedder.embed(text)
            let now = record.startMicros ?? 0
            let model = record.model ?? ""
            var best: Float = -2
            for entry in stored[model, default: []] where entry.available <= now {
                best = max(best, zip(entry.vector, query).reduce(Float(0)) { $0 + $1.0 * $1.1 })
            }
            if best >= Float(threshold) { hits += 1 } else { stored[model, default: []].append((query, record.endMicros ?? now)) }
        }
        #expect(result.scenarios[0].totals.servedRequests == hits)
        #expect(hits > 0)
    }
}

@Suite struct UncertaintyTests {
    @Test func scenarioFiguresCarryDayBootstrapIntervalsAndExactRateIntervals() throws {
        let engine = ReplayEngineTests()
        let result = try engine.simulate(ReplayEngineTests.twoLevers).0
        let scenario = result.scenarios[0]
        let intervals = try #require(scenario.intervals)
        #expect(intervals.blocks == 3)
        #expect(intervals.resamples == 1000)
        #expect(intervals.savings[0] <= scenario.totals.savings.dollars && scenario.totals.savings.dollars <= intervals.savings[1])
        #expect(intervals.savings[0] < intervals.savings[1])
        // The same seed gives the same intervals.
        #expect(try engine.simulate(ReplayEngineTests.twoLevers).0.scenarios[0].intervals == intervals)
        let hit = try #require(scenario.rates?["2:prefix_cache"]?["hit_rate"] ?? scenario.rates?["1:exact_cache"]?["hit_rate"])
        let expected = Intervals.clopperPearson(successes: hit.events, trials: hit.trials)
        #expect(hit.lower == expected.lower && hit.upper == expected.upper)
    }

    @Test func oneDayGivesNoBootstrapInterval() throws {
        var options = ReplayOptions()
        options.window = .init(from: Timestamp.parseISO("2026-09-01"), to: Timestamp.parseISO("2026-09-02"))
        let result = try ReplayEngineTests().simulate(ReplayEngineTests.twoLevers, options).0
        #expect(result.scenarios[0].intervals == nil)
    }
}

import Statistics
