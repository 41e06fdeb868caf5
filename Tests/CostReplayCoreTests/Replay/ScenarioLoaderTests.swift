import CostReplayCore
import Testing
import TestSupport

@Suite struct ScenarioLoaderTests {
    func error(_ yaml: String, maxPoints: Int = 200) -> String? {
        do {
            _ = try ScenarioLoader.parse(text: yaml, path: "s.yaml", maxPoints: maxPoints)
            return nil
        } catch { return error.description }
    }

    @Test func anUnknownStrategyIsNamedWithASuggestion() {
        #expect(error("scenarios:\n  - name: a\n    strategies:\n      - exact_cach: {ttl: 60}\n")
                == "s.yaml:4: 'exact_cach': unknown strategy (did you mean 'exact_cache'?); known: exact_cache, semantic_cache, prefix_cache, component_cache, model_router, cascade, truncate, batch_offload, local_gpu, prompt_change")
    }

    @Test func aMisspeltParameterIsNamedWithItsLine() {
        #expect(error("scenarios:\n  - name: a\n    strategies:\n      - exact_cache:\n          ttl: 60\n          capacty: 10\n")
                == "s.yaml:6: 'capacty': unknown parameter of exact_cache (did you mean 'capacity'?); known: ttl, capacity, eviction, scope, normalise, lookup_cost, hit_latency_ms")
    }

    @Test func anOutOfRangeValueIsRejected() {
        #expect(error("scenarios:\n  - name: a\n    strategies:\n      - semantic_cache: {threshold: 1.5}\n")
                == "s.yaml:4: 'threshold': 1.5 is out of range 0…1")
    }

    @Test func aDuplicatedKeyIsNamedWithItsLine() {
        #expect(error("scenarios:\n  - name: a\n    strategies:\n      - exact_cache: {ttl: 1, ttl: 2}\n")
                == "s.yaml:4: invalid YAML: a key appears twice in one mapping: 'ttl'")
    }

    @Test func anUnmeasuredHardwareBlamesHardwareNotModel() {
        #expect(error("scenarios:\n  - name: a\n    strategies:\n      - local_gpu:\n          hardware: tpu\n")?.hasPrefix("s.yaml:5: 'hardware': no measured profile") == true)
        #expect(error("scenarios:\n  - name: a\n    strategies:\n      - local_gpu:\n          model: gpt-9\n")?.hasPrefix("s.yaml:5: 'model': no measured profile") == true)
    }

    @Test func aBatchOffloadThatCouldNeverActIsRefused() {
        #expect(error("scenarios:\n  - name: a\n    strategies:\n      - batch_offload:\n          tags: []\n")?
            .hasPrefix("s.yaml:5: 'tags': no tags and no operations") == true)
    }

    @Test func aBadChoiceIsRejected() {
        #expect(error("scenarios:\n  - name: a\n    strategies:\n      - exact_cache: {eviction: fifo}\n")
                == "s.yaml:4: 'eviction': 'fifo' is not one of lru, lfu")
    }

    @Test func aSweepLargerThanMaxPointsIsRefusedBeforeAnyWork() {
        #expect(error("scenarios:\n  - name: big\n    strategies:\n      - exact_cache:\n          capacity: {from: 1, to: 100, step: 1}\n", maxPoints: 50)
                == "s.yaml:2: 'big': the sweeps expand to more than --max-points 50 scenario points")
    }

    @Test func invalidYAMLNamesTheLine() {
        #expect(error("scenarios:\n  - name: a\n    strategies: [exact_cache\n")?.hasPrefix("s.yaml:4: invalid YAML") == true)
    }

    @Test func durationsAcceptUnits() throws {
        let file = try ScenarioLoader.parse(text: "scenarios: [{name: a, strategies: [{exact_cache: {ttl: [90s, 5m, 1h, 2d]}}]}]", path: "s.yaml")
        #expect(try file.plans.map { try $0.steps[0].parameters.number("ttl") } == [90, 300, 3600, 172_800])
    }

    @Test func sweepsMakeAGridAcrossParameters() throws {
        let file = try ScenarioLoader.parse(text: "scenarios: [{name: a, strategies: [{exact_cache: {ttl: [60, 120], capacity: [10, 20, 30]}}]}]", path: "s.yaml")
        #expect(file.plans.count == 6)
        #expect(file.plans[0].label == "a[ttl=60,capacity=10]")
    }

    @Test func theShippedScenarioFilesLoad() throws {
        for name in ["caching.yaml", "exact-cache-sweep.yaml"] {
            let file = try ScenarioLoader.load(path: Fixtures.root.appendingPathComponent("scenarios/\(name)").path)
            #expect(!file.plans.isEmpty)
        }
        #expect(try ScenarioLoader.load(path: Fixtures.root.appendingPathComponent("scenarios/exact-cache-sweep.yaml").path).plans.count == 50)
    }
}

import Foundation
