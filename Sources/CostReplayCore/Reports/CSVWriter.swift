/// RFC 4180 CSV text with spreadsheet-formula neutralisation.
///
/// A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a single
/// quote so spreadsheets show it as text (OWASP CSV injection guidance); numbers are written by
/// the caller through ``number(_:)`` and are left alone.
public struct CSVWriter {
    public private(set) var text = ""

    public init(header: [String]) { row(header) }

    public mutating func row(_ cells: [CSVCell]) {
        text += cells.map { $0.encoded }.joined(separator: ",") + "\r\n"
    }

    public mutating func row(_ cells: [String]) { row(cells.map { CSVCell.text($0) }) }

    /// Quotes a field when it holds a comma, quote or line break; neutralises formulas.
    public static func escape(_ field: String) -> String {
        var value = field
        if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            value = "'" + value
        }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
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
