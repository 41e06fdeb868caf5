/// Renders a ``ReplayResult`` as the console comparison table and tidy CSV.
public enum ReplayResultRenderer {
    /// Hit rate of a strategy's counters, when it reports lookups.
    static func hitRate(_ counters: [String: Double]) -> Double? {
        guard let lookups = counters[.lookups] ?? counters[.calls] ?? counters[.requests], lookups > 0 else { return nil }
        return (counters[.hits] ?? 0) / lookups
    }

    public static func table(_ result: ReplayResult) -> String {
        var rows: [[String]] = [["baseline", MoneyFormat.count(result.baseline.requests), MoneyFormat.human(result.baseline.cost), "", "", ""]]
        for scenario in result.scenarios {
            let rates = scenario.metrics.keys.sorted().compactMap { key -> String? in
                let counters = scenario.metrics[key]!
                let name = key.split(separator: ":").last!
                // The prefix cache's figure is the share of input tokens read from cache.
                if let read = counters[.cacheReadTokens], let input = counters[.inputTokens], input > 0 {
                    return "\(name) \(percent(read / input)) of input cached"
                }
                if let routed = counters[.routed] {
                    let seen = counters.filter { $0.key.hasPrefix("tier:") }.values.reduce(0, +)
                    return seen > 0 ? "\(name) \(percent(routed / seen)) routed" : nil
                }
                if let truncated = counters[.truncated], let requests = counters[.requests], requests > 0 {
                    return "\(name) \(percent(truncated / requests)) truncated"
                }
                if let local = counters[.local] {
                    let spilled = counters[.spilled] ?? 0
                    return "\(name) \(percent(local / max(local + spilled, 1))) local, utilisation \(percent(counters[.utilisation] ?? 0))"
                }
                if let escalated = counters[.escalated] ?? (counters[.requests] != nil && name == "cascade" ? 0 : nil),
                   let requests = counters[.requests], requests > 0 {
                    return "\(name) \(percent(escalated / requests)) escalated"
                }
                if let deferred = counters[.deferred] {
                    return "\(name) \(MoneyFormat.count(deferred)) deferred"
                }
                return hitRate(counters).map { "\(name) \(percent($0))" }
            }
            let interval = scenario.intervals.map { " [\(MoneyFormat.human(Money(dollars: $0.savings[0]))), \(MoneyFormat.human(Money(dollars: $0.savings[1])))]" } ?? ""
            rows.append([scenario.label, MoneyFormat.count(scenario.totals.requests), MoneyFormat.human(scenario.totals.cost),
                         MoneyFormat.human(scenario.totals.savings) + interval, percent(scenario.totals.savingsShare), rates.joined(separator: ", ")])
        }
        var text = TextTable.render(header: ["scenario", "requests", "cost", "savings [95% interval]", "share", "hit rate"], rows: rows, wrapLast: true)
        let multi = result.scenarios.filter { $0.waterfall.count > 1 }
        for scenario in multi {
            text += "\n\(scenario.label): savings by lever (in order | alone)\n"
            for (step, alone) in zip(scenario.waterfall, scenario.alone) {
                text += "  \(step.strategy): \(MoneyFormat.human(step.savings)) | \(MoneyFormat.human(alone.savings))\n"
            }
        }
        for line in result.diagnostics { text += "Note: \(TerminalText.sanitised(line))\n" }
        text += CatalogInfo.footer(result.inputs.catalog)
        return text
    }

    static func percent(_ share: Double) -> String { MoneyFormat.fixed(share * 100, decimals: 1) + "%" }

    /// `scenarios.csv`: one row per scenario point (and the baseline).
    public static func scenariosCSV(_ result: ReplayResult) -> String {
        var writer = CSVWriter(header: ["point", "scenario", "requests", "compared_requests", "unpriced_requests", "baseline_cost_usd",
                                        "cost_usd", "savings_usd", "savings_share", "served_requests", "latency_saved_ms",
                                        "savings_low_usd", "savings_high_usd", "savings_share_low", "savings_share_high"], catalog: result.inputs.catalog)
        func row(_ label: String, _ scenario: String, _ t: Totals, _ intervals: BootstrapIntervals? = nil) {
            writer.row([.text(label), .text(scenario), .number(String(t.requests)), .number(String(t.comparedRequests)),
                        .number(String(t.unpricedRequests)), .number(MoneyFormat.plain(t.baselineCost, decimals: 9)),
                        .number(MoneyFormat.plain(t.cost, decimals: 9)), .number(MoneyFormat.plain(t.savings, decimals: 9)),
                        .number(JSONText.number((t.savingsShare * 1e9).rounded() / 1e9)), .number(String(t.servedRequests)),
                        .number(JSONText.number((t.latencySavedMs * 1000).rounded() / 1000)),
                        .number(intervals.map { MoneyFormat.plain(Money(dollars: $0.savings[0]), decimals: 9) } ?? ""),
                        .number(intervals.map { MoneyFormat.plain(Money(dollars: $0.savings[1]), decimals: 9) } ?? ""),
                        .number(intervals.map { JSONText.number(($0.savingsShare[0] * 1e9).rounded() / 1e9) } ?? ""),
                        .number(intervals.map { JSONText.number(($0.savingsShare[1] * 1e9).rounded() / 1e9) } ?? "")])
        }
        row("baseline", "baseline", result.baseline)
        for scenario in result.scenarios { row(scenario.label, scenario.scenario, scenario.totals, scenario.intervals) }
        return writer.text
    }

    /// `levers.csv`: one row per (point, lever, attribution method).
    public static func leversCSV(_ result: ReplayResult) -> String {
        var writer = CSVWriter(header: ["point", "position", "strategy", "method", "cost_before_usd", "cost_after_usd", "savings_usd"], catalog: result.inputs.catalog)
        for scenario in result.scenarios {
            for (method, list) in [("waterfall", scenario.waterfall), ("alone", scenario.alone)] {
                for (position, item) in list.enumerated() {
                    writer.row([.text(scenario.label), .number(String(position + 1)), .text(item.strategy), .text(method),
                                .number(MoneyFormat.plain(item.costBefore, decimals: 9)), .number(MoneyFormat.plain(item.costAfter, decimals: 9)),
                                .number(MoneyFormat.plain(item.savings, decimals: 9))])
                }
            }
        }
        return writer.text
    }

    /// `rates.csv`: one row per (point, strategy, rate) with its exact 95% interval.
    public static func ratesCSV(_ result: ReplayResult) -> String {
        var writer = CSVWriter(header: ["point", "strategy", "rate", "events", "trials", "value", "lower", "upper"], catalog: result.inputs.catalog)
        for scenario in result.scenarios {
            for strategy in (scenario.rates ?? [:]).keys.sorted() {
                for (name, r) in scenario.rates![strategy]!.sorted(by: { $0.key < $1.key }) {
                    writer.row([.text(scenario.label), .text(strategy), .text(name), .number(String(r.events)), .number(String(r.trials)),
                                .number(JSONText.number(r.rate)), .number(JSONText.number(r.lower)), .number(JSONText.number(r.upper))])
                }
            }
        }
        return writer.text
    }

    /// `daily.csv`: one row per (point, UTC day): baseline and scenario cost of the same requests.
    public static func dailyCSV(_ result: ReplayResult) -> String {
        var writer = CSVWriter(header: ["point", "day", "requests", "baseline_usd", "cost_usd"], catalog: result.inputs.catalog)
        for scenario in result.scenarios {
            for day in scenario.daily ?? [] {
                writer.row([.text(scenario.label), .text(day.day), .number(String(day.requests)),
                            .number(MoneyFormat.plain(day.baseline, decimals: 9)), .number(MoneyFormat.plain(day.cost, decimals: 9))])
            }
        }
        return writer.text
    }

    /// `models_daily.csv`: one row per (point, side, UTC day, model): cost by model over time, the recorded
    /// model on the baseline side and the model finally sent to on the scenario side.
    public static func modelsDailyCSV(_ result: ReplayResult) -> String {
        var writer = CSVWriter(header: ["point", "side", "day", "model", "cost_usd"], catalog: result.inputs.catalog)
        for scenario in result.scenarios {
            for (side, rows) in [("baseline", scenario.baselineByModelDaily ?? []), ("scenario", scenario.byModelDaily ?? [])] {
                for row in rows {
                    writer.row([.text(scenario.label), .text(side), .text(row.day), .text(row.model),
                                .number(MoneyFormat.plain(row.cost, decimals: 9))])
                }
            }
        }
        return writer.text
    }

    /// `metrics.csv`: one row per (point, strategy, counter).
    public static func metricsCSV(_ result: ReplayResult) -> String {
        var writer = CSVWriter(header: ["point", "strategy", "metric", "value"], catalog: result.inputs.catalog)
        for scenario in result.scenarios {
            for strategy in scenario.metrics.keys.sorted() {
                for (metric, value) in scenario.metrics[strategy]!.sorted(by: { $0.key < $1.key }) {
                    writer.row([.text(scenario.label), .text(strategy), .text(metric), .number(JSONText.number(value))])
                }
            }
        }
        return writer.text
    }
}
