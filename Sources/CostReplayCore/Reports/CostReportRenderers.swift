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
                text += "  \(MoneyFormat.count(group.requests))  \(TerminalText.sanitised(group.model)): \(TerminalText.sanitised(group.reason))\n"
            }
        }
        for note in report.notes.prefix(10) {
            text += "Note: \(MoneyFormat.count(note.requests)) requests of \(TerminalText.sanitised(note.model)): \(TerminalText.sanitised(note.note))\n"
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

/// A plain aligned text table for the console, at most ``maxWidth`` columns wide.
///
/// A table that would be wider is fitted: with `wrapLast`, the last column (free text such as a list of hit rates)
/// wraps onto continuation lines; otherwise the columns are split into several tables of at most the width, each
/// repeating the first column. A single column wider than the limit (a long id) is never cut.
public enum TextTable {
    public static let maxWidth = 120

    public static func render(header: [String], rows: [[String]], separatorBeforeLast: Bool = false,
                              wrapLast: Bool = false, maxWidth: Int = TextTable.maxWidth) -> String {
        // Tables are for people, piped or not: control characters from trace text are shown, not obeyed.
        let rows = rows.map { $0.map(TerminalText.sanitised) }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        let total = widths.reduce(0, +) + 2 * max(0, widths.count - 1)
        if total <= maxWidth || widths.count < 2 {
            return grid(header: header, rows: rows, widths: widths, separatorBeforeLast: separatorBeforeLast)
        }
        let others = total - widths[widths.count - 1]
        if wrapLast, maxWidth - others >= 24 {
            return wrapped(header: header, rows: rows, widths: widths, lastWidth: maxWidth - others, separatorBeforeLast: separatorBeforeLast)
        }
        // Greedy column groups after the first column.
        var groups: [[Int]] = [], current: [Int] = [], used = widths[0]
        for column in 1..<widths.count {
            if !current.isEmpty, used + 2 + widths[column] > maxWidth {
                groups.append(current)
                current = []
                used = widths[0]
            }
            current.append(column)
            used += 2 + widths[column]
        }
        groups.append(current)
        return groups.map { group in
            let columns = [0] + group
            return grid(header: columns.map { header[$0] }, rows: rows.map { row in columns.map { $0 < row.count ? row[$0] : "" } },
                        widths: columns.map { widths[$0] }, separatorBeforeLast: separatorBeforeLast)
        }.joined(separator: "\n")
    }

    private static func line(_ cells: [String], _ widths: [Int]) -> String {
        cells.enumerated().map { i, cell in
            let pad = String(repeating: " ", count: max(0, widths[i] - cell.count))
            return i == 0 ? cell + pad : pad + cell
        }.joined(separator: "  ")
    }

    private static func rule(_ widths: [Int]) -> String {
        widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
    }

    private static func grid(header: [String], rows: [[String]], widths: [Int], separatorBeforeLast: Bool) -> String {
        var out = line(header, widths) + "\n" + rule(widths)
        for (index, row) in rows.enumerated() {
            if separatorBeforeLast && index == rows.count - 1 { out += rule(widths) }
            out += line(row, widths) + "\n"
        }
        return out
    }

    /// The last column left-aligned and wrapped at spaces to `lastWidth`; continuation lines leave the others blank.
    private static func wrapped(header: [String], rows: [[String]], widths: [Int], lastWidth: Int, separatorBeforeLast: Bool) -> String {
        var widths = widths
        widths[widths.count - 1] = lastWidth
        let blanks = widths.dropLast().map { _ in "" }
        func lines(_ row: [String]) -> String {
            let pieces = wrap(row.count == widths.count ? row[row.count - 1] : "", width: lastWidth)
            let head = Array(row.prefix(widths.count - 1)) + [""]
            return pieces.enumerated().map { index, piece -> String in
                let cells = (index == 0 ? Array(head.dropLast()) : blanks)
                let prefix = line(cells, Array(widths.dropLast()))
                return (prefix + "  " + piece).trimmingTrailingSpaces()
            }.joined(separator: "\n") + "\n"
        }
        var out = lines(header) + rule(widths)
        for (index, row) in rows.enumerated() {
            if separatorBeforeLast && index == rows.count - 1 { out += rule(widths) }
            out += lines(row)
        }
        return out
    }

    /// Words of `text` in lines of at most `width` characters (a longer word gets a line of its own).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        lines.append(current)
        return lines
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
