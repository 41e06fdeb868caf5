@testable import CostReplayCore
import Foundation
import Testing
import TestSupport

/// Typed metrics: levers count with ``Metric`` cases, documents keep their snake-case names.
@Suite struct MetricTests {
    @Test func documentNamesAreTheCaseNamesInSnakeCase() {
        #expect(Metric.noKey.name == "no_key")
        #expect(Metric.latencyP95Ms.name == "latency_p95_ms")
        #expect(Metric.costSavedUsd.name == "cost_saved_usd")
        #expect(Metric.breakEvenTokensPerMonth.name == "break_even_tokens_per_month")
        let names = Metric.allCases.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { $0.range(of: "^[a-z][a-z0-9]*(_[a-z0-9]+)*$", options: .regularExpression) != nil })
        for metric in Metric.allCases { #expect(Metric(name: metric.name) == metric) }
        #expect(Metric(name: "noKey") == nil)
    }

    /// Every figure the golden documents hold is a metric, or one of the families named from the data.
    @Test func everyFigureOfTheGoldenDocumentsIsAMetric() throws {
        let url = Fixtures.root.appendingPathComponent("Tests/CostReplayCoreTests/Replay/Golden/levers.json")
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        let scenarios = document?["scenarios"] as? [[String: Any]] ?? []
        var names = Set<String>()
        for scenario in scenarios {
            for counters in (scenario["metrics"] as? [String: [String: Any]] ?? [:]).values { names.formUnion(counters.keys) }
        }
        #expect(names.count >= 40)
        let unknown = names.filter { Metric(name: $0) == nil && !["tier:", "prior:", "auto_net_usd:"].contains(where: $0.hasPrefix) }
        #expect(unknown.isEmpty, "\(unknown.sorted())")
    }

    @Test func aFigureIsReportedOnceSomethingWasAddedEvenZero() {
        var counts = MetricCounts()
        #expect(counts.document.isEmpty)
        counts.add(.hits, 0)
        counts.add(.lookups)
        counts.add(.lookups, 2)
        counts.add(named: "tier:small")
        #expect(counts.document == ["hits": 0, "lookups": 3, "tier:small": 1])
        counts[.hits] = nil
        counts[.servers] = 4
        #expect(counts.document == ["lookups": 3, "servers": 4, "tier:small": 1])
        #expect(counts[.lookups] == 3 && counts[.misses] == nil)
        #expect(["no_key": 2.0][.noKey] == 2)
    }
}
