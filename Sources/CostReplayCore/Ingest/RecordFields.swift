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

    /// The text of a scalar text field (a model or provider name, a type); empty text counts as absent. In JSON any
    /// other type than a string is an error, never a silent value (`"model": 42`, `"model": ["a"]`).
    func text(_ key: String) throws(RecordError) -> String? {
        switch storage {
        case .json(let object):
            return try FieldReading.string(object[key], field: key).flatMap { $0.isEmpty ? nil : $0 }
        case .csv(let row):
            guard let value = row[key], !value.isEmpty else { return nil }
            return value
        }
    }

    /// An id (request, trace, user, team, session): a string or an integer; empty counts as absent.
    func id(_ key: String) throws(RecordError) -> String? {
        switch storage {
        case .json(let object): return try FieldReading.reference(object[key], field: key)
        case .csv(let row):
            guard let value = row[key], !value.isEmpty else { return nil }
            return value
        }
    }

    /// The first present of two alternative field names.
    func text(_ first: String, _ second: String) throws(RecordError) -> String? {
        if let value = try text(first) { return value }
        return try text(second)
    }

    func id(_ first: String, _ second: String) throws(RecordError) -> String? {
        if let value = try id(first) { return value }
        return try id(second)
    }

    func nested(_ first: String, _ second: String, shape: Shape) throws(RecordError) -> JSONValue? {
        if let value = try nested(first, shape: shape) { return value }
        return try nested(second, shape: shape)
    }

    /// Free content (a prompt or a response) as text, whatever its JSON type: objects and arrays as their JSON.
    func content(_ key: String) -> String? {
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

    /// A true/false field: a boolean, 0 or 1, or text such as true/false/yes/no/none (LiteLLM writes Python's
    /// `True`, `False` and `None`); absent, null and empty give nil; anything else is an error.
    func bool(_ key: String) throws(RecordError) -> Bool? {
        let text: String
        switch storage {
        case .json(let object):
            guard let value = object[key], !value.isNull else { return nil }
            if let flag = value.bool { return flag }
            if value.type == .int64 || value.type == .uint64, let number = value.text, number == "0" || number == "1" { return number == "1" }
            guard let string = value.string else { throw RecordError(field: key, "expected true or false, found \(value.json.prefix(40))") }
            text = string
        case .csv(let row):
            guard let cell = row[key] else { return nil }
            text = cell
        }
        if text.isEmpty { return nil }
        guard let flag = Self.parseBool(text) else { throw RecordError(field: key, "expected true or false, found \"\(text.prefix(40))\"") }
        return flag
    }

    enum Shape { case object, array }

    /// A nested object or array: given inline, or as JSON text. Nil when absent, null or empty; when the field must
    /// have a shape, anything else (other JSON, text that is not JSON, JSON too deep to read) is an error naming it.
    func nested(_ key: String, shape: Shape) throws(RecordError) -> JSONValue? {
        var text: String?
        switch storage {
        case .json(let object):
            guard let value = object[key], !value.isNull else { return nil }
            if value.isObject || value.isArray {
                guard (shape == .object) == value.isObject else { throw Self.wrongShape(key, shape, found: value.json) }
                return value
            }
            guard let string = value.string else { throw Self.wrongShape(key, shape, found: value.json) }
            text = string
        case .csv(let row):
            text = row[key]
        }
        guard let text, !text.trimmingSpaces.isEmpty else { return nil }
        guard let value = try? nestedParser.parse(text) else {
            throw RecordError(field: key, "expected \(shape == .object ? "a JSON object" : "a JSON list"), found text that is not valid JSON (or nests too deep): \(text.prefix(40))")
        }
        if value.isNull { return nil }
        guard (shape == .object) == value.isObject, value.isObject || value.isArray else { throw Self.wrongShape(key, shape, found: value.json) }
        return value
    }

    static func wrongShape(_ key: String, _ shape: Shape, found: String) -> RecordError {
        RecordError(field: key, "expected \(shape == .object ? "an object" : "a list"), found \(found.prefix(40))")
    }

    /// A nested value given inline or as JSON text, of any shape; nil when absent or not JSON (free content).
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
