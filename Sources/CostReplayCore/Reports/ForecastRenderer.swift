import Foundation
import Statistics

/// Renders a ``ForecastDocument`` as a console table, tidy CSV or JSON (HTML: ``ForecastHTML``).
public enum ForecastRenderer {
    public static func table(_ document: ForecastDocument) -> String {
        var text = modelLine(document) + "\n"
        text += TextTable.render(header: ["model", "AICc", "ΔAICc", "weight", "note"], rows: document.model.candidates.map(candidateRow))
        text += "Rules: " + document.model.rules.joined(separator: "; ") + ".\n\n"
        var rows: [[String]] = []
        let scenarios = document.annual.map(\.scenario)
        for month in Array(Set(document.months.map(\.month))).sorted() {
            for scenario in scenarios {
                guard let row = document.months.first(where: { $0.month == month && $0.scenario == scenario }) else { continue }
                rows.append([month, scenario, money(row.p10), money(row.p50), money(row.p90), money(row.historyP50), money(row.driversP50)])
            }
        }
        for row in document.annual {
            rows.append(["\(document.inputs.months) months", row.scenario, money(row.p10), money(row.p50), money(row.p90), money(row.historyP50), money(row.driversP50)])
        }
        text += TextTable.render(header: ["month", "scenario", "P10", "P50", "P90", "P50 history", "P50 drivers"], rows: rows)
        text += "\n" + backtestTable(document.backtest)
        text += "Assumptions:\n" + document.assumptions.map { "  - \($0)\n" }.joined()
        for warning in document.warnings { text += "Note: \(warning)\n" }
        return text + CatalogInfo.footer(document.inputs.catalog)
    }

    /// "Model: ETS(A,Ad,A) on log cost, chosen by AICc on 56 days (…)".
    static func modelLine(_ document: ForecastDocument) -> String {
        let m = document.model
        var parameters = ["α \(fixed(m.alpha))"]
        if let beta = m.beta { parameters.append("β \(fixed(beta))") }
        if let gamma = m.gamma { parameters.append("γ \(fixed(gamma))") }
        if let phi = m.phi { parameters.append("φ \(fixed(phi))") }
        return "Model: \(m.chosen), chosen by AICc on \(m.days) days (\(document.inputs.firstDay) … \(document.inputs.lastDay)); "
            + parameters.joined(separator: ", ") + ", σ \(fixed(m.sigma))"
            + (m.widening > 1 ? ", intervals widened \(MoneyFormat.fixed(m.widening, decimals: 2))×" : "")
            + "; \(MoneyFormat.count(document.inputs.paths)) simulated paths, seed \(document.inputs.seed)"
    }

    static func candidateRow(_ c: ETSSelection.Candidate) -> [String] {
        [c.model, c.aicc.map { MoneyFormat.fixed($0, decimals: 1) } ?? "–", c.deltaAICc.map { MoneyFormat.fixed($0, decimals: 1) } ?? "–",
         c.weight.map { MoneyFormat.fixed($0 * 100, decimals: 1) + "%" } ?? "–", c.skipped ?? (c.deltaAICc == 0 ? "chosen" : "")]
    }

    static func backtestRows(_ backtest: RollingBacktest) -> [[String]] {
        backtest.horizons.map {
            ["\($0.days) days", "\($0.origins)", fixed($0.mase), fixed($0.naiveMASE), percent($0.coverage), percent($0.naiveCoverage)]
        }
    }

    static let backtestHeader = ["horizon", "origins", "MASE", "seasonal-naive MASE", "P10–P90 coverage", "seasonal-naive coverage"]

    static func backtestTable(_ backtest: RollingBacktest) -> String {
        var text = "Rolling-origin backtest (refitted at each cut point, a week apart; 80% nominal coverage):\n"
        if !backtest.horizons.isEmpty { text += TextTable.render(header: backtestHeader, rows: backtestRows(backtest)) }
        for skipped in backtest.skipped { text += "  \(skipped)\n" }
        return text + "\n"
    }

    static func money(_ dollars: Double) -> String { MoneyFormat.human(Money(dollars: dollars)) }
    static func fixed(_ value: Double) -> String { MoneyFormat.fixed(value, decimals: 3) }
    static func percent(_ value: Double) -> String { MoneyFormat.fixed(value * 100, decimals: 1) + "%" }

    /// One row per (month, scenario), then the totals (`month` = `total`).
    public static func csv(_ document: ForecastDocument) -> String {
        var writer = CSVWriter(header: ["month", "scenario", "p10_usd", "p50_usd", "p90_usd", "history_p50_usd", "drivers_p50_usd", "model", "price_catalog"])
        func amount(_ value: Double) -> CSVCell { .number(MoneyFormat.plain(Money(dollars: value), decimals: 6)) }
        let catalog = CSVCell.text(document.inputs.catalog?.label ?? ""), model = CSVCell.text(document.model.chosen)
        for row in document.months {
            writer.row([.text(row.month), .text(row.scenario), amount(row.p10), amount(row.p50), amount(row.p90),
                        amount(row.historyP50), amount(row.driversP50), model, catalog])
        }
        for row in document.annual {
            writer.row([.text("total"), .text(row.scenario), amount(row.p10), amount(row.p50), amount(row.p90),
                        amount(row.historyP50), amount(row.driversP50), model, catalog])
        }
        return writer.text
    }

    public static func json<T: Encodable>(_ document: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
