import CVectorKernels

/// Exact nearest-neighbour search by dot product over unit vectors (cosine similarity), with
/// slots that can be removed and reused.
///
/// A flat scan: exact by construction (recall 1.0), SIMD-vectorised, and fast enough for caches of
/// up to about 10⁵ live entries per scope (docs/performance.md).
public struct VectorIndex: Sendable {
    public let dimension: Int
    private var storage: [Float] = []
    private var live: [Bool] = []
    private var freeSlots: [Int] = []
    public private(set) var count = 0

    public init(dimension: Int) { self.dimension = dimension }

    /// Adds a vector; returns its slot.
    @discardableResult
    public mutating func add(_ vector: [Float]) -> Int {
        precondition(vector.count == dimension)
        if let slot = freeSlots.popLast() {
            storage.replaceSubrange(slot * dimension..<(slot + 1) * dimension, with: vector)
            live[slot] = true
            count += 1
            return slot
        }
        storage.append(contentsOf: vector)
        live.append(true)
        count += 1
        return live.count - 1
    }

    public mutating func remove(_ slot: Int) {
        guard slot < live.count, live[slot] else { return }
        live[slot] = false
        freeSlots.append(slot)
        count -= 1
    }

    /// The live slot with the highest dot product, skipping slots `exclude` rejects.
    public func nearest(_ query: [Float], exclude: (Int) -> Bool = { _ in false }) -> (slot: Int, score: Float)? {
        precondition(query.count == dimension)
        var best: (Int, Float)?
        storage.withUnsafeBufferPointer { rows in
            query.withUnsafeBufferPointer { q in
                for slot in 0..<live.count where live[slot] {
                    let score = Self.dot(q.baseAddress!, rows.baseAddress! + slot * dimension, dimension)
                    if best == nil || score > best!.1, !exclude(slot) { best = (slot, score) }
                }
            }
        }
        return best
    }

    /// Calls `body(slot, score)` for every live slot in `range`.
    public func scan(_ query: [Float], slots range: Range<Int>, _ body: (Int, Float) -> Void) {
        storage.withUnsafeBufferPointer { rows in
            query.withUnsafeBufferPointer { q in
                for slot in range where live[slot] {
                    body(slot, Self.dot(q.baseAddress!, rows.baseAddress! + slot * dimension, dimension))
                }
            }
        }
    }

    public func isLive(_ slot: Int) -> Bool { live[slot] }

    /// The score of one slot.
    public func score(_ query: [Float], slot: Int) -> Float {
        storage.withUnsafeBufferPointer { rows in
            query.withUnsafeBufferPointer { Self.dot($0.baseAddress!, rows.baseAddress! + slot * dimension, dimension) }
        }
    }

    /// Scores of consecutive slots (live or not) into `scores[0…]`.
    public func scores(_ query: [Float], slots range: Range<Int>, into scores: inout [Float]) {
        storage.withUnsafeBufferPointer { rows in
            query.withUnsafeBufferPointer { q in
                for slot in range {
                    scores[slot - range.lowerBound] = Self.dot(q.baseAddress!, rows.baseAddress! + slot * dimension, dimension)
                }
            }
        }
    }

    /// Scores of four queries against consecutive slots: each stored vector is loaded once for
    /// all four (register blocking). `scores[k * 64 + i]` is query k against slot `range.lowerBound + i`.
    public func scores4(_ queries: [[Float]], slots range: Range<Int>, into scores: inout [Float]) {
        precondition(queries.count == 4 && range.count <= 64)
        let n = dimension
        storage.withUnsafeBufferPointer { rows in
            queries[0].withUnsafeBufferPointer { q0 in
            queries[1].withUnsafeBufferPointer { q1 in
            queries[2].withUnsafeBufferPointer { q2 in
            queries[3].withUnsafeBufferPointer { q3 in
                var four: (Float, Float, Float, Float) = (0, 0, 0, 0)
                for slot in range {
                    withUnsafeMutableBytes(of: &four) { out in
                        crk_dot4(rows.baseAddress! + slot * n, q0.baseAddress!, q1.baseAddress!, q2.baseAddress!, q3.baseAddress!,
                                 n, out.baseAddress!.assumingMemoryBound(to: Float.self))
                    }
                    let k = slot - range.lowerBound
                    scores[k] = four.0; scores[64 + k] = four.1; scores[128 + k] = four.2; scores[192 + k] = four.3
                }
            }}}}
        }
    }

    /// The dot product over `n` floats; the kernel picks AVX at run time and gives the same result on every processor.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        crk_dot(a, b, n)
    }
}
