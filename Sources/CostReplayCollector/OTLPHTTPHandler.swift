import Foundation
import NIOCore
import NIOHTTP1
import SwiftProtobuf

/// One HTTP/1.1 connection of the receiver: gathers a `POST /v1/traces` body, turns it into an ``ExportRequest``
/// on the event loop, queues it for the store and answers once the store has committed it.
///
/// Answers follow OTLP/HTTP: 200 with an `ExportTraceServiceResponse` in the request's encoding (its
/// `partial_success` counts spans the decoder rejected); 400 for a body that cannot be read (not retryable);
/// 413 past the size limit; 503 with `Retry-After` when the queue is full or the receiver is stopping.
final class OTLPHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let queue: ExportQueue
    let maxBody: Int
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var tooLarge = false

    init(queue: ExportQueue, maxBody: Int) {
        self.queue = queue
        self.maxBody = maxBody
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(request):
            head = request
            body.removeAll(keepingCapacity: true)
            tooLarge = false
        case var .body(buffer):
            guard !tooLarge else { return }
            if body.count + buffer.readableBytes > maxBody {
                tooLarge = true
                body = []
                return
            }
            body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        case .end:
            guard let request = head else { return }
            head = nil
            handle(request, context: context)
        }
    }

    func handle(_ request: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = request.uri.split(separator: "?").first.map(String.init) ?? request.uri
        guard path == "/v1/traces" else { return respond(context, request, status: .notFound, text: "only /v1/traces is served") }
        guard request.method == .POST else { return respond(context, request, status: .methodNotAllowed, text: "POST only") }
        if tooLarge { return respond(context, request, status: .payloadTooLarge, text: "the body is over \(maxBody >> 20) MiB") }
        let export: ExportRequest
        do throws(ExportRequest.Refusal) {
            export = try ExportRequest(body: body, contentType: request.headers.first(name: "content-type"),
                                       contentEncoding: request.headers.first(name: "content-encoding"))
        } catch {
            return respond(context, request, status: HTTPResponseStatus(statusCode: error.status), text: error.message)
        }
        body = []
        let loop = context.eventLoop
        let promise = loop.makePromise(of: ExportOutcome.self)
        let job = ExportJob(request: export) { result in promise.completeWith(result) }
        guard queue.offer(job) else {
            promise.fail(QueueFull())
            return respond(context, request, status: .serviceUnavailable, text: "the store is behind; retry", retryAfter: 1)
        }
        let encoding = export.encoding
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        promise.futureResult.whenComplete { result in
            let (handler, context) = bound.value
            switch result {
            case let .success(outcome):
                handler.respond(context, request, status: .ok, body: Self.response(outcome, encoding),
                                contentType: encoding == .json ? "application/json" : "application/x-protobuf")
            case let .failure(error):
                handler.respond(context, request, status: .serviceUnavailable, text: "the store failed: \(error)", retryAfter: 5)
            }
        }
    }

    /// `ExportTraceServiceResponse`, with `partial_success` only when spans were rejected.
    static func response(_ outcome: ExportOutcome, _ encoding: ExportRequest.Encoding) -> [UInt8] {
        var message = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse()
        if outcome.rejectedSpans > 0 {
            message.partialSuccess.rejectedSpans = Int64(outcome.rejectedSpans)
            message.partialSuccess.errorMessage = "spans rejected; see `costreplay rejects`"
        }
        switch encoding {
        case .json: return (try? message.jsonUTF8Bytes()) ?? Array("{}".utf8)
        case .protobuf: return (try? message.serializedBytes()) ?? []
        }
    }

    func respond(_ context: ChannelHandlerContext, _ request: HTTPRequestHead, status: HTTPResponseStatus, text: String,
                 retryAfter: Int? = nil) {
        respond(context, request, status: status, body: Array((text + "\n").utf8), contentType: "text/plain; charset=utf-8",
                retryAfter: retryAfter)
    }

    func respond(_ context: ChannelHandlerContext, _ request: HTTPRequestHead, status: HTTPResponseStatus, body: [UInt8],
                 contentType: String, retryAfter: Int? = nil) {
        var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", String(body.count))])
        if let retryAfter { headers.add(name: "Retry-After", value: String(retryAfter)) }
        let keepAlive = request.isKeepAlive && status != .payloadTooLarge
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))),
                      promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: body.count)
        buffer.writeBytes(body)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let done = context.writeAndFlushPromise()
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: done)
        if !keepAlive { done.futureResult.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) } }
    }
}

/// The queue refused a request; it is answered 503 at once.
struct QueueFull: Error {}

private extension ChannelHandlerContext {
    func writeAndFlushPromise() -> EventLoopPromise<Void> { eventLoop.makePromise() }
}
