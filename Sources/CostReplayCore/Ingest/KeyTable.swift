#if canImport(Glibc)
import Glibc
#endif

/// Finds a JSON member's key among a decoder's known keys from its bytes, with no string made and no hashing.
///
/// Keys are grouped by length, so a lookup compares the bytes of the few keys of the same length (at most a
/// handful): in the canonical decoder this replaced a `Dictionary<String, Int>` lookup that took about 13% of the
/// reading thread (a `String` made and hashed per member).
struct KeyTable: Sendable {
    /// For each length, the keys of that length as (bytes, position).
    private let byLength: [[(bytes: [UInt8], position: Int)]]

    init(_ keys: [String]) {
        var table = [[(bytes: [UInt8], position: Int)]](repeating: [], count: (keys.map(\.utf8.count).max() ?? 0) + 1)
        // An empty name stands for a position no key finds.
        for (position, key) in keys.enumerated() where !key.isEmpty { table[key.utf8.count].append((Array(key.utf8), position)) }
        byLength = table
    }

    /// The position of the key spelled by `bytes` in the list given at creation, or nil.
    @inline(__always)
    func position(of bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count < byLength.count, let key = bytes.baseAddress else { return nil }
        for candidate in byLength[bytes.count] where candidate.bytes.withUnsafeBytes({ memcmp($0.baseAddress!, key, bytes.count) == 0 }) {
            return candidate.position
        }
        return nil
    }
}
