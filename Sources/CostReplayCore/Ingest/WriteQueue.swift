import Foundation

/// One unit of work handed from the decoding thread to the writing thread.
enum IngestItem: @unchecked Sendable {
    case decoded(DecodeOutput, SourceLocation, raw: String?, item: Int)
    case rejected(SourceLocation, RecordError, raw: String?, item: Int)
}

/// Work items in input order with the rows the decoding thread encoded for them, handed to the writing thread.
struct IngestBatch: @unchecked Sendable {
    enum Entry {
        /// A record ready to store: row `row` of ``rows``.
        case row(Int, SourceLocation, raw: String?, item: Int)
        case item(IngestItem)
    }
    var entries: [Entry] = []
    var rows = RequestRows()

    init(capacity: Int) {
        entries.reserveCapacity(capacity)
        rows.reserve(rows: capacity)
    }

    /// Forgets the work and keeps the storage, for ``Recycler``.
    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        rows.removeAll()
    }

    /// Whether its storage is no larger than a full batch needs (``Ingestor/batchSize`` records, or
    /// ``Ingestor/batchBytes``, with room to grow): one that held a giant record is freed, not kept for the rest of
    /// the file.
    var isOrdinarySize: Bool {
        entries.capacity <= 4 * Ingestor.batchSize && rows.cells.capacity <= 4 * Ingestor.batchSize * RequestRows.columnCount
            && rows.bytes.capacity <= 2 * Ingestor.batchBytes
    }
}

/// Emptied buffers handed back from a pipeline's later stage to an earlier one, so each stage reuses a few
/// allocations instead of making and freeing megabytes a batch.
///
/// A batch's arrays are larger than glibc's threshold for mapping memory, and a thread that frees them is not the
/// one that made them: each batch was mapped, faulted in page by page, zeroed and given back. A million-request
/// ingest took 73,000-110,000 page faults and 0.53-0.76 s of system time; recycled, 35,000-38,000 and 0.46-0.52 s
/// (docs/performance.md, "Session 12 (lead, main)").
final class Recycler<Item>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Item] = []
    /// Items kept at most; one given past it is freed. As many as can be in flight keeps every one.
    let limit: Int
    /// Whether an item is worth keeping (not grown far past the usual size by one large input).
    private let keeps: (Item) -> Bool

    init(limit: Int, keeps: @escaping (Item) -> Bool = { _ in true }) {
        self.limit = limit
        self.keeps = keeps
    }

    /// An emptied item, or a new one from `make` when none is kept.
    func take(orMake make: () -> Item) -> Item {
        lock.lock()
        let item = items.popLast()
        lock.unlock()
        return item ?? make()
    }

    /// Keeps an emptied item for a later ``take(orMake:)``.
    func give(_ item: Item) {
        guard keeps(item) else { return }
        lock.lock()
        defer { lock.unlock() }
        if items.count < limit { items.append(item) }
    }
}

/// A bounded queue of numbered work between threads, handed out in number order.
///
/// The pipeline is staged on purpose (reading and decoding, then SQLite's inserts; canonical JSONL may have two
/// decoding threads finishing batches out of order). Items come out by number, so the writer stores in input
/// order and duplicate detection and rejections are those of a single-threaded run. A push waits while its number
/// is `capacity` or more past the next one to pop, so the item a consumer waits for can always be pushed.
final class OrderedQueue<Item>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Int: Item] = [:]
    /// The number popped next.
    private var next = 0
    /// The number an unnumbered push gives.
    private var unnumbered = 0
    /// How many items there are, once closed.
    private var end: Int?
    private(set) var aborted = false
    let capacity: Int

    init(capacity: Int = 4) { self.capacity = capacity }

    /// Blocks while the queue is full; returns false when a consumer gave up. Without a number, items are
    /// numbered in push order.
    @discardableResult
    func push(_ item: Item, number: Int? = nil) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let number = number ?? unnumbered
        unnumbered = number + 1
        while number >= next + capacity && !aborted { condition.wait() }
        if aborted { return false }
        items[number] = item
        condition.broadcast()
        return true
    }

    /// The next item in number order with its number, or nil once it is past the last one or the queue aborted.
    func pop() -> (number: Int, item: Item)? {
        condition.lock()
        defer { condition.unlock() }
        while items[next] == nil && next < (end ?? Int.max) && !aborted { condition.wait() }
        guard !aborted, let item = items.removeValue(forKey: next) else { return nil }
        next += 1
        condition.broadcast()
        return (next - 1, item)
    }

    /// No item past `count` (by default, as many as were pushed without a number) will come.
    func close(count: Int? = nil) {
        condition.lock()
        end = count ?? unnumbered
        condition.broadcast()
        condition.unlock()
    }

    /// Called by a consumer after a failure so producers and other consumers stop.
    func abort() {
        condition.lock()
        aborted = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Runs a consumer on its own thread and waits for it.
final class WriterThread: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var failure: (any Error)?

    init(_ body: @escaping @Sendable () throws -> Void) {
        let thread = Thread { [self] in
            do { try body() } catch { self.failure = error }
            self.done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for the consumer and rethrows its error.
    func join() throws {
        done.wait()
        if let failure { throw failure }
    }
}
