import CostReplayCore
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// `costreplay collect`: an OTLP/HTTP receiver that stores spans as they arrive.
///
/// A span is acknowledged (HTTP 200) only after the transaction holding it has committed, so a crash loses
/// nothing that was acknowledged; an exporter retries what was not. Memory is bounded by the queue between the
/// HTTP threads and the store (requests and bytes) and the body limit; past them clients are told to come back
/// (503 with `Retry-After`). SIGTERM or SIGINT stops accepting, answers every queued request, and returns.
public final class OTLPCollector {
    public struct Options: Sendable {
        public var host = "127.0.0.1"
        public var port = 4318
        /// Export requests waiting for the store at most.
        public var queueRequests = 64
        /// Bytes of OTLP JSON waiting for the store at most.
        public var queueBytes = 64 << 20
        /// Largest request body, before inflating.
        public var maxBody = 16 << 20
        public init() {}
    }

    let options: Options
    let store: TraceStore

    public init(store: TraceStore, options: Options) {
        self.store = store
        self.options = options
    }

    /// Serves until SIGTERM or SIGINT; `ready` is called with the bound port (0 in the options picks a free one).
    public func run(ready: (Int) -> Void = { _ in }) throws -> IngestSummary {
        let queue = ExportQueue(capacity: options.queueRequests, byteCapacity: options.queueBytes)
        let source = "otlp-http:\(options.host):\(options.port)"
        let writer = try ExportWriter(queue: queue, store: store, source: source)
        writer.start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let maxBody = options.maxBody
        let channel: Channel
        do {
            channel = try ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(OTLPHTTPHandler(queue: queue, maxBody: maxBody))
                    }
                }
                .bind(host: options.host, port: options.port).wait()
        } catch {
            queue.close()
            writer.waitUntilDrained()
            try? group.syncShutdownGracefully()
            throw CollectorError.cannotListen(address: "\(options.host):\(options.port)", reason: "\(error)")
        }
        ready(channel.localAddress?.port ?? options.port)
        let stop = Self.waitForSignal()
        stop.wait()
        // No new connections; requests already queued are written and answered before the loop stops.
        try? channel.close().wait()
        queue.close()
        writer.waitUntilDrained()
        try? group.syncShutdownGracefully()
        return try writer.finish()
    }

    /// A semaphore signalled on the first SIGTERM or SIGINT.
    static func waitForSignal() -> DispatchSemaphore {
        let stop = DispatchSemaphore(value: 0)
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            signalSources.append(source)
        }
        return stop
    }

    nonisolated(unsafe) static var signalSources: [DispatchSourceSignal] = []
}

public enum CollectorError: Error, CustomStringConvertible {
    case cannotListen(address: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotListen(address, reason): return "cannot listen on \(address): \(reason)"
        }
    }
}
