import Foundation

/// Renders a ``CostReport`` as a console table, CSV or JSON.
public enum CostReportRenderer {
    public static func table(_ report: CostReport) -> String {
        let hasBilled = report.total.billedRequests > 0
        var header = [report.groupBy.rawValue, "requests", "input tok", "cache read tok", "cache write tok", "output tok",
                      "computed"]
        if hasBilled { header += ["billed", "gap"] }
        var rows: [[String]] = []
        for row in report.rows + [report.total] {
            var cells = [row.key, MoneyFormat.count(row.requests), MoneyFormat.count(row.inputTokens),
                         MoneyFormat.count(row.cacheReadTokens), MoneyFormat.count(row.cacheWriteTokens),
                         MoneyFormat.count(row.outputTokens),
                         computedCell(row)]
            if hasBilled {
                cells += [row.billedRequests > 0 ? MoneyFormat.human(row.billedCost) : "",
                          row.gap.map(MoneyFormat.human) ?? ""]
            }
            rows.append(cells)
        }
        var text = TextTable.render(header: header, rows: rows, separatorBeforeLast: true)
        if report.total.unpricedRequests > 0 {
            text += "\nUnpriced requests (not counted as $0): \(MoneyFormat.count(report.total.unpricedRequests))\n"
            for group in report.unpriced.prefix(10) {
                text += "  \(MoneyFormat.count(group.requests))  \(group.model): \(group.reason)\n"
            }
        }
        for note in report.notes.prefix(10) {
            text += "Note: \(MoneyFormat.count(note.requests)) requests of \(note.model): \(note.note)\n"
        }
        return text + CatalogInfo.footer(report.catalog)
    }

    /// The computed cost, flagged when some requests of the group could not be priced.
    static func computedCell(_ row: CostRow) -> String {
        if row.pricedRequests == 0 && row.unpricedRequests > 0 { return "unpriced" }
        let text = MoneyFormat.human(row.computedCost)
        return row.unpricedRequests > 0 ? text + " (+\(MoneyFormat.count(row.unpricedRequests)) unpriced)" : text
    }

    /// Tidy CSV: one row per group, then a `total` row; columns in docs/report-formats.md.
    public static func csv(_ report: CostReport) -> String {
        var writer = CSVWriter(header: [
            "group_by", "group", "requests", "priced_requests", "unpriced_requests", "input_tokens", "cache_read_tokens",
            "cache_write_tokens", "output_tokens", "reasoning_tokens", "computed_cost_usd", "billed_requests",
            "billed_cost_usd", "computed_on_billed_usd", "gap_usd",
        ], catalog: report.catalog)
        let all = report.rows + [report.total]
        for (index, row) in all.enumerated() {
            writer.row([
                .text(index == all.count - 1 ? "total" : report.groupBy.rawValue), .text(row.key),
                .number(String(row.requests)), .number(String(row.pricedRequests)), .number(String(row.unpricedRequests)),
                .number(String(row.inputTokens)), .number(String(row.cacheReadTokens)), .number(String(row.cacheWriteTokens)),
                .number(String(row.outputTokens)), .number(String(row.reasoningTokens)),
                .number(MoneyFormat.plain(row.computedCost, decimals: 9)), .number(String(row.billedRequests)),
                .number(row.billedRequests > 0 ? MoneyFormat.plain(row.billedCost, decimals: 9) : ""),
                .number(row.billedRequests > 0 ? MoneyFormat.plain(row.computedOnBilled, decimals: 9) : ""),
                .number(row.gap.map { MoneyFormat.plain($0, decimals: 9) } ?? ""),
            ])
        }
        return writer.text
    }

    public static func json(_ report: CostReport) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
    }
}

/// A plain aligned text table for the console.
public enum TextTable {
    public static func render(header: [String], rows: [[String]], separatorBeforeLast: Bool = false) -> String {
        // Tables are for people, piped or not: control characters from trace text are shown, not obeyed.
        let rows = rows.map { $0.map(TerminalText.sanitised) }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        var out = line(header) + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for (index, row) in rows.enumerated() {
            if separatorBeforeLast && index == rows.count - 1 {
                out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
            }
            out += line(row) + "\n"
        }
        return out
    }
}
