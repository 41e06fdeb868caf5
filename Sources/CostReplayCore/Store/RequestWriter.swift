/// Inserts records and rejections in chunked transactions.
///
/// Each chunk commits on its own, so an ingest killed half-way leaves whole chunks behind and a
/// re-run skips what was stored (ids are unique; `INSERT OR IGNORE`).
public final class RequestWriter {
    let store: TraceStore
    let insert: SQLiteStatement
    /// The parameters of ``insert`` bound to null (``RequestRows/insert(row:with:nulls:)``).
    var insertNulls: UInt64 = 0
    let insertReject: SQLiteStatement
    let chunkSize: Int
    /// Rows and rejections written since the last commit.
    var uncommitted = 0
    /// Rows a bulk load holds to insert together.
    var held: PendingRows
    var inTransaction = false
    var selectStored: SQLiteStatement?
    /// The ids stored so far when the store is a bulk load, which has no unique index (a full table hands over to
    /// the index); nil otherwise.
    var seenIDs: SeenIDs?
    var selectByRowidStatement: SQLiteStatement?
    /// Makes a bulk load fail after this many stored records, as a full disk would (tests of interrupted loads).
    var failAfterRecords: Int?

    public init(store: TraceStore, chunkSize: Int = 20_000) throws(StoreError) {
        // Repeats are found through the unique index, built here on a store bulk-loaded without it.
        if !store.isBulkLoad { try store.ensureUniqueIDs() }
        self.store = store
        self.chunkSize = chunkSize
        insert = try store.database.prepare(Schema.insertRequest)
        held = PendingRows(parameters: store.database.parameterLimit)
        if store.isBulkLoad { seenIDs = SeenIDs() }
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
        try write(row: 0, of: RequestRows(record, source: source))
    }

    /// Stores one encoded row, or says why not.
    func write(row: Int, of rows: RequestRows) throws(StoreError) -> Outcome {
        if let seenIDs { return try writeBulk(row: row, of: rows, seen: seenIDs) }
        try flushPending()  // rows a bulk load held before it handed over to the index go first
        try beginIfNeeded()
        try rows.insert(row: row, with: insert, nulls: &insertNulls)
        let stored = store.database.changes > 0
        try countAndMaybeCommit()
        return stored ? .stored : try compareWithStored(row: row, of: rows) ?? .duplicate
    }

    /// The fields that decide a request's cost and place, as ``compare(row:of:with:)`` reads them; the billed cost last.
    static let comparedFields: [TraceField] = [
        .kind, .start, .provider, .model, .inputTokens, .cacheReadTokens, .cacheWrite5mTokens, .cacheWrite1hTokens,
        .outputTokens, .reasoningTokens, .billedCost,
    ]
    static let comparedColumns = comparedFields.map(\.column).joined(separator: ", ")

    /// The outcome against the row stored under the same id, or nil when none is.
    func compareWithStored(row: Int, of rows: RequestRows) throws(StoreError) -> Outcome? {
        if selectStored == nil {
            selectStored = try store.database.prepare("SELECT \(Self.comparedColumns) FROM requests WHERE id = ?")
        }
        let s = selectStored!
        defer { s.reset() }
        s.bind(1, rows.string(row: row, field: .id))
        guard try s.step() else { return nil }
        return Self.compare(row: row, of: rows, with: s)
    }

    /// The fields that decide a request's cost and place, compared with a stored row selected with
    /// ``comparedColumns``; both sides are column values, so they compare as stored. A conflict is named by the
    /// field's canonical member.
    static func compare(row: Int, of rows: RequestRows, with s: SQLiteStatement) -> Outcome {
        for (position, field) in comparedFields.enumerated() {
            let stored = Int32(position)
            let (a, b): (String, String)
            switch field {
            case .kind, .provider, .model:
                (a, b) = (s.string(stored) ?? "null", rows.string(row: row, field: field) ?? "null")
            case .billedCost:
                (a, b) = (s.optionalDouble(stored).map { "\($0)" } ?? "null", rows.real(row: row, field: field).map { "\($0)" } ?? "null")
            default:
                (a, b) = (s.optionalInt64(stored).map(String.init) ?? "null", rows.integer(row: row, field: field).map(String.init) ?? "null")
            }
            guard a != b else { continue }
            guard field == .start else { return .conflict(field: field.member, stored: a, found: b) }
            return .conflict(field: field.member, stored: s.optionalInt64(stored).map(Timestamp.iso) ?? a,
                             found: rows.integer(row: row, field: field).map(Timestamp.iso) ?? b)
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
        try flushPending()
        if inTransaction {
            try store.database.execute("COMMIT")
            inTransaction = false
            uncommitted = 0
        }
    }

    func beginIfNeeded() throws(StoreError) {
        if !inTransaction {
            try store.database.execute("BEGIN")
            inTransaction = true
        }
    }

    func countAndMaybeCommit(_ count: Int = 1) throws(StoreError) {
        uncommitted += count
        if uncommitted >= chunkSize { try flush() }
    }
}
