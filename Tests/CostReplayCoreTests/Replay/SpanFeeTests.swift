import CostReplayCore
import Testing
import TestSupport

/// A paid tool call's own fee (`cost_usd` on a span) is part of the bill as recorded and of every scenario.
@Suite struct SpanFeeTests {
    @Test func aSpanFeeIsInTheBaselineTheScenarioAndTheDailyFigures() throws {
        var call = Replays.request("c1", at: 10)
        call.traceID = "t1"
        var tool = TraceRecord(id: "s1")
        tool.kind = .tool
        tool.traceID = "t1"
        tool.parentID = "c1"
        tool.name = "search"
        tool.startMicros = call.startMicros! + 1_000_000
        tool.endMicros = tool.startMicros! + 1_000_000
        tool.attributes["cost_usd"] = "0.25"
        var options = ReplayOptions()
        options.bootstrapResamples = 0
        let (result, _) = try Replays.run([call, tool], scenario: "scenarios: [{name: none, strategies: []}]", options: options)
        let callCost = result.baseline.baselineCost - Money(dollars: 0.25)
        #expect(callCost.femtos > 0)
        #expect(result.scenarios[0].totals.cost == result.baseline.cost)
        #expect(result.scenarios[0].totals.savings == .zero)
        let daily = result.scenarios[0].daily ?? []
        #expect(daily.reduce(Money.zero) { $0 + $1.cost } == result.baseline.cost)
    }
}
