/// A forecast as one self-contained HTML page (the report's style, inline SVG, no scripts): the fan
/// chart, the monthly table with history and drivers parts, the model evidence, backtests and assumptions.
public enum ForecastHTML {
    public static func render(_ document: ForecastDocument, title: String = "CostReplay forecast") -> String {
        let e = HTML.escape
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(title))</title><style>\(HTML.style)</style></head>
            <body><h1>\(e(title))</h1><p class="muted">\(e(document.inputs.database)), \(e(document.inputs.firstDay)) to \(e(document.inputs.lastDay)); \
            seed \(document.inputs.seed)\(document.inputs.catalog.map { "; prices: " + e($0.label) } ?? "").</p>\(section(document))</body></html>

            """
    }

    /// The forecast section; `compact` (inside the replay report) folds the monthly and model tables.
    static func section(_ document: ForecastDocument, compact: Bool = false) -> String {
        let e = HTML.escape
        var html = "<h2>Forecast</h2><p>\(e(ForecastRenderer.modelLine(document))).</p>"
        for warning in document.warnings { html += "<p>\(e(warning)).</p>" }
        html += "<figure>\(fan(document))</figure>"
        let rows = document.months.map { [$0.month, $0.scenario] + money([$0.p10, $0.p50, $0.p90, $0.historyP50, $0.driversP50]) }
            + document.annual.map { ["\(document.inputs.months) months", $0.scenario] + money([$0.p10, $0.p50, $0.p90, $0.historyP50, $0.driversP50]) }
        let monthly = HTML.table(["month", "scenario", "P10", "P50", "P90", "P50 from history", "P50 from drivers"], rows, numeric: [2, 3, 4, 5, 6])
        html += compact ? "<details><summary>Monthly P10/P50/P90</summary>\(monthly)</details>" : monthly
        html += "<h3>Backtest</h3><p>Rolling origin: refitted at up to four cut points a week apart; MASE scales the daily error by the "
            + "in-sample seasonal-naive error; coverage is the share of held-out days inside P10–P90 (80% nominal).</p>"
        html += HTML.table(ForecastRenderer.backtestHeader, ForecastRenderer.backtestRows(document.backtest), numeric: [1, 2, 3, 4, 5])
        html += document.backtest.skipped.map { "<p class=\"muted\">\(e($0)).</p>" }.joined()
        let choice = HTML.table(["model", "AICc", "ΔAICc", "weight", "note"], document.model.candidates.map(ForecastRenderer.candidateRow), numeric: [1, 2, 3])
            + "<p class=\"muted\">Rules: " + e(document.model.rules.joined(separator: "; ")) + ".</p>"
        html += compact ? "<details><summary>Model choice (AICc)</summary>\(choice)</details>" : "<h3>Model choice</h3>" + choice
        html += "<h3>Assumptions</h3><ul>" + document.assumptions.map { "<li>\(e($0))</li>" }.joined() + "</ul>"
        return html
    }

    static func money(_ values: [Double]) -> [String] { values.map { MoneyFormat.human(Money(dollars: $0)) } }

    /// History at its monthly rate, then the baseline's P10–P90 band and P50, and each scenario's P50.
    static func fan(_ document: ForecastDocument) -> String {
        let history = monthlyHistory(document.history)
        let baseline = document.months.filter { $0.scenario == "baseline" }
        let others = Array(Set(document.months.map(\.scenario)).subtracting(["baseline"])).sorted()
        let labels = history.map(\.month) + baseline.map(\.month)
        guard labels.count > 1 else { return "" }
        let width = 640.0, height = 260.0, left = 64.0, bottom = 30.0
        let maximum = max((baseline.map(\.p90) + history.map(\.cost)).max() ?? 1, 1e-12)
        func x(_ i: Int) -> Double { left + Double(i) / Double(labels.count - 1) * (width - left - 10) }
        func y(_ v: Double) -> Double { height - bottom - v / maximum * (height - bottom - 24) }
        func point(_ i: Int, _ v: Double) -> String { "\(HTML.fmt(x(i))),\(HTML.fmt(y(v)))" }
        let offset = history.count
        var svg = "<svg role=\"img\" aria-label=\"Forecast fan chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\">"
        let band = baseline.enumerated().map { point(offset + $0.offset, $0.element.p90) } + baseline.enumerated().reversed().map { point(offset + $0.offset, $0.element.p10) }
        svg += "<polygon points=\"\(band.joined(separator: " "))\" fill=\"#0969da\" fill-opacity=\"0.18\" stroke=\"none\"/>"
        svg += "<polyline points=\"\(history.enumerated().map { point($0.offset, $0.element.cost) }.joined(separator: " "))\" class=\"s0\"/>"
        let median = (history.last.map { [point(offset - 1, $0.cost)] } ?? []) + baseline.enumerated().map { point(offset + $0.offset, $0.element.p50) }
        svg += "<polyline points=\"\(median.joined(separator: " "))\" class=\"s1\"/>"
        for (index, scenario) in others.prefix(2).enumerated() {
            let line = document.months.filter { $0.scenario == scenario }.enumerated().map { point(offset + $0.offset, $0.element.p50) }
            svg += "<polyline points=\"\(line.joined(separator: " "))\" class=\"s\(index + 2)\" stroke-dasharray=\"4 3\"/>"
        }
        svg += "<line x1=\"\(HTML.fmt(left))\" y1=\"\(HTML.fmt(height - bottom))\" x2=\"\(HTML.fmt(width - 10))\" y2=\"\(HTML.fmt(height - bottom))\" class=\"axis\"/>"
        svg += "<text x=\"\(HTML.fmt(left - 6))\" y=\"\(HTML.fmt(y(maximum) + 4))\" text-anchor=\"end\">\(HTML.escape(MoneyFormat.human(Money(dollars: maximum))))</text>"
        svg += "<text x=\"\(HTML.fmt(left - 6))\" y=\"\(HTML.fmt(height - bottom))\" text-anchor=\"end\">$0</text>"
        svg += "<text x=\"\(HTML.fmt(left))\" y=\"\(HTML.fmt(height - 8))\">\(HTML.escape(labels.first ?? ""))</text>"
        svg += "<text x=\"\(HTML.fmt(width - 10))\" y=\"\(HTML.fmt(height - 8))\" text-anchor=\"end\">\(HTML.escape(labels.last ?? ""))</text>"
        let legend = ["history (monthly rate)", "baseline P50, P10–P90 band"] + others.prefix(2).map { "\($0) P50" }
        for (index, name) in legend.enumerated() {
            svg += "<text x=\"\(HTML.fmt(left + 10 + Double(index) * 150))\" y=\"14\" class=\"t\(index % 4)\">\(HTML.escape(name))</text>"
        }
        return svg + "</svg>"
    }

    /// Each history month's cost at its daily rate times the month's days (partial months scaled up).
    static func monthlyHistory(_ days: [ForecastDocument.HistoryDay]) -> [(month: String, cost: Double)] {
        var sums: [String: (Double, Int)] = [:]
        for day in days { sums[String(day.day.prefix(7)), default: (0, 0)].0 += day.cost; sums[String(day.day.prefix(7))]!.1 += 1 }
        return sums.keys.sorted().map { month in
            let parts = month.split(separator: "-").compactMap { Int($0) }
            let length = parts.count == 2 ? Double(Timestamp.daysIn(month: parts[1], year: parts[0])) : 30.436875
            return (month, sums[month]!.0 / Double(sums[month]!.1) * length)
        }
    }
}
