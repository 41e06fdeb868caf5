#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a file line by line in fixed-size chunks, so memory stays flat as files grow.
///
/// Lines end at `\n`; a trailing `\r` is dropped. The last line may lack its newline, which
/// readers use to tell a truncated record from a bad one.
public final class LineReader {
    let path: String
    let descriptor: Int32
    public private(set) var bytesRead = 0
    public let fileSize: Int

    public init(path: String) throws(IngestError) {
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw IngestError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        var info = stat()
        fstat(descriptor, &info)
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw IngestError.unreadable(path: path, reason: "is a directory")
        }
        fileSize = Int(info.st_size)
        self.path = path
    }

    deinit { close(descriptor) }

    /// Calls `body(lineNumber, bytes, terminated)` for every line, including empty ones.
    public func forEachLine(
        chunkSize: Int = 1 << 20, _ body: (Int, UnsafeRawBufferPointer, Bool) throws -> Void
    ) throws {
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var filled = 0
        var lineNumber = 0
        while true {
            if filled == buffer.count { buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count)) }
            let count = buffer.withUnsafeMutableBytes { raw in
                read(descriptor, raw.baseAddress! + filled, raw.count - filled)
            }
            if count < 0 { throw IngestError.unreadable(path: path, reason: String(cString: strerror(errno))) }
            bytesRead += count
            let atEnd = count == 0
            filled += count
            var consumed = 0
            try buffer.withUnsafeBytes { raw in
                var start = 0
                while start < filled {
                    guard let newline = memchr(raw.baseAddress! + start, 10, filled - start) else { break }
                    let end = raw.baseAddress!.distance(to: UnsafeRawPointer(newline))
                    lineNumber += 1
                    try body(lineNumber, Self.trimCR(UnsafeRawBufferPointer(rebasing: raw[start..<end])), true)
                    start = end + 1
                }
                consumed = start
                if atEnd && start < filled {
                    lineNumber += 1
                    try body(lineNumber, Self.trimCR(UnsafeRawBufferPointer(rebasing: raw[start..<filled])), false)
                    consumed = filled
                }
            }
            if consumed > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    if consumed < filled { memmove(raw.baseAddress!, raw.baseAddress! + consumed, filled - consumed) }
                }
                filled -= consumed
            }
            if atEnd { return }
        }
    }

    /// The whole file, for formats that are one JSON document.
    public func readAll() throws(IngestError) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(fileSize + 64)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 { throw IngestError.unreadable(path: path, reason: String(cString: strerror(errno))) }
            if count == 0 { return result }
            bytesRead += count
            result.append(contentsOf: chunk[0..<count])
        }
    }

    static func trimCR(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        if let last = line.last, last == 13 { return UnsafeRawBufferPointer(rebasing: line.dropLast()) }
        return line
    }
}

/// Errors that stop the ingest of one file (the other files go on).
public enum IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case emptyFile(path: String)
    case unknownFormat(path: String, hint: String)
    case badMapping(path: String, reason: String)
    case unknownFormatName(String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "\(path): cannot read the file: \(reason)"
        case let .emptyFile(path): return "\(path): file is empty"
        case let .unknownFormat(path, hint):
            return "\(path): cannot detect the trace format (\(hint)); name it with --format"
        case let .badMapping(path, reason): return "\(path): \(reason)"
        case let .unknownFormatName(name):
            return "unknown format '\(name)'; known formats: \(TraceFormat.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }
}
