#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole small input file (scenario, price, mapping, result or baseline document) with a
/// size limit, from regular files only, or from standard input when the path is `-`.
///
/// Without a limit, `--scenario /dev/zero` ran until allocation failed; a FIFO hung or read
/// as empty. Both are refused here with a message that says why.
public enum BoundedFile {
    public static func bytes(path: String, limit: Int, what: String) throws(BoundedFileError) -> [UInt8] {
        let descriptor: Int32
        if path == "-" {
            descriptor = 0
        } else {
            var info = stat()
            guard stat(path, &info) == 0 else { throw BoundedFileError(path: path, reason: "cannot read the \(what): \(String(cString: strerror(errno)))") }
            let type = info.st_mode & S_IFMT
            guard type == S_IFREG else {
                let kind = type == S_IFDIR ? "a folder" : type == S_IFIFO ? "a pipe" : type == S_IFCHR ? "a device" : "not a regular file"
                throw BoundedFileError(path: path, reason: "the \(what) is \(kind); give a regular file (or - for standard input)")
            }
            guard Int(info.st_size) <= limit else {
                throw BoundedFileError(path: path, reason: "the \(what) is \(info.st_size) bytes; at most \(limit) are read")
            }
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw BoundedFileError(path: path, reason: "cannot read the \(what): \(String(cString: strerror(errno)))") }
        }
        defer { if descriptor != 0 { close(descriptor) } }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw BoundedFileError(path: path, reason: "cannot read the \(what): \(String(cString: strerror(errno)))")
            }
            if count == 0 { return result }
            guard result.count + count <= limit else {
                throw BoundedFileError(path: path, reason: "the \(what) is larger than \(limit) bytes, the most that is read")
            }
            result.append(contentsOf: chunk[0..<count])
        }
    }

    /// The file as UTF-8 text, without a leading byte-order mark.
    public static func text(path: String, limit: Int, what: String) throws(BoundedFileError) -> String {
        var bytes = try bytes(path: path, limit: limit, what: what)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw BoundedFileError(path: path, reason: "the \(what) is not valid UTF-8 text")
        }
        return text
    }
}

/// A small input file that could not be read within the rules.
public struct BoundedFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}
