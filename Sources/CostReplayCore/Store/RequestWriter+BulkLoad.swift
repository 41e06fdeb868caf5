/// The ids a bulk load has stored so far, so duplicates are found without a unique index.
///
/// A bulk load builds the unique index once at the end (a sorted build is much cheaper than a B-tree insert per
/// row), yet a duplicate id within the input must still be counted, or rejected as a conflict, exactly as with
/// the index. Each id's 64-bit hash maps to the row that holds it; a match is verified against the stored id, so a
/// hash collision between different ids costs a slow lookup, never a wrong answer.
struct SeenIDs {
    /// Open addressing over the id hashes, half full at most: `keys[i]` is a hash, `rowids[i]` its row (0: empty).
    /// A `Dictionary` cost 12% of the writer in the `ingest3` profile; the hashes are already well mixed.
    private var keys: [UInt64]
    private var rowids: [Int64]
    private(set) var count = 0
    let byRow: SQLiteStatement

    init(database: SQLiteDatabase, capacity: Int = 1 << 16) throws(StoreError) {
        byRow = try database.prepare("SELECT \(RequestWriter.comparedColumns) FROM requests WHERE rowid = ?")
        keys = Array(repeating: 0, count: capacity)
        rowids = Array(repeating: 0, count: capacity)
    }

    /// The row stored first with this id hash, if any.
    func row(for hash: UInt64) -> Int64? {
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while rowids[slot] != 0 {
            if keys[slot] == hash { return rowids[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Records the first row of an id hash not seen before; `rowid` is positive (SQLite numbers rows from 1).
    mutating func insert(_ hash: UInt64, row rowid: Int64) {
        if (count + 1) * 2 > keys.count { grow() }
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while rowids[slot] != 0 { slot = (slot + 1) & mask }
        keys[slot] = hash
        rowids[slot] = rowid
        count += 1
    }

    private mutating func grow() {
        let (oldKeys, oldRows) = (keys, rowids)
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        rowids = Array(repeating: 0, count: oldKeys.count * 2)
        count = 0
        for i in oldKeys.indices where oldRows[i] != 0 { insert(oldKeys[i], row: oldRows[i]) }
    }
}

extension RequestWriter {
    /// Stores one row into a bulk load, or says why not: the same outcomes as the unique index gives.
    func writeBulk(row: Int, of rows: RequestRows) throws(StoreError) -> Outcome {
        let hash = rows.idHashes[row]
        let seen = seenIDs!.row(for: hash)
        if let stored = seen {
            if let outcome = try outcome(row: row, of: rows, storedAt: stored) { return outcome }
            // Another id with the same hash: this id may still be stored, found by a scan (no index yet).
            if let outcome = try compareWithStored(row: row, of: rows) { return outcome }
        }
        try rows.insert(row: row, with: insert)
        if seen == nil { seenIDs!.insert(hash, row: store.database.lastInsertRowID) }
        if let limit = failAfterRecords, seenIDs!.count >= limit {
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
