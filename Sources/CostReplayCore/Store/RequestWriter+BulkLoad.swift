#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CVectorKernels

/// The ids a bulk load has stored so far, so repeated ids are found without the unique index.
///
/// A bulk load does not build `requests_id`: its B-tree insert a row was a fifth of the writing thread's time, the
/// bound of the load (docs/performance.md, session 11), and the first incremental writer builds it, sorted, in one
/// scan (``TraceStore/ensureUniqueIDs()``).
/// Until then each stored row's id hash maps to its rowid. Every stored row is entered, so a repeat is found by
/// reading the rows whose hash matches and comparing their ids: a hash shared by two ids costs a read, never a wrong
/// answer, and no query needs the index.
///
/// A slot is 8 bytes: the hash's high 32 bits, which also give the slot's position, and the rowid (0: empty). Two
/// ids share those bits with odds of 2^-32 a pair: a read more, as with any shared hash. The table is mapped memory, asked for in huge pages where the kernel allows: zeroed pages come free,
/// and a table of 4 KiB pages took one page fault per 512 slots, which on this virtual machine cost more than the
/// probes (session 11). Past 4M rows (``maximumSlots``), or a rowid past 2^32, ``insert(_:rowid:)`` says so and the
/// caller builds the index instead.
final class SeenIDs {
    private(set) var slots: UnsafeMutableBufferPointer<UInt64>
    /// Whether ``slots`` is mapped memory (else from the heap).
    private var mapped: Bool
    private(set) var count = 0
    /// The largest rowid a slot takes (lower in tests of what happens past it).
    let rowidLimit: Int64
    /// The most slots the table grows to: 64 MiB, for 4,194,304 rows. Past that the load builds the unique index and
    /// goes on as an incremental ingest does, so memory stays flat in the number of rows.
    let maximumSlots: Int

    init(capacity: Int = 1 << 16, rowidLimit: Int64 = 0xFFFF_FFFF, maximumSlots: Int = 1 << 23) {
        precondition(rowidLimit <= 0xFFFF_FFFF, "a slot holds 32 bits of rowid")
        self.maximumSlots = maximumSlots
        (slots, mapped) = Self.allocate(min(Self.slotCount(for: capacity), maximumSlots))
        self.rowidLimit = rowidLimit
    }

    deinit { Self.release(slots, mapped: mapped) }

    /// Slots for `rows` rows at most half full, a power of two.
    static func slotCount(for rows: Int) -> Int {
        max(1 << 12, 1 << (Int.bitWidth - (max(rows, 1) * 2 - 1).leadingZeroBitCount))
    }

    /// Makes room for `rows` rows in all without growing on the way.
    func reserve(rows: Int) {
        let wanted = min(Self.slotCount(for: rows), maximumSlots)
        if wanted > slots.count { regrow(to: wanted) }
    }

    /// Calls `body` with each stored rowid whose id may have this hash, in the order stored, until it returns true;
    /// returns whether one did.
    func first<E: Error>(_ hash: UInt64, where body: (Int64) throws(E) -> Bool) throws(E) -> Bool {
        let mask = slots.count - 1
        let tag = hash >> 32
        var slot = Int(truncatingIfNeeded: tag) & mask
        while slots[slot] != 0 {
            if slots[slot] >> 32 == tag, try body(Int64(slots[slot] & 0xFFFF_FFFF)) { return true }
            slot = (slot + 1) & mask
        }
        return false
    }

    /// Asks for the slot of a hash looked up soon: the table outgrows the caches, so each lookup would miss.
    func prefetch(_ hash: UInt64) {
        crk_prefetch(slots.baseAddress! + (Int(truncatingIfNeeded: hash >> 32) & (slots.count - 1)))
    }

    /// Enters a stored row; false, with nothing entered, when its rowid does not fit a slot (past ``rowidLimit``) or
    /// the table is full (``maximumSlots``).
    func insert(_ hash: UInt64, rowid: Int64) -> Bool {
        guard rowid > 0 && rowid <= rowidLimit else { return false }
        if (count + 1) * 2 > slots.count {
            guard slots.count * 2 <= maximumSlots else { return false }
            regrow(to: slots.count * 2)
        }
        place((hash & 0xFFFF_FFFF_0000_0000) | UInt64(rowid))
        count += 1
        return true
    }

    private func place(_ entry: UInt64) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: entry >> 32) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    /// Moves every entry to a table of `size` slots (an entry's position comes from the hash bits it keeps).
    private func regrow(to size: Int) {
        let (old, oldMapped) = (slots, mapped)
        (slots, mapped) = Self.allocate(size)
        for entry in old where entry != 0 { place(entry) }
        Self.release(old, mapped: oldMapped)
    }

    /// Zeroed memory for `count` slots: mapped on Linux (huge pages asked for), else, or when mapping fails, from
    /// the heap; `mapped` says which, for ``release(_:mapped:)``.
    private static func allocate(_ count: Int) -> (slots: UnsafeMutableBufferPointer<UInt64>, mapped: Bool) {
        #if os(Linux)
        let bytes = count * MemoryLayout<UInt64>.stride
        if let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), mapped != MAP_FAILED {
            _ = madvise(mapped, bytes, 14)  // MADV_HUGEPAGE; ignored where unsupported
            return (UnsafeMutableBufferPointer(start: mapped.bindMemory(to: UInt64.self, capacity: count), count: count), true)
        }
        #endif
        let memory = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: count)
        memory.initialize(repeating: 0)
        return (memory, false)
    }

    private static func release(_ memory: UnsafeMutableBufferPointer<UInt64>, mapped: Bool) {
        #if os(Linux)
        if mapped { munmap(memory.baseAddress, memory.count * MemoryLayout<UInt64>.stride); return }
        #endif
        memory.deallocate()
    }
}

/// Rows of one batch a bulk load has found new and holds until it inserts them together: one statement for many
/// rows spreads SQLite's work per statement (cursor, transaction check, halt, reset) over all of them, which saved
/// a sixth of the insert's CPU on the million-row trace (docs/performance.md, session 11).
struct PendingRows {
    /// Rows a statement takes: 64, or fewer where SQLite takes fewer parameters (999 before 3.32).
    let groupSize: Int
    /// The batch the rows come from (a copy sharing its storage), while any are held.
    var source: RequestRows?
    var rows: [Int] = []
    var hashes: [UInt64] = []
    /// The multi-row inserts by row count, each with its parameters' null masks.
    var statements: [Int: (statement: SQLiteStatement, nulls: [UInt64])] = [:]

    /// Groups that fit `parameters` parameters a statement.
    init(parameters: Int) {
        let rows = max(1, parameters / RequestRows.columnCount)
        groupSize = min(64, 1 << (Int.bitWidth - 1 - rows.leadingZeroBitCount))
    }
}

extension RequestWriter {
    /// Stores one row into a bulk load, or says why not: the outcomes the unique index gives an incremental ingest.
    /// A row with an id not seen before is held and reported stored (``PendingRows``); it is inserted with the rows
    /// after it by ``flushPending()``, before anything else is written or looked up.
    func writeBulk(row: Int, of rows: RequestRows, seen: SeenIDs) throws(StoreError) -> Outcome {
        let hash = rows.idHashes[row]
        if row + 8 < rows.count { seen.prefetch(rows.idHashes[row + 8]) }
        if let source = held.source, !source.sharesStorage(with: rows) {
            try flushPending()
            // That flush may have handed over to the index (``flushPending()``): `seen` is out of date then.
            if seenIDs !== seen { return try write(row: row, of: rows) }
        }
        // A repeat can only be of a stored or a held row with the same hash (or the same high bits: a read more).
        if !held.hashes.contains(hash) && !seen.first(hash, where: { _ in true }) {
            if held.source == nil { held.source = rows }
            held.rows.append(row)
            held.hashes.append(hash)
            if held.rows.count >= held.groupSize { try flushPending() }
            return .stored
        }
        try flushPending()
        if seenIDs !== seen { return try write(row: row, of: rows) }
        var outcome: Outcome?
        let byRow = try selectByRowid()
        _ = try seen.first(hash) { (rowid: Int64) throws(StoreError) -> Bool in
            defer { byRow.reset() }
            byRow.bind(1, rowid)
            // The id is the statement's last column, after the compared fields.
            guard try byRow.step(), rows.id(row: row, equals: byRow, column: Int32(Self.comparedFields.count)) else { return false }
            outcome = Self.compare(row: row, of: rows, with: byRow)
            return true
        }
        if let outcome { return outcome }
        held.source = rows
        held.rows = [row]
        held.hashes = [hash]
        try flushPending()
        return .stored
    }

    /// Inserts the rows held by ``writeBulk(row:of:seen:)``, in order, and enters them in ``SeenIDs``.
    func flushPending() throws(StoreError) {
        guard let source = held.source else { return }
        // Taken out first: committing below flushes again, and must find nothing held.
        let (rows, hashes) = (held.rows, held.hashes)
        held.source = nil
        held.rows = []
        held.hashes = []
        try beginIfNeeded()
        // Fewer rows than a group go as parts of 32, 16, … 1 rows: at most seven statements are ever prepared.
        var done = 0
        while done < rows.count {
            let part = rows.count - done >= held.groupSize ? held.groupSize : 1 << (Int.bitWidth - 1 - (rows.count - done).leadingZeroBitCount)
            try insert(rows[done..<done + part], of: source)
            done += part
        }
        let count = rows.count
        // Rowids of one insert follow each other (each is the largest so far plus one).
        let last = store.database.lastInsertRowID
        for (offset, hash) in hashes.enumerated() {
            guard let seen = seenIDs else { break }
            if !seen.insert(hash, rowid: last - Int64(count - 1 - offset)) {
                // Full, or past what a slot holds: the index from here on, as an incremental ingest has it.
                seenIDs = nil
                try store.buildSorted([Schema.uniqueID])
            }
        }
        if let limit = failAfterRecords, last >= Int64(limit) {
            throw StoreError.sql(path: store.database.path, reason: "failure injected after \(limit) records")
        }
        try countAndMaybeCommit(count)
    }

    /// One multi-row insert of `rows`, prepared once for their count.
    private func insert(_ rows: ArraySlice<Int>, of source: RequestRows) throws(StoreError) {
        let count = rows.count
        if held.statements[count] == nil {
            held.statements[count] = (try store.database.prepare(Schema.insertRequests(count: count)), Array(repeating: 0, count: count))
        }
        let statement = held.statements[count]!.statement
        do {
            try source.insert(rows: rows, with: statement, nulls: &held.statements[count]!.nulls)
        } catch {
            held.statements[count]!.nulls = Array(repeating: 0, count: count)  // what a failed bind left is unknown
            throw error
        }
    }

    /// Makes room for the ids of a file of `bytes` bytes, one row a line of `lineLength` bytes (512 when the file's
    /// lines were not sampled), at most 4M rows (a 64 MiB table). Random probes touch every page of the table, so a
    /// guess too high costs its whole size in memory (a file of long lines), while one too low costs a rehash when
    /// the table grows: on the writing thread, the load's bound, 0.1 s of a million-request load (session 13).
    /// `lineLength` is only asked for by a bulk load.
    func expectRows(inBytes bytes: Int, lineLength: @autoclosure () -> Int? = nil) {
        guard let seenIDs else { return }
        seenIDs.reserve(rows: seenIDs.count + min(bytes / max(lineLength() ?? 512, 16), 1 << 22))
    }

    /// The compared fields and the id of one row by rowid.
    private func selectByRowid() throws(StoreError) -> SQLiteStatement {
        if let selectByRowidStatement { return selectByRowidStatement }
        let statement = try store.database.prepare("SELECT \(Self.comparedColumns), id FROM requests WHERE rowid = ?")
        selectByRowidStatement = statement
        return statement
    }
}
