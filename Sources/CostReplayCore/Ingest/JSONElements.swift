/// The records of a JSON document whose whole parse failed (one number out of range such as `1e400`, one record
/// nested deeper than the parser allows): the elements of its top-level array, or of the `data` array of an API
/// page (`{"data": [...]}`), found by a scan that follows strings and brackets without parsing values, so each
/// element can be parsed, and rejected, on its own.
enum JSONElements {
    /// Byte ranges of the elements, or nil when the document has no such array or its brackets do not close.
    static func ranges(_ bytes: UnsafeRawBufferPointer) -> [Range<Int>]? {
        var index = skipSpace(bytes, 0)
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "{") {
            guard let data = dataArray(bytes, from: index) else { return nil }
            index = data
        }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return nil }
        var ranges: [Range<Int>] = []
        var depth = 0, inString = false, escaped = false
        var start = index + 1
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    if depth == 0 {
                        guard byte == UInt8(ascii: "]") else { return nil }
                        if let element = trimmed(bytes, start..<index) { ranges.append(element) }
                        return ranges
                    }
                    depth -= 1
                case UInt8(ascii: ","):
                    if depth == 0 {
                        guard let element = trimmed(bytes, start..<index) else { return nil }
                        ranges.append(element)
                        start = index + 1
                    }
                default: break
                }
            }
            index += 1
        }
        return nil
    }

    /// Where the value of the top-level key `data` starts, scanning the object that opens at `open`.
    static func dataArray(_ bytes: UnsafeRawBufferPointer, from open: Int) -> Int? {
        var depth = 0, index = open
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let keyStart = index + 1
                guard let close = stringEnd(bytes, keyStart) else { return nil }
                let after = skipSpace(bytes, close + 1)
                if depth == 1, after < bytes.count, bytes[after] == UInt8(ascii: ":"),
                   close - keyStart == 4, Array(bytes[keyStart..<close]) == Array("data".utf8) {
                    return skipSpace(bytes, after + 1)
                }
                index = close + 1
                continue
            }
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
            if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return nil }
            }
            index += 1
        }
        return nil
    }

    /// The index of the quote that closes the string whose content starts at `start`.
    static func stringEnd(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> Int? {
        var index = start, escaped = false
        while index < bytes.count {
            if escaped { escaped = false } else if bytes[index] == UInt8(ascii: "\\") { escaped = true } else if bytes[index] == UInt8(ascii: "\"") { return index }
            index += 1
        }
        return nil
    }

    static func skipSpace(_ bytes: UnsafeRawBufferPointer, _ from: Int) -> Int {
        var index = from
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        return index
    }

    static func trimmed(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int>? {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[lower]) { lower += 1 }
        while upper > lower, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[upper - 1]) { upper -= 1 }
        return lower < upper ? lower..<upper : nil
    }
}
