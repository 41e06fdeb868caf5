import CVectorKernels

/// A fixed-capacity buffer of plain values read and written without bounds or uniqueness checks.
///
/// For the innermost loops of a capacity sweep, where a Swift array's checks on every element access (is the
/// buffer uniquely referenced, is the index in range) cost as much as the work. Its owner grows it explicitly and
/// frees it with ``deallocate()``; copies share the storage, so it stays private to one owner. Indices are checked
/// in debug builds.
struct UncheckedArray<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var capacity: Int

    init(repeating value: Element, count: Int) {
        capacity = max(count, 1)
        base = .allocate(capacity: capacity)
        base.initialize(repeating: value, count: capacity)
    }

    @inline(__always) subscript(index: Int) -> Element {
        get {
            assert(index >= 0 && index < capacity)
            return base[index]
        }
        nonmutating set {
            assert(index >= 0 && index < capacity)
            base[index] = newValue
        }
    }

    /// Asks the processor to fetch the element at `index` into the cache ahead of a read (no effect on results).
    @inline(__always) func prefetch(_ index: Int) {
        crk_prefetch(base + index)
    }

    /// Makes room for at least `count` elements, keeping the first `capacity` and filling the rest with `value`.
    mutating func reserve(_ count: Int, filling value: Element) {
        guard count > capacity else { return }
        let grown = max(count, capacity * 2)
        let buffer = UnsafeMutablePointer<Element>.allocate(capacity: grown)
        buffer.moveInitialize(from: base, count: capacity)
        (buffer + capacity).initialize(repeating: value, count: grown - capacity)
        base.deallocate()
        base = buffer
        capacity = grown
    }

    /// The first `count` elements as an array.
    func prefix(_ count: Int) -> [Element] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }

    func deallocate() {
        base.deallocate()
    }
}
