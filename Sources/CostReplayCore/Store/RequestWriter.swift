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
    var selectStored: SQLiteStatement?
    /// Ids stored so far when the store is a bulk load (which has no unique index until it ends).
    var seenIDs: SeenIDs?
    /// Makes a bulk load fail after this many stored records, as a full disk would (tests of interrupted loads).
    var failAfterRecords: Int?

    public init(store: TraceStore, chunkSize: Int = 20_000) throws(StoreError) {
        self.store = store
        self.chunkSize = chunkSize
        seenIDs = store.isBulkLoad ? try SeenIDs(database: store.database) : nil
        insert = try store.database.prepare(Schema.insertRequest)
        insertReject = try store.database.prepare(
            "INSERT OR REPLACE INTO rejects (source_file, line, item, field, reason, raw) VALUES (?,?,?,?,?,?)")
    }

    /// What became of a record given to ``write(_:source:)``.
    public enum Outcome: Equatable {
        case stored
        /// The same id with the same billing-relevant content was already stored (a re-ingest).
        case duplicate
        /// The same id was stored with different content: named field, stored value, this value.
        case conflict(field: String, stored: String, found: String)
    }

    /// Stores one record, or says why not.
    public func write(_ record: TraceRecord, source: SourceLocation?) throws(StoreError) -> Outcome {
        try beginIfNeeded()
        if seenIDs != nil { return try writeBulk(record, source: source) }
        RequestColumns.bind(record, source: source, to: insert)
        try insert.step()
        let stored = store.database.changes > 0
        insert.reset()
        try countAndMaybeCommit()
        return stored ? .stored : try compareWithStored(record) ?? .duplicate
    }

    /// Columns that decide a request's cost and place, as ``compare(_:with:)`` reads them.
    static let comparedColumns = """
        kind, start_us, provider, model, input_tokens, cache_read_tokens, cache_write_5m_tokens,
        cache_write_1h_tokens, output_tokens, reasoning_tokens, billed_cost_usd, id
        """

    /// The outcome against the row stored under the same id, or nil when none is.
    func compareWithStored(_ r: TraceRecord) throws(StoreError) -> Outcome? {
        if selectStored == nil {
            selectStored = try store.database.prepare("SELECT \(Self.comparedColumns) FROM requests WHERE id = ?")
        }
        let s = selectStored!
        defer { s.reset() }
        s.bind(1, r.id)
        guard try s.step() else { return nil }
        return Self.compare(r, with: s)
    }

    /// The fields that decide a request's cost and place, compared with a stored row selected with
    /// ``comparedColumns``.
    static func compare(_ r: TraceRecord, with s: SQLiteStatement) -> Outcome {
        func text(_ value: String?) -> String { value ?? "null" }
        func number(_ value: Int64?) -> String { value.map(String.init) ?? "null" }
        let u = r.usage
        let pairs: [(String, String, String)] = [
            ("kind", text(s.string(0)), r.kind.rawValue),
            ("start", number(s.optionalInt64(1)), number(r.startMicros)),
            ("provider", text(s.string(2)), text(r.provider)),
            ("model", text(s.string(3)), text(r.model)),
            ("input_tokens", number(s.optionalInt64(4)), number(u?.input)),
            ("cache_read_tokens", number(s.optionalInt64(5)), number(u.map(\.cacheRead))),
            ("cache_write_5m_tokens", number(s.optionalInt64(6)), number(u.map(\.cacheWrite5m))),
            ("cache_write_1h_tokens", number(s.optionalInt64(7)), number(u.map(\.cacheWrite1h))),
            ("output_tokens", number(s.optionalInt64(8)), number(u?.output)),
            ("reasoning_tokens", number(s.optionalInt64(9)), number(u.map(\.reasoning))),
            ("billed_cost", s.optionalDouble(10).map { "\($0)" } ?? "null", r.billedCost.map { "\($0.dollars)" } ?? "null"),
        ]
        for (field, stored, found) in pairs where stored != found {
            return .conflict(field: field, stored: field == "start" ? (s.optionalInt64(1).map(Timestamp.iso) ?? stored) : stored,
                             found: field == "start" ? (r.startMicros.map(Timestamp.iso) ?? found) : found)
        }
        return .duplicate
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

    func beginIfNeeded() throws(StoreError) {
        if !inTransaction {
            try store.database.execute("BEGIN")
            inTransaction = true
        }
    }

    func countAndMaybeCommit() throws(StoreError) {
        pending += 1
        if pending >= chunkSize { try flush() }
    }
}
