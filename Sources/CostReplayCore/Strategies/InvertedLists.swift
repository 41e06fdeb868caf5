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
    private var members: [[Int32]] = []
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
        let list = nearestLists(vector, count: 1)[0]
        assign(slot, to: list)
        if members[list].count > Self.longestList(live: index.count) { split(list, index: index) }
    }

    /// The length past which a list is split: 1.5·√n, at least 64.
    static func longestList(live: Int) -> Int { max(64, Int(1.5 * Double(live).squareRoot())) }

    /// Forgets a removed slot.
    mutating func removed(slot: Int) {
        guard slot < listOf.count, listOf[slot] >= 0 else { return }
        let list = Int(listOf[slot]), at = Int(position[slot])
        let last = members[list].removeLast()
        if Int(last) != slot {
            members[list][at] = last
            position[Int(last)] = Int32(at)
        }
        listOf[slot] = -1
        position[slot] = -1
    }

    /// Calls `body` for every slot in the `probes` lists nearest `query`.
    func candidates(_ query: [Float], _ body: (Int) -> Void) {
        for list in nearestLists(query, count: settings.probes) {
            for slot in members[list] { body(Int(slot)) }
        }
    }

    /// The `count` lists whose centroids score highest, ties to the lower list.
    func nearestLists(_ query: [Float], count: Int) -> [Int] {
        let dimension = query.count
        var scored: [(Float, Int)] = []
        scored.reserveCapacity(listCount)
        centroids.withUnsafeBufferPointer { c in
            query.withUnsafeBufferPointer { q in
                for list in 0..<listCount {
                    scored.append((VectorIndex.dot(q.baseAddress!, c.baseAddress! + list * dimension, dimension), list))
                }
            }
        }
        if count == 1 { return [scored.max { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 > $1.1) }!.1] }
        scored.sort { $0.0 > $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        return scored.prefix(count).map(\.1)
    }

    private mutating func assign(_ slot: Int, to list: Int) {
        listOf[slot] = Int32(list)
        position[slot] = Int32(members[list].count)
        members[list].append(Int32(slot))
    }

    /// Splits a list by spherical 2-means of its members, from its member farthest from the centroid and the member
    /// farthest from that one; the list keeps one half, a new list takes the other.
    private mutating func split(_ list: Int, index: VectorIndex) {
        let dimension = index.dimension
        let slots = members[list].map(Int.init)
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
        members[list] = []
        members.append([])
        listCount += 1
        splits += 1
        for (k, slot) in slots.enumerated() { assign(slot, to: side[k] ? listCount - 1 : list) }
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
        for _ in 0..<8 {
            var sums = [Float](repeating: 0, count: k * dimension)
            for vector in sample {
                let list = nearestLists(vector, count: 1)[0]
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
        members = Array(repeating: [], count: k)
        for slot in live { assign(slot, to: nearestLists(index.vector(slot: slot), count: 1)[0]) }
    }
}
