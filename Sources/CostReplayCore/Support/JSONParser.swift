import CSimdJSON

/// A reusable simdjson DOM parser: one per thread, one document at a time.
///
/// Values handed out by ``parse(_:)`` stay valid until the next parse on the same parser.
/// Foundation's JSON parsers reach about 120,000 lines/s on this machine; simdjson is several
/// times faster, which the ingest budget of 300,000 records/s needs (docs/performance.md).
public final class JSONParser {
    let handle: OpaquePointer

    public init() {
        guard let handle = csj_parser_new() else { fatalError("simdjson parser allocation failed") }
        self.handle = handle
    }

    deinit { csj_parser_free(handle) }

    /// Parses one JSON document from raw bytes (validating UTF-8).
    public func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONSyntaxError) -> JSONValue {
        let code = csj_parse(handle, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
        if code != 0 { throw JSONSyntaxError(code: Int(code)) }
        return JSONValue(parser: self, slot: 0)
    }

    public func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONValue {
        let code = bytes.withUnsafeBytes { raw in
            csj_parse(handle, raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count)
        }
        if code != 0 { throw JSONSyntaxError(code: Int(code)) }
        return JSONValue(parser: self, slot: 0)
    }

    public func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        var copy = text
        let code = copy.withUTF8 { buffer in
            csj_parse(handle, UnsafeRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self), buffer.count)
        }
        if code != 0 { throw JSONSyntaxError(code: Int(code)) }
        return JSONValue(parser: self, slot: 0)
    }
}

/// A JSON syntax or encoding error reported by simdjson.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: Int
    public var description: String {
        // simdjson error 10 is UTF8_ERROR; name it plainly for users.
        code == 10 ? "invalid UTF-8" : "invalid JSON (\(detail))"
    }

    /// simdjson's own explanation.
    public var detail: String {
        csj_error_message(Int32(code)).map { String(cString: $0) } ?? "error \(code)"
    }
}

/// The kinds of JSON value.
public enum JSONType: Int32, Sendable {
    case null = 0, bool = 1, int64 = 2, uint64 = 3, double = 4, string = 5, array = 6, object = 7, invalid = -1
}
