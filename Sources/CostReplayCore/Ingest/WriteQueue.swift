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
}

/// A bounded FIFO of item batches between the decoding thread and the store-writing thread.
///
/// Ingest is two-stage on purpose: parsing and decoding take about as long as SQLite's inserts,
/// and this machine has two cores. Order is preserved, so duplicate detection and line order are
/// the same as a single-threaded run.
final class WriteQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [IngestBatch] = []
    private var closed = false
    private(set) var aborted = false
    let capacity: Int

    init(capacity: Int = 4) { self.capacity = capacity }

    /// Blocks while the queue is full; returns false when the consumer gave up.
    @discardableResult
    func push(_ batch: IngestBatch) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !aborted { condition.wait() }
        if aborted { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    /// The next batch, or nil once the producer closed the queue and it is empty.
    func pop() -> IngestBatch? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !closed { condition.wait() }
        if batches.isEmpty { return nil }
        let batch = batches.removeFirst()
        condition.broadcast()
        return batch
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Called by the consumer after a failure so the producer stops.
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
