import CVectorKernels

/// Exact nearest-neighbour search by dot product over unit vectors (cosine similarity), with
/// slots that can be removed and reused.
///
/// A flat scan: exact by construction (recall 1.0), SIMD-vectorised, and fast enough for caches of
/// up to about 10⁵ live entries per scope (docs/performance.md).
///
/// For pruning, each slot also keeps the norm of its components past ``prefix`` (the first sixth,
/// in whole 16-lane steps): for unit vectors q·x ≤ q[..<p]·x[..<p] + ‖q[p...]‖‖x[p...]‖ (Cauchy–Schwarz), so a
/// scan that only needs scores above a cut can skip most entries after a sixth of the work.
///
/// With ``VectorPrecision/float16`` the rows are kept as float16 (half the memory): a vector is rounded once when
/// added, and every score, tail norm and prefix column is of the rounded vector, so the bound stays exact for what is
/// stored (Cauchy–Schwarz needs no unit length) and pruning never drops an entry the full score would count.
public struct VectorIndex: Sendable {
    public let dimension: Int
    /// Components in the pruning prefix; 0 turns pruning off (vectors shorter than 64).
    public let prefix: Int
    /// How rows are stored; queries stay float32.
    public let precision: VectorPrecision
    /// Rows in float32 (empty in float16 mode).
    private var storage: [Float] = []
    /// Rows as float16 bit patterns (empty in float32 mode).
    private var halves: [UInt16] = []
    private var tails: [Float] = []
    /// The first ``prefix`` components again, transposed in groups of 16 slots (group g, component i, lane l at
    /// `(g * prefix + i) * 16 + l`), so the pruning pass multiplies 16 slots at once with no horizontal sums.
    private var prefixColumns: [Float] = []
    private var live: [Bool] = []
    private var freeSlots: [Int] = []
    public private(set) var count = 0

    public init(dimension: Int, precision: VectorPrecision = .float32) {
        self.dimension = dimension
        self.precision = precision
        // A sixth of the components: for unrelated 384-d unit vectors the bound then exceeds 0.9 for about 0.1% of pairs.
        prefix = dimension >= 96 ? dimension / 6 / 16 * 16 : 0
    }

    private mutating func writeColumns(_ vector: [Float], slot: Int) {
        guard prefix > 0 else { return }
        let group = slot / 16
        if prefixColumns.count < (group + 1) * prefix * 16 {
            Self.makeRoom(in: &prefixColumns, for: (group + 1) * prefix * 16 - prefixColumns.count)
            prefixColumns.append(contentsOf: repeatElement(0, count: (group + 1) * prefix * 16 - prefixColumns.count))
        }
        for i in 0..<prefix { prefixColumns[(group * prefix + i) * 16 + slot % 16] = vector[i] }
    }

    /// Read-only views of the index's arrays for a blocked scan that must not allocate or copy per block; the views
    /// are valid only inside `body`.
    public func withRaw<R>(_ body: (Raw) -> R) -> R {
        storage.withUnsafeBufferPointer { rows in
            halves.withUnsafeBufferPointer { halves in
                prefixColumns.withUnsafeBufferPointer { columns in
                    tails.withUnsafeBufferPointer { tails in
                        live.withUnsafeBufferPointer { live in
                            body(Raw(rows: rows, halves: halves, columns: columns, tails: tails, live: live, dimension: dimension,
                                     prefix: prefix))
                        }
                    }
                }
            }
        }
    }

    /// The index's storage seen through pointers (``withRaw(_:)``).
    public struct Raw {
        let rows: UnsafeBufferPointer<Float>
        let halves: UnsafeBufferPointer<UInt16>
        let columns: UnsafeBufferPointer<Float>
        let tails: UnsafeBufferPointer<Float>
        let live: UnsafeBufferPointer<Bool>
        public let dimension: Int
        public let prefix: Int

        public func isLive(_ slot: Int) -> Bool { live[slot] }

        /// The full score of `query` (``dimension`` floats) against a slot, as ``VectorIndex/score(_:slot:)`` computes it.
        public func score(_ query: UnsafePointer<Float>, slot: Int) -> Float {
            halves.isEmpty ? crk_dot(query, rows.baseAddress! + slot * dimension, dimension)
                : crk_dot_f16(query, halves.baseAddress! + slot * dimension, dimension)
        }

        /// The pruning bound of four queries (each at least ``prefix`` floats, with their tail norms in `queryTails[0…3]`)
        /// against the `count` slots from `start` (a multiple of 16): bit l of `masks[k * groups + g]`, with
        /// `groups = (count + 15) / 16`, is set when q_k[..<p]·x[..<p] + ‖q_k[p...]‖‖x[p...]‖ ≥ `cut` for slot
        /// `start + 16g + l`. Dead slots are not excluded. Needs ``prefix`` > 0.
        public func prefixBounds4(_ q0: UnsafePointer<Float>, _ q1: UnsafePointer<Float>, _ q2: UnsafePointer<Float>,
                                  _ q3: UnsafePointer<Float>, queryTails: UnsafePointer<Float>, from start: Int, count: Int,
                                  cut: Float, into masks: UnsafeMutablePointer<UInt16>) {
            precondition(prefix > 0 && start % 16 == 0 && start + count <= tails.count)
            crk_prefix_bound4(columns.baseAddress! + start * prefix, tails.baseAddress! + start, count, prefix,
                              q0, q1, q2, q3, queryTails, cut, masks)
        }
    }

    /// The norm of `vector[prefix...]`.
    public func tailNorm(_ vector: [Float]) -> Float {
        var sum: Float = 0
        for i in prefix..<vector.count { sum += vector[i] * vector[i] }
        return sum.squareRoot()
    }

    public func tailNorm(slot: Int) -> Float { tails[slot] }

    /// Adds a vector; returns its slot.
    @discardableResult
    public mutating func add(_ vector: [Float]) -> Int {
        precondition(vector.count == dimension)
        guard precision == .float32 else { return addHalf(vector) }
        if let slot = freeSlots.popLast() {
            storage.replaceSubrange(slot * dimension..<(slot + 1) * dimension, with: vector)
            tails[slot] = tailNorm(vector)
            writeColumns(vector, slot: slot)
            live[slot] = true
            count += 1
            return slot
        }
        Self.makeRoom(in: &storage, for: dimension)
        storage.append(contentsOf: vector)
        tails.append(tailNorm(vector))
        live.append(true)
        count += 1
        writeColumns(vector, slot: live.count - 1)
        return live.count - 1
    }

    /// Grows a row array by a quarter when full instead of letting `append` double it: at 10⁷ rows a doubling asks
    /// for 13 GB while the old 6.6 GB copy is still held (measured: the allocation failed under an 18 GB limit).
    private static func makeRoom<T>(in array: inout [T], for extra: Int) {
        guard array.count + extra > array.capacity, array.capacity >= 1 << 20 else { return }
        array.reserveCapacity(max(array.count + extra, array.capacity + array.capacity / 4))
    }

    /// ``add(_:)`` in float16: the vector is rounded once and everything derived from it (tail norm, prefix columns)
    /// is of the rounded vector.
    private mutating func addHalf(_ vector: [Float]) -> Int {
        let bits = vector.map { Float16($0).bitPattern }
        let rounded = bits.map { Float(Float16(bitPattern: $0)) }
        let slot: Int
        if let reused = freeSlots.popLast() {
            slot = reused
            halves.replaceSubrange(slot * dimension..<(slot + 1) * dimension, with: bits)
            tails[slot] = tailNorm(rounded)
            live[slot] = true
        } else {
            slot = live.count
            Self.makeRoom(in: &halves, for: dimension)
            halves.append(contentsOf: bits)
            tails.append(tailNorm(rounded))
            live.append(true)
        }
        count += 1
        writeColumns(rounded, slot: slot)
        return slot
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
        scan(query, slots: 0..<live.count) { slot, score in
            if best == nil || score > best!.1, !exclude(slot) { best = (slot, score) }
        }
        return best
    }

    /// Calls `body(slot, score)` for every live slot in `range`.
    public func scan(_ query: [Float], slots range: Range<Int>, _ body: (Int, Float) -> Void) {
        withRaw { raw in
            query.withUnsafeBufferPointer { q in
                for slot in range where live[slot] { body(slot, raw.score(q.baseAddress!, slot: slot)) }
            }
        }
    }

    public func isLive(_ slot: Int) -> Bool { live[slot] }

    /// Whether some live slot that `accept` takes scores at least `threshold`: a pruned scan (the prefix bound on 16
    /// slots at a time) that stops at the first such slot. Answers "would exact search hit?" at a fraction of a full scan.
    public func anyAtLeast(_ query: [Float], threshold: Float, where accept: (Int) -> Bool) -> Bool {
        precondition(query.count == dimension)
        guard prefix > 0 else {
            var found = false
            scan(query, slots: 0..<live.count) { slot, score in if !found, score >= threshold, accept(slot) { found = true } }
            return found
        }
        let p = prefix, cut = threshold - 1e-4, queryTail = tailNorm(query)
        return prefixColumns.withUnsafeBufferPointer { columns in
            query.withUnsafeBufferPointer { q in
                let raw = UnsafeRawPointer(columns.baseAddress!)
                for group in 0..<(live.count + 15) / 16 {
                    var sums = SIMD16<Float>()
                    for i in 0..<p {
                        sums += raw.loadUnaligned(fromByteOffset: ((group * p + i) * 16) * 4, as: SIMD16<Float>.self) * q[i]
                    }
                    for lane in 0..<min(16, live.count - group * 16) {
                        let slot = group * 16 + lane
                        guard live[slot], sums[lane] + queryTail * tails[slot] >= cut, accept(slot),
                              score(query, slot: slot) >= threshold else { continue }
                        return true
                    }
                }
                return false
            }
        }
    }

    /// The stored vector of a slot.
    public func vector(slot: Int) -> [Float] {
        let rows = slot * dimension..<(slot + 1) * dimension
        return precision == .float32 ? Array(storage[rows]) : halves[rows].map { Float(Float16(bitPattern: $0)) }
    }

    /// The score of one slot.
    public func score(_ query: [Float], slot: Int) -> Float {
        withRaw { raw in query.withUnsafeBufferPointer { raw.score($0.baseAddress!, slot: slot) } }
    }

    /// Scores of consecutive slots (live or not) into `scores[0…]`.
    public func scores(_ query: [Float], slots range: Range<Int>, into scores: inout [Float]) {
        withRaw { raw in
            query.withUnsafeBufferPointer { q in
                for slot in range { scores[slot - range.lowerBound] = raw.score(q.baseAddress!, slot: slot) }
            }
        }
    }

    /// Scores of four queries against consecutive slots: each stored vector is loaded once for
    /// all four (register blocking). `scores[k * 64 + i]` is query k against slot `range.lowerBound + i`.
    public func scores4(_ queries: [[Float]], slots range: Range<Int>, into scores: inout [Float]) {
        precondition(queries.count == 4 && range.count <= 64 && precision == .float32)
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

extension VectorIndex {
    /// The index's own dot product (same summation order as its scans), for reference implementations in tests.
    public static func dotForTesting(_ a: [Float], _ b: [Float]) -> Float { dot(a, b) }

    /// The dot product of two vectors of one length, in the index's summation order.
    static func dot(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        return a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in dot(x.baseAddress!, y.baseAddress!, a.count) } }
    }
}
