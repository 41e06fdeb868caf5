import Foundation

/// Renders an ``IngestSummary`` for the console or as JSON.
public enum IngestSummaryRenderer {
    public static func text(_ summary: IngestSummary, db: String) -> String {
        var rows: [[String]] = summary.files.map { file in
            [file.path, file.format ?? "-", MoneyFormat.count(file.counts.read), MoneyFormat.count(file.counts.stored),
             MoneyFormat.count(file.counts.duplicates), MoneyFormat.count(file.counts.rejected),
             MoneyFormat.count(file.counts.merged)]
        }
        let t = summary.totals
        rows.append(["total", "", MoneyFormat.count(t.read), MoneyFormat.count(t.stored), MoneyFormat.count(t.duplicates),
                     MoneyFormat.count(t.rejected), MoneyFormat.count(t.merged)])
        var text = TextTable.render(header: ["file", "format", "read", "stored", "duplicates", "rejected", "merged"],
                                    rows: rows, separatorBeforeLast: true)
        if t.merged > 0 {
            text += "\nMerged: \(MoneyFormat.count(t.merged)) records describe a call another record already counts "
                + "(spans of one provider call, batch inputs joined to their outputs); see docs/trace-format.md.\n"
        }
        if !summary.sampleRejections.isEmpty {
            text += "\nRejected (first \(summary.sampleRejections.count); all are kept in \(db), see `costreplay rejects`):\n"
            for rejection in summary.sampleRejections { text += "  \(rejection)\n" }
        }
        return text
    }

    public static func json(_ summary: IngestSummary) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(summary), as: UTF8.self) + "\n"
    }
}

/// One rejected record as a JSON line.
public enum RejectRenderer {
    public static func jsonLine(_ r: Rejection) -> String {
        var o = JSONText.Object()
        o.add("file", r.location.file)
        o.add("line", r.location.line)
        if r.item > 0 { o.add("item", r.item) }
        o.add("field", r.field)
        o.add("reason", r.reason)
        o.add("message", r.description)
        o.add("raw", r.raw)
        return o.text
    }
}
