import Foundation
import Testing
import TestSupport
@testable import CostReplayCore

/// `local_gpu` with `servers: auto` on `simulate`: the count that saves most, or none when none saves anything.
@Suite struct AutoServersTests {
    static func run(_ store: (TraceStore, String), servers: String) throws -> ReplayResult {
        let yaml = """
            scenarios:
              - name: hosted
                strategies:
                  - local_gpu: {tags: ["feature:bulk"], servers: \(servers), rent_per_gpu_hour: 2, ops_usd_month: 0}
            """
        var options = ReplayOptions()
        options.bootstrapResamples = 0
        let file = try ScenarioLoader.parse(text: yaml, path: "auto.yaml")
        return try Simulation(scenarioFile: file, pricer: Pricer(catalog: sharedCatalog), options: options).run(store: store.0, databasePath: store.1).0
    }

    @Test func lightTrafficChoosesNoServerAndCostsWhatTheAPICosts() throws {
        let store = try PlannerTests.store(calls: 300)
        let result = try Self.run(store, servers: "auto")
        let hosted = try #require(result.scenarios.first)
        #expect(hosted.totals.cost == result.baseline.cost)
        #expect(hosted.metrics["1:local_gpu"]?["servers"] == 0)
        #expect(result.diagnostics.contains { $0.contains("servers: auto chose 0") })
    }

    @Test func heavyTrafficChoosesTheCountThatSavesMostAmongFixedCounts() throws {
        let store = try PlannerTests.store(calls: 3_000)
        let auto = try Self.run(store, servers: "auto")
        let chosen = Int(try #require(auto.scenarios.first?.metrics["1:local_gpu"]?["servers"]))
        #expect(chosen >= 1)
        // The chosen count costs no more than any fixed count tried by hand, and exactly what that count costs.
        let fixed = try LocalGPU.autoCandidates.prefix(4).map { ($0, try Self.run(store, servers: String($0)).scenarios[0].totals.cost) }
        let cheapest = fixed.min { $0.1 < $1.1 }!
        let sameCountByHand = try Self.run(store, servers: String(chosen)).scenarios[0].totals.cost
        #expect(auto.scenarios[0].totals.cost == sameCountByHand)
        #expect(auto.scenarios[0].totals.cost <= cheapest.1)
        #expect(auto.scenarios[0].totals.cost < auto.baseline.cost)
    }

    @Test func autoIsAcceptedOnlyWhereAStrategySaysSo() throws {
        #expect(throws: ScenarioError.self) {
            try ScenarioLoader.parse(text: "scenarios:\n  - name: x\n    strategies:\n      - exact_cache: {capacity: auto}\n", path: "x.yaml")
        }
    }
}
