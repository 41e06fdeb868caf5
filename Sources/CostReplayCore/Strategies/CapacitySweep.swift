/// One recency stack behind the LRU exact caches of a capacity sweep (Mattson et al. 1970): the points of a sweep
/// that differ only in capacity find each key once, instead of once per point.
///
/// Every request with a key moves that key to the front of the stack at every capacity (a lookup touches the entry
/// and a miss stores it), so each capacity's cache is always a prefix of one recency-ordered list: evicting takes
/// that prefix's last entry, and removing expired entries takes it from the cold end too (or removes the key being
/// looked up, which then goes back to the front). So one doubly linked list, a tail per capacity and a bit per
/// capacity on each entry describe every cache at once, and an entry leaves the list when no capacity holds it.
///
/// The list's order does not depend on the TTL either (every request moves its key to the front whether it hits,
/// misses or finds an expired entry), so members may differ in TTL as well as in capacity: a 10 × 5 sweep of
/// capacities and TTLs finds each key once, not five times.
///
/// With a TTL, hits are not monotone in capacity: a key evicted and stored again at a small capacity expires later
/// there than at a large one. So each entry keeps, per member, what ``BoundedCache`` keeps (expiry, response,
/// available time), and each member replays exactly the cache's rules with its own capacity and TTL: an expired entry found by a lookup is
/// dropped and counted, a store first drops up to four expired entries from the cold end, then evicts the cold end
/// when full (counted as an expiration if it had expired). Results equal one ``BoundedCache`` per capacity, counters
/// included (tested against that path). Members must run on one thread and ask about the same requests in order.
final class CapacitySweep: @unchecked Sendable {
    /// A member's answer for one request: the cached response when it is a hit, nil on a miss.
    typealias Outcome = UInt64?

    /// All mutable state in one value: a call on it checks exclusive access to the class's property once, where
    /// stored arrays of the class itself would be checked at every element access (measured: the one-pass sweep
    /// took 29.6 CPU s against 21.0 for one cache per point before, 19.1 against 21.4 after; docs/performance.md).
    private var stack: RecencyStack

    var members: Int { stack.members }
    var evictions: [Int] { stack.evictions.prefix(stack.members) }
    var expirations: [Int] { stack.expirations.prefix(stack.members) }

    /// One member per (capacity, TTL) pair; a capacity of 0 or nil is unbounded, a TTL of 0 or nil never expires.
    init(members: [(capacity: Int?, ttlSeconds: Double?)]) {
        precondition(members.count >= 1 && members.count <= 64)
        stack = RecencyStack(members: members)
    }

    deinit { stack.deallocate() }

    /// Looks `key` up for `member` at `now`; the first member to ask about a request updates every member's cache,
    /// storing `response` (available from `availableAt`) wherever the lookup misses and the key is absent.
    func lookup(member: Int, key: UInt64, at now: Int64, response: UInt64, availableAt: Int64) -> Outcome {
        stack.answer(member: member, key: key, at: now, response: response, availableAt: availableAt)
    }

    /// Which members hit, as bit masks: `served` the hits, `withResponse` those where both the cached and the
    /// recorded response are known, `likelyFalse` those where the two differ.
    struct Hits {
        var served: UInt64 = 0, withResponse: UInt64 = 0, likelyFalse: UInt64 = 0
    }

    /// Looks `key` up at every member at once and stores `response` wherever it misses and the key is absent, as
    /// the first ``lookup(member:key:at:response:availableAt:)`` of a request does. A sweep is driven either by this
    /// call (``CapacitySweepGroup``) or by its members' lookups, never both.
    func advance(key: UInt64, at now: Int64, response: UInt64, availableAt: Int64) -> Hits {
        stack.advance(key, at: now, response: response, availableAt: availableAt)
    }
}

/// The state of a ``CapacitySweep``: one recency list, a cold end per capacity, per-capacity entry fields.
///
/// Fields are packed by what is read together (an entry's links and mask; a member's expiry, response and available
/// time for one entry) in ``UncheckedArray``s: every request visits every member, and the checks of Swift arrays on
/// each access were a third of the stack's time.
private struct RecencyStack {
    /// One entry of the list: its key, its neighbours (-1 at the ends) and which members hold it (bit j: member j).
    struct Node {
        var key: UInt64
        var previous: Int
        var next: Int
        var mask: UInt64
    }

    /// What one member's cache stores for one entry.
    struct Cell {
        var expires: Int64
        var response: UInt64
        var available: Int64
    }

    let members: Int
    /// Per member; `Int.max` for an unbounded cache.
    private let capacities: UncheckedArray<Int>
    /// Per member, in microseconds; `Int64.max` for a cache whose entries never expire.
    private let ttls: UncheckedArray<Int64>

    private var index = HashIndex()
    private var nodes: UncheckedArray<Node>
    /// Per entry and member (`slot * members + member`).
    private var cells: UncheckedArray<Cell>
    /// Slots handed out so far (free ones included).
    private var used = 0
    private var free: [Int] = []
    private var head = -1
    /// Per member: the cold end of its cache (the last entry of its prefix) and its size.
    private let tails: UncheckedArray<Int>, counts: UncheckedArray<Int>
    let evictions: UncheckedArray<Int>, expirations: UncheckedArray<Int>
    /// The outcome of the latest request: the members that hit, and each hit's cached response.
    private var hitMask: UInt64 = 0
    private let cached: UncheckedArray<UInt64>
    /// How many requests each member has asked about (``answer(member:key:at:response:availableAt:)`` only).
    private var asked: [Int]
    private var processed = 0
    private var lastKey: UInt64 = 0

    init(members list: [(capacity: Int?, ttlSeconds: Double?)]) {
        members = list.count
        capacities = UncheckedArray(repeating: 0, count: members)
        ttls = UncheckedArray(repeating: 0, count: members)
        for (member, settings) in list.enumerated() {
            capacities[member] = settings.capacity.flatMap { $0 > 0 ? $0 : nil } ?? Int.max
            ttls[member] = settings.ttlSeconds.flatMap { $0 > 0 ? Int64($0 * 1e6) : nil } ?? Int64.max
        }
        nodes = UncheckedArray(repeating: Node(key: 0, previous: -1, next: -1, mask: 0), count: 1024)
        cells = UncheckedArray(repeating: Cell(expires: 0, response: 0, available: 0), count: 1024 * members)
        tails = UncheckedArray(repeating: -1, count: members)
        counts = UncheckedArray(repeating: 0, count: members)
        evictions = UncheckedArray(repeating: 0, count: members)
        expirations = UncheckedArray(repeating: 0, count: members)
        cached = UncheckedArray(repeating: 0, count: members)
        asked = Array(repeating: 0, count: members)
    }

    func deallocate() {
        for buffer in [capacities, tails, counts, evictions, expirations] { buffer.deallocate() }
        ttls.deallocate()
        cached.deallocate()
        nodes.deallocate()
        cells.deallocate()
    }

    /// ``CapacitySweep/lookup(member:key:at:response:availableAt:)``.
    mutating func answer(member: Int, key: UInt64, at now: Int64, response: UInt64, availableAt: Int64) -> UInt64? {
        asked[member] += 1
        if asked[member] > processed {
            step(key, at: now, response: response, availableAt: availableAt)
            processed += 1
            lastKey = key
        }
        precondition(asked[member] == processed && key == lastKey, "members of a capacity sweep saw different requests")
        return hitMask & (1 << UInt64(member)) != 0 ? cached[member] : nil
    }

    /// ``CapacitySweep/advance(key:at:response:availableAt:)``.
    mutating func advance(_ key: UInt64, at now: Int64, response: UInt64, availableAt: Int64) -> CapacitySweep.Hits {
        step(key, at: now, response: response, availableAt: availableAt)
        var hits = CapacitySweep.Hits(served: hitMask)
        guard response != 0 else { return hits }
        var mask = hitMask
        while mask != 0 {
            let member = mask.trailingZeroBitCount
            mask &= mask - 1
            let stored = cached[member]
            guard stored != 0 else { continue }
            let bit: UInt64 = 1 << UInt64(member)
            hits.withResponse |= bit
            if stored != response { hits.likelyFalse |= bit }
        }
        return hits
    }

    mutating func step(_ key: UInt64, at now: Int64, response: UInt64, availableAt: Int64) {
        let entry: Int
        if let found = index.slot(key) {
            entry = found
            // Where the entry was a cache's cold end, the entry before it becomes that cache's cold end.
            let before = nodes[entry].previous
            var mask = nodes[entry].mask
            while mask != 0 {
                let member = mask.trailingZeroBitCount
                mask &= mask - 1
                if tails[member] == entry && before >= 0 { tails[member] = before }
            }
            unlink(entry)
            pushFront(entry)
        } else {
            entry = allocate(key)
        }
        let base = entry * members
        // Every member that misses reads the cold end of its cache, each at a random place: fetched all at once here,
        // the loads overlap (the stack took half the time of a 50-point sweep waiting for them one by one).
        for member in 0..<members {
            let tail = tails[member]
            if tail >= 0 {
                cells.prefetch(tail * members + member)
                nodes.prefetch(tail)
            }
        }
        // The TTL runs from when the response is cached.
        let written = max(availableAt, now)
        var hits: UInt64 = 0
        for member in 0..<members {
            let bit: UInt64 = 1 << UInt64(member)
            if nodes[entry].mask & bit != 0 {
                let cell = cells[base + member]
                if cell.expires > now {
                    // A lookup touches the entry; a response still in flight is a miss that stores nothing.
                    if cell.available <= now {
                        hits |= bit
                        cached[member] = cell.response
                    }
                    continue
                }
                expirations[member] += 1
                counts[member] -= 1
                nodes[entry].mask &= ~bit
                if tails[member] == entry { tails[member] = -1 }
            }
            let ttl = ttls[member]
            store(member, entry: entry, at: now, expiring: ttl != Int64.max)
            cells[base + member] = Cell(expires: ttl == Int64.max ? Int64.max : written + ttl, response: response, available: availableAt)
        }
        hitMask = hits
    }

    /// ``BoundedCache/insert(_:_:at:)`` for one member, with `entry` already at the front of the list.
    @inline(__always) private mutating func store(_ member: Int, entry: Int, at now: Int64, expiring: Bool) {
        if expiring {
            var purged = 0
            while purged < 4 {
                let tail = tails[member]
                guard tail >= 0, cells[tail * members + member].expires <= now else { break }
                removeTail(member, front: entry)
                expirations[member] += 1
                purged += 1
            }
        }
        if counts[member] >= capacities[member] {
            let tail = tails[member]
            if tail >= 0 {
                if cells[tail * members + member].expires <= now { expirations[member] += 1 } else { evictions[member] += 1 }
                removeTail(member, front: entry)
            }
        }
        counts[member] += 1
        nodes[entry].mask |= 1 << UInt64(member)
        if tails[member] < 0 { tails[member] = entry }
    }

    /// Drops a member's cold end; `front` (the entry being stored, not yet the member's) ends the walk.
    private mutating func removeTail(_ member: Int, front: Int) {
        let tail = tails[member]
        counts[member] -= 1
        nodes[tail].mask &= ~(1 << UInt64(member))
        let before = nodes[tail].previous
        tails[member] = before == front ? -1 : before
        if nodes[tail].mask == 0 {
            unlink(tail)
            index.remove(nodes[tail].key)
            free.append(tail)
        }
    }

    private mutating func allocate(_ key: UInt64) -> Int {
        let slot: Int
        if let reused = free.popLast() {
            slot = reused
        } else {
            slot = used
            used += 1
            nodes.reserve(used, filling: Node(key: 0, previous: -1, next: -1, mask: 0))
            cells.reserve(used * members, filling: Cell(expires: 0, response: 0, available: 0))
        }
        nodes[slot] = Node(key: key, previous: -1, next: -1, mask: 0)
        index.set(key, slot: slot)
        pushFront(slot)
        return slot
    }

    private mutating func pushFront(_ slot: Int) {
        nodes[slot].previous = -1
        nodes[slot].next = head
        if head >= 0 { nodes[head].previous = slot }
        head = slot
    }

    private mutating func unlink(_ slot: Int) {
        let before = nodes[slot].previous, after = nodes[slot].next
        if before >= 0 { nodes[before].next = after } else if head == slot { head = after }
        if after >= 0 { nodes[after].previous = before }
        nodes[slot].previous = -1
        nodes[slot].next = -1
    }
}
