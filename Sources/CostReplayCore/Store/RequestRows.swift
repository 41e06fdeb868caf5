import CSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rows of `requests` encoded as ready-to-bind values: the hand-off from the reading thread to the writer.
///
/// Every column of a record (tags, quality and messages as JSON text, vectors as blobs) is encoded where the record
/// is decoded, into one byte buffer per batch; the writer binds each value in place (`SQLITE_STATIC`) with no
/// per-row copy, allocation or free. Columns are in ``Schema/requestColumns`` order.
struct RequestRows {
    /// One bound value; text and blobs are ranges of ``bytes``.
    enum Cell {
        case null
        case integer(Int64)
        case real(Double)
        case text(start: Int, count: Int)
        case blob(start: Int, count: Int)
    }

    /// At most 64: ``insert(row:with:nulls:)`` keeps one bit a column.
    static let columnCount = Schema.requestColumns.count
    private(set) var cells: [Cell] = []
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0
    /// The ``StableHash`` of each row's id, made where the row is encoded: a bulk load finds repeated ids by it on
    /// the writing thread (``SeenIDs``) without hashing there.
    private(set) var idHashes: [UInt64] = []

    init() {}

    init(_ record: TraceRecord, source: SourceLocation?) { append(record, source: source) }

    mutating func reserve(rows: Int) {
        cells.reserveCapacity(rows * Self.columnCount)
        bytes.reserveCapacity(rows * 256)
        idHashes.reserveCapacity(rows)
    }

    /// Forgets the rows and keeps the storage.
    mutating func removeAll() {
        cells.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        idHashes.removeAll(keepingCapacity: true)
        count = 0
    }

    /// Appends one record's columns; returns its row number.
    @discardableResult
    mutating func append(_ r: TraceRecord, source: SourceLocation?) -> Int {
        count += 1
        text(.id, r.id)
        text(.kind, r.kind.rawValue)
        text(.format, r.format)
        text(.sourceFile, source?.file)
        integer(.sourceLine, source.map { Int64($0.line) })
        text(.traceID, r.traceID)
        text(.parentID, r.parentID)
        text(.sessionID, r.sessionID)
        text(.userID, r.userID)
        text(.tenantID, r.tenantID)
        text(.name, r.name)
        text(.operation, r.operation)
        jsonStrings(.tags, r.tags)
        integer(.start, r.startMicros)
        integer(.end, r.endMicros)
        integer(.firstToken, r.firstTokenMicros)
        text(.provider, r.provider)
        text(.model, r.model)
        text(.requestModel, r.requestModel)
        text(.serviceTier, r.serviceTier)
        integer(.batch, r.isBatch ? 1 : 0)
        integer(.inputTokens, r.usage?.input)
        integer(.cacheReadTokens, r.usage?.cacheRead)
        integer(.cacheWrite5mTokens, r.usage?.cacheWrite5m)
        integer(.cacheWrite1hTokens, r.usage?.cacheWrite1h)
        integer(.outputTokens, r.usage?.output)
        integer(.reasoningTokens, r.usage?.reasoning)
        if let billed = r.billedCost { appendReal(.billedCost, billed.dollars) } else { appendNull(.billedCost) }
        text(.billedCostSource, r.billedCostSource)
        text(.prompt, r.promptText)
        text(.response, r.responseText)
        text(.promptHash, r.promptHash)
        text(.responseHash, r.responseHash)
        text(.messages, r.messages.isEmpty ? nil : RequestColumns.encodeMessages(r.messages))
        blob(.prefixHashes, r.prefixHashes)
        integer(.prefixBlockTokens, r.prefixBlockTokens.map(Int64.init))
        blob(.embedding, r.embedding)
        jsonQuality(.quality, r.quality)
        text(.attributes, r.attributes.isEmpty ? nil : RequestColumns.encodeAttributes(r.attributes))
        integer(.cacheHit, r.cacheHit ? 1 : 0)
        return endRow()
    }

    /// Checks, in debug builds, that the next cell is `field`'s: every writer of a row follows ``TraceField``.
    @inline(__always)
    private func expect(_ field: TraceField) {
        assert(cells.count - (count - 1) * Self.columnCount == field.rawValue, "\(field) written out of TraceField order")
    }

    private mutating func integer(_ field: TraceField, _ value: Int64?) {
        expect(field)
        cells.append(value.map { .integer($0) } ?? .null)
    }

    private mutating func text(_ field: TraceField, _ value: String?) {
        expect(field)
        guard var value else { return cells.append(.null) }
        let start = bytes.count
        value.withUTF8 { bytes.append(contentsOf: $0) }
        cells.append(.text(start: start, count: bytes.count - start))
    }

    /// A list of strings as JSON text, the bytes of ``JSONText/array(_:)``, written in place; an empty list is null.
    private mutating func jsonStrings(_ field: TraceField, _ items: [String]) {
        expect(field)
        guard !items.isEmpty else { return cells.append(.null) }
        let start = bytes.count
        bytes.append(UInt8(ascii: "["))
        for (position, item) in items.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            quoted(item)
        }
        bytes.append(UInt8(ascii: "]"))
        cells.append(.text(start: start, count: bytes.count - start))
    }

    /// The bytes of ``JSONText/quote(_:)``.
    private mutating func quoted(_ text: String) {
        var text = text
        if JSONText.needsEscaping(text) {  // rare: take the quoting path
            bytes.append(contentsOf: JSONText.quote(text).utf8)
        } else {
            bytes.append(UInt8(ascii: "\""))
            text.withUTF8 { bytes.append(contentsOf: $0) }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// Quality scores as JSON text, the bytes of ``RequestColumns/encodeQuality(_:)``, written in place; none is null.
    private mutating func jsonQuality(_ field: TraceField, _ quality: [String: Double]) {
        expect(field)
        guard !quality.isEmpty else { return cells.append(.null) }
        let start = bytes.count
        bytes.append(UInt8(ascii: "{"))
        for (position, key) in quality.keys.sorted().enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            quoted(key)
            bytes.append(UInt8(ascii: ":"))
            Self.appendScore(quality[key]!, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        cells.append(.text(start: start, count: bytes.count - start))
    }

    /// A score as ``JSONText/number(_:)`` writes it; 0 and 1, the usual scores, without formatting a number.
    static func appendScore(_ value: Double, to bytes: inout [UInt8]) {
        if value == 0 && value.sign == .plus { bytes.append(UInt8(ascii: "0")) } else if value == 1 { bytes.append(UInt8(ascii: "1")) } else {
            bytes.append(contentsOf: JSONText.number(value).utf8)
        }
    }

    private mutating func blob<T>(_ field: TraceField, _ values: [T]) {
        expect(field)
        guard !values.isEmpty else { return cells.append(.null) }
        let start = bytes.count
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        cells.append(.blob(start: start, count: bytes.count - start))
    }

    // MARK: Writing a row column by column (decoders that write straight from their input)

    /// Where the rows ended, to take back a row left half written.
    struct Mark {
        fileprivate let cells, bytes, count: Int
    }

    /// Starts a row whose cells the caller appends in ``Schema/requestColumns`` order, then ends with ``endRow()``
    /// or takes back with ``rollBack(to:)``.
    mutating func beginRow() -> Mark {
        defer { count += 1 }
        return Mark(cells: cells.count, bytes: bytes.count, count: count)
    }

    /// Ends the row begun last; returns its number.
    mutating func endRow() -> Int {
        assert(cells.count == count * Self.columnCount, "one cell per column of Schema.requestColumns")
        assert(idHashes.count == count - 1, "one id hash a row")
        idHashes.append(hashOfID(row: count - 1))
        return count - 1
    }

    /// The ``StableHash`` of the id's bytes (0 when the id is not text, which validation rules out), seeded at random
    /// for each run: ids made to share a hash would make each lookup a long probe, and no result depends on it.
    func hashOfID(row: Int) -> UInt64 {
        guard case let .text(start, count) = cells[row * Self.columnCount + TraceField.id.rawValue] else { return 0 }
        return bytes.withUnsafeBytes { StableHash.hash(UnsafeRawBufferPointer(rebasing: $0[start..<start + count]), seed: Self.idHashSeed) }
    }

    static let idHashSeed = UInt64.random(in: .min ... .max)

    /// Removes the row begun at `mark`, whatever part of it was written.
    mutating func rollBack(to mark: Mark) {
        cells.removeSubrange(mark.cells...)
        bytes.removeSubrange(mark.bytes...)
        if idHashes.count > mark.count { idHashes.removeSubrange(mark.count...) }
        count = mark.count
    }

    mutating func appendNull(_ field: TraceField) {
        expect(field)
        cells.append(.null)
    }

    mutating func appendInteger(_ field: TraceField, _ value: Int64?) { integer(field, value) }

    mutating func appendReal(_ field: TraceField, _ value: Double) {
        expect(field)
        cells.append(.real(value))
    }

    mutating func appendText(_ field: TraceField, _ value: String?) { text(field, value) }

    mutating func appendText(_ field: TraceField, bytes value: UnsafeRawBufferPointer) {
        expect(field)
        let start = bytes.count
        bytes.append(contentsOf: value)
        cells.append(.text(start: start, count: value.count))
    }

    /// Text built by `body` straight into the row buffer.
    mutating func appendText(_ field: TraceField, building body: (inout [UInt8]) -> Void) {
        expect(field)
        let start = bytes.count
        body(&bytes)
        cells.append(.text(start: start, count: bytes.count - start))
    }

    /// A blob of 64-bit integers in native byte order, as ``append(_:source:)`` stores `[Int64]`; none is null.
    mutating func appendBlob(_ field: TraceField, integers count: Int, _ element: (Int) -> Int64) {
        expect(field)
        guard count > 0 else { return cells.append(.null) }
        let start = bytes.count
        for index in 0..<count { withUnsafeBytes(of: element(index)) { bytes.append(contentsOf: $0) } }
        cells.append(.blob(start: start, count: bytes.count - start))
    }

    /// Binds row `row` to an insert in ``Schema/insertRequest`` order and runs it. The values are bound in place,
    /// valid only during this call; every parameter is bound again for the next row, except a null one that is
    /// still bound to null from the row before (bit `column` of `nulls`, which the caller keeps for this statement
    /// and starts at 0): most rows leave half their columns null, and binding them cost 5% of the writer.
    func insert(row: Int, with statement: SQLiteStatement, nulls: inout UInt64) throws(StoreError) {
        try bytes.withUnsafeBufferPointer { buffer throws(StoreError) in
            try bind(row: row, to: statement, at: 0, nulls: &nulls, memory: buffer)
            defer { statement.reset() }
            try statement.step()
        }
    }

    /// Runs a multi-row insert (``Schema/insertRequests(count:)``) of `rows`, the i-th bound after the
    /// ``columnCount`` × i parameters before it; `nulls` holds one mask a row, as ``insert(row:with:nulls:)`` keeps.
    func insert(rows: some Collection<Int>, with statement: SQLiteStatement, nulls: inout [UInt64]) throws(StoreError) {
        try bytes.withUnsafeBufferPointer { buffer throws(StoreError) in
            for (slot, row) in rows.enumerated() {
                try bind(row: row, to: statement, at: slot * Self.columnCount, nulls: &nulls[slot], memory: buffer)
            }
            defer { statement.reset() }
            try statement.step()
        }
    }

    /// Binds row `row`'s columns to parameters `offset + 1` onwards, in place from `memory` (``bytes``).
    @inline(__always)
    private func bind(row: Int, to statement: SQLiteStatement, at offset: Int, nulls: inout UInt64,
                      memory buffer: UnsafeBufferPointer<UInt8>) throws(StoreError) {
        let base = row * Self.columnCount
        let s = statement.statement
        let memory = UnsafeRawPointer(buffer.baseAddress) ?? UnsafeRawPointer(bitPattern: 1)!
        for column in 0..<Self.columnCount {
            let index = Int32(offset + column + 1)
            let bit = UInt64(1) << UInt64(column)
            let code: Int32
            switch cells[base + column] {
            case .null:
                if nulls & bit != 0 { continue }
                code = sqlite3_bind_null(s, index)
            case let .integer(value): code = sqlite3_bind_int64(s, index, value)
            case let .real(value): code = sqlite3_bind_double(s, index, value)
            case let .text(start, count):
                code = sqlite3_bind_text64(s, index, (memory + start).assumingMemoryBound(to: CChar.self),
                                           sqlite3_uint64(count), nil, UInt8(SQLITE_UTF8))
            case let .blob(start, count):
                code = sqlite3_bind_blob64(s, index, memory + start, sqlite3_uint64(count), nil)
            }
            // A value longer than SQLite takes (1e9 bytes by default) is a store failure, named as SQLite names it.
            guard code == SQLITE_OK else {
                nulls = 0  // what the failed bind left is unknown
                throw StoreError.sql(path: statement.database.path, reason: String(cString: sqlite3_errstr(code)))
            }
            if case .null = cells[base + column] { nulls |= bit } else { nulls &= ~bit }
        }
    }

    /// Whether two values share their storage: rows of one batch, as a held copy and the batch itself.
    func sharesStorage(with other: RequestRows) -> Bool {
        cells.withUnsafeBufferPointer { a in other.cells.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
    }

    /// Whether row `row`'s id is `stored`'s bytes (text column `column` of a stepped statement).
    func id(row: Int, equals statement: SQLiteStatement, column: Int32) -> Bool {
        guard case let .text(start, count) = cells[row * Self.columnCount + TraceField.id.rawValue],
              sqlite3_column_type(statement.statement, column) == SQLITE_TEXT else { return false }
        let length = Int(sqlite3_column_bytes(statement.statement, column))
        guard length == count else { return false }
        guard count > 0 else { return true }
        guard let stored = sqlite3_column_text(statement.statement, column) else { return false }
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, stored, count) == 0 }
    }

    /// Text of a text cell (for comparisons and messages; not on the hot path).
    func string(row: Int, field: TraceField) -> String? {
        guard case let .text(start, count) = cells[row * Self.columnCount + field.rawValue] else { return nil }
        return String(decoding: bytes[start..<start + count], as: UTF8.self)
    }

    func integer(row: Int, field: TraceField) -> Int64? {
        guard case let .integer(value) = cells[row * Self.columnCount + field.rawValue] else { return nil }
        return value
    }

    func real(row: Int, field: TraceField) -> Double? {
        guard case let .real(value) = cells[row * Self.columnCount + field.rawValue] else { return nil }
        return value
    }
}
