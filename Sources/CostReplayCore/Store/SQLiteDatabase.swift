import CSQLite
#if canImport(Glibc)
import Glibc
#endif

/// A thin owner of one SQLite connection through the C API.
///
/// The C API rather than GRDB: ingest is the hot path and a prepared statement with direct
/// binds inserts about 1.5× faster than GRDB here (../shared/TOOLCHAIN.md), with no extra
/// dependency to build. Not thread-safe; one connection per thread.
public final class SQLiteDatabase {
    let handle: OpaquePointer
    public let path: String

    /// Process-wide SQLite configuration, applied once before the first connection opens.
    private static let configured: Void = { _ = csqlite_configure_single_user() }()

    /// `immutable` opens a file nobody can write (a read-only mount or folder) without the WAL
    /// index SQLite would otherwise need to create beside it.
    public init(path: String, readOnly: Bool = false, immutable: Bool = false) throws(StoreError) {
        _ = Self.configured
        var info = stat()
        if path != ":memory:", stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            // SQLite would block on a FIFO and fail late on a device or folder.
            throw StoreError.cannotOpen(path: path, reason: "not a regular file")
        }
        var db: OpaquePointer?
        var flags = readOnly || immutable ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        var name = path
        if immutable {
            flags |= SQLITE_OPEN_URI
            let escaped = path.utf8.map { byte -> String in
                let c = Character(Unicode.Scalar(byte))
                return byte < 128 && (c.isLetter || c.isNumber || "/._-~".contains(c)) ? String(c) : "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            }.joined()
            name = "file:" + escaped + "?immutable=1"
        }
        let code = sqlite3_open_v2(name, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close(db) }
            throw StoreError.cannotOpen(path: path, reason: message)
        }
        self.handle = db
        self.path = path
        sqlite3_busy_timeout(db, 5000)
    }

    /// `sqlite3_close_v2`: a statement still alive (a writer's, released after its store) keeps the connection until it
    /// is finalized, then it closes. `sqlite3_close` refused with SQLITE_BUSY and the connection, its page cache and
    /// its files stayed open for the life of the process (found by fuzzing: 0.4 MB an ingest of an in-memory store).
    deinit { sqlite3_close_v2(handle) }

    public func execute(_ sql: String) throws(StoreError) {
        var error: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &error)
        if code != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? "error \(code)"
            sqlite3_free(error)
            throw StoreError.sql(path: path, reason: message)
        }
    }

    public func prepare(_ sql: String) throws(StoreError) -> SQLiteStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw StoreError.sql(path: path, reason: lastError)
        }
        return SQLiteStatement(statement: statement, database: self)
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// The rowid of the last row inserted on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    /// The most parameters a statement may have on this build of SQLite.
    var parameterLimit: Int { Int(sqlite3_limit(handle, SQLITE_LIMIT_VARIABLE_NUMBER, -1)) }

    var lastError: String { String(cString: sqlite3_errmsg(handle)) }

    /// The first column of the first row of a query, as an integer.
    public func scalar(_ sql: String) throws(StoreError) -> Int64? {
        let statement = try prepare(sql)
        guard try statement.step() else { return nil }
        return statement.isNull(0) ? nil : statement.int64(0)
    }
}

/// Errors of the store that stop a command.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case sql(path: String, reason: String)
    case notACostReplayDatabase(path: String)
    case newerSchema(path: String, found: Int, supported: Int)
    /// A stored row that breaks the ingest checks (written by an older version or by hand).
    case badRow(path: String, id: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "cannot open database \(path): \(reason)"
        case let .sql(path, reason): return "database \(path): \(reason)"
        case let .notACostReplayDatabase(path): return "\(path) is not a CostReplay database"
        case let .newerSchema(path, found, supported):
            return "database \(path) has schema version \(found); this costreplay reads up to \(supported)"
        case let .badRow(path, id, reason):
            return "database \(path): request '\(id)' holds counts this version rejects (\(reason)); re-ingest its source"
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
