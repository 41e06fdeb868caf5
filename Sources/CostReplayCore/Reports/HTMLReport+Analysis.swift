import Statistics

/// The analysis sections of the HTML report, all derived from the result document alone.
extension HTMLReport {
    /// The forecast section: fan chart, monthly P10/P50/P90, model choice and backtests, from the document's daily costs.
    static func forecast(_ result: ReplayResult) -> String {
        guard let days = result.scenarios.first?.daily, days.count >= ETSSelection.minimumDays else { return "" }
        let series = DailySeries(days: days.compactMap { Timestamp.parseISO($0.day).map { Timestamp.floorDiv($0, 86_400_000_000) } },
                                 cost: days.map { $0.baseline.dollars }, requests: days.map { Double($0.requests) })
        var forecaster = Forecaster()
        forecaster.paths = 5_000
        forecaster.seed = result.inputs.seed
        guard series.days.count == days.count, let scenarios = try? ForecastScenario.from(result),
              let document = try? forecaster.forecast(series, scenarios: Array(scenarios.prefix(3)),
                                                     database: result.inputs.database, resultPath: nil) else { return "" }
        return ForecastHTML.section(document, compact: true)
    }

    /// Semantic-cache threshold curve: hit rate and the false-hit upper bound per swept threshold,
    /// with the recommended threshold at a 5% bound.
    static func thresholds(_ result: ReplayResult) -> String {
        let candidates = ThresholdRecommendation.candidates(from: result, confidence: 0.95).sorted { $0.threshold < $1.threshold }
        guard candidates.count >= 2 else { return "" }
        let recommendation = ThresholdRecommendation.recommend(candidates, maxFalseHitRate: 0.05, confidence: 0.95)
        let chart = HTML.lines([("hit rate", candidates.map(\.hitRate)),
                                ("false-hit rate", candidates.map { $0.checkedHits > 0 ? Double($0.falseHits) / Double($0.checkedHits) : 0 }),
                                ("95% upper bound", candidates.map(\.upperBound))],
                               labels: candidates.map { JSONText.number($0.threshold) }, title: "Semantic cache threshold curve")
        return "<h2>Semantic-cache threshold</h2><p>\(HTML.escape(recommendation.statement)) (bound: 5% at 95% confidence).</p>"
            + "<figure>\(chart)</figure>"
            + HTML.table(["threshold", "hit rate", "false / checked hits", "false-hit upper bound"], candidates.map {
                [JSONText.number($0.threshold), pct($0.hitRate), "\($0.falseHits) / \($0.checkedHits)", pct($0.upperBound)]
            }, numeric: [1, 3])
    }

    /// Local GPUs against the API: fixed monthly cost, API cost avoided, break-even volume.
    static func localServing(_ result: ReplayResult) -> String {
        var rows: [[String]] = []
        var bars: [(String, Double)] = []
        for s in result.scenarios {
            for (key, m) in s.metrics.sorted(by: { $0.key < $1.key }) where key.hasSuffix(":" + LocalGPU.name) {
                guard let hours = m[.spanHours], hours > 0 else { continue }
                let monthly = 730.5 / hours
                let avoided = (m[.apiCostAvoidedUsd] ?? 0) * monthly
                let fixed = m[.monthlyFixedUsd] ?? 0
                rows.append([s.label, MoneyFormat.count(Int(m[.gpus] ?? 0)), pct(m[.utilisation] ?? 0), money(Money(dollars: fixed)),
                             money(Money(dollars: avoided)), m[.breakEvenTokensPerMonth].map { MoneyFormat.count(Int64($0)) } ?? "-",
                             m[.monthsToBreakEven].map { MoneyFormat.fixed($0, decimals: 1) } ?? "never"])
                bars.append(("\(s.label): servers a month", fixed))
                bars.append(("\(s.label): API bill avoided", avoided))
            }
        }
        guard !rows.isEmpty else { return "" }
        return "<h2>Local GPUs against the API</h2><figure>"
            + HTML.bars(bars, format: { MoneyFormat.human(Money(dollars: $0)) }, title: "Monthly server cost against the API bill it replaces")
            + "</figure>" + HTML.table(["scenario", "GPUs", "utilisation", "fixed a month", "API avoided a month",
                                         "break-even tokens a month", "months to repay"], rows, numeric: [1, 2, 3, 4, 5, 6])
    }

    /// Sensitivity tornado of the first scenario's annual cost.
    static func tornado(_ result: ReplayResult) -> String {
        guard let report = Sensitivity.tornado(result, scenario: nil) else { return "" }
        let chart = HTML.bars(report.bars.map { ($0.assumption, $0.swing) }, format: { MoneyFormat.human(Money(dollars: $0)) },
                              title: "Sensitivity of annual cost")
        return "<h2>Sensitivity</h2><p>\(HTML.escape(report.scenario)): annual cost \(money(Money(dollars: report.annualCost))) at the "
            + "replayed rate; each assumption moved alone, ranked by the swing it causes.</p><figure>\(chart)</figure>"
            + HTML.table(["assumption", "moved by", "low", "high"], report.bars.map {
                [$0.assumption, $0.movement, money(Money(dollars: $0.low)), money(Money(dollars: $0.high))]
            }, numeric: [2, 3])
    }
}
