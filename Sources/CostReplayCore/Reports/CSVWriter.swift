/// RFC 4180 CSV text with spreadsheet-formula neutralisation.
///
/// A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a single
/// quote so spreadsheets show it as text (OWASP CSV injection guidance); numbers are written by
/// the caller through ``number(_:)`` and are left alone.
public struct CSVWriter {
    public private(set) var text = ""
    /// Cells appended to every row after the header, e.g. the price catalog of a money table.
    var trailing: [CSVCell] = []

    public init(header: [String]) { row(header) }

    /// A table of money: a `price_catalog` column names the catalog on every row, so any row
    /// copied elsewhere still says which prices it was computed at.
    public init(header: [String], catalog: CatalogInfo?) {
        row(header + ["price_catalog"])
        trailing = [.text(catalog?.label ?? "unrecorded")]
    }

    public mutating func row(_ cells: [CSVCell]) {
        text += (cells + trailing).map { $0.encoded }.joined(separator: ",") + "\r\n"
    }

    public mutating func row(_ cells: [String]) { row(cells.map { CSVCell.text($0) }) }

    /// Quotes a field when it holds a comma, quote or line break; neutralises formulas.
    public static func escape(_ field: String) -> String {
        var value = field
        if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            value = "'" + value
        }
        // Bytes, not characters: "\r\n" is one character, equal to neither "\r" nor "\n", and must be quoted too.
        if value.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) {
            return "\"" + value.replacingQuotes() + "\""
        }
        return value
    }
}

/// One CSV cell: text (escaped and neutralised) or a number (written as is).
public enum CSVCell {
    case text(String)
    case number(String)

    var encoded: String {
        switch self {
        case .text(let value): return CSVWriter.escape(value)
        case .number(let value): return value
        }
    }
}

extension String {
    func replacingQuotes() -> String {
        var out = ""
        for character in self {
            if character == "\"" { out += "\"\"" } else { out.append(character) }
        }
        return out
    }
}
