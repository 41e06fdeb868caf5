/// The ids a bulk load has stored so far, so duplicates are found without a unique index.
///
/// A bulk load builds the unique index once at the end (a sorted build is much cheaper than a B-tree insert per
/// row), yet a duplicate id within the input must still be counted, or rejected as a conflict, exactly as with
/// the index. Each id's 64-bit hash maps to the row that holds it; a match is verified against the stored id, so a
/// hash collision between different ids costs a slow lookup, never a wrong answer.
struct SeenIDs {
    var rows: [UInt64: Int64] = [:]
    let byRow: SQLiteStatement

    init(database: SQLiteDatabase) throws(StoreError) {
        byRow = try database.prepare("SELECT \(RequestWriter.comparedColumns) FROM requests WHERE rowid = ?")
    }
}

extension RequestWriter {
    /// Stores one row into a bulk load, or says why not: the same outcomes as the unique index gives.
    func writeBulk(row: Int, of rows: RequestRows) throws(StoreError) -> Outcome {
        let hash = rows.idHashes[row]
        let seen = seenIDs!.rows[hash]
        if let stored = seen {
            if let outcome = try outcome(row: row, of: rows, storedAt: stored) { return outcome }
            // Another id with the same hash: this id may still be stored, found by a scan (no index yet).
            if let outcome = try compareWithStored(row: row, of: rows) { return outcome }
        }
        try rows.insert(row: row, with: insert)
        if seen == nil { seenIDs!.rows[hash] = store.database.lastInsertRowID }
        if let limit = failAfterRecords, seenIDs!.rows.count >= limit {
            throw StoreError.sql(path: store.database.path, reason: "failure injected after \(limit) records")
        }
        try countAndMaybeCommit()
        return .stored
    }

    /// The outcome against the row `rowid`, or nil when that row holds another id.
    private func outcome(row: Int, of rows: RequestRows, storedAt rowid: Int64) throws(StoreError) -> Outcome? {
        let s = seenIDs!.byRow
        defer { s.reset() }
        s.bind(1, rowid)
        guard try s.step(), s.string(11) == rows.string(row: row, column: 0) else { return nil }
        return Self.compare(row: row, of: rows, with: s)
    }
}
