import ArgumentParser
import CostReplayCore
import Foundation

/// Options of `ingest --from`: the live sources.
struct LiveSourceOptions: ParsableArguments {
    @Option(help: "Rows per request to the source (default 1000).") var pageSize: Int?
    @Option(help: "litellm-postgres: seconds before the watermark read again for late rows (default 3600).")
    var overlap: Double?
}

extension Ingest {
    /// `ingest postgres://…` and `ingest --from SOURCE`: one library call, errors mapped to exit 2.
    func runLive() throws {
        let kind = from ?? "litellm-postgres"
        let opened: TraceStore
        do { opened = try TraceStore(path: store.path) } catch { throw CommandFailure(message: "error: \(error)") }
        let ingestor = try Ingestor(store: opened, options: IngestOptions())
        let summary: IngestSummary
        do {
            switch kind {
            case "litellm-postgres": summary = try litellmPostgres(store: opened, ingestor: ingestor)
            default:
                throw CommandFailure(message: "error: unknown source --from \(kind); sources: litellm-postgres")
            }
        } catch let error as LiveSourceError {
            throw CommandFailure(message: "error: \(error)")
        }
        try opened.createIndexes()
        Console.out(summaryFormat == .json ? try IngestSummaryRenderer.json(summary) : IngestSummaryRenderer.text(summary, db: store.path))
        if strict && summary.totals.rejected > 0 {
            throw CommandFailure(message: "error: \(summary.totals.rejected) records rejected (--strict)", code: 1)
        }
    }

    func litellmPostgres(store opened: TraceStore, ingestor: Ingestor) throws -> IngestSummary {
        guard files.count == 1, let url = files.first else {
            throw CommandFailure(message: "error: --from litellm-postgres takes one postgres:// URL")
        }
        if PostgresURL.hasPassword(url) {
            Console.error("warning: the URL holds a password, which others can see in the process list; use PGPASSWORD or ~/.pgpass")
        }
        var source = LiteLLMPostgresSource(url: url)
        if let pageSize = live.pageSize { source.pageSize = max(1, pageSize) }
        if let overlap = live.overlap { source.overlapSeconds = max(0, overlap) }
        return try source.run(store: opened, ingestor: ingestor)
    }
}
