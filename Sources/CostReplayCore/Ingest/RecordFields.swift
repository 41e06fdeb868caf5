/// Uniform access to the named fields of one source record, whether it came as a JSON object
/// or as a CSV row, for formats exported both ways (LiteLLM, Langfuse).
///
/// Nested JSON given as text (a CSV cell, or a JSON string holding JSON) is parsed with a
/// second parser; a value it returns stays valid until the next `nested` call.
struct RecordFields {
    enum Storage {
        case json(JSONValue)
        case csv([String: String])
    }

    let storage: Storage
    let nestedParser: JSONParser

    /// The text of a scalar field; empty text counts as absent.
    func text(_ key: String) -> String? {
        switch storage {
        case .json(let object):
            guard let value = object[key], !value.isNull else { return nil }
            if value.isObject || value.isArray { return value.json }
            return value.text.flatMap { $0.isEmpty ? nil : $0 }
        case .csv(let row):
            guard let value = row[key], !value.isEmpty else { return nil }
            return value
        }
    }

    func tokens(_ key: String) throws(RecordError) -> Int64? {
        switch storage {
        case .json(let object): return try FieldReading.tokens(object[key], field: key)
        case .csv(let row): return try row[key].flatMap { text throws(RecordError) in try FieldReading.tokens(text: text, field: key) }
        }
    }

    func dollars(_ key: String) throws(RecordError) -> Double? {
        switch storage {
        case .json(let object): return try FieldReading.dollars(object[key], field: key)
        case .csv(let row): return try row[key].flatMap { text throws(RecordError) in try FieldReading.dollars(text: text, field: key) }
        }
    }

    func instant(_ key: String) throws(RecordError) -> Int64? {
        switch storage {
        case .json(let object): return try FieldReading.instant(object[key], field: key)
        case .csv(let row): return try row[key].flatMap { text throws(RecordError) in try FieldReading.instant(text: text, field: key) }
        }
    }

    /// The first present of several alternative field names.
    func tokens(_ first: String, _ second: String) throws(RecordError) -> Int64? {
        if let value = try tokens(first) { return value }
        return try tokens(second)
    }

    func dollars(_ first: String, _ second: String) throws(RecordError) -> Double? {
        if let value = try dollars(first) { return value }
        return try dollars(second)
    }

    func instant(_ first: String, _ second: String) throws(RecordError) -> Int64? {
        if let value = try instant(first) { return value }
        return try instant(second)
    }

    func bool(_ key: String) -> Bool? {
        switch storage {
        case .json(let object):
            if let value = object[key]?.bool { return value }
            return object[key]?.string.flatMap(Self.parseBool)
        case .csv(let row): return row[key].flatMap(Self.parseBool)
        }
    }

    /// A nested object or array: given inline, or as JSON text. Nil when absent or not JSON.
    func nested(_ key: String) -> JSONValue? {
        var text: String?
        switch storage {
        case .json(let object):
            guard let value = object[key], !value.isNull else { return nil }
            if value.isObject || value.isArray { return value }
            text = value.string
        case .csv(let row):
            text = row[key]
        }
        guard let text, let first = text.utf8.first(where: { $0 != 32 }), first == 123 || first == 91 else { return nil }
        return try? nestedParser.parse(text)
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1", "yes", "t": return true
        case "false", "0", "no", "f", "none", "null": return false
        default: return nil
        }
    }
}
