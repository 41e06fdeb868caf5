import CostReplayCore
import Foundation
import Testing
import TestSupport

/// The plain-Python LRU+TTL peer of the benchmark (scripts/lru_ttl_peer.py) counts exactly what the exact cache counts,
/// so timing one against the other compares the same work.
@Suite struct PythonPeerTests {
    static let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: python != nil, "needs python3 to run scripts/lru_ttl_peer.py"))
    func thePythonPeerCountsTheSameHitsEvictionsAndExpirationsAsTheExactCache() throws {
        var options = SynthOptions()
        options.requests = 20_000
        options.seed = 7
        options.days = 3
        options.compact = true
        options.withText = false
        var lines = ""
        TraceSynthesizer(options: options, pricer: Pricer(catalog: sharedCatalog)).generate { lines += CanonicalEncoder.line($0) + "\n" }
        let trace = Fixtures.write(lines)
        let (capacities, ttls) = ([100, 400, 1600], [60, 900, 86400])
        let yaml = """
            scenarios:
              - name: sweep
                strategies: [{exact_cache: {capacity: \(capacities), ttl: \(ttls), eviction: lru}}]
            """
        let (store, _) = try Fixtures.ingest([trace])
        let result = try Simulation(scenarioFile: try ScenarioLoader.parse(text: yaml, path: "t.yaml"),
                                    pricer: Pricer(catalog: sharedCatalog), options: ReplayOptions())
            .run(store: store, databasePath: "t.db").0

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python!)
        process.arguments = [Fixtures.root.appendingPathComponent("scripts/lru_ttl_peer.py").path, trace,
                             "--capacities", capacities.map(String.init).joined(separator: ","),
                             "--ttls", ttls.map(String.init).joined(separator: ",")]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        var peer: [String: [String: Double]] = [:]
        for line in String(decoding: output, as: UTF8.self).split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let point = "\(object["capacity"] as! Int)/\(Int(object["ttl"] as! Double))"
            peer[point] = object.compactMapValues { ($0 as? NSNumber)?.doubleValue }
        }
        #expect(peer.count == 9)
        var hits = 0.0
        var evictions = 0.0
        for (index, scenario) in result.scenarios.enumerated() {
            let parameters = scenario.steps[0].parameters
            guard case .number(let capacity) = parameters["capacity"], case .number(let ttl) = parameters["ttl"] else {
                Issue.record("no capacity or ttl in \(scenario.label)")
                continue
            }
            let point = "\(Int(capacity))/\(Int(ttl))"
            let ours = Replays.metrics(result, index)
            for counter in ["lookups", "hits", "misses", "evictions", "expirations"] {
                #expect(ours[counter, default: 0] == peer[point]?[counter], "\(scenario.label) \(counter)")
            }
            hits += ours["hits", default: 0]
            evictions += ours["evictions", default: 0]
        }
        // The comparison means something only if the trace has hits and the capacities bind.
        #expect(hits > 1000)
        #expect(evictions > 0)
    }
}
