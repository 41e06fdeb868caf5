import CSimdJSON
import Foundation

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

extension JSONSyntaxError {
    /// The error with where it is in `bytes` (line and column), for a whole document a user wrote: simdjson
    /// reports no position, so Foundation's parser finds the place, or else the first integer too long to read.
    public func located(in bytes: [UInt8]) -> String {
        guard code != 10 else { return description }
        var offset: Int?
        do { _ = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) } catch {
            let text = ((error as NSError).userInfo["NSDebugDescription"] as? String) ?? ""
            if let range = text.range(of: "around character ") {
                offset = Int(text[range.upperBound...].prefix { $0.isNumber })
            }
        }
        if offset == nil { offset = Self.firstLongInteger(bytes) }
        guard let offset, offset <= bytes.count else { return description }
        var line = 1, column = 1
        for byte in bytes[..<offset] {
            if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
        }
        return "line \(line), column \(column): \(description)"
    }

    /// The offset of the first run of more than 19 digits outside strings (past what 64 bits hold).
    static func firstLongInteger(_ bytes: [UInt8]) -> Int? {
        var inString = false, escaped = false, runStart = -1
        for (index, byte) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                continue
            }
            if byte == 0x22 { inString = true; runStart = -1; continue }
            if (0x30...0x39).contains(byte) {
                if runStart < 0 { runStart = index }
                if index - runStart + 1 > 19 { return runStart }
            } else {
                runStart = -1
            }
        }
        return nil
    }
}
