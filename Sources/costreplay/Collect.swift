import ArgumentParser
import CostReplayCollector
import CostReplayCore
import Foundation

/// `costreplay collect`: an OTLP/HTTP receiver writing spans into the store.
struct Collect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Receive OTLP/HTTP traces (POST /v1/traces) into the store until stopped.",
        discussion: """
            Protobuf and JSON bodies, gzip or not, as OpenTelemetry SDK exporters and the Collector's otlphttp \
            exporter send them. A request is answered 200 only after its spans are committed; when the store falls \
            behind, 503 with Retry-After. SIGTERM or Ctrl-C stops it cleanly. See docs/live-sources.md.

            Example:
              costreplay collect --listen 127.0.0.1:4318 --db costreplay.db
              OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 python app.py
            """)

    @Option(help: "Address and port to listen on.") var listen = "127.0.0.1:4318"
    @OptionGroup var store: StoreOptions
    @Option(parsing: .unconditional, help: "Export requests waiting for the store at most, before 503 (default 64).") var queue: Int?
    @Option(name: .customLong("summary-format"), help: "table or json.") var summaryFormat: OutputFormat = .table

    func run() throws {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
              (0...65535).contains(port) else {
            throw CommandFailure(message: "error: --listen \(listen) is not HOST:PORT")
        }
        var options = OTLPCollector.Options()
        options.host = String(listen[..<colon])
        options.port = port
        if let queue { options.queueRequests = max(1, queue) }
        let opened: TraceStore
        do { opened = try TraceStore(path: store.path) } catch { throw CommandFailure(message: "error: \(error)") }
        let summary: IngestSummary
        do {
            summary = try OTLPCollector(store: opened, options: options).run { bound in
                Console.error("listening on http://\(options.host):\(bound)/v1/traces, storing into \(store.path)")
            }
        } catch let error as CollectorError {
            throw CommandFailure(message: "error: \(error)")
        }
        try opened.createIndexes()
        Console.out(summaryFormat == .json ? try IngestSummaryRenderer.json(summary) : IngestSummaryRenderer.text(summary, db: store.path))
    }
}
