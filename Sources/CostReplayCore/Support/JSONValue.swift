import CSimdJSON

/// A value inside a document parsed by ``JSONParser``; valid until that parser parses again.
public struct JSONValue {
    unowned(unsafe) let parser: JSONParser
    let slot: Int32

    public var type: JSONType { JSONType(rawValue: csj_type(parser.handle, slot)) ?? .invalid }
    public var isNull: Bool { type == .null }
    public var isObject: Bool { type == .object }
    public var isArray: Bool { type == .array }

    /// The member named `key`, or nil when absent or when this is not an object.
    public subscript(key: StaticString) -> JSONValue? {
        let child = key.withUTF8Buffer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { csj_field(parser.handle, slot, $0.baseAddress, $0.count) }
        }
        return child < 0 ? nil : JSONValue(parser: parser, slot: child)
    }

    public subscript(key: String) -> JSONValue? {
        var key = key
        let child = key.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { csj_field(parser.handle, slot, $0.baseAddress, $0.count) }
        }
        return child < 0 ? nil : JSONValue(parser: parser, slot: child)
    }

    /// The value at a dotted path of object keys, e.g. `usage.prompt_tokens_details.cached_tokens`.
    public func at(_ path: [String]) -> JSONValue? {
        var current: JSONValue? = self
        for key in path { current = current?[key] }
        return current
    }

    /// A string value (not a number written as text).
    public var string: String? {
        var bytes: UnsafePointer<CChar>?
        var length = 0
        guard csj_get_string(parser.handle, slot, &bytes, &length) == 0, let bytes else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
    }

    /// Calls `body` with the bytes of a string value without copying them.
    public func withStringBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R? {
        var bytes: UnsafePointer<CChar>?
        var length = 0
        guard csj_get_string(parser.handle, slot, &bytes, &length) == 0, let bytes else { return nil }
        return body(UnsafeRawBufferPointer(start: bytes, count: length))
    }

    public var int64: Int64? {
        var value: Int64 = 0
        return csj_get_int64(parser.handle, slot, &value) == 0 ? value : nil
    }

    public var double: Double? {
        var value = 0.0
        return csj_get_double(parser.handle, slot, &value) == 0 ? value : nil
    }

    public var bool: Bool? {
        var value: Int32 = 0
        return csj_get_bool(parser.handle, slot, &value) == 0 ? value != 0 : nil
    }

    public var count: Int { csj_size(parser.handle, slot) }

    /// The elements of an array (empty for other types).
    public var elements: [JSONValue] {
        var count = 0
        let first = csj_children(parser.handle, slot, &count)
        guard first >= 0, type == .array else { return [] }
        return (0..<count).map { JSONValue(parser: parser, slot: first + Int32($0)) }
    }

    /// Calls `body` with each element of an array (none for other types), without building an array.
    public func forEachElement(_ body: (JSONValue) throws -> Void) rethrows {
        var count = 0
        let first = csj_children(parser.handle, slot, &count)
        guard first >= 0, type == .array else { return }
        for index in 0..<count { try body(JSONValue(parser: parser, slot: first + Int32(index))) }
    }

    /// The members of an object in document order (empty for other types).
    public var members: [(key: String, value: JSONValue)] {
        guard type == .object else { return [] }
        var count = 0
        let first = csj_children(parser.handle, slot, &count)
        guard first >= 0 else { return [] }
        return (0..<count).map { index in
            let child = first + Int32(index)
            var bytes: UnsafePointer<CChar>?
            var length = 0
            _ = csj_key(parser.handle, child, &bytes, &length)
            let key = bytes.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
            return (key, JSONValue(parser: parser, slot: child))
        }
    }

    /// Calls `body` with each member of an object, without building an array.
    public func forEachMember(_ body: (String, JSONValue) throws -> Void) rethrows {
        try forEachMemberKey { key, value in try body(String(decoding: key, as: UTF8.self), value) }
    }

    /// Calls `body` with the bytes of each member's key (valid during the call) and its value, making no strings.
    public func forEachMemberKey(_ body: (UnsafeRawBufferPointer, JSONValue) throws -> Void) rethrows {
        guard type == .object else { return }
        var count = 0
        let first = csj_children(parser.handle, slot, &count)
        guard first >= 0 else { return }
        for index in 0..<count {
            let child = first + Int32(index)
            var bytes: UnsafePointer<CChar>?
            var length = 0
            _ = csj_key(parser.handle, child, &bytes, &length)
            try body(UnsafeRawBufferPointer(start: bytes, count: bytes == nil ? 0 : length), JSONValue(parser: parser, slot: child))
        }
    }

    /// Calls `body` with the value re-serialised as compact JSON (the bytes of ``json``, valid during the call); nil
    /// when it cannot be.
    public func withJSONBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R? {
        var bytes: UnsafePointer<CChar>?
        var length = 0
        guard csj_minify(parser.handle, slot, &bytes, &length) == 0, let bytes else { return nil }
        return body(UnsafeRawBufferPointer(start: bytes, count: length))
    }

    /// The value re-serialised as compact JSON text.
    public var json: String {
        var bytes: UnsafePointer<CChar>?
        var length = 0
        guard csj_minify(parser.handle, slot, &bytes, &length) == 0, let bytes else { return "null" }
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
    }

    /// A scalar rendered as plain text: strings as they are, numbers and booleans as written.
    public var text: String? {
        switch type {
        case .string: return string
        case .int64: return int64.map(String.init)
        case .uint64, .double: return json
        case .bool: return bool.map { $0 ? "true" : "false" }
        default: return nil
        }
    }
}
