#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file a command writes, written so that it can never destroy an input or anything else.
///
/// Rules, in order: an output is never written through a symbolic link; never onto a file that
/// is an input of the same command (same device and inode, so other spellings of the path and
/// hard links are caught); an existing file is replaced only when it is a regular file that
/// looks like an output of the same kind; the new content goes to a temporary file beside it
/// and is renamed over the old one only when complete, so a failed or killed write leaves the
/// old file whole.
public final class OutputFile {
    public let path: String
    let temporary: String
    var descriptor: Int32
    var committed = false
    var failure: Int32 = 0

    /// Checks `path` against the rules and opens a temporary file beside it.
    public init(path: String, kind: OutputKind, inputs: [String] = []) throws(OutputError) {
        try Self.check(path: path, kind: kind, inputs: inputs)
        self.path = path
        let directory = Self.directory(of: path)
        let base = path.split(separator: "/").last.map(String.init) ?? path
        temporary = (directory == "." && !path.hasPrefix("./") ? "" : directory + "/") + ".\(base).tmp-\(getpid())"
        unlink(temporary)
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw OutputError(path: path, reason: String(cString: strerror(errno))) }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if !committed { unlink(temporary) }
    }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    public func write(_ bytes: some Collection<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { write(UnsafeRawBufferPointer($0)) }
        if done == nil { Array(bytes).withUnsafeBytes { write($0) } }
    }

    func write(_ buffer: UnsafeRawBufferPointer) {
        guard failure == 0, var base = buffer.baseAddress else { return }
        var left = buffer.count
        while left > 0 {
            let n = Glibc.write(descriptor, base, left)
            if n < 0 {
                if errno == EINTR { continue }
                failure = errno
                return
            }
            left -= n
            base += n
        }
    }

    /// Makes the new content visible under `path`, replacing the old file in one step.
    public func commit() throws(OutputError) {
        if failure == 0 && fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        descriptor = -1
        guard failure == 0 else { throw OutputError(path: path, reason: String(cString: strerror(failure))) }
        guard rename(temporary, path) == 0 else { throw OutputError(path: path, reason: String(cString: strerror(errno))) }
        committed = true
    }

    /// Writes a whole output in one call.
    public static func write(_ text: String, to path: String, kind: OutputKind, inputs: [String] = []) throws(OutputError) {
        let file = try OutputFile(path: path, kind: kind, inputs: inputs)
        file.write(text)
        try file.commit()
    }

    public static func write(_ bytes: some Collection<UInt8>, to path: String, kind: OutputKind, inputs: [String] = []) throws(OutputError) {
        let file = try OutputFile(path: path, kind: kind, inputs: inputs)
        file.write(bytes)
        try file.commit()
    }

    /// Refuses an output path that breaks a rule; nothing is written.
    public static func check(path: String, kind: OutputKind, inputs: [String]) throws(OutputError) {
        var info = stat()
        if lstat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFLNK {
                throw OutputError(path: path, reason: "is a symbolic link; CostReplay does not write through links")
            }
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                throw OutputError(path: path, reason: "exists and is not a regular file")
            }
            if let input = inputs.first(where: { sameFile($0, info) }) {
                throw OutputError(path: path, reason: input == path ? "is an input of this command; choose another output path"
                                                                    : "is the same file as the input \(input); choose another output path")
            }
            guard kind.accepts(head(of: path)) else {
                throw OutputError(path: path, reason: "exists and is not \(kind.description); remove it or choose another path")
            }
        } else if errno != ENOENT {
            throw OutputError(path: path, reason: String(cString: strerror(errno)))
        }
        var folder = stat()
        let directory = directory(of: path)
        guard stat(directory, &folder) == 0, (folder.st_mode & S_IFMT) == S_IFDIR else {
            throw OutputError(path: path, reason: "its folder \(directory) does not exist")
        }
    }

    /// Refuses an output folder that is a symbolic link, or not a folder; creates it when missing.
    public static func prepareDirectory(_ path: String, inputs: [String] = []) throws(OutputError) {
        var info = stat()
        if lstat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFLNK {
                throw OutputError(path: path, reason: "is a symbolic link; CostReplay does not write through links")
            }
            guard (info.st_mode & S_IFMT) == S_IFDIR else { throw OutputError(path: path, reason: "exists and is not a folder") }
            return
        }
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            if mkdir(built, 0o755) != 0 && errno != EEXIST {
                throw OutputError(path: path, reason: String(cString: strerror(errno)))
            }
        }
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw OutputError(path: path, reason: "could not be created as a folder")
        }
    }

    static func sameFile(_ other: String, _ info: stat) -> Bool {
        var theirs = stat()
        guard stat(other, &theirs) == 0 else { return false }
        return theirs.st_dev == info.st_dev && theirs.st_ino == info.st_ino
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }

    /// The first 4 KiB of a file, for recognising what it is.
    static func head(of path: String) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
        return count > 0 ? Array(buffer[0..<count]) : []
    }
}

/// What an output file holds, so that an existing file is replaced only by the same kind.
public enum OutputKind: Sendable, CustomStringConvertible {
    case html, json, jsonl, csv, markdown, xml, notebook

    public var description: String {
        switch self {
        case .html: return "an HTML file"
        case .json: return "a JSON file"
        case .jsonl: return "a JSON Lines file"
        case .csv: return "a CSV file"
        case .markdown: return "a text file"
        case .xml: return "an XML file"
        case .notebook: return "a Jupyter notebook"
        }
    }

    /// Whether an existing file whose first bytes are `head` may be replaced by this kind.
    /// Empty files may always be replaced; binary files (a NUL byte, e.g. a SQLite database) never.
    func accepts(_ head: [UInt8]) -> Bool {
        if head.isEmpty { return true }
        if head.contains(0) { return false }
        let text = String(decoding: head, as: UTF8.self).drop { $0.isWhitespace || $0 == "\u{FEFF}" }.lowercased()
        switch self {
        case .html: return text.hasPrefix("<!doctype html") || text.hasPrefix("<html")
        case .json, .notebook: return text.hasPrefix("{") || text.hasPrefix("[")
        case .jsonl: return text.hasPrefix("{")
        case .xml: return text.hasPrefix("<?xml") || text.hasPrefix("<")
        case .csv, .markdown: return !text.hasPrefix("<!doctype html") && !text.hasPrefix("{\"version\"")
        }
    }
}

/// An output that was refused or could not be written.
public struct OutputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "cannot write \(path): \(reason)" }
}
