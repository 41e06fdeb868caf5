/// One CSV record with the 1-based line it starts on.
public struct CSVRow {
    public var line: Int
    public var fields: [String]
    public var raw: String
}

/// RFC 4180 CSV over a ``LineReader``: quoted fields with doubled quotes and embedded newlines.
///
/// Written here rather than taken from a CSV package because errors must name the line a
/// record starts on, invalid UTF-8 must reject one record and not the file, and a quote left
/// open must cost one record, not the rest of the file, none of which the packages offer.
///
/// Linear in the input: each line is scanned once, carrying the open field across lines. A
/// record may span at most ``maximumRecordBytes``; when a quote stays open past that (or to the
/// end of the file) the line that opened it is rejected as an unterminated quote and the lines
/// it swallowed are read again one by one, each on its own (a second and last scan), so the
/// reader resynchronises after a bad quote.
public struct CSVReader {
    public enum Problem: Error, Equatable {
        case invalidUTF8(line: Int, raw: String)
        case unterminatedQuote(line: Int, raw: String)
    }

    /// The longest record, quoted newlines included, before an open quote is judged unterminated.
    public static let maximumRecordBytes = 4 << 20

    let lines: LineReader
    let separator: UInt8

    public init(lines: LineReader, separator: UInt8 = UInt8(ascii: ",")) {
        self.lines = lines
        self.separator = separator
    }

    /// Calls `body` with each record, or with the problem that spoiled it.
    public func forEachRow(_ body: (Result<CSVRow, Problem>) throws -> Void) throws {
        var parser = FieldParser(separator: separator)
        var pending: [(number: Int, bytes: [UInt8])] = []
        var pendingBytes = 0

        func emit(_ parsed: [String], _ block: [(number: Int, bytes: [UInt8])]) throws {
            let raw = block.map { String(decoding: $0.bytes, as: UTF8.self) }.joined(separator: "\n")
            let valid = block.allSatisfy { String(validating: $0.bytes, as: UTF8.self) != nil }
            try body(valid ? .success(CSVRow(line: block[0].number, fields: parsed, raw: raw)) : .failure(.invalidUTF8(line: block[0].number, raw: raw)))
        }

        /// The opening line is bad; every other line of the block is read on its own.
        func resynchronise(_ block: [(number: Int, bytes: [UInt8])]) throws {
            try body(.failure(.unterminatedQuote(line: block[0].number, raw: String(decoding: block[0].bytes, as: UTF8.self))))
            for line in block.dropFirst() where !line.bytes.isEmpty {
                var single = FieldParser(separator: separator)
                if let fields = single.feed(line.bytes, continuing: false) {
                    try emit(fields, [line])
                } else {
                    try body(.failure(.unterminatedQuote(line: line.number, raw: String(decoding: line.bytes, as: UTF8.self))))
                }
            }
        }

        try lines.forEachLine { number, bytes, _ in
            if pending.isEmpty && bytes.isEmpty { return }
            let copy = [UInt8](bytes)
            pending.append((number, copy))
            pendingBytes += copy.count + 1
            if let fields = parser.feed(copy, continuing: pending.count > 1) {
                try emit(fields, pending)
                pending.removeAll(keepingCapacity: true)
                pendingBytes = 0
                parser = FieldParser(separator: separator)
            } else if pendingBytes > Self.maximumRecordBytes {
                try resynchronise(pending)
                pending.removeAll(keepingCapacity: true)
                pendingBytes = 0
                parser = FieldParser(separator: separator)
            }
        }
        if !pending.isEmpty { try resynchronise(pending) }
    }

    /// Splits one record given as text; nil when a quoted field is still open at the end.
    static func split(_ record: String, separator: UInt8) -> [String]? {
        var parser = FieldParser(separator: separator)
        var fields: [String]?
        for (index, line) in record.utf8.split(separator: 10, omittingEmptySubsequences: false).enumerated() {
            fields = parser.feed(Array(line), continuing: index > 0)
        }
        return fields
    }
}

/// The field state of one CSV record, fed a line at a time.
struct FieldParser {
    let separator: UInt8
    var fields: [String] = []
    var field: [UInt8] = []
    var inQuotes = false
    var atFieldStart = true

    init(separator: UInt8) { self.separator = separator }

    /// Scans one more line of the record (`continuing`: after a newline inside quotes); returns the
    /// fields when the record is complete, nil while a quote is open.
    mutating func feed(_ bytes: [UInt8], continuing: Bool) -> [String]? {
        if continuing { field.append(10) }
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if inQuotes {
                if byte == 34 {
                    if index + 1 < count && bytes[index + 1] == 34 {
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
