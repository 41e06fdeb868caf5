import Foundation

/// One vector index shared by semantic caches that differ only in their threshold (the points of
/// a threshold sweep), so each request is compared with the cached prompts once, not once per point.
///
/// Every entry carries a bit per member saying which members' caches hold it; a member sees only
/// its own entries, so results equal those of independent caches (tested). The members must see
/// the same requests in the same order (they are the first strategy of their chains) and run on
/// one thread; the scan itself is split over two threads when a partition is large.
final class SemanticHub: @unchecked Sendable {
    struct Partition {
        var index: VectorIndex
        var masks: [UInt64] = []
        var response: [String?] = []
        var available: [Int64] = []
        /// The slot of the vector most recently added, with the request it came from.
        var lastAdded: (request: ObjectIdentifier, slot: Int)?
    }

    let members: Int
    var partitions: [String: Partition] = [:]
    /// Per-member best (slot, score) for the request scanned last.
    private var scanned: (request: ObjectIdentifier, partition: String)?
    private var best: [(slot: Int, score: Float)?] = []

    init(members: Int) {
        precondition(members <= 64)
        self.members = members
    }

    /// The member's nearest live, available entry for this request.
    func nearest(member: Int, request: RecordedRequest, partition key: String, query: [Float], now: Int64) -> (slot: Int, score: Float)? {
        let id = ObjectIdentifier(request)
        if scanned?.request != id || scanned?.partition != key {
            scan(key, query: query, now: now)
            scanned = (id, key)
        }
        return best[member]
    }

    private func scan(_ key: String, query: [Float], now: Int64) {
        best = Array(repeating: nil, count: members)
        guard let partition = partitions[key], partition.index.count > 0 else { return }
        let slots = partition.masks.count
        let halves = slots > 16_384 ? 2 : 1
        var results = Array(repeating: [(slot: Int, score: Float)?](repeating: nil, count: members), count: halves)
        let box = UncheckedBox(partition)
        let query = UncheckedBox(query)
        let out = UncheckedBox(ResultsBox(results))
        let chunk = (slots + halves - 1) / halves
        let members = self.members
        let body: @Sendable (Int) -> Void = { half in
            let lower = half * chunk, upper = min(slots, lower + chunk)
            var local = [(slot: Int, score: Float)?](repeating: nil, count: members)
            box.value.index.scan(query.value, slots: lower..<upper) { slot, score in
                guard box.value.available[slot] <= now else { return }
                var mask = box.value.masks[slot]
                while mask != 0 {
                    let member = mask.trailingZeroBitCount
                    mask &= mask - 1
                    if local[member] == nil || score > local[member]!.score { local[member] = (slot, score) }
                }
            }
            out.value.set(half, local)
        }
        if halves == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: halves, execute: body) }
        results = out.value.values
        for member in 0..<members {
            for half in 0..<halves {
                if let candidate = results[half][member], best[member] == nil || candidate.score > best[member]!.score {
                    best[member] = candidate
                }
            }
        }
    }

    func response(_ key: String, slot: Int) -> String? { partitions[key]?.response[slot] }

    /// Adds the request's vector for a member (once per request, shared by the members that miss).
    func insert(member: Int, request: RecordedRequest, partition key: String, query: [Float], response: String?, available: Int64) -> Int {
        var partition = partitions.removeValue(forKey: key) ?? Partition(index: VectorIndex(dimension: query.count))
        defer { partitions[key] = partition }
        let id = ObjectIdentifier(request)
        if let last = partition.lastAdded, last.request == id {
            partition.masks[last.slot] |= 1 << UInt64(member)
            return last.slot
        }
        let slot = partition.index.add(query)
        if slot == partition.masks.count {
            partition.masks.append(0)
            partition.response.append(nil)
            partition.available.append(0)
        }
        partition.masks[slot] = 1 << UInt64(member)
        partition.response[slot] = response
        partition.available[slot] = available
        partition.lastAdded = (id, slot)
        return slot
    }

    /// Drops a member's entry; the vector goes when no member holds it.
    func remove(member: Int, partition key: String, slot: Int) {
        guard var partition = partitions.removeValue(forKey: key) else { return }
        defer { partitions[key] = partition }
        partition.masks[slot] &= ~(1 << UInt64(member))
        if partition.masks[slot] == 0 {
            partition.index.remove(slot)
            if partition.lastAdded?.slot == slot { partition.lastAdded = nil }
        }
    }
}

/// Per-half results written by the scan threads.
final class ResultsBox: @unchecked Sendable {
    var values: [[(slot: Int, score: Float)?]]
    private let lock = NSLock()
    init(_ values: [[(slot: Int, score: Float)?]]) { self.values = values }
    func set(_ half: Int, _ value: [(slot: Int, score: Float)?]) {
        lock.lock()
        values[half] = value
        lock.unlock()
    }
}
