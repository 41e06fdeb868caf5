import CVectorKernels
/// The ids a bulk load has stored so far, so duplicates are found without a unique index.
///
/// A bulk load builds the unique index once at the end (a sorted build is much cheaper than a B-tree insert per
/// row), yet a duplicate id within the input must still be counted, or rejected as a conflict, exactly as with
/// the index. Each id's 64-bit hash maps to the row that holds it; a match is verified against the stored id, so a
/// hash collision between different ids costs a slow lookup, never a wrong answer.
struct SeenIDs {
    /// Open addressing over the id hashes, half full at most; a slot holds a hash and its row (row 0: empty), side by
    /// side so a probe reads one cache line. A `Dictionary` cost 12% of the writer in the `ingest3` profile; the
    /// hashes are already well mixed.
    private struct Slot {
        var key: UInt64
        var rowid: Int64
    }

    private var slots: [Slot]
    private(set) var count = 0
    let byRow: SQLiteStatement

    init(database: SQLiteDatabase, capacity: Int = 1 << 16) throws(StoreError) {
        byRow = try database.prepare("SELECT \(RequestWriter.comparedColumns) FROM requests WHERE rowid = ?")
        slots = Array(repeating: Slot(key: 0, rowid: 0), count: capacity)
    }

    /// The row stored first with this id hash, if any.
    func row(for hash: UInt64) -> Int64? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot].rowid != 0 {
            if slots[slot].key == hash { return slots[slot].rowid }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Asks for the slot of a hash that will be looked up soon: the table is far larger than the caches, so each
    /// lookup is a miss unless fetched ahead (no effect on results).
    func prefetch(_ hash: UInt64) {
        slots.withUnsafeBufferPointer { crk_prefetch($0.baseAddress! + (Int(truncatingIfNeeded: hash) & ($0.count - 1))) }
    }

    /// Records the first row of an id hash not seen before; `rowid` is positive (SQLite numbers rows from 1).
    mutating func insert(_ hash: UInt64, row rowid: Int64) {
        if (count + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot].rowid != 0 { slot = (slot + 1) & mask }
        slots[slot] = Slot(key: hash, rowid: rowid)
        count += 1
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(key: 0, rowid: 0), count: old.count * 2)
        count = 0
        for entry in old where entry.rowid != 0 { insert(entry.key, row: entry.rowid) }
    }
}

extension RequestWriter {
    /// Stores one row into a bulk load, or says why not: the same outcomes as the unique index gives.
    func writeBulk(row: Int, of rows: RequestRows) throws(StoreError) -> Outcome {
        let hash = rows.idHashes[row]
        if row + 8 < rows.count { seenIDs!.prefetch(rows.idHashes[row + 8]) }
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
