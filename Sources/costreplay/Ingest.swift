import ArgumentParser
import CostReplayCore
import Foundation

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read trace files into the store.",
        discussion: """
            Formats are detected from content; --format overrides: \(TraceFormat.allCases.map(\.rawValue).joined(separator: ", ")).
            Bad records are kept in the store with file, line and reason (see `costreplay rejects`); the command \
            fails only when nothing was stored (exit 2 when every file was refused as a whole, 1 when records were read and all rejected), or with --strict (exit 1) when anything was rejected.

            Example:
              costreplay ingest traces/sample.jsonl --db costreplay.db
              costreplay ingest ../shared/data/azure-llm-inference-2023/AzureLLMInferenceTrace_conv.csv --default-model gpt-4o

            A live source, read incrementally (each run continues where the last stopped; see docs/live-sources.md):
              PGPASSWORD=... costreplay ingest postgres://litellm@db.internal:5432/litellm
              LANGFUSE_PUBLIC_KEY=pk-... LANGFUSE_SECRET_KEY=sk-... costreplay ingest --from langfuse --host https://cloud.langfuse.com
            """)

    @Argument(help: "Trace files, or a postgres:// URL of LiteLLM's database.") var files: [String] = []
    @Option(help: "A live source instead of files: litellm-postgres (its URL as the argument) or langfuse (--host).")
    var from: String?
    @OptionGroup var live: LiveSourceOptions
    @OptionGroup var store: StoreOptions
    @Option(help: "Input format instead of detection.") var format: String?
    @Option(help: "Column-mapping file (JSON) for --format csv.") var mapping: String?
    @Option(help: "Model for records that name none (Azure, Mooncake traces).") var defaultModel: String?
    @Option(help: "Provider for records that name none.") var defaultProvider: String?
    @Option(help: "Origin of relative timestamps (Mooncake, BurstGPT), ISO 8601; default 1970-01-01.") var timeOrigin: String?
    @Option(help: "Write the rejected records of this run as JSONL to this file.") var rejects: String?
    @Flag(help: "Exit 1 when any record is rejected.") var strict = false
    @Option(name: .customLong("summary-format"), help: "table or json.") var summaryFormat: OutputFormat = .table

    func run() throws {
        if from != nil || files.contains(where: PostgresURL.isURL) {
            return try runLive()
        }
        guard !files.isEmpty else { throw CommandFailure(message: "error: name trace files, a postgres:// URL or --from") }
        var options = IngestOptions()
        if let format {
            guard let parsed = TraceFormat(rawValue: format) else {
                throw CommandFailure(message: "error: \(IngestError.unknownFormatName(format))")
            }
            options.format = parsed
        }
        options.mappingPath = mapping
        if let mapping {
            // A bad mapping file is an input error (exit 2), found before any trace is read.
            do { _ = try ColumnMapping.load(path: mapping) } catch { throw CommandFailure(message: "error: \(error)") }
        }
        options.defaultModel = defaultModel
        options.defaultProvider = defaultProvider
        if let timeOrigin {
            guard let micros = Timestamp.parseISO(timeOrigin) else {
                throw CommandFailure(message: "error: --time-origin \"\(timeOrigin)\" is not an ISO 8601 date")
            }
            options.timeOrigin = micros
        }
        if let rejects {
            do { try OutputFile.check(path: rejects, kind: .jsonl, inputs: files + [store.path] + (mapping.map { [$0] } ?? [])) } catch {
                throw CommandFailure(message: "error: \(error)")
            }
        }
        let (opened, summary): (TraceStore, IngestSummary)
        do {
            (opened, summary) = try StoreIngest.ingest(files, into: store.path, options: options) { done, total, path in
                Console.progress(done, total, path)
            }
        } catch { throw CommandFailure(message: "error: \(error)") }
        Console.clearProgress()
        try opened.createIndexes()
        if let rejects { try writeRejects(summary: summary, store: opened, to: rejects) }
        Console.out(summaryFormat == .json ? try IngestSummaryRenderer.json(summary) : IngestSummaryRenderer.text(summary, db: store.path))
        for file in summary.files where file.error != nil { Console.error("error: \(file.error!)") }
        if summary.totals.stored == 0 && summary.totals.duplicates == 0 {
            // Every file refused as a whole (unreadable, unknown format, a mapping that does not fit) is an input
            // error (exit 2); files that were read but whose records were all rejected exit 1.
            throw CommandFailure(message: "error: nothing was stored", code: summary.failedFiles == summary.files.count ? 2 : 1)
        }
        if strict && (summary.totals.rejected > 0 || summary.failedFiles > 0) {
            throw CommandFailure(message: "error: \(summary.totals.rejected) records rejected (--strict)", code: 1)
        }
    }

    func writeRejects(summary: IngestSummary, store: TraceStore, to path: String) throws {
        let paths = Set(summary.files.map(\.path))
        let lines = try store.rejections().filter { paths.contains($0.location.file) }.map(RejectRenderer.jsonLine)
        try writeOutput(lines.joined(separator: "\n") + (lines.isEmpty ? "" : "\n"), to: path, kind: .jsonl,
                        inputs: files + [self.store.path] + (mapping.map { [$0] } ?? []))
    }
}
