/// Building blocks of self-contained HTML: escaping, tables and inline SVG charts. No scripts, no
/// external resources; every chart has its data table beside it.
enum HTML {
    /// Escapes text for element content and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // Control characters from trace text (ESC, BEL, NUL) have no place in a report: shown, not kept.
            case _ where character.unicodeScalars.contains(where: TerminalText.isControl) && character != "\n" && character != "\t":
                out += TerminalText.sanitised(String(character))
            default: out.append(character)
            }
        }
        return out
    }

    static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = []) -> String {
        var out = "<table><thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows {
            out += "<tr>" + row.enumerated().map { index, cell in
                numeric.contains(index) ? "<td class=\"n\">\(escape(cell))</td>" : "<td>\(escape(cell))</td>"
            }.joined() + "</tr>"
        }
        return out + "</tbody></table>"
    }

    /// Horizontal bars, one per label (negative values drawn left of the axis).
    static func bars(_ items: [(label: String, value: Double)], format: (Double) -> String, title: String) -> String {
        guard !items.isEmpty else { return "" }
        let width = 640.0, rowHeight = 26.0, labelWidth = 220.0
        let maximum = max(items.map { abs($0.value) }.max() ?? 1, 1e-12)
        let hasNegative = items.contains { $0.value < 0 }
        let axis = labelWidth + (hasNegative ? (width - labelWidth) / 2 : 0)
        let scale = (width - labelWidth - 90) / (hasNegative ? 2 : 1) / maximum
        let height = Double(items.count) * rowHeight + 10
        var svg = "<svg role=\"img\" aria-label=\"\(escape(title))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\">"
        for (index, item) in items.enumerated() {
            let y = Double(index) * rowHeight + 5
            let length = abs(item.value) * scale
            let x = item.value < 0 ? axis - length : axis
            svg += "<text x=\"\(Int(labelWidth - 8))\" y=\"\(Int(y + 17))\" text-anchor=\"end\">\(escape(String(item.label.prefix(32))))</text>"
            svg += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y + 4))\" width=\"\(fmt(max(length, 0.5)))\" height=\"16\" class=\"\(item.value < 0 ? "neg" : "pos")\"/>"
            svg += "<text x=\"\(fmt(item.value < 0 ? axis + 4 : axis + length + 4))\" y=\"\(Int(y + 17))\">\(escape(format(item.value)))</text>"
        }
        return svg + "<line x1=\"\(fmt(axis))\" y1=\"0\" x2=\"\(fmt(axis))\" y2=\"\(Int(height))\" class=\"axis\"/></svg>"
    }

    /// Lines over a shared x axis (days), with a legend.
    static func lines(_ series: [(name: String, values: [Double])], labels: [String], title: String) -> String {
        guard let count = series.first?.values.count, count > 1 else { return "" }
        let width = 640.0, height = 240.0, left = 60.0, bottom = 30.0
        let maximum = max(series.flatMap(\.values).max() ?? 1, 1e-12)
        func x(_ i: Int) -> Double { left + Double(i) / Double(count - 1) * (width - left - 10) }
        func y(_ v: Double) -> Double { height - bottom - v / maximum * (height - bottom - 20) }
        var svg = "<svg role=\"img\" aria-label=\"\(escape(title))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\">"
        svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(height - bottom))\" x2=\"\(fmt(width - 10))\" y2=\"\(fmt(height - bottom))\" class=\"axis\"/>"
        svg += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(y(maximum) + 4))\" text-anchor=\"end\">\(escape(MoneyFormat.human(Money(dollars: maximum))))</text>"
        svg += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(height - bottom))\" text-anchor=\"end\">$0</text>"
        svg += "<text x=\"\(fmt(left))\" y=\"\(fmt(height - 8))\">\(escape(labels.first ?? ""))</text>"
        svg += "<text x=\"\(fmt(width - 10))\" y=\"\(fmt(height - 8))\" text-anchor=\"end\">\(escape(labels.last ?? ""))</text>"
        for (index, line) in series.enumerated() {
            let points = line.values.enumerated().map { "\(fmt(x($0.offset))),\(fmt(y($0.element)))" }.joined(separator: " ")
            svg += "<polyline points=\"\(points)\" class=\"s\(index % 4)\"/>"
            svg += "<text x=\"\(fmt(left + 10 + Double(index) * 150))\" y=\"14\" class=\"t\(index % 4)\">\(escape(line.name))</text>"
        }
        return svg + "</svg>"
    }

    static func fmt(_ value: Double) -> String { MoneyFormat.fixed(value, decimals: 1) }

    static let style = """
        body{font:14px/1.45 -apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#1b1f24;max-width:980px;margin:24px auto;padding:0 16px}
        h1{font-size:24px;margin-bottom:4px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
        table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left}
        th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#57606a;font-size:12px}
        svg text{font-size:11px;fill:#1b1f24}rect.pos{fill:#2da44e}rect.neg{fill:#cf222e}line.axis{stroke:#8c959f}
        polyline{fill:none;stroke-width:2}.s0{stroke:#57606a}.s1{stroke:#0969da}.s2{stroke:#2da44e}.s3{stroke:#bf8700}
        .t0{fill:#57606a}.t1{fill:#0969da}.t2{fill:#2da44e}.t3{fill:#bf8700}figure{margin:8px 0}
        .plan{border:2px solid #0969da;border-radius:6px;padding:4px 16px 8px}.headline{font-size:17px}h2.evidence{margin-top:40px}
        @media print{body{max-width:none;margin:0;font-size:11px}h2,h3{break-after:avoid}table,figure,tr{break-inside:avoid}
        svg{max-width:100%;height:auto}.plan{break-after:page;border-color:#000}a{color:inherit}}
        """
}
