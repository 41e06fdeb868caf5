import CSQLite
import Foundation

/// A column's values decoded once per distinct text.
///
/// A store repeats a handful of models, providers, kinds, tag lists and quality objects across millions of rows;
/// decoding each row's text again (a string to validate and allocate, a JSON list or object to parse into strings)
/// was a fifth of a replay's reading. This direct-mapped table keeps the last value decoded for each of 256 hash
/// buckets with the bytes it came from, and hands the kept value back when a row's bytes are the same. A value is
/// always the decoding of exactly those bytes, so what is read never changes; only the work does.
struct ColumnMemo<Value> {
    private var texts: [[UInt8]]
    private var values: [Value?]

    init() {
        texts = Array(repeating: [], count: 256)
        values = Array(repeating: nil, count: 256)
    }

    /// The decoding of the column's text in the current row (nil when NULL), from the table when the bytes were seen.
    mutating func value(_ s: SQLiteStatement, _ column: Int32, decode: (String) -> Value) -> Value? {
        guard let text = sqlite3_column_text(s.statement, column) else { return nil }
        let bytes = UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(s.statement, column)))
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let bucket = Int(truncatingIfNeeded: h ^ (h >> 32)) & 255
        if let known = values[bucket], texts[bucket].count == bytes.count,
           bytes.isEmpty || texts[bucket].withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
            return known
        }
        let value = decode(String(decoding: bytes, as: UTF8.self))
        texts[bucket] = Array(bytes)
        values[bucket] = value
        return value
    }
}

/// The memos of the columns of `requests` whose values repeat across rows.
struct RequestColumnMemos {
    var kind = ColumnMemo<RequestKind>()
    var format = ColumnMemo<String>()
    var user = ColumnMemo<String>()
    var tenant = ColumnMemo<String>()
    var name = ColumnMemo<String>()
    var operation = ColumnMemo<String>()
    var tags = ColumnMemo<[String]>()
    var provider = ColumnMemo<String>()
    var model = ColumnMemo<String>()
    var requestModel = ColumnMemo<String>()
    var serviceTier = ColumnMemo<String>()
    var billedCostSource = ColumnMemo<String>()
    var quality = ColumnMemo<[String: Double]>()
    var attributes = ColumnMemo<[String: String]>()
}
