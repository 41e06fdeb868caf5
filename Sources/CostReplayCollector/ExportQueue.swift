import Foundation

/// What the store said about one export request once it committed.
struct ExportOutcome: Sendable {
    /// Spans rejected by the decoder (kept in the store's rejects with the request number and the reason).
    var rejectedSpans: Int
}

/// An export request waiting for the store, with where to send the answer.
struct ExportJob: Sendable {
    var request: ExportRequest
    var complete: @Sendable (Result<ExportOutcome, Error>) -> Void
}

/// The bounded queue between the HTTP threads and the one thread that writes the store.
///
/// Bounded in requests and in bytes: when either is full, `offer` says no and the request is answered 503 with
/// `Retry-After` (OTLP/HTTP's back-pressure), so memory stays bounded however fast clients send.
final class ExportQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [ExportJob] = []
    private var bytes = 0
    private var closed = false
    let capacity: Int
    let byteCapacity: Int

    init(capacity: Int, byteCapacity: Int) {
        self.capacity = capacity
        self.byteCapacity = byteCapacity
    }

    /// Queues the job unless the queue is full or closed.
    func offer(_ job: ExportJob) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let size = job.request.json.count
        guard !closed, jobs.count < capacity, jobs.isEmpty || bytes + size <= byteCapacity else { return false }
        jobs.append(job)
        bytes += size
        condition.signal()
        return true
    }

    /// Up to `limit` jobs, waiting for at least one; nil once closed and drained.
    func take(limit: Int) -> [ExportJob]? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty && !closed { condition.wait() }
        if jobs.isEmpty { return nil }
        let batch = Array(jobs.prefix(limit))
        jobs.removeFirst(batch.count)
        bytes -= batch.reduce(0) { $0 + $1.request.json.count }
        return batch
    }

    /// Refuses new jobs; those queued are still taken.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    var depth: Int {
        condition.lock()
        defer { condition.unlock() }
        return jobs.count
    }
}
