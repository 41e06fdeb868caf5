import Statistics

/// What a scenario's annual cost hangs on: each assumption moved alone by a stated amount, the
/// others held at their point values, ranked by the swing (a tornado).
public enum Sensitivity {
    public struct Bar: Sendable, Codable, Equatable {
        public var assumption: String
        public var movement: String
        public var low: Double
        public var high: Double
        public var swing: Double { abs(high - low) }
    }

    public struct Report: Sendable, Codable {
        public var scenario: String
        public var annualCost: Double
        public var bars: [Bar]
    }

    /// Annual cost = 365 days × (per-request cost per day × volume × prices) + fixed costs per year.
    public static func tornado(_ result: ReplayResult, scenario label: String?) -> Report? {
        let chosen: ScenarioResult?
        if let label { chosen = result.scenarios.first { $0.label == label } } else { chosen = result.scenarios.first }
        guard let scenario = chosen else { return nil }
        let days = max(1.0, scenario.metrics.values.compactMap { $0[.spanHours] }.max().map { $0 / 24 } ?? Double(scenario.intervals?.blocks ?? 1))
        let baseline = scenario.totals.baselineCost.dollars / days * 365
        let fixed = scenario.totals.fixedCost.dollars / days * 365
        let variableShare = baseline == 0 ? 0 : 1 - (scenario.totals.cost - scenario.totals.fixedCost).dollars / days * 365 / baseline
        func annual(volume: Double = 1, prices: Double = 1, share: Double? = nil, fixedFactor: Double = 1, growth: Double = 0) -> Double {
            // Monthly growth compounds over the year: the average month is Σ (1+g)^m / 12 of today's.
            let growthFactor = growth == 0 ? 1 : (1...12).reduce(0.0) { $0 + pow(1 + growth, Double($1)) } / 12
            return baseline * volume * prices * growthFactor * (1 - (share ?? variableShare)) + fixed * fixedFactor
        }
        var bars = [
            Bar(assumption: "traffic volume", movement: "±20%", low: annual(volume: 0.8), high: annual(volume: 1.2)),
            Bar(assumption: "token prices", movement: "±10%", low: annual(prices: 0.9), high: annual(prices: 1.1)),
            Bar(assumption: "monthly growth", movement: "−5 to +5 points a month", low: annual(growth: -0.05), high: annual(growth: 0.05)),
        ]
        if let interval = scenario.intervals, fixed == 0 {
            // The bootstrap interval of the total share, shifted onto the per-request share.
            let offset = variableShare - scenario.totals.savingsShare
            bars.append(Bar(assumption: "savings share (hit rates, escalations, …)", movement: "95% bootstrap interval",
                            low: annual(share: interval.savingsShare[1] + offset), high: annual(share: interval.savingsShare[0] + offset)))
        } else {
            bars.append(Bar(assumption: "savings share (hit rates, escalations, …)", movement: "±20% relative",
                            low: annual(share: variableShare * 1.2), high: annual(share: variableShare * 0.8)))
        }
        if fixed > 0 {
            bars.append(Bar(assumption: "GPU and server costs", movement: "±20%", low: annual(fixedFactor: 0.8), high: annual(fixedFactor: 1.2)))
        }
        bars.sort { ($0.swing, $1.assumption) > ($1.swing, $0.assumption) }
        return Report(scenario: scenario.label, annualCost: annual(), bars: bars)
    }

    public static func table(_ report: Report) -> String {
        "\(report.scenario): annual cost \(MoneyFormat.human(Money(dollars: report.annualCost))) at the replayed rate\n"
            + TextTable.render(header: ["assumption", "moved by", "low", "high", "swing"], rows: report.bars.map { bar in
                [bar.assumption, bar.movement, MoneyFormat.human(Money(dollars: bar.low)), MoneyFormat.human(Money(dollars: bar.high)),
                 MoneyFormat.human(Money(dollars: bar.swing))]
            })
    }
}

/// Quality risk as a distribution: expected degraded (wrong) responses per month, by Monte Carlo
/// over the routing priors' Beta distributions and over the measured accuracy (a Beta posterior
/// from recorded outcomes with a uniform prior).
public enum QualityRisk {
    public struct Estimate: Sendable, Codable, Equatable {
        public var scenario: String
        public var requestsPerMonth: Double
        public var p10: Double
        public var p50: Double
        public var p90: Double
        public var sources: [String]
    }

    public static func estimate(_ scenario: ScenarioResult, paths: Int = 100_000, seed: UInt64 = 42) -> Estimate? {
        var groups: [(count: Double, alpha: Double, beta: Double, label: String)] = []
        for (key, counters) in scenario.metrics {
            guard let position = Int(key.split(separator: ":")[0]), position >= 1, position <= scenario.steps.count else { continue }
            let step = scenario.steps[position - 1]
            if case .rules(let priors)? = step.parameters["quality_priors"] {
                for prior in priors {
                    guard let tier = prior["tier"], let a = prior["alpha"].flatMap(Double.init), let b = prior["beta"].flatMap(Double.init) else { continue }
                    let count = counters["prior:\(tier):\(prior["tag"] ?? "*")"] ?? 0
                    if count > 0 { groups.append((count, a, b, "prior \(tier)/\(prior["tag"] ?? "*") Beta(\(JSONText.number(a)), \(JSONText.number(b)))")) }
                }
            }
            if let outcomes = counters[.outcomes], outcomes > 0 {
                let correct = counters[.correct] ?? 0
                groups.append((outcomes, correct + 1, outcomes - correct + 1, "measured: \(Int(correct)) of \(Int(outcomes)) correct"))
            }
        }
        guard !groups.isEmpty else { return nil }
        // The replayed days as the forecast reads them (span, else daily totals, else day blocks); a document with none
        // gives figures for its replayed window, said so, rather than a month scaled from a guessed day.
        let days = ForecastScenario.replayedDays(scenario)
        let monthFactor = days.map { 30.436875 / $0 } ?? 1
        if days == nil { groups[0].label += " (the document records no span: figures are for the replayed window, not a month)" }
        let random = RandomSource(seed: seed)
        let draws = (0..<paths).map { _ in
            groups.reduce(0.0) { $0 + $1.count * monthFactor * (1 - random.beta(a: $1.alpha, b: $1.beta)) }
        }
        guard let p10 = try? Summary.quantile(draws, 0.1), let p50 = try? Summary.quantile(draws, 0.5),
              let p90 = try? Summary.quantile(draws, 0.9) else { return nil }
        return Estimate(scenario: scenario.label, requestsPerMonth: Double(scenario.totals.requests) * monthFactor,
                        p10: p10, p50: p50, p90: p90, sources: groups.map(\.label))
    }
}

#if canImport(Glibc)
import Glibc
#endif
