/// One CSV record with the 1-based line it starts on.
public struct CSVRow {
    public var line: Int
    public var fields: [String]
    public var raw: String
}

/// RFC 4180 CSV over a ``LineReader``: quoted fields with doubled quotes and embedded newlines.
///
/// Written here rather than taken from a CSV package because errors must name the line a
/// record starts on, invalid UTF-8 must reject one record and not the file, and a truncated
/// quoted field at the end of a file must be reported, none of which the packages offer.
public struct CSVReader {
    public enum Problem: Error, Equatable {
        case invalidUTF8(line: Int, raw: String)
        case unterminatedQuote(line: Int, raw: String)
    }

    let lines: LineReader
    let separator: UInt8

    public init(lines: LineReader, separator: UInt8 = UInt8(ascii: ",")) {
        self.lines = lines
        self.separator = separator
    }

    /// Calls `body` with each record, or with the problem that spoiled it.
    public func forEachRow(_ body: (Result<CSVRow, Problem>) throws -> Void) throws {
        var pending: String?
        var pendingLine = 0
        var pendingValid = true
        try lines.forEachLine { number, bytes, _ in
            let text: String
            if let valid = String(validating: bytes, as: UTF8.self) {
                text = valid
            } else {
                text = String(decoding: bytes, as: UTF8.self)
                if pending == nil { pendingLine = number }
                pendingValid = false
            }
            let record: String
            if let previous = pending {
                record = previous + "\n" + text
            } else {
                if text.isEmpty { return }
                record = text
                pendingLine = number
            }
            switch Self.split(record, separator: separator) {
            case .some(let fields):
                pending = nil
                if pendingValid {
                    try body(.success(CSVRow(line: pendingLine, fields: fields, raw: record)))
                } else {
                    try body(.failure(.invalidUTF8(line: pendingLine, raw: record)))
                }
                pendingValid = true
            case .none:
                pending = record
            }
        }
        if let pending {
            try body(.failure(.unterminatedQuote(line: pendingLine, raw: pending)))
        }
    }

    /// Splits one record; nil when a quoted field is still open at the end.
    static func split(_ record: String, separator: UInt8) -> [String]? {
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var atFieldStart = true
        let bytes = Array(record.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == 34 {
                    if index + 1 < bytes.count && bytes[index + 1] == 34 {
                        field.append(34)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == 34 && atFieldStart {
                inQuotes = true
                atFieldStart = false
            } else if byte == separator {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                atFieldStart = true
            } else {
                field.append(byte)
                atFieldStart = false
            }
            index += 1
        }
        if inQuotes { return nil }
        fields.append(String(decoding: field, as: UTF8.self))
        return fields
    }
}
