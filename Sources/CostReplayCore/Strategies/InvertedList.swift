/// One list of an ``InvertedLists`` index: its slots and, for the pruning bound, a copy of their first `prefix`
/// components and their tail norms, laid out so that a scan reads only memory the list owns.
///
/// The prefixes are transposed in groups of 16 members (group g, component i, lane l at `(g * prefix + i) * 16 + l`)
/// and the tail norms padded to whole groups, so the bound for 16 members is one SIMD pass with no horizontal sums
/// (the layout ``VectorIndex`` uses for its own pruning pass). Reading each member's prefix from the index's row-major
/// storage instead cost a cache miss per member, and that was most of an approximate lookup (docs/performance.md).
struct InvertedList: Sendable {
    private(set) var slots: [Int32] = []
    private var columns: [Float] = []
    private var tails: [Float] = []

    var count: Int { slots.count }

    /// Appends a slot with its vector (only the first `prefix` components are kept) and the norm of the rest.
    mutating func append(_ slot: Int, vector: [Float], tail: Float, prefix: Int) {
        let lane = slots.count % 16
        slots.append(Int32(slot))
        guard prefix > 0 else { return }
        if lane == 0 {
            columns.append(contentsOf: repeatElement(0, count: prefix * 16))
            tails.append(contentsOf: repeatElement(0, count: 16))
        }
        let base = (slots.count - 1) / 16 * prefix * 16 + lane
        for i in 0..<prefix { columns[base + i * 16] = vector[i] }
        tails[slots.count - 1] = tail
    }

    /// Removes the member at `position` by moving the last member into its place; returns the moved slot, if any.
    mutating func remove(at position: Int, prefix: Int) -> Int? {
        let last = slots.count - 1
        var moved: Int?
        if position != last {
            slots[position] = slots[last]
            moved = Int(slots[last])
            if prefix > 0 {
                let from = last / 16 * prefix * 16 + last % 16, to = position / 16 * prefix * 16 + position % 16
                for i in 0..<prefix { columns[to + i * 16] = columns[from + i * 16] }
                tails[position] = tails[last]
            }
        }
        slots.removeLast()
        if prefix > 0, slots.count % 16 == 0 {
            columns.removeLast(prefix * 16)
            tails.removeLast(16)
        }
        return moved
    }

    /// Calls `body(slot)` for every member whose bound q[..<p]·x[..<p] + ‖q[p...]‖‖x[p...]‖ reaches `cut`, in list
    /// order. `query` must have at least `prefix` components.
    func survivors(_ query: [Float], prefix p: Int, queryTail: Float, cut: Float, _ body: (Int) -> Void) {
        let count = slots.count
        columns.withUnsafeBytes { columns in
            tails.withUnsafeBytes { tails in
                query.withUnsafeBufferPointer { q in
                    for group in 0..<(count + 15) / 16 {
                        var sums = SIMD16<Float>()
                        let base = group * p * 16 * 4
                        for i in 0..<p {
                            sums += columns.loadUnaligned(fromByteOffset: base + i * 64, as: SIMD16<Float>.self) * q[i]
                        }
                        let bound = sums + tails.loadUnaligned(fromByteOffset: group * 64, as: SIMD16<Float>.self) * queryTail
                        var passing = bound .>= SIMD16(repeating: cut)
                        let valid = count - group * 16
                        if valid < 16 { passing = passing .& (SIMD16<Int32>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) .< Int32(valid)) }
                        guard any(passing) else { continue }
                        for lane in 0..<min(16, valid) where passing[lane] { body(Int(slots[group * 16 + lane])) }
                    }
                }
            }
        }
    }
}
