import ArgumentParser
import CostReplayCore
import Foundation

/// Options of `ingest --from`: the live sources.
struct LiveSourceOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Rows per request to the source (default 1000; langfuse 100, at most 1000 on v2).") var pageSize: Int?
    @Option(parsing: .unconditional, help: "Seconds before the last position read again for late records (default 3600).")
    var overlap: Double?
    @Option(help: "langfuse: the Langfuse server, e.g. https://cloud.langfuse.com (default: $LANGFUSE_HOST).")
    var host: String?
    @Option(help: "langfuse: read observations that started at or after this time (ISO 8601) on the first run.")
    var since: String?
    @Option(help: "langfuse: read observations that started before this time (ISO 8601; default now).")
    var until: String?
    @Option(parsing: .unconditional, help: "langfuse: retries of a request after HTTP 429, 5xx or a dropped connection (default 5).")
    var retries: Int?
    @Option(name: .customLong("langfuse-api"),
            help: "langfuse: the observations endpoint, v1 or v2 (default auto: v2, or v1 when the server answers v2 with 404).")
    var langfuseAPI: String?
    @Option(name: .customLong("langfuse-fields"),
            help: "langfuse: the v2 field groups to ask for (default core,basic,time,io,metadata,model,usage; without io no prompts are stored).")
    var langfuseFields: String?
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
            case "langfuse": summary = try langfuse(store: opened, ingestor: ingestor)
            default:
                throw CommandFailure(message: "error: unknown source --from \(kind); sources: litellm-postgres, langfuse")
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

extension Ingest {
    /// `ingest --from langfuse --host URL`: keys from LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY, never printed.
    func langfuse(store opened: TraceStore, ingestor: Ingestor) throws -> IngestSummary {
        let environment = ProcessInfo.processInfo.environment
        guard files.isEmpty else { throw CommandFailure(message: "error: --from langfuse reads --host, not files") }
        guard let host = live.host ?? environment["LANGFUSE_HOST"], !host.isEmpty else {
            throw CommandFailure(message: "error: --from langfuse needs --host URL (or LANGFUSE_HOST)")
        }
        guard let publicKey = environment["LANGFUSE_PUBLIC_KEY"], !publicKey.isEmpty,
              let secretKey = environment["LANGFUSE_SECRET_KEY"], !secretKey.isEmpty else {
            throw LiveSourceError.missingCredentials(
                "--from langfuse needs the project's API keys in LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY")
        }
        var source = LangfuseAPISource(host: host, publicKey: publicKey, secretKey: secretKey)
        if let pageSize = live.pageSize { source.pageSize = max(1, pageSize) }
        if let overlap = live.overlap { source.overlapSeconds = max(0, overlap) }
        if let retries = live.retries { source.retry.attempts = max(0, retries) + 1 }
        source.since = try live.since.map { try Self.instant($0, option: "--since") }
        source.until = try live.until.map { try Self.instant($0, option: "--until") }
        source.endpoint = try Self.langfuseEndpoint(live.langfuseAPI)
        if let fields = live.langfuseFields {
            guard source.endpoint != .v1 else {
                throw CommandFailure(message: "error: --langfuse-fields applies to the v2 endpoint; v1 returns every field")
            }
            source.fields = try Self.langfuseFields(fields)
        }
        source.notice = { Console.error("note: " + $0) }
        return try source.run(store: opened, ingestor: ingestor)
    }

    static func langfuseEndpoint(_ text: String?) throws -> LangfuseEndpoint? {
        guard let text, text != "auto" else { return nil }
        guard let endpoint = LangfuseEndpoint(rawValue: text) else {
            throw CommandFailure(message: "error: --langfuse-api \"\(text)\" is not v1, v2 or auto")
        }
        return endpoint
    }

    /// The groups named, checked against the client's list; `core` always comes back.
    static func langfuseFields(_ text: String) throws -> [String] {
        let groups = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let unknown = groups.first(where: { !LangfuseEndpoint.fieldGroups.contains($0) }) {
            throw CommandFailure(message: "error: --langfuse-fields: unknown group \"\(unknown)\"; groups: "
                                 + LangfuseEndpoint.fieldGroups.joined(separator: ", "))
        }
        guard LangfuseEndpoint.requiredFields.allSatisfy(groups.contains) else {
            throw CommandFailure(message: "error: --langfuse-fields needs model and usage: each generation is priced from them")
        }
        return groups.contains("core") ? groups : ["core"] + groups
    }

    static func instant(_ text: String, option: String) throws -> Int64 {
        guard let micros = Timestamp.parseISO(text) else {
            throw CommandFailure(message: "error: \(option) \"\(text)\" is not an ISO 8601 date")
        }
        return micros
    }
}
