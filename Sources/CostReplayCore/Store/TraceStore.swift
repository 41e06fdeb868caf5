#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The embedded SQLite store of requests, rejects and ingested sources.
public final class TraceStore {
    public let database: SQLiteDatabase
    /// A fresh file being filled by ``StoreIngest``: no journal, no start index until ``finishBulkLoad()``.
    let isBulkLoad: Bool

    /// Opens or creates a store, applying the schema.
    public convenience init(path: String) throws(StoreError) {
        try self.init(path: path, bulkLoad: false)
    }

    init(path: String, bulkLoad: Bool) throws(StoreError) {
        database = try SQLiteDatabase(path: path)
        isBulkLoad = bulkLoad
        do {
            // Larger pages make the wide request rows cheaper to append; only effective on a new file.
            try database.execute("PRAGMA page_size=16384")
            if bulkLoad {
                // Safe only because the file is a private temporary one, renamed into place once complete.
                try database.execute("PRAGMA journal_mode=OFF")
                try database.execute("PRAGMA synchronous=OFF")
                try database.execute("PRAGMA locking_mode=EXCLUSIVE")
            } else {
                try database.execute("PRAGMA journal_mode=WAL")
                try database.execute("PRAGMA synchronous=NORMAL")
            }
            try database.execute("PRAGMA cache_size=\(Self.cacheKiB)")
            try migrate()
        } catch {
            let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
            if access(path, F_OK) == 0 ? access(path, W_OK) != 0 : access(folder.isEmpty ? "/" : folder, W_OK) != 0 {
                throw StoreError.cannotOpen(path: path, reason: "it is read-only (a read-only file, folder or mount); commands that only read the store still work")
            }
            throw error
        }
    }

    /// Opens an existing store for reading; a missing file is an error, not a new database.
    public init(existingPath path: String) throws(StoreError) {
        var database = try SQLiteDatabase(path: path, readOnly: true)
        var hasMeta = try? database.scalar("SELECT count(*) FROM sqlite_master WHERE name='meta'")
        if hasMeta == nil && access(path, W_OK) != 0 {
            // A WAL store on a read-only mount or folder: SQLite cannot create the index it reads through.
            database = try SQLiteDatabase(path: path, immutable: true)
            hasMeta = try? database.scalar("SELECT count(*) FROM sqlite_master WHERE name='meta'")
        }
        self.database = database
        isBulkLoad = false
        guard hasMeta == 1 else { throw StoreError.notACostReplayDatabase(path: path) }
        let found = try database.scalar("SELECT CAST(value AS INTEGER) FROM meta WHERE key='schema_version'") ?? 0
        if found > Int64(Schema.version) {
            throw StoreError.newerSchema(path: path, found: Int(found), supported: Schema.version)
        }
    }

    private func migrate() throws(StoreError) {
        let hasForeignTables = try database.scalar(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name NOT IN ('meta','requests','rejects','sources','cursors','embedding_sets','embedding_vectors','request_embeddings')") ?? 0
        let hasMeta = try database.scalar("SELECT count(*) FROM sqlite_master WHERE name='meta'") ?? 0
        if hasForeignTables > 0 && hasMeta == 0 { throw StoreError.notACostReplayDatabase(path: database.path) }
        if hasMeta == 1 {
            let found = try database.scalar("SELECT CAST(value AS INTEGER) FROM meta WHERE key='schema_version'") ?? 0
            if found > Int64(Schema.version) {
                throw StoreError.newerSchema(path: database.path, found: Int(found), supported: Schema.version)
            }
        }
        try database.execute("BEGIN")
        for statement in Schema.statements { try database.execute(statement) }
        try database.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', '\(Schema.version)')")
        try database.execute("COMMIT")
    }

    /// Builds the unique id index unless the store has it (or the column constraint's automatic index of stores
    /// made before it): every ingest but a bulk load finds repeats through it, so ``RequestWriter`` calls this
    /// before its first row. A bulk load leaves it to that first writer (``finishBulkLoad()``).
    func ensureUniqueIDs() throws(StoreError) {
        let present = try database.scalar(
            "SELECT count(*) FROM sqlite_master WHERE name IN ('requests_id', 'sqlite_autoindex_requests_1')") ?? 0
        if present == 0 { try buildSorted([Schema.uniqueID]) }
    }

    /// Runs index builds with SQLite's sorter on every core (up to four) and a small page cache, then puts both
    /// back.
    ///
    /// SQLite's sorter sorts in worker threads only the runs it writes out, and a run is as large as the page cache:
    /// with 4 MiB, a million-row build spills a dozen runs that the other core sorts while this one scans the table.
    /// Both builds took 0.48-0.60 s instead of 0.58-0.76 s, peak memory 21 MiB instead of 106 (sqlite3 CLI on a
    /// 1.1M-row store, session 11).
    func buildSorted(_ statements: [String]) throws(StoreError) {
        let workers = min(4, max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        defer {
            try? database.execute("PRAGMA cache_size=\(Self.cacheKiB)")
            try? database.execute("PRAGMA threads=0")
        }
        try database.execute("PRAGMA threads=\(workers)")
        try database.execute("PRAGMA cache_size=-4096")
        for statement in statements { try database.execute(statement) }
    }

    public func createIndexes() throws(StoreError) {
        for statement in Schema.indexes { try database.execute(statement) }
    }

    /// Builds the start index of a bulk-loaded file, sorted, and leaves it in WAL mode like any other store.
    ///
    /// Not the unique id index: its ids are unique already (``SeenIDs``), no read looks a request up by id, and
    /// the only use of the index is to find repeats when rows are next written incrementally, so the first
    /// ``RequestWriter`` on the store builds it (``ensureUniqueIDs()``), as sorted a build as here. A store that
    /// is loaded once and replayed never pays for it: about 0.25 s and 22 MB a million requests
    /// (docs/performance.md, session 13). A load past what ``SeenIDs`` holds (4M rows) has built it on the way.
    func finishBulkLoad() throws(StoreError) {
        try buildSorted(Schema.indexes)
        try database.execute("PRAGMA journal_mode=WAL")
    }

    /// The page cache of an open store, in SQLite's negative-KiB form: 64 MiB.
    static let cacheKiB = -65536

    public var requestCount: Int64 { (try? database.scalar("SELECT count(*) FROM requests")) ?? 0 }
    public var rejectCount: Int64 { (try? database.scalar("SELECT count(*) FROM rejects")) ?? 0 }

    /// Records every rejected record kept in the store, in file and line order.
    public func rejections() throws(StoreError) -> [Rejection] {
        let statement = try database.prepare(
            "SELECT source_file, line, item, field, reason, raw FROM rejects ORDER BY source_file, line, item")
        var result: [Rejection] = []
        while try statement.step() {
            result.append(Rejection(
                location: SourceLocation(file: statement.string(0) ?? "", line: Int(statement.int64(1))),
                item: Int(statement.int64(2)), field: statement.string(3), reason: statement.string(4) ?? "",
                raw: statement.string(5)))
        }
        return result
    }
}
