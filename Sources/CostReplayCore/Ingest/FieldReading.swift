/// Typed reads of source fields with errors that name the field.
enum FieldReading {
    /// A token count: a non-negative integer, an integral float, or such a number written as text.
    /// Absent and null give nil.
    static func tokens(_ value: JSONValue?, field: String) throws(RecordError) -> Int64? {
        guard let value, !value.isNull else { return nil }
        switch value.type {
        case .int64:
            return try nonNegative(value.int64!, field: field)
        case .uint64:
            throw RecordError(field: field, "\(value.json) tokens in one request is out of range (at most \(TokenUsage.maximum))")
        case .double:
            let number = value.double!
            guard number.rounded() == number, abs(number) < 9e15 else {
                throw RecordError(field: field, "expected a whole number of tokens, found \(value.json)")
            }
            return try nonNegative(Int64(number), field: field)
        case .string:
            return try tokens(text: value.string!, field: field)
        default:
            throw RecordError(field: field, "expected a token count, found \(value.json)")
        }
    }

    static func tokens(text: String, field: String) throws(RecordError) -> Int64? {
        let trimmed = text.trimmingSpaces
        if trimmed.isEmpty { return nil }
        if let number = Int64(trimmed) { return try nonNegative(number, field: field) }
        if isDecimal(trimmed), let number = Double(trimmed), number.rounded() == number, abs(number) < 9e15 {
            return try nonNegative(Int64(number), field: field)
        }
        throw RecordError(field: field, "expected a token count, found \"\(text.prefix(40))\"")
    }

    static func nonNegative(_ number: Int64, field: String) throws(RecordError) -> Int64 {
        guard number >= 0 else { throw RecordError(field: field, "must not be negative, found \(number)") }
        guard number <= TokenUsage.maximum else {
            throw RecordError(field: field, "\(number) tokens in one request is out of range (at most \(TokenUsage.maximum))")
        }
        return number
    }

    /// A dollar amount: a number or a number written as text; absent, null and empty give nil.
    static func dollars(_ value: JSONValue?, field: String) throws(RecordError) -> Double? {
        guard let value, !value.isNull else { return nil }
        if let number = value.double, value.type != .string, value.type != .bool {
            guard number.isFinite else { throw RecordError(field: field, "expected a number, found \(value.json)") }
            return try plausible(number, field: field)
        }
        if let text = value.string { return try dollars(text: text, field: field) }
        throw RecordError(field: field, "expected a number, found \(value.json)")
    }

    static func dollars(text: String, field: String) throws(RecordError) -> Double? {
        let trimmed = text.trimmingSpaces
        if trimmed.isEmpty { return nil }
        guard isDecimal(trimmed), let number = Double(trimmed), number.isFinite else {
            throw RecordError(field: field, "expected a number, found \"\(text.prefix(40))\"")
        }
        return try plausible(number, field: field)
    }

    /// A billed amount for one request beyond a million dollars is a unit or parsing error upstream.
    static func plausible(_ dollars: Double, field: String) throws(RecordError) -> Double {
        guard abs(dollars) <= 1e6 else {
            throw RecordError(field: field, "\(dollars) dollars for one request is out of range (±1,000,000)")
        }
        return dollars
    }

    /// An instant: ISO 8601 text, epoch number text, or an epoch number (s, ms, µs or ns by magnitude).
    static func instant(_ value: JSONValue?, field: String) throws(RecordError) -> Int64? {
        guard let value, !value.isNull else { return nil }
        if value.type == .string {
            // Fast path: parse the bytes in place; fall back for epoch text and odd shapes.
            if let micros = value.withStringBytes({ Timestamp.parseISO(bytes: $0) }) ?? nil { return micros }
            return try instant(text: value.string!, field: field)
        }
        if let number = value.double, value.type != .bool {
            if let micros = Timestamp.fromEpoch(number) { return micros }
            throw outOfRange(value.json, field: field)
        }
        throw RecordError(field: field, "expected a timestamp, found \(value.json)")
    }

    /// Unix seconds, as OpenAI's `created` fields are: a number from 0 to the end of the year 9999. No guessing of the
    /// unit by magnitude here: `1e20` seconds is an error, not a time in nanoseconds.
    static func epochSeconds(_ value: JSONValue?, field: String) throws(RecordError) -> Int64? {
        guard let value, !value.isNull else { return nil }
        guard value.type != .string, value.type != .bool, let seconds = value.double else {
            throw RecordError(field: field, "expected Unix seconds (a number), found \(value.json.prefix(40))")
        }
        guard seconds.isFinite, seconds >= 0, seconds <= 253_402_300_799 else {
            throw RecordError(field: field, "\(value.json.prefix(40)) Unix seconds is out of range (0 to the year 9999)")
        }
        return Int64((seconds * 1e6).rounded())
    }

    static func instant(text: String, field: String) throws(RecordError) -> Int64? {
        let trimmed = text.trimmingSpaces
        if trimmed.isEmpty { return nil }
        if let micros = Timestamp.parseISO(trimmed) { return micros }
        if isDecimal(trimmed), let number = Double(trimmed) {
            if let micros = Timestamp.fromEpoch(number) { return micros }
            throw outOfRange("\"\(trimmed.prefix(40))\"", field: field)
        }
        throw RecordError(field: field, "expected a timestamp, found \"\(text.prefix(40))\"")
    }

    /// A plain decimal number (`-12`, `3.5`, `1e9`): Swift's `Double(text)` also takes hex, `nan`
    /// and `inf`, which no trace means as a count, a price or a time.
    static func isDecimal(_ text: String) -> Bool {
        var sawDigit = false
        for (index, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): continue
            case UInt8(ascii: "+"), UInt8(ascii: "-"): if index > 0 && !"eE".utf8.contains(Array(text.utf8)[index - 1]) { return false }
            default: return false
            }
        }
        return sawDigit
    }

    static func outOfRange(_ shown: String, field: String) -> RecordError {
        RecordError(field: field, "timestamp \(shown) is out of range (an epoch number from 0 to the year 9999 in s, ms, µs or ns)")
    }

    /// A text field: absent and null give nil; any other type than a string is an error, never a
    /// silent null.
    static func string(_ value: JSONValue?, field: String) throws(RecordError) -> String? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.string else { throw RecordError(field: field, "expected a string, found \(value.json.prefix(40))") }
        return text
    }

    /// A true/false field: absent and null give false; anything but a boolean is an error.
    static func flag(_ value: JSONValue?, field: String) throws(RecordError) -> Bool {
        guard let value, !value.isNull else { return false }
        guard let flag = value.bool else { throw RecordError(field: field, "expected true or false, found \(value.json.prefix(40))") }
        return flag
    }

    /// A list of strings (tags): absent and null give an empty list.
    static func strings(_ value: JSONValue?, field: String) throws(RecordError) -> [String] {
        guard let value, !value.isNull else { return [] }
        guard value.isArray else { throw RecordError(field: field, "expected a list of strings, found \(value.json.prefix(40))") }
        return try value.elements.map { item throws(RecordError) in
            guard let text = item.string else { throw RecordError(field: field, "expected a list of strings, found \(item.json.prefix(40)) in it") }
            return text
        }
    }

    /// An id that refers to something else (trace, session, user, tenant): a string or an integer;
    /// absent, null and empty give nil; any other type is an error.
    static func reference(_ value: JSONValue?, field: String) throws(RecordError) -> String? {
        guard let value, !value.isNull else { return nil }
        if let text = value.string { return text.isEmpty ? nil : text }
        if value.type == .int64 || value.type == .uint64 { return value.text }
        throw RecordError(field: field, "expected a string or an integer id, found \(value.json.prefix(40))")
    }

    /// A non-empty identifier from a string or number.
    static func identifier(_ value: JSONValue?) -> String? {
        guard let value, let text = value.text, !text.isEmpty else { return nil }
        return text
    }
}

extension String {
    var trimmingSpaces: String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}
