@testable import CostReplayCore
import Foundation
import Testing
import TestSupport

@Suite struct BinnedLatencyDiagnosticTests {
    static func golden() throws -> ReplayResult {
        let url = Fixtures.root.appendingPathComponent("Tests/CostReplayCoreTests/Replay/Golden/levers.json")
        return try JSONDecoder().decode(ReplayResult.self, from: Data(contentsOf: url))
    }

    @Test func bucketedPercentilesAreNamedInTheDiagnostics() throws {
        var result = try Self.golden()
        #expect(ReplayEngine.diagnostics(baseline: result.baseline, scenarios: result.scenarios).isEmpty)
        result.scenarios[0].metrics["9:local_gpu"]!["binned_latencies"] = 70_123
        #expect(ReplayEngine.diagnostics(baseline: result.baseline, scenarios: result.scenarios) == [
            "local_gpu: latency and time-to-first-token percentiles of 70123 locally served requests are read from "
                + "log-spaced buckets (within 0.5% of the exact figures; exact up to 65536 requests)",
        ])
    }
}
