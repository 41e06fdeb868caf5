/// A key–value cache with an optional capacity (LRU or LFU eviction) and optional time-to-live,
/// driven by the replay clock rather than the wall clock.
///
/// LRU keeps a doubly linked list in arrays; LFU keeps a min-heap of (uses, last use) with lazy
/// deletion. Ties in LFU go to the least recently used entry, so eviction order is deterministic.
struct BoundedCache<Index: SlotIndex, Value> {
    typealias Key = Index.Key

    struct Entry {
        var key: Key
        var value: Value
        var expires: Int64
        var uses: Int
        var lastUse: Int64
        var version: Int
        var previous: Int
        var next: Int
    }

    let capacity: Int?
    let ttlMicros: Int64?
    let policy: Eviction
    private var slots: [Entry] = []
    private var free: [Int] = []
    private var index = Index()
    private var head = -1, tail = -1
    private var heap: [(uses: Int, lastUse: Int64, tick: Int, slot: Int, version: Int)] = []
    private var tick = 0
    private(set) var evictions = 0
    private(set) var expirations = 0
    /// Keys removed by eviction or expiry since the owner last drained them.
    var removed: [Key] = []
    var tracksRemovals = false

    init(capacity: Int?, ttlSeconds: Double?, policy: Eviction) {
        self.capacity = capacity.flatMap { $0 > 0 ? $0 : nil }
        self.ttlMicros = ttlSeconds.flatMap { $0 > 0 ? Int64($0 * 1e6) : nil }
        self.policy = policy
    }

    var count: Int { index.count }

    /// The live value for `key` at `now`, counting the use; expired entries are dropped.
    mutating func lookup(_ key: Key, at now: Int64, refreshTTL: Bool = false) -> Value? {
        guard let slot = index.slot(key) else { return nil }
        if slots[slot].expires <= now {
            remove(slot)
            expirations += 1
            return nil
        }
        touch(slot, at: now)
        if refreshTTL, let ttlMicros { slots[slot].expires = now + ttlMicros }
        return slots[slot].value
    }

    /// Reads without counting a use (for checks that are not lookups).
    func peek(_ key: Key, at now: Int64) -> Value? {
        guard let slot = index.slot(key), slots[slot].expires > now else { return nil }
        return slots[slot].value
    }

    /// Stores or replaces `key` at `now` (its recency), evicting when full. Its TTL runs from `written`
    /// (when the response is complete and the cache is written; `now` when not given).
    mutating func insert(_ key: Key, _ value: Value, at now: Int64, written: Int64? = nil) {
        let expires = ttlMicros.map { max(written ?? now, now) + $0 } ?? Int64.max
        // Expired entries at the cold end go now, so a TTL bounds memory even without a capacity.
        var purged = 0
        while ttlMicros != nil, tail >= 0, slots[tail].expires <= now, purged < 4 {
            remove(tail)
            expirations += 1
            purged += 1
        }
        if let slot = index.slot(key) {
            slots[slot].value = value
            slots[slot].expires = expires
            touch(slot, at: now)
            return
        }
        if let capacity, index.count >= capacity { evict(at: now) }
        let entry = Entry(key: key, value: value, expires: expires, uses: 1, lastUse: now, version: 0, previous: -1, next: -1)
        let slot: Int
        if let reused = free.popLast() {
            slot = reused
            let version = slots[slot].version + 1
            slots[slot] = entry
            slots[slot].version = version
        } else {
            slot = slots.count
            slots.append(entry)
        }
        index.set(key, slot: slot)
        pushFront(slot)
        if policy == .lfu { pushHeap(slot) }
    }

    private mutating func touch(_ slot: Int, at now: Int64) {
        slots[slot].uses += 1
        slots[slot].lastUse = now
        unlink(slot)
        pushFront(slot)
        if policy == .lfu { pushHeap(slot) }
    }

    private mutating func evict(at now: Int64) {
        // An expired entry goes first whatever the policy.
        var victim = -1
        if policy == .lru {
            victim = tail
        } else {
            while let top = popHeap() {
                if slots[top.slot].version == top.version && index.slot(slots[top.slot].key) == top.slot
                    && slots[top.slot].uses == top.uses && slots[top.slot].lastUse == top.lastUse {
                    victim = top.slot
                    break
                }
            }
        }
        guard victim >= 0 else { return }
        if slots[victim].expires <= now { expirations += 1 } else { evictions += 1 }
        remove(victim)
    }

    private mutating func remove(_ slot: Int) {
        if tracksRemovals { removed.append(slots[slot].key) }
        index.remove(slots[slot].key)
        unlink(slot)
        slots[slot].version += 1
        free.append(slot)
    }

    private mutating func pushFront(_ slot: Int) {
        slots[slot].previous = -1
        slots[slot].next = head
        if head >= 0 { slots[head].previous = slot }
        head = slot
        if tail < 0 { tail = slot }
    }

    private mutating func unlink(_ slot: Int) {
        let previous = slots[slot].previous, next = slots[slot].next
        if previous >= 0 { slots[previous].next = next } else if head == slot { head = next }
        if next >= 0 { slots[next].previous = previous } else if tail == slot { tail = previous }
        slots[slot].previous = -1
        slots[slot].next = -1
    }

    // MARK: LFU heap, ordered by (uses, lastUse, tick).

    private mutating func pushHeap(_ slot: Int) {
        if heap.count > 4 * index.count + 64 { rebuildHeap() }
        tick += 1
        heap.append((slots[slot].uses, slots[slot].lastUse, tick, slot, slots[slot].version))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Drops stale heap items so the heap stays proportional to the live entries.
    private mutating func rebuildHeap() {
        var rebuilt = index.slots.sorted().map { (uses: slots[$0].uses, lastUse: slots[$0].lastUse, tick: 0, slot: $0, version: slots[$0].version) }
        rebuilt.sort { ($0.uses, $0.lastUse, $0.slot) < ($1.uses, $1.lastUse, $1.slot) }
        heap = rebuilt
    }

    private mutating func popHeap() -> (uses: Int, lastUse: Int64, tick: Int, slot: Int, version: Int)? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count && less(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count && less(heap[right], heap[smallest]) { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }

    private func less(_ a: (uses: Int, lastUse: Int64, tick: Int, slot: Int, version: Int),
                      _ b: (uses: Int, lastUse: Int64, tick: Int, slot: Int, version: Int)) -> Bool {
        (a.uses, a.lastUse, a.tick) < (b.uses, b.lastUse, b.tick)
    }
}

/// A cache keyed by a 64-bit hash.
typealias HashedCache<Value> = BoundedCache<HashIndex, Value>

/// A cache keyed by any hashable value.
typealias KeyedCache<Key: Hashable, Value> = BoundedCache<DictionaryIndex<Key>, Value>
