/// One recency stack behind the LRU exact caches of a capacity sweep (Mattson et al. 1970): the points of a sweep
/// that differ only in capacity find each key once, instead of once per point.
///
/// Every request with a key moves that key to the front of the stack at every capacity (a lookup touches the entry
/// and a miss stores it), so each capacity's cache is always a prefix of one recency-ordered list: evicting takes
/// that prefix's last entry, and removing expired entries takes it from the cold end too (or removes the key being
/// looked up, which then goes back to the front). So one doubly linked list, a tail per capacity and a bit per
/// capacity on each entry describe every cache at once, and an entry leaves the list when no capacity holds it.
///
/// With a TTL, hits are not monotone in capacity: a key evicted and stored again at a small capacity expires later
/// there than at a large one. So each entry keeps, per capacity, what ``BoundedCache`` keeps (expiry, response,
/// available time), and each capacity replays exactly the cache's rules: an expired entry found by a lookup is
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
    var evictions: [Int] { stack.evictions }
    var expirations: [Int] { stack.expirations }

    init(capacities: [Int?], ttlSeconds: Double?) {
        precondition(capacities.count >= 1 && capacities.count <= 64)
        stack = RecencyStack(capacities: capacities, ttlSeconds: ttlSeconds)
    }

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
private struct RecencyStack {
    let members: Int
    /// Per member; `Int.max` for an unbounded cache.
    let capacities: [Int]
    let ttlMicros: Int64?

    private var index = HashIndex()
    private var keys: [UInt64] = []
    private var previous: [Int] = [], next: [Int] = []
    /// Bit j set when member j's cache holds the entry.
    private var masks: [UInt64] = []
    private var free: [Int] = []
    private var head = -1
    /// Per entry and member (`slot * members + member`): what that member's cache stores.
    private var expires: [Int64] = [], responses: [UInt64] = [], available: [Int64] = []
    /// Per member: the cold end of its cache (the last entry of its prefix) and its size.
    private var tails: [Int], counts: [Int]
    private(set) var evictions: [Int], expirations: [Int]
    /// The outcomes of the latest request, and how many requests each member has asked about.
    private var outcomes: [UInt64?]
    private var asked: [Int]
    private var processed = 0
    private var lastKey: UInt64 = 0

    init(capacities: [Int?], ttlSeconds: Double?) {
        members = capacities.count
        self.capacities = capacities.map { $0.flatMap { $0 > 0 ? $0 : nil } ?? Int.max }
        ttlMicros = ttlSeconds.flatMap { $0 > 0 ? Int64($0 * 1e6) : nil }
        tails = Array(repeating: -1, count: members)
        counts = Array(repeating: 0, count: members)
        evictions = Array(repeating: 0, count: members)
        expirations = Array(repeating: 0, count: members)
        outcomes = Array(repeating: nil, count: members)
        asked = Array(repeating: 0, count: members)
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
        return outcomes[member]
    }

    /// ``CapacitySweep/advance(key:at:response:availableAt:)``.
    mutating func advance(_ key: UInt64, at now: Int64, response: UInt64, availableAt: Int64) -> CapacitySweep.Hits {
        step(key, at: now, response: response, availableAt: availableAt)
        var hits = CapacitySweep.Hits()
        for member in 0..<members {
            guard let cached = outcomes[member] else { continue }
            let bit: UInt64 = 1 << UInt64(member)
            hits.served |= bit
            if response != 0 && cached != 0 {
                hits.withResponse |= bit
                if response != cached { hits.likelyFalse |= bit }
            }
        }
        return hits
    }

    mutating func step(_ key: UInt64, at now: Int64, response: UInt64, availableAt: Int64) {
        let entry: Int
        if let found = index.slot(key) {
            entry = found
            // Where the entry was a cache's cold end, the entry before it becomes that cache's cold end.
            var mask = masks[entry]
            while mask != 0 {
                let member = mask.trailingZeroBitCount
                mask &= mask - 1
                if tails[member] == entry && previous[entry] >= 0 { tails[member] = previous[entry] }
            }
            unlink(entry)
            pushFront(entry)
        } else {
            entry = allocate(key)
        }
        let base = entry * members
        for member in 0..<members {
            let bit: UInt64 = 1 << UInt64(member)
            if masks[entry] & bit != 0 {
                if expires[base + member] > now {
                    // A lookup touches the entry; a response still in flight is a miss that stores nothing.
                    outcomes[member] = available[base + member] <= now ? responses[base + member] : nil
                    continue
                }
                expirations[member] += 1
                counts[member] -= 1
                masks[entry] &= ~bit
                if tails[member] == entry { tails[member] = -1 }
            }
            outcomes[member] = nil
            store(member, entry: entry, at: now)
            expires[base + member] = ttlMicros.map { max(availableAt, now) + $0 } ?? Int64.max  // the TTL runs from when the response is cached
            responses[base + member] = response
            available[base + member] = availableAt
        }
    }

    /// ``BoundedCache/insert(_:_:at:)`` for one member, with `entry` already at the front of the list.
    private mutating func store(_ member: Int, entry: Int, at now: Int64) {
        if ttlMicros != nil {
            var purged = 0
            while purged < 4, tails[member] >= 0, expires[tails[member] * members + member] <= now {
                removeTail(member, front: entry)
                expirations[member] += 1
                purged += 1
            }
        }
        if counts[member] >= capacities[member], tails[member] >= 0 {
            if expires[tails[member] * members + member] <= now { expirations[member] += 1 } else { evictions[member] += 1 }
            removeTail(member, front: entry)
        }
        counts[member] += 1
        masks[entry] |= 1 << UInt64(member)
        if tails[member] < 0 { tails[member] = entry }
    }

    /// Drops a member's cold end; `front` (the entry being stored, not yet the member's) ends the walk.
    private mutating func removeTail(_ member: Int, front: Int) {
        let tail = tails[member]
        counts[member] -= 1
        masks[tail] &= ~(1 << UInt64(member))
        tails[member] = previous[tail] == front ? -1 : previous[tail]
        if masks[tail] == 0 {
            unlink(tail)
            index.remove(keys[tail])
            free.append(tail)
        }
    }

    private mutating func allocate(_ key: UInt64) -> Int {
        let slot: Int
        if let reused = free.popLast() {
            slot = reused
            keys[slot] = key
            masks[slot] = 0
        } else {
            slot = keys.count
            keys.append(key)
            previous.append(-1)
            next.append(-1)
            masks.append(0)
            expires.append(contentsOf: repeatElement(0, count: members))
            responses.append(contentsOf: repeatElement(0, count: members))
            available.append(contentsOf: repeatElement(0, count: members))
        }
        index.set(key, slot: slot)
        pushFront(slot)
        return slot
    }

    private mutating func pushFront(_ slot: Int) {
        previous[slot] = -1
        next[slot] = head
        if head >= 0 { previous[head] = slot }
        head = slot
    }

    private mutating func unlink(_ slot: Int) {
        let before = previous[slot], after = next[slot]
        if before >= 0 { next[before] = after } else if head == slot { head = after }
        if after >= 0 { previous[after] = before }
        previous[slot] = -1
        next[slot] = -1
    }
}
