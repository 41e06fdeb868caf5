import CostReplayCore
import Foundation

/// The one thread that writes the store: takes queued export requests, stores their spans through
/// ``OTLPDecoder``, commits, and only then answers them (group commit: one transaction per batch of requests).
///
/// Requests are numbered across runs (the number is the source's cursor, committed with the spans), so a
/// rejected span is kept as `otlp-http:<address>`, request N, item K.
final class ExportWriter: @unchecked Sendable {
    let queue: ExportQueue
    let ingestor: Ingestor
    let source: String
    var requests: Int
    /// Requests per transaction at most.
    let batchLimit = 64
    private let finished = DispatchSemaphore(value: 0)

    init(queue: ExportQueue, store: TraceStore, source: String) throws {
        self.queue = queue
        self.source = source
        ingestor = try Ingestor(store: store, options: IngestOptions())
        ingestor.beginLive(source: source)
        requests = try store.cursor(source: source).flatMap { Int($0) } ?? 0
    }

    func start() {
        let thread = Thread { [self] in
            while let batch = queue.take(limit: batchLimit) { write(batch) }
            finished.signal()
        }
        thread.name = "costreplay-store"
        thread.start()
    }

    /// Waits until the queue is closed and every queued request is answered.
    func waitUntilDrained() { finished.wait() }

    func write(_ batch: [ExportJob]) {
        var outcomes: [ExportOutcome] = []
        do {
            for job in batch {
                let before = ingestor.liveCounts(source: source).rejected
                requests += 1
                var decoder = OTLPDecoder()
                try job.request.json.withUnsafeBytes { bytes in
                    try ingestor.ingestLive(json: bytes, source: source, row: requests, decoder: &decoder)
                }
                outcomes.append(ExportOutcome(rejectedSpans: ingestor.liveCounts(source: source).rejected - before))
            }
            try ingestor.commitLive(source: source, position: String(requests))
        } catch {
            for job in batch { job.complete(.failure(error)) }
            return
        }
        for (job, outcome) in zip(batch, outcomes) { job.complete(.success(outcome)) }
    }

    /// Records the source's counts; call after the queue is drained.
    func finish() throws -> IngestSummary { try ingestor.finishLive(source: source, format: .otlp) }
}
