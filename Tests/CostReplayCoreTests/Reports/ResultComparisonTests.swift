@testable import CostReplayCore
import Testing
import TestSupport

/// `report --compare`: two documents side by side, per 30 days of their own traffic, matched by label.
@Suite struct ResultComparisonTests {
    static let yaml = "scenarios: [{name: cache, strategies: [exact_cache]}]"

    @Test func twiceTheTrafficCostsTwiceAsMuchPerThirtyDaysAndUnmatchedPointsShowAsMissing() throws {
        let one = (0..<10).map { Replays.request("a\($0)", at: Double($0) * 60, prompt: "q\($0)") }
        let two = (0..<20).map { Replays.request("b\($0)", at: Double($0) * 30, prompt: "q\($0)") }
        var options = ReplayOptions()
        options.bootstrapResamples = 0
        let (a, _) = try Replays.run(one, scenario: Self.yaml, options: options)
        var (b, _) = try Replays.run(two, scenario: Self.yaml, options: options)
        b.scenarios[0].label = "cache-renamed"
        let comparison = try ResultComparison(a, named: "A", b, named: "B")
        #expect(comparison.daysA == 1 && comparison.daysB == 1)
        let baseline = comparison.rows[0]
        #expect(baseline.label == "baseline (as recorded)")
        #expect(baseline.costB! == Money(dollars: baseline.costA!.dollars * 2))
        #expect(baseline.change! == baseline.costA!)
        #expect(comparison.rows.map(\.label) == ["baseline (as recorded)", "cache", "cache-renamed"])
        #expect(comparison.rows[1].costB == nil && comparison.rows[2].costA == nil)
        #expect(comparison.table().contains("—"))
        #expect(comparison.html().hasPrefix("<!DOCTYPE html>") && !comparison.html().contains("<script"))
    }

    @Test func aDocumentWithoutDaysIsRefusedUnlessItsWindowGivesThePeriod() throws {
        let one = (0..<10).map { Replays.request("a\($0)", at: Double($0) * 60, prompt: "q\($0)") }
        var options = ReplayOptions()
        options.bootstrapResamples = 0
        let (a, _) = try Replays.run(one, scenario: Self.yaml, options: options)
        var empty = a
        empty.scenarios[0].daily = []
        #expect(throws: ComparisonError.noPeriod("E")) { try ResultComparison(a, named: "A", empty, named: "E") }
        // Its own --from/--to window says how long it was: 15 days, not an assumed 30.
        empty.inputs.window = .init(from: "2026-09-01T00:00:00Z", to: "2026-09-16T00:00:00Z")
        let comparison = try ResultComparison(a, named: "A", empty, named: "E")
        #expect(comparison.daysB == 15)
        #expect(comparison.rows[0].costB == Money(dollars: empty.baseline.cost.dollars * 2))
    }
}
