import CostReplayCore
import Foundation
import Statistics
import Testing

/// The coverage study: over 1,000 synthetic traces whose true savings share is known, the 95%
/// day-bootstrap interval must cover the truth in at least 93% of them.
@Suite struct BootstrapCoverageTests {
    @Test func dayBootstrapIntervalsCoverTheTrueSavingsShare() {
        let random = RandomSource(seed: 2026)
        let trueShare = 0.3
        var covered = 0
        let traces = 1000
        for trace in 0..<traces {
            var baseline: [Money] = [], cost: [Money] = []
            for _ in 0..<60 {
                // Heavy-tailed daily spend; the day's saving varies around the true share.
                let day = random.lognormal(mu: log(500), sigma: 0.6)
                let share = trueShare + random.gaussian(sigma: 0.08)
                baseline.append(Money(dollars: day))
                cost.append(Money(dollars: day * (1 - share)))
            }
            let intervals = BlockTotals(baseline: baseline, cost: cost).intervals(resamples: 1000, seed: UInt64(trace))!
            if intervals.savingsShare[0] <= trueShare && trueShare <= intervals.savingsShare[1] { covered += 1 }
        }
        let coverage = Double(covered) / Double(traces)
        print("bootstrap coverage of the true savings share: \(covered) of \(traces) = \(coverage * 100)%")
        #expect(coverage >= 0.93)
    }

    @Test func differentSeedsGiveIntervalsThatAgreeWithinTheirWidth() {
        let random = RandomSource(seed: 7)
        let baseline = (0..<30).map { _ in Money(dollars: random.lognormal(mu: log(100), sigma: 0.5)) }
        let cost = baseline.map { Money(dollars: $0.dollars * (0.7 + random.gaussian(sigma: 0.05))) }
        let a = BlockTotals(baseline: baseline, cost: cost).intervals(resamples: 2000, seed: 1)!
        let b = BlockTotals(baseline: baseline, cost: cost).intervals(resamples: 2000, seed: 2)!
        let width = a.savingsShare[1] - a.savingsShare[0]
        #expect(a.savingsShare != b.savingsShare)
        #expect(abs(a.savingsShare[0] - b.savingsShare[0]) < width / 4)
        #expect(abs(a.savingsShare[1] - b.savingsShare[1]) < width / 4)
    }
}
