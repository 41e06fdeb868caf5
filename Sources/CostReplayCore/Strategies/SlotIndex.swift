/// Where a ``BoundedCache`` finds the slot of a key.
protocol SlotIndex {
    associatedtype Key: Hashable
    init()
    var count: Int { get }
    /// The slot stored for `key`, or nil.
    func slot(_ key: Key) -> Int?
    mutating func set(_ key: Key, slot: Int)
    mutating func remove(_ key: Key)
    /// Every stored slot, in no particular order.
    var slots: [Int] { get }
}

/// Any hashable key, through a standard dictionary.
struct DictionaryIndex<Key: Hashable>: SlotIndex {
    private var table: [Key: Int] = [:]
    init() {}
    var count: Int { table.count }
    func slot(_ key: Key) -> Int? { table[key] }
    mutating func set(_ key: Key, slot: Int) { table[key] = slot }
    mutating func remove(_ key: Key) { table.removeValue(forKey: key) }
    var slots: [Int] { Array(table.values) }
}

/// 64-bit keys in an open-addressing table (linear probing, backward-shift deletion, at most half full).
///
/// The exact cache looks a key up for every request at every sweep point: a standard dictionary spends
/// most of that time seeding and running SipHash, which 64-bit keys that are already hashes do not need.
struct HashIndex: SlotIndex {
    private var keys: [UInt64]
    /// Slot + 1; 0 marks an empty bucket.
    private var values: [Int32]
    private var mask: Int
    private var shift: UInt64
    private(set) var count = 0

    init() {
        keys = Array(repeating: 0, count: 16)
        values = Array(repeating: 0, count: 16)
        mask = 15
        shift = 60
    }

    @inline(__always) private func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9e37_79b9_7f4a_7c15) >> shift) }

    func slot(_ key: UInt64) -> Int? {
        var i = home(key)
        while true {
            let value = values[i]
            if value == 0 { return nil }
            if keys[i] == key { return Int(value) - 1 }
            i = (i + 1) & mask
        }
    }

    mutating func set(_ key: UInt64, slot: Int) {
        precondition(slot < Int(Int32.max), "a cache of more than 2³¹ entries")
        if (count + 1) * 2 > keys.count { grow() }
        var i = home(key)
        while values[i] != 0 {
            if keys[i] == key {
                values[i] = Int32(slot + 1)
                return
            }
            i = (i + 1) & mask
        }
        keys[i] = key
        values[i] = Int32(slot + 1)
        count += 1
    }

    mutating func remove(_ key: UInt64) {
        var i = home(key)
        while true {
            if values[i] == 0 { return }
            if keys[i] == key { break }
            i = (i + 1) & mask
        }
        // Shift later members of the probe run back so no lookup meets a hole before its key.
        var j = i
        while true {
            j = (j + 1) & mask
            if values[j] == 0 { break }
            let k = home(keys[j])
            let movable = i <= j ? (k <= i || k > j) : (k <= i && k > j)
            if movable {
                keys[i] = keys[j]
                values[i] = values[j]
                i = j
            }
        }
        values[i] = 0
        count -= 1
    }

    var slots: [Int] { values.filter { $0 != 0 }.map { Int($0) - 1 } }

    private mutating func grow() {
        let (oldKeys, oldValues) = (keys, values)
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        values = Array(repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        shift -= 1
        count = 0
        for (key, value) in zip(oldKeys, oldValues) where value != 0 { set(key, slot: Int(value) - 1) }
    }
}
