import Foundation

/// The vector index behind semantic caches. One hub may serve several caches that differ only in
/// their threshold (the points of a threshold sweep): every entry carries a bit per member saying
/// whose cache holds it, and a member sees only its own entries, so results equal independent
/// caches (tested).
///
/// Speed comes from looking ahead: before a batch of requests is replayed, ``prepare(_:)``
/// compares all of the batch's queries with the entries cached at that moment in one blocked pass
/// (each block of cached vectors is read once per batch rather than once per query). While
/// replaying, a query then only needs the entries added since, unless its precomputed best entry
/// has since been evicted or expired, in which case it is scanned in full. Members must run on
/// one thread; the blocked pass is split over two.
final class SemanticHub: @unchecked Sendable {
    struct Partition {
        var index: VectorIndex
        var masks: [UInt64] = []
        var response: [String?] = []
        var available: [Int64] = []
        /// Bumped whenever a slot's entry is removed, so stale precomputed answers are detected.
        var generation: [UInt32] = []
        /// Slots filled since the last ``prepare(_:)``.
        var addedSince: [Int] = []
        /// The slot most recently added, with its request, so several members share one vector. The request is held
        /// (not its address): once a batch is freed a new request can reuse an old one's address, and matching by
        /// address then merged a new entry into an old slot now and then (the expirations count varied by run).
        var lastAdded: (request: RecordedRequest, slot: Int)?
        /// The approximate index, in approximate mode; once trained it answers every lookup in this partition.
        var lists: InvertedLists?
    }

    /// A member's best entry among those present at prepare time.
    struct Candidate {
        var slot: Int
        var score: Float
        var generation: UInt32
    }

    let members: Int
    /// The lowest threshold among the members: the look-ahead pass need not find an entry scoring below it, since
    /// no member would count it as a hit (see ``VectorIndex`` for the bound that prunes).
    let pruneBelow: Float
    /// How members turn a request into its partition key and its query vector (the same for every member).
    let partitionKey: (ReplayRequest) -> String?
    let queryVector: (ReplayRequest) -> [Float]?
    /// Set in approximate mode (``InvertedLists``); nil searches exactly.
    let approximate: InvertedLists.Settings?
    /// How the index stores its rows (float16 halves the memory; queries stay float32).
    let precision: VectorPrecision
    var partitions: [String: Partition] = [:]
    /// Precomputed per request: partition, query and each member's best candidate.
    private var prepared: [ObjectIdentifier: (partition: String, query: [Float], best: [Candidate?])] = [:]

    init(members: Int, pruneBelow: Float = -.infinity, approximate: InvertedLists.Settings? = nil, precision: VectorPrecision = .float32,
         partitionKey: @escaping (ReplayRequest) -> String?, queryVector: @escaping (ReplayRequest) -> [Float]?) {
        precondition(members >= 1 && members <= 64)
        self.members = members
        self.pruneBelow = pruneBelow
        self.approximate = approximate
        self.precision = precision
        self.partitionKey = partitionKey
        self.queryVector = queryVector
    }

    /// The request's partition and query, reusing the vector computed by ``prepare(_:)``.
    func resolve(_ request: ReplayRequest) -> (partition: String, query: [Float])? {
        guard let partition = partitionKey(request) else { return nil }
        if let ready = prepared[ObjectIdentifier(request.recorded)] { return (partition, ready.query) }
        guard let query = queryVector(request) else { return nil }
        return (partition, query)
    }

    /// Compares the batch's queries with the current entries in one blocked pass.
    func prepare(_ batch: [ReplayRequest]) {
        prepared.removeAll(keepingCapacity: true)
        for name in partitions.keys { partitions[name]!.addedSince.removeAll(keepingCapacity: true) }
        var byPartition: [String: [(ObjectIdentifier, [Float], Int64)]] = [:]
        for request in batch {
            guard let partition = partitionKey(request), let query = queryVector(request) else { continue }
            byPartition[partition, default: []].append((ObjectIdentifier(request.recorded), query, request.startMicros))
        }
        for (name, queries) in byPartition {
            // A trained approximate partition answers every lookup itself (whatever the batch boundaries), so skip it.
            if partitions[name]?.lists?.isTrained == true { continue }
            let best = partitions[name].map { blockedBest(in: $0, queries: queries) }
                ?? Array(repeating: [Candidate?](repeating: nil, count: members), count: queries.count)
            for (index, query) in queries.enumerated() { prepared[query.0] = (name, query.1, best[index]) }
        }
    }

    /// The member's nearest live entry available at `now`, or nil.
    func nearest(member: Int, request: ReplayRequest, partition name: String, query: [Float], now: Int64) -> (slot: Int, score: Float)? {
        guard let partition = partitions[name] else { return nil }
        let bit: UInt64 = 1 << UInt64(member)
        if let lists = partition.lists, lists.isTrained {
            // Entries the prefix bound puts below every member's threshold are skipped: no member could hit them.
            return lists.nearest(query, queryTail: partition.index.tailNorm(query), cut: pruneBelow - 1e-4, index: partition.index) { slot in
                partition.masks[slot] & bit != 0 && partition.available[slot] <= now
            }
        }
        if let ready = prepared[ObjectIdentifier(request.recorded)], ready.partition == name {
            var best: (slot: Int, score: Float)?
            if let candidate = ready.best[member] {
                guard partition.generation[candidate.slot] == candidate.generation, partition.masks[candidate.slot] & bit != 0 else {
                    return fullScan(partition, member: member, query: query, now: now)
                }
                best = (candidate.slot, candidate.score)
            }
            for slot in partition.addedSince where partition.masks[slot] & bit != 0 && partition.available[slot] <= now {
                let score = partition.index.score(query, slot: slot)
                if best == nil || score > best!.score { best = (slot, score) }
            }
            return best
        }
        return fullScan(partition, member: member, query: query, now: now)
    }

    /// The member's nearest live entry available at `now` by a full scan, without look-ahead or pruning.
    func exactNearest(member: Int, partition name: String, query: [Float], now: Int64) -> (slot: Int, score: Float)? {
        partitions[name].flatMap { fullScan($0, member: member, query: query, now: now) }
    }

    /// Whether exact search would find an entry of the member's scoring at least `threshold` (a pruned scan that
    /// stops at the first one): what a recall check needs when the approximate search found no hit.
    func exactHasHit(member: Int, partition name: String, query: [Float], now: Int64, threshold: Float) -> Bool {
        guard let partition = partitions[name] else { return false }
        let bit: UInt64 = 1 << UInt64(member)
        return partition.index.anyAtLeast(query, threshold: threshold) { slot in
            partition.masks[slot] & bit != 0 && partition.available[slot] <= now
        }
    }

    private func fullScan(_ partition: Partition, member: Int, query: [Float], now: Int64) -> (slot: Int, score: Float)? {
        let bit: UInt64 = 1 << UInt64(member)
        var best: (slot: Int, score: Float)?
        partition.index.scan(query, slots: 0..<partition.masks.count) { slot, score in
            guard partition.masks[slot] & bit != 0, partition.available[slot] <= now else { return }
            if best == nil || score > best!.score { best = (slot, score) }
        }
        return best
    }

    /// Whether lookups in the partition are answered approximately (approximate mode, trained).
    func isApproximate(_ name: String) -> Bool { partitions[name]?.lists?.isTrained == true }

    func response(_ name: String, slot: Int) -> String? { partitions[name]?.response[slot] }

    /// Adds the request's vector for a member (once per request, shared by the members that miss).
    func insert(member: Int, request: ReplayRequest, partition name: String, query: [Float], available: Int64) -> Int {
        var partition = partitions.removeValue(forKey: name)
            ?? Partition(index: VectorIndex(dimension: query.count, precision: precision), lists: approximate.map(InvertedLists.init(settings:)))
        defer { partitions[name] = partition }
        if let last = partition.lastAdded, last.request === request.recorded {
            partition.masks[last.slot] |= 1 << UInt64(member)
            return last.slot
        }
        let slot = partition.index.add(query)
        if slot == partition.masks.count {
            partition.masks.append(0)
            partition.response.append(nil)
            partition.available.append(0)
            partition.generation.append(0)
        }
        partition.masks[slot] = 1 << UInt64(member)
        partition.response[slot] = request.responseHash
        partition.available[slot] = available
        partition.addedSince.append(slot)
        partition.lastAdded = (request.recorded, slot)
        partition.lists?.added(slot: slot, vector: query, index: partition.index)
        return slot
    }

    /// Drops a member's entry; the vector goes when no member holds it.
    func remove(member: Int, partition name: String, slot: Int) {
        guard var partition = partitions.removeValue(forKey: name) else { return }
        defer { partitions[name] = partition }
        guard partition.masks[slot] & (1 << UInt64(member)) != 0 else { return }
        partition.masks[slot] &= ~(1 << UInt64(member))
        partition.generation[slot] &+= 1
        if partition.masks[slot] == 0 {
            partition.index.remove(slot)
            partition.lists?.removed(slot: slot)
            partition.addedSince.removeAll { $0 == slot }
            if partition.lastAdded?.slot == slot { partition.lastAdded = nil }
        }
    }

    /// Best candidate per query and member over the partition's current entries: entries in
    /// blocks of 64, every query against a block while it is in cache; queries split over two threads.
    private func blockedBest(in partition: Partition, queries: [(ObjectIdentifier, [Float], Int64)]) -> [[Candidate?]] {
        let members = self.members
        let slots = partition.masks.count
        // Vectors are unit length, so the bound holds; the margin covers float rounding in the partial sums.
        let pruning = partition.index.prefix > 0 && pruneBelow > -1
        let cut = pruneBelow - 1e-4
        let halves = queries.count >= 64 && slots >= 256 ? 2 : 1
        let results = ResultsBox(Array(repeating: [], count: halves))
        let shared = UncheckedBox((partition, queries))
        let body: @Sendable (Int) -> Void = { half in
            let (partition, queries) = shared.value
            let lower = half * queries.count / halves, upper = (half + 1) * queries.count / halves
            let (bestScore, bestSlot) = Self.scanBlocks(partition, queries: queries[lower..<upper], members: members,
                                                        cut: pruning ? cut : nil)
            let best: [[Candidate?]] = (0..<(upper - lower)).map { q in
                (0..<members).map { m in
                    let slot = bestSlot[q * members + m]
                    return slot < 0 ? nil : Candidate(slot: slot, score: bestScore[q * members + m], generation: partition.generation[slot])
                }
            }
            results.set(half, best)
        }
        if halves == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: halves, execute: body) }
        return results.values.flatMap { $0 }
    }
}

extension SemanticHub {
    /// The running best score and slot per (query, member), flat, over every entry of the partition: entries in blocks
    /// of 64, four queries at a time against a block while it is in cache. With a `cut`, one SIMD pass computes the
    /// prefix bound for the four queries and 64 entries and only entries whose bound reaches the cut are scored in full.
    /// Nothing is allocated per block: the queries are copied once into one flat array.
    fileprivate static func scanBlocks(_ partition: Partition, queries: ArraySlice<(ObjectIdentifier, [Float], Int64)>,
                                       members: Int, cut: Float?) -> (score: [Float], slot: [Int]) {
        let count = queries.count, slots = partition.masks.count, dimension = partition.index.dimension
        var bestScore = [Float](repeating: -.infinity, count: count * members)
        var bestSlot = [Int](repeating: -1, count: count * members)
        var flat = [Float]()
        flat.reserveCapacity(count * dimension)
        for query in queries { flat.append(contentsOf: query.1) }
        let queryTails = cut == nil ? [] : queries.map { partition.index.tailNorm($0.1) }
        let nows = queries.map(\.2)
        var masks = [UInt16](repeating: 0, count: 16)
        var fourTails = [Float](repeating: 0, count: 4)
        partition.index.withRaw { raw in
            flat.withUnsafeBufferPointer { flat in
                let q = { (index: Int) in flat.baseAddress! + index * dimension }
                for blockStart in stride(from: 0, to: slots, by: 64) {
                    let blockEnd = min(slots, blockStart + 64), groups = (blockEnd - blockStart + 15) / 16
                    var first = 0
                    while first < count {
                        // A short tail repeats the last query in the bound pass; only real queries are scanned.
                        let last = count - 1
                        if let cut {
                            for k in 0..<4 { fourTails[k] = queryTails[min(first + k, last)] }
                            raw.prefixBounds4(q(first), q(min(first + 1, last)), q(min(first + 2, last)), q(min(first + 3, last)),
                                              queryTails: fourTails, from: blockStart, count: blockEnd - blockStart, cut: cut,
                                              into: &masks)
                        }
                        for k in 0..<min(4, count - first) {
                            let index = first + k, now = nows[index], row = index * members
                            for g in 0..<groups {
                                var bits = cut == nil ? UInt32(0xFFFF) : UInt32(masks[k * groups + g])
                                while bits != 0 {
                                    let slot = blockStart + g * 16 + bits.trailingZeroBitCount
                                    bits &= bits - 1
                                    guard slot < blockEnd, raw.isLive(slot), partition.available[slot] <= now else { continue }
                                    let score = raw.score(q(index), slot: slot)
                                    var mask = partition.masks[slot]
                                    while mask != 0 {
                                        let cell = row + mask.trailingZeroBitCount
                                        mask &= mask - 1
                                        if score > bestScore[cell] {
                                            bestScore[cell] = score
                                            bestSlot[cell] = slot
                                        }
                                    }
                                }
                            }
                        }
                        first += 4
                    }
                }
            }
        }
        return (bestScore, bestSlot)
    }
}

/// Per-half results written by the scan threads.
final class ResultsBox: @unchecked Sendable {
    private(set) var values: [[[SemanticHub.Candidate?]]]
    private let lock = NSLock()
    init(_ values: [[[SemanticHub.Candidate?]]]) { self.values = values }
    func set(_ half: Int, _ value: [[SemanticHub.Candidate?]]) {
        lock.lock()
        values[half] = value
        lock.unlock()
    }
}
