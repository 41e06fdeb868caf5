import CostReplayCore
import Foundation
import Testing
import TestSupport

/// The replay core gives the same documents, to the femtodollar, as the build before issue 13's rewrite.
///
/// The golden files were written by the engine as it was before the hot path changed (commit on branch `speed`
/// that added this test); regenerate with UPDATE_GOLDEN=1 only for a change meant to alter results, and say so.
@Suite struct ReplayGoldenTests {
    /// 3,000 synthetic requests over four days, with texts, message structure and latencies, so every lever acts.
    static let storePath: String = {
        var options = SynthOptions()
        options.requests = 3000
        options.seed = 11
        options.days = 4
        return Replays.synthesizedStore(options)
    }()

    /// 50 points whose capacities bind on this trace (10 capacities × 5 TTLs).
    static let sweep = """
        scenarios:
          - name: exact-sweep
            strategies:
              - exact_cache:
                  capacity: {from: 20, to: 200, step: 20}
                  ttl: [60, 300, 900, 3600, 86400]
                  eviction: lru
        """

    static func document(_ yaml: String, path: String, workers: Int? = nil) throws -> String {
        let file = try ScenarioLoader.parse(text: yaml, path: path)
        let store = try TraceStore(existingPath: storePath)
        var options = ReplayOptions()
        options.workers = workers
        let result = try Simulation(scenarioFile: file, pricer: Pricer(catalog: sharedCatalog), options: options)
            .run(store: store, databasePath: "golden.db").0
        return String(decoding: try ResultFile.encode(result), as: UTF8.self)
    }

    static func check(_ actual: String, golden name: String) throws {
        let url = Fixtures.root.appendingPathComponent("Tests/CostReplayCoreTests/Replay/Golden/\(name)")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        // Totals first, so a failure names the scenario point and the money that moved.
        let decode = { (text: String) in try JSONDecoder().decode(ReplayResult.self, from: Data(text.utf8)) }
        let (now, before) = (try decode(actual), try decode(expected))
        #expect(now.baseline == before.baseline)
        #expect(now.scenarios.count == before.scenarios.count)
        for (a, b) in zip(now.scenarios, before.scenarios) {
            #expect(a.label == b.label)
            #expect(a.totals == b.totals, "\(a.label): totals changed")
            #expect(a.metrics == b.metrics, "\(a.label): metrics changed")
        }
        #expect(try ResultFile.encode(now) == ResultFile.encode(before), "the whole document must be identical to \(name)")
    }

    @Test func aFiftyPointExactCacheSweepGivesTheSameDocumentAsBefore() throws {
        try Self.check(try Self.document(Self.sweep, path: "sweep.yaml"), golden: "exact-sweep-50.json")
    }

    @Test func theNumberOfWorkersNeverChangesTheDocument() throws {
        let one = try Self.document(Self.sweep, path: "sweep.yaml", workers: 1)
        #expect(try Self.document(Self.sweep, path: "sweep.yaml", workers: 3) == one)
        #expect(try Self.document(Self.sweep, path: "sweep.yaml", workers: 7) == one)
    }

    @Test func theAllLeversScenarioGivesTheSameDocumentAsBefore() throws {
        let yaml = try String(contentsOf: Fixtures.root.appendingPathComponent("scenarios/levers.yaml"), encoding: .utf8)
        try Self.check(try Self.document(yaml, path: "levers.yaml"), golden: "levers.json")
    }

    /// Every counter, the semantic cache's expirations included, is the same from run to run and for any number of
    /// workers. (That counter once varied by one or two: the semantic index matched a request to the one it had
    /// just stored by memory address, and a freed batch's addresses are reused by later requests.)
    @Test func theAllLeversScenarioIsTheSameFromRunToRun() throws {
        let yaml = try String(contentsOf: Fixtures.root.appendingPathComponent("scenarios/levers.yaml"), encoding: .utf8)
        let first = try Self.document(yaml, path: "levers.yaml", workers: 1)
        for workers in [1, 2, 3] {
            #expect(try Self.document(yaml, path: "levers.yaml", workers: workers) == first, "workers: \(workers)")
        }
    }
}
