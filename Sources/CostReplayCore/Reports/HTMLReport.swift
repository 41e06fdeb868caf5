/// Renders a replay's result document as one self-contained HTML page: executive summary,
/// savings by lever, cost per day, observed rates with intervals, assumptions and diagnostics.
/// Reads only the document; trace text never appears (documents hold no prompts or responses).
public enum HTMLReport {
    public static func render(_ result: ReplayResult, plan: PlanDocument? = nil, title: String = "CostReplay report") -> String {
        let e = HTML.escape
        var body = "<h1>\(e(title))</h1>"
        if let plan { body += recommendation(plan) + "<h2 class=\"evidence\">Evidence</h2>" }
        body += "<p class=\"muted\">Replay of \(e(result.inputs.database)) through \(e(result.inputs.scenarioFile)) "
            + "(digest \(e(result.inputs.scenarioDigest))), seed \(result.inputs.seed)"
            + (result.inputs.window.from.map { ", from \(e($0))" } ?? "") + (result.inputs.window.to.map { ", to \(e($0))" } ?? "") + ".</p>"
        body += summary(result)
        body += levers(result)
        body += models(result)
        body += daily(result)
        body += forecast(result)
        body += thresholds(result)
        body += localServing(result)
        body += tornado(result)
        body += quality(result)
        body += rates(result)
        body += assumptions(result)
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(title))</title><style>\(HTML.style)</style></head>
            <body>\(body)</body></html>

            """
    }

    static func money(_ value: Money) -> String { MoneyFormat.human(value) }
    static func pct(_ value: Double) -> String { MoneyFormat.fixed(value * 100, decimals: 1) + "%" }

    static func summary(_ result: ReplayResult) -> String {
        // Monthly figures scale the replayed days to 30.44.
        let days = Double(max(result.scenarios.first?.daily?.count ?? 0, 1))
        func monthly(_ value: Money) -> String { money(Money(dollars: value.dollars / days * 30.436875)) }
        var rows: [[String]] = [["baseline", MoneyFormat.count(result.baseline.requests), money(result.baseline.cost), monthly(result.baseline.cost),
                                 "", "", "", ""]]
        for s in result.scenarios {
            let interval = s.intervals.map { "\(money(Money(dollars: $0.savings[0]))) to \(money(Money(dollars: $0.savings[1])))" } ?? "n/a"
            let risk = QualityRisk.estimate(s, paths: 20_000, seed: result.inputs.seed).map {
                "\(MoneyFormat.count(Int($0.p50))) (\(MoneyFormat.count(Int($0.p10)))–\(MoneyFormat.count(Int($0.p90))))"
            } ?? "–"
            rows.append([s.label, MoneyFormat.count(s.totals.requests), money(s.totals.cost), monthly(s.totals.cost), money(s.totals.savings),
                         pct(s.totals.savingsShare), interval, risk])
        }
        let chart = HTML.bars(result.scenarios.map { ($0.label, $0.totals.savings.dollars) }, format: { MoneyFormat.human(Money(dollars: $0)) },
                              title: "Savings by scenario")
        return "<h2>Executive summary</h2><p>Cost of the replayed traffic as it ran (re-priced at catalog rates) and under each "
            + "scenario, with the 95% bootstrap interval of the saving (whole days resampled).</p>"
            + "<figure>\(chart)</figure>"
            + HTML.table(["scenario", "requests", "cost", "a month", "savings", "share", "95% interval of savings",
                          "degraded answers a month (P50, P10–P90)"], rows, numeric: [1, 2, 3, 4, 5])
            + "<p class=\"muted\">Quality risk where the scenario has quality priors or recorded outcomes (Monte Carlo over their Beta distributions).</p>"
    }

    static func levers(_ result: ReplayResult) -> String {
        let multi = result.scenarios.filter { $0.waterfall.count > 1 }
        guard !multi.isEmpty else { return "" }
        var out = "<h2>Savings by lever</h2><p>Each lever's saving when applied in order (waterfall: it adds up to the "
            + "scenario's saving) and alone against the baseline.</p>"
        for s in multi {
            out += "<h3>\(HTML.escape(s.label))</h3><figure>"
                + HTML.bars(s.waterfall.map { ($0.strategy, $0.savings.dollars) }, format: { MoneyFormat.human(Money(dollars: $0)) },
                            title: "Savings waterfall of \(s.label)") + "</figure>"
            out += HTML.table(["lever", "in order", "alone"], zip(s.waterfall, s.alone).map { [$0.strategy, money($0.savings), money($1.savings)] },
                              numeric: [1, 2])
        }
        return out
    }

    /// Cost against quality for the scenarios whose quality is known (recorded outcomes).
    static func quality(_ result: ReplayResult) -> String {
        let points: [(String, Double, Double)] = result.scenarios.compactMap { s in
            guard let accuracy = s.rates?.values.compactMap({ $0["accuracy"] }).first else { return nil }
            return (s.label, s.totals.cost.dollars, accuracy.rate)
        }
        guard !points.isEmpty else { return "" }
        return "<h2>Cost against quality</h2><p>Scenarios whose quality is measured from recorded per-model outcomes.</p>"
            + HTML.table(["scenario", "cost", "accuracy"], points.sorted { $0.1 < $1.1 }.map { [$0.0, money(Money(dollars: $0.1)), pct($0.2)] },
                         numeric: [1, 2])
    }

    /// Cost by the model requests were finally sent to, per scenario.
    static func models(_ result: ReplayResult) -> String {
        let scenarios = result.scenarios.filter { $0.byModel != nil }
        guard !scenarios.isEmpty else { return "" }
        let models = Array(Set(scenarios.flatMap { $0.byModel!.keys })).sorted()
        let rows = models.map { model in [model] + scenarios.map { money($0.byModel![model] ?? .zero) } }
        var out = "<h2>Cost by model</h2><p>Where each scenario's money goes: the model a request was finally sent to, "
            + "\"(served)\" for requests a cache answered, and fixed server costs.</p>"
            + HTML.table(["model"] + scenarios.map(\.label), rows, numeric: Set(1...scenarios.count))
        if let first = result.scenarios.first, let baseline = first.baselineByModelDaily {
            out += "<h3>Over time: the baseline, by recorded model</h3>" + modelLines(baseline, title: "Baseline cost by model per day")
        }
        if let scenario = result.scenarios.first(where: { $0.waterfall.count > 1 }) ?? result.scenarios.first, let days = scenario.byModelDaily {
            out += "<h3>Over time: \(HTML.escape(scenario.label)), by final model</h3>" + modelLines(days, title: "Cost by model per day")
        }
        return out
    }

    /// Lines of the four costliest models per day.
    static func modelLines(_ days: [ModelDay], title: String) -> String {
        let labels = Array(Set(days.map(\.day))).sorted()
        guard labels.count > 1 else { return "" }
        let totals = Dictionary(grouping: days, by: \.model).mapValues { $0.reduce(Money.zero) { $0 + $1.cost } }
        let top = totals.keys.sorted { (totals[$0]!, $1) > (totals[$1]!, $0) }.prefix(4)
        let series = top.map { model -> (name: String, values: [Double]) in
            let byDay = Dictionary(days.filter { $0.model == model }.map { ($0.day, $0.cost.dollars) }, uniquingKeysWith: +)
            return (model, labels.map { byDay[$0] ?? 0 })
        }
        return "<figure>\(HTML.lines(series, labels: labels, title: title))</figure>"
    }

    static func daily(_ result: ReplayResult) -> String {
        guard let first = result.scenarios.first, let days = first.daily, days.count > 1 else { return "" }
        var series: [(name: String, values: [Double])] = [("baseline", days.map { $0.baseline.dollars })]
        for s in result.scenarios.prefix(3) {
            guard let d = s.daily, d.count == days.count else { continue }
            series.append((s.label, d.map { $0.cost.dollars }))
        }
        let labels = days.map(\.day)
        var rows: [[String]] = []
        for (index, day) in labels.enumerated() {
            rows.append([day] + series.map { MoneyFormat.human(Money(dollars: $0.values[index])) })
        }
        return "<h2>Cost per day</h2><figure>\(HTML.lines(series, labels: labels, title: "Cost per day"))</figure>"
            + "<details><summary>Data</summary>" + HTML.table(["day"] + series.map(\.name), rows, numeric: Set(1...series.count)) + "</details>"
    }

    static func rates(_ result: ReplayResult) -> String {
        var rows: [[String]] = []
        for s in result.scenarios {
            for strategy in (s.rates ?? [:]).keys.sorted() {
                for (name, r) in s.rates![strategy]!.sorted(by: { $0.key < $1.key }) {
                    rows.append([s.label, strategy, name, "\(r.events) / \(r.trials)", pct(r.rate), "\(pct(r.lower)) to \(pct(r.upper))"])
                }
            }
        }
        guard !rows.isEmpty else { return "" }
        return "<h2>Observed rates</h2><p>Exact (Clopper–Pearson) 95% intervals.</p>"
            + HTML.table(["scenario", "lever", "rate", "events / trials", "value", "95% interval"], rows, numeric: [3, 4])
    }

    static func assumptions(_ result: ReplayResult) -> String {
        var out = "<h2>Assumptions, prices and diagnostics</h2><h3>Scenario parameters</h3>"
        out += HTML.table(["scenario", "position", "lever", "parameters"], result.scenarios.flatMap { s in
            s.steps.enumerated().map { position, step in
                [s.label, String(position + 1), step.strategy,
                 step.parameters.keys.sorted().map { "\($0)=\(step.parameters[$0]!)" }.joined(separator: ", ")]
            }
        })
        out += "<h3>Prices</h3><p>Price catalog: \(HTML.escape(result.inputs.catalog.map { "\($0.label), \($0.origin)" } ?? "not recorded"))</p><ul>"
            + result.inputs.priceSources.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>"
        out += "<h3>Diagnostics</h3>"
        var lines = result.diagnostics
        if let store = result.store {
            lines.append("\(store.rejectedRecords) rejected input records are kept in the store (costreplay rejects)")
            if store.billedRequests > 0 {
                lines.append("billed cost recorded for \(store.billedRequests) requests: \(money(store.billedCost)) billed, "
                             + "\(money(store.computedOnBilled)) at catalog prices, gap \(money(store.gap))")
            }
            lines += store.unpricedModels.map { "unpriced model: \($0)" }
        }
        out += lines.isEmpty ? "<p>None.</p>" : "<ul>" + lines.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>"
        return out
    }
}
