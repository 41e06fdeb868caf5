import Foundation

/// Renders a ``ForecastDocument`` as a console table, tidy CSV or JSON.
public enum ForecastRenderer {
    public static func table(_ document: ForecastDocument) -> String {
        let scenarios = document.annual.map(\.scenario)
        var text = "Fit: \(document.fit.days) days (\(document.inputs.firstDay) … \(document.inputs.lastDay)), "
            + "trend \(MoneyFormat.fixed(document.fit.monthlyGrowth * 100, decimals: 1))% a month, "
            + (document.fit.weeklySeasonality ? "weekly seasonality, " : "no seasonality, ")
            + "daily log SD \(MoneyFormat.fixed(document.fit.residualSD, decimals: 3)); \(MoneyFormat.count(document.inputs.paths)) Monte Carlo paths\n"
        var rows: [[String]] = []
        for month in Array(Set(document.months.map(\.month))).sorted() {
            for scenario in scenarios {
                guard let row = document.months.first(where: { $0.month == month && $0.scenario == scenario }) else { continue }
                rows.append([month, scenario, money(row.p10), money(row.p50), money(row.p90)])
            }
        }
        for row in document.annual { rows.append(["annual", row.scenario, money(row.p10), money(row.p50), money(row.p90)]) }
        text += TextTable.render(header: ["month", "scenario", "P10", "P50", "P90"], rows: rows)
        if let b = document.backtest {
            text += "Backtest: last \(b.heldOutDays) days held out; daily MAPE \(MoneyFormat.fixed(b.modelMAPE * 100, decimals: 1))% "
                + "(naive last-week mean \(MoneyFormat.fixed(b.naiveMAPE * 100, decimals: 1))%); held-out cost \(money(b.heldOutCost)), "
                + "forecast \(money(b.modelTotal)), naive \(money(b.naiveTotal))\n"
        }
        for warning in document.warnings { text += "Note: \(warning)\n" }
        return text + CatalogInfo.footer(document.inputs.catalog)
    }

    static func money(_ dollars: Double) -> String { MoneyFormat.human(Money(dollars: dollars)) }

    /// One row per (month, scenario), then the annual rows (`month` = `annual`).
    public static func csv(_ document: ForecastDocument) -> String {
        var writer = CSVWriter(header: ["month", "scenario", "p10_usd", "p50_usd", "p90_usd", "price_catalog"])
        func amount(_ value: Double) -> CSVCell { .number(MoneyFormat.plain(Money(dollars: value), decimals: 6)) }
        let catalog = CSVCell.text(document.inputs.catalog?.label ?? "")
        for row in document.months {
            writer.row([.text(row.month), .text(row.scenario), amount(row.p10), amount(row.p50), amount(row.p90), catalog])
        }
        for row in document.annual {
            writer.row([.text("annual"), .text(row.scenario), amount(row.p10), amount(row.p50), amount(row.p90), catalog])
        }
        return writer.text
    }

    public static func json(_ document: ForecastDocument) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}
