/// Inserts records and rejections in chunked transactions.
///
/// Each chunk commits on its own, so an ingest killed half-way leaves whole chunks behind and a
/// re-run skips what was stored (ids are unique; `INSERT OR IGNORE`).
public final class RequestWriter {
    let store: TraceStore
    let insert: SQLiteStatement
    let insertReject: SQLiteStatement
    let chunkSize: Int
    var pending = 0
    var inTransaction = false

    public init(store: TraceStore, chunkSize: Int = 20_000) throws(StoreError) {
        self.store = store
        self.chunkSize = chunkSize
        insert = try store.database.prepare(Schema.insertRequest)
        insertReject = try store.database.prepare(
            "INSERT OR REPLACE INTO rejects (source_file, line, item, field, reason, raw) VALUES (?,?,?,?,?,?)")
    }

    /// Stores one record; false when a record with the same id was already stored.
    public func write(_ record: TraceRecord, source: SourceLocation?) throws(StoreError) -> Bool {
        try beginIfNeeded()
        RequestColumns.bind(record, source: source, to: insert)
        try insert.step()
        let stored = store.database.changes > 0
        insert.reset()
        try countAndMaybeCommit()
        return stored
    }

    public func write(_ rejection: Rejection) throws(StoreError) {
        try beginIfNeeded()
        insertReject.bind(1, rejection.location.file)
        insertReject.bind(2, Int64(rejection.location.line))
        insertReject.bind(3, Int64(rejection.item))
        insertReject.bind(4, rejection.field)
        insertReject.bind(5, rejection.reason)
        insertReject.bind(6, rejection.raw)
        try insertReject.step()
        insertReject.reset()
        try countAndMaybeCommit()
    }

    /// Removes stored rejections with exactly this reason (a later input settled them).
    public func clearRejections(reason: String) throws(StoreError) {
        try beginIfNeeded()
        let statement = try store.database.prepare("DELETE FROM rejects WHERE reason = ?")
        statement.bind(1, reason)
        try statement.step()
    }

    public func recordSource(path: String, format: String, summary: IngestCounts) throws(StoreError) {
        try beginIfNeeded()
        let statement = try store.database.prepare(
            "INSERT OR REPLACE INTO sources (path, format, records_read, stored, rejected, duplicates) VALUES (?,?,?,?,?,?)")
        statement.bind(1, path)
        statement.bind(2, format)
        statement.bind(3, Int64(summary.read))
        statement.bind(4, Int64(summary.stored))
        statement.bind(5, Int64(summary.rejected))
        statement.bind(6, Int64(summary.duplicates))
        try statement.step()
    }

    /// Commits what is pending.
    public func flush() throws(StoreError) {
        if inTransaction {
            try store.database.execute("COMMIT")
            inTransaction = false
            pending = 0
        }
    }

    private func beginIfNeeded() throws(StoreError) {
        if !inTransaction {
            try store.database.execute("BEGIN")
            inTransaction = true
        }
    }

    private func countAndMaybeCommit() throws(StoreError) {
        pending += 1
        if pending >= chunkSize { try flush() }
    }
}
