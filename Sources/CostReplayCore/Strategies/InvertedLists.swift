/// Approximate nearest-neighbour search for the semantic cache: an inverted-file (IVF) index over the slots of a
/// ``VectorIndex``.
///
/// The cached vectors are clustered by spherical k-means into about √n lists; a lookup scores the list centroids and
/// scans only the `probes` best lists, so it reads about (1 + probes)·√n vectors instead of n. IVF was chosen over HNSW
/// (docs/embeddings.md, "Approximate search") because a replay's cache is mutable (entries expire and are evicted
/// constantly) and must be deterministic: removing an entry from a list is O(1) and exact, while an HNSW graph degrades
/// under deletion and its build order makes results depend on insertion details.
///
/// Training runs once, when the live count reaches `trainAt`: spherical k-means on an evenly strided sample from evenly
/// spaced initial centroids. Later entries join their nearest list, and a list that grows past 1.5·√n (n live entries)
/// is split in two by a 2-means of its own members, so the number of lists follows √n as the cache grows without ever
/// re-clustering the whole cache (re-training at every doubling made the 100,000-query benchmark slower than exact
/// search). Everything is deterministic: the same sequence of inserts and removals always gives the same lists.
struct InvertedLists: Sendable {
    /// The scenario's settings (docs/scenarios.md, `semantic_cache`).
    struct Settings: Sendable, Hashable {
        /// Lists at the training; 0 chooses √n (at least 16). Lists split as the cache grows.
        var lists: Int
        var probes: Int
        var trainAt: Int
    }

    let settings: Settings
    private(set) var centroids: [Float] = []
    private(set) var listCount = 0
    private var members: [InvertedList] = []
    /// The index's pruning prefix (0: no pruning), fixed at training.
    private var prefix = 0
    /// Per slot: its list (-1 when unassigned) and position in that list, for O(1) removal.
    private var listOf: [Int32] = []
    private var position: [Int32] = []
    /// Lists split so far (for tests and benchmarks).
    private(set) var splits = 0

    init(settings: Settings) { self.settings = settings }

    var isTrained: Bool { listCount > 0 }

    /// Records a slot just filled in `index`: trains when the live count reaches `trainAt`, afterwards assigns the
    /// slot to its nearest list and splits that list when it has grown too long.
    mutating func added(slot: Int, vector: [Float], index: VectorIndex) {
        if listOf.count <= slot {
            listOf.append(contentsOf: repeatElement(-1, count: slot + 1 - listOf.count))
            position.append(contentsOf: repeatElement(-1, count: slot + 1 - position.count))
        }
        guard isTrained else {
            if index.count >= settings.trainAt { train(index) }
            return
        }
        // The list's prefix copy must be of the vector as stored (rounded in float16), like its tail norm, for the bound.
        let stored = index.precision == .float32 ? vector : index.vector(slot: slot)
        let list = nearestList(stored)
        assign(slot, vector: stored, to: list, index: index)
        if members[list].count > Self.longestList(live: index.count) { split(list, index: index) }
    }

    /// The length past which a list is split: 1.5·√n, at least 64.
    static func longestList(live: Int) -> Int { max(64, Int(1.5 * Double(live).squareRoot())) }

    /// Forgets a removed slot.
    mutating func removed(slot: Int) {
        guard slot < listOf.count, listOf[slot] >= 0 else { return }
        let list = Int(listOf[slot]), at = Int(position[slot])
        if let moved = members[list].remove(at: at, prefix: prefix) { position[moved] = Int32(at) }
        listOf[slot] = -1
        position[slot] = -1
    }

    /// The best slot `accept` takes in the `probes` lists nearest `query`, ties to the lower slot; entries whose prefix
    /// bound (``VectorIndex``) is below `cut` are skipped unscored. `queryTail` is the index's `tailNorm` of the query.
    ///
    /// Each list keeps its members' prefixes and tail norms contiguous, so the bound for 16 members is one pass over
    /// memory the list owns; only survivors read their full vector from the index.
    func nearest(_ query: [Float], queryTail: Float, cut: Float, index: VectorIndex,
                 accept: (Int) -> Bool) -> (slot: Int, score: Float)? {
        var best: (slot: Int, score: Float)?
        func consider(_ slot: Int) {
            guard accept(slot) else { return }
            let score = index.score(query, slot: slot)
            if best == nil || score > best!.score || (score == best!.score && slot < best!.slot) { best = (slot, score) }
        }
        for list in nearestLists(query, count: settings.probes) {
            if prefix == 0 {
                for slot in members[list].slots { consider(Int(slot)) }
            } else {
                members[list].survivors(query, prefix: prefix, queryTail: queryTail, cut: cut, consider)
            }
        }
        return best
    }

    /// The list whose centroid scores highest, ties to the lower list.
    func nearestList(_ query: [Float]) -> Int {
        var best = 0, bestScore = -Float.infinity
        centroids.withUnsafeBufferPointer { c in
            query.withUnsafeBufferPointer { q in
                for list in 0..<listCount {
                    let score = VectorIndex.dot(q.baseAddress!, c.baseAddress! + list * query.count, query.count)
                    if score > bestScore { (best, bestScore) = (list, score) }
                }
            }
        }
        return best
    }

    /// The `count` lists whose centroids score highest, best first, ties to the lower list.
    func nearestLists(_ query: [Float], count: Int) -> [Int] {
        let dimension = query.count
        // A running top `count`, sorted best first: most centroids fall below its last entry and cost one comparison.
        var top: [(score: Float, list: Int)] = []
        top.reserveCapacity(count + 1)
        centroids.withUnsafeBufferPointer { c in
            query.withUnsafeBufferPointer { q in
                for list in 0..<listCount {
                    let score = VectorIndex.dot(q.baseAddress!, c.baseAddress! + list * dimension, dimension)
                    if top.count == count, score <= top[count - 1].score { continue }
                    var at = top.count
                    while at > 0, top[at - 1].score < score { at -= 1 }
                    top.insert((score, list), at: at)
                    if top.count > count { top.removeLast() }
                }
            }
        }
        return top.map(\.list)
    }

    private mutating func assign(_ slot: Int, vector: [Float], to list: Int, index: VectorIndex) {
        listOf[slot] = Int32(list)
        position[slot] = Int32(members[list].count)
        members[list].append(slot, vector: vector, tail: prefix > 0 ? index.tailNorm(slot: slot) : 0, prefix: prefix)
    }

    /// Splits a list by spherical 2-means of its members, from its member farthest from the centroid and the member
    /// farthest from that one; the list keeps one half, a new list takes the other.
    private mutating func split(_ list: Int, index: VectorIndex) {
        let dimension = index.dimension
        let slots = members[list].slots.map(Int.init)
        let vectors = slots.map { index.vector(slot: $0) }
        let centroid = Array(centroids[list * dimension..<(list + 1) * dimension])
        let first = vectors.indices.min { VectorIndex.dot(vectors[$0], centroid) < VectorIndex.dot(vectors[$1], centroid) }!
        let second = vectors.indices.min { VectorIndex.dot(vectors[$0], vectors[first]) < VectorIndex.dot(vectors[$1], vectors[first]) }!
        var pair = [vectors[first], vectors[second]]
        var side = [Bool](repeating: false, count: vectors.count)
        for _ in 0..<4 {
            var sums = [[Float]](repeating: [Float](repeating: 0, count: dimension), count: 2)
            for (k, vector) in vectors.enumerated() {
                side[k] = VectorIndex.dot(vector, pair[1]) > VectorIndex.dot(vector, pair[0])
                let half = side[k] ? 1 : 0
                for i in 0..<dimension { sums[half][i] += vector[i] }
            }
            for half in 0..<2 {
                let norm = sums[half].reduce(0) { $0 + $1 * $1 }.squareRoot()
                if norm > 0 { pair[half] = sums[half].map { $0 / norm } }
            }
        }
        for (k, vector) in vectors.enumerated() { side[k] = VectorIndex.dot(vector, pair[1]) > VectorIndex.dot(vector, pair[0]) }
        // Both halves must be non-empty, or the split would only move the list.
        guard side.contains(true), side.contains(false) else { return }
        centroids.replaceSubrange(list * dimension..<(list + 1) * dimension, with: pair[0])
        centroids.append(contentsOf: pair[1])
        members[list] = InvertedList()
        members.append(InvertedList())
        listCount += 1
        splits += 1
        for (k, slot) in slots.enumerated() { assign(slot, vector: vectors[k], to: side[k] ? listCount - 1 : list, index: index) }
    }

    /// Spherical k-means on a strided sample of the live vectors, then every live slot assigned to its nearest centroid.
    private mutating func train(_ index: VectorIndex) {
        let live = (0..<listOf.count).filter { index.isLive($0) }
        let k = max(1, min(live.count, settings.lists > 0 ? settings.lists : max(16, Int(Double(live.count).squareRoot()))))
        let sampleSize = min(live.count, k * 40)
        let sample = (0..<sampleSize).map { index.vector(slot: live[$0 * live.count / sampleSize]) }
        let dimension = index.dimension
        centroids = (0..<k).flatMap { sample[$0 * sample.count / k] }
        listCount = k
        prefix = index.prefix
        for _ in 0..<8 {
            var sums = [Float](repeating: 0, count: k * dimension)
            for vector in sample {
                let list = nearestList(vector)
                for i in 0..<dimension { sums[list * dimension + i] += vector[i] }
            }
            for list in 0..<k {
                var norm: Float = 0
                for i in 0..<dimension { norm += sums[list * dimension + i] * sums[list * dimension + i] }
                // An empty list keeps its centroid.
                guard norm > 0 else { continue }
                let scale = 1 / norm.squareRoot()
                for i in 0..<dimension { centroids[list * dimension + i] = sums[list * dimension + i] * scale }
            }
        }
        members = Array(repeating: InvertedList(), count: k)
        for slot in live {
            let vector = index.vector(slot: slot)
            assign(slot, vector: vector, to: nearestList(vector), index: index)
        }
    }
}
