/// Approximate nearest-neighbour search for the semantic cache: an inverted-file (IVF) index over the slots of a
/// ``VectorIndex``.
///
/// The cached vectors are clustered by spherical k-means into about √n lists; a lookup scores the list centroids and
/// scans only the `probes` best lists, so it reads about (1 + probes)·√n vectors instead of n. IVF was chosen over HNSW
/// (docs/embeddings.md, "Approximate search") because a replay's cache is mutable (entries expire and are evicted
/// constantly) and must be deterministic: removing an entry from a list is O(1) and exact, while an HNSW graph degrades
/// under deletion and its build order makes results depend on insertion details. Training is deterministic: it runs
/// when the live count reaches `trainAt` and again at every doubling, on an evenly strided sample, from evenly spaced
/// initial centroids, so the same sequence of inserts and removals always gives the same lists.
struct InvertedLists: Sendable {
    /// The scenario's settings (docs/scenarios.md, `semantic_cache`).
    struct Settings: Sendable, Hashable {
        /// Lists at each training; 0 chooses √n (at least 16).
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
    private var trainedAt = 0

    init(settings: Settings) { self.settings = settings }

    var isTrained: Bool { listCount > 0 }

    /// Records a slot just filled in `index`; trains or retrains when the live count reaches the next mark.
    mutating func added(slot: Int, vector: [Float], index: VectorIndex) {
        if listOf.count <= slot {
            listOf.append(contentsOf: repeatElement(-1, count: slot + 1 - listOf.count))
            position.append(contentsOf: repeatElement(-1, count: slot + 1 - position.count))
        }
        if index.count >= max(settings.trainAt, 2 * trainedAt) {
            train(index)
        } else if isTrained {
            assign(slot, to: nearestLists(vector, count: 1)[0])
        }
    }

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

    /// Spherical k-means on a strided sample of the live vectors, then every live slot assigned to its nearest centroid.
    private mutating func train(_ index: VectorIndex) {
        let live = (0..<listOf.count).filter { index.isLive($0) }
        trainedAt = live.count
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
