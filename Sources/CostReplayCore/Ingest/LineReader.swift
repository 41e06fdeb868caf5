#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a file line by line in fixed-size chunks, so memory stays flat as files grow.
///
/// Lines end at `\n`, `\r\n` or a lone `\r`. The last line may lack its newline, which
/// readers use to tell a truncated record from a bad one.
public final class LineReader {
    let path: String
    let descriptor: Int32
    public private(set) var bytesRead = 0
    public let fileSize: Int
    /// False for a descriptor the caller opened (standard input), which stays open.
    let ownsDescriptor: Bool

    public init(path: String) throws(IngestError) {
        // Non-blocking so that a FIFO without a writer is refused below instead of hanging the open.
        descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw IngestError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        var info = stat()
        fstat(descriptor, &info)
        let type = info.st_mode & S_IFMT
        if type != S_IFREG {
            close(descriptor)
            let kind = type == S_IFDIR ? "is a directory" : type == S_IFIFO ? "is a pipe" : type == S_IFCHR ? "is a device" : "is not a regular file"
            throw IngestError.unreadable(path: path, reason: kind + "; give a regular file")
        }
        fileSize = Int(info.st_size)
        self.path = path
        ownsDescriptor = true
    }

    /// Reads a descriptor the caller opened, such as standard input or a pipe, to its end; `fileSize` is 0.
    public init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        path = name
        fileSize = 0
        ownsDescriptor = false
    }

    deinit { if ownsDescriptor { close(descriptor) } }

    /// Calls `body(lineNumber, bytes, terminated)` for every line, including empty ones. A UTF-8
    /// byte-order mark at the start of the file is not part of the first line.
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
                let base = raw.baseAddress!
                var start = 0
                if lineNumber == 0 && filled >= 3 && raw[0] == 0xEF && raw[1] == 0xBB && raw[2] == 0xBF { start = 3 }
                // Lines end at LF, CRLF or a lone CR, in any mix (a raw CR cannot occur inside a JSON line).
                // The next CR is found once and reused until passed, so an LF-only file is scanned for CRs once.
                func next(_ byte: Int32, from: Int) -> Int {
                    memchr(base + from, byte, filled - from).map { base.distance(to: UnsafeRawPointer($0)) } ?? filled
                }
                var nextCR = next(13, from: start)
                while start < filled {
                    if nextCR < start { nextCR = next(13, from: start) }
                    let lf = next(10, from: start)
                    let end: Int, after: Int
                    if lf < nextCR {
                        (end, after) = (lf, lf + 1)
                    } else if nextCR < filled {
                        // A CR last in the buffer may be the first half of a CRLF: wait for more, unless at the end.
                        if nextCR + 1 == filled && !atEnd { break }
                        (end, after) = (nextCR, nextCR + 1 < filled && raw[nextCR + 1] == 10 ? nextCR + 2 : nextCR + 1)
                    } else {
                        break
                    }
                    lineNumber += 1
                    try body(lineNumber, UnsafeRawBufferPointer(rebasing: raw[start..<end]), true)
                    start = after
                }
                consumed = start
                if atEnd && start < filled {
                    lineNumber += 1
                    try body(lineNumber, UnsafeRawBufferPointer(rebasing: raw[start..<filled]), false)
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

    /// The mean length of the lines in the file's first MiB, newline included, or nil when it holds fewer than 64
    /// lines or the file cannot be read there (a pipe). Read with `pread`, so the stream's position is untouched.
    public func sampledLineLength() -> Int? {
        guard fileSize > 0 else { return nil }
        var sample = [UInt8](repeating: 0, count: min(fileSize, 1 << 20))
        let count = sample.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, $0.count, 0) }
        guard count > 0 else { return nil }
        var lines = 0
        var end = 0
        for index in 0..<count where sample[index] == UInt8(ascii: "\n") {
            lines += 1
            end = index + 1
        }
        return lines >= 64 ? end / lines : nil
    }

    /// The whole file without a leading byte-order mark, for formats that are one JSON document;
    /// refused past `limit` bytes.
    public func readAll(limit: Int = Int.max) throws(IngestError) -> [UInt8] {
        guard fileSize <= limit else { throw IngestError.unreadable(path: path, reason: "\(fileSize) bytes; at most \(limit) are read") }
        var result: [UInt8] = []
        result.reserveCapacity(fileSize + 64)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 { throw IngestError.unreadable(path: path, reason: String(cString: strerror(errno))) }
            if count == 0 { break }
            bytesRead += count
            guard result.count + count <= limit else { throw IngestError.unreadable(path: path, reason: "more than \(limit) bytes") }
            result.append(contentsOf: chunk[0..<count])
        }
        if result.starts(with: [0xEF, 0xBB, 0xBF]) { result.removeFirst(3) }
        return result
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
