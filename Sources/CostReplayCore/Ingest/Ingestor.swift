/// Reads trace files into the store: detects each file's format, decodes records, stores them,
/// and keeps every rejected record with its file, line and reason.
///
/// A bad record never stops a file and a bad file never stops the others; only store failures
/// throw. Progress is reported through a callback so the library never writes to a terminal.
public final class Ingestor {
    let writer: RequestWriter
    let options: IngestOptions
    let parser = JSONParser()
    var summary = IngestSummary()
    /// Counts by file: a batch join settles lines of a file read earlier, so counts follow each line's file.
    var countsByPath: [String: IngestCounts] = [:]
    var currentPath = ""
    /// Called with (bytes read, file size, path) now and then.
    public var progress: ((Int, Int, String) -> Void)?

    public init(store: TraceStore, options: IngestOptions) throws(StoreError) {
        self.writer = try RequestWriter(store: store)
        self.options = options
    }

    public func ingest(paths: [String]) throws(StoreError) -> IngestSummary {
        summary = IngestSummary()
        countsByPath = [:]
        // Batch inputs must meet their outputs, so all OpenAI batch files share one decoder.
        var batch = OpenAIBatchDecoder()
        var batchPaths: [String] = []
        for path in paths {
            currentPath = path
            var format: TraceFormat?
            var failure: String?
            do {
                format = try ingestFile(path, batch: &batch, batchPaths: &batchPaths)
            } catch let error as IngestError {
                failure = error.description
                try writer.write(Rejection(location: SourceLocation(file: path, line: 0), field: nil,
                                           reason: Self.fileReason(error), raw: nil))
            } catch let error as StoreError {
                throw error
            } catch {
                failure = "\(path): \(error)"
            }
            try writer.flush()
            summary.files.append(FileIngestResult(path: path, format: format?.rawValue, counts: IngestCounts(), error: failure))
        }
        if let last = batchPaths.last {
            currentPath = last
            var output = DecodeOutput()
            batch.finish(into: &output)
            try store(output, location: SourceLocation(file: last, line: 0), raw: nil)
        }
        for index in summary.files.indices {
            let file = summary.files[index]
            summary.files[index].counts = countsByPath[file.path] ?? IngestCounts()
            try writer.recordSource(path: file.path, format: file.format ?? "unknown", summary: summary.files[index].counts)
        }
        try writer.flush()
        return summary
    }

    static func fileReason(_ error: IngestError) -> String {
        let text = error.description
        guard let colon = text.range(of: ": ") else { return text }
        return String(text[colon.upperBound...])
    }

    func ingestFile(_ path: String, batch: inout OpenAIBatchDecoder, batchPaths: inout [String]) throws -> TraceFormat {
        let sniff = try FormatSniffer.sniff(path: path, parser: parser)
        let format = try options.format ?? sniff.detected ?? { throw IngestError.unknownFormat(path: path, hint: sniff.hint) }()
        switch sniff.layout {
        case .csv:
            try ingestCSV(path, format: format)
        case .jsonLines, .jsonDocument:
            if format == .openaiBatch {
                batchPaths.append(path)
                try ingestJSON(path, layout: sniff.layout, decoder: &batch)
            } else {
                var decoder = try jsonDecoder(for: format, path: path)
                try ingestJSON(path, layout: sniff.layout, decoder: &decoder)
                var output = DecodeOutput()
                decoder.finish(into: &output)
                try store(output, location: SourceLocation(file: path, line: 0), raw: nil)
            }
        }
        return format
    }

    func jsonDecoder(for format: TraceFormat, path: String) throws(IngestError) -> any JSONRecordDecoder {
        switch format {
        case .canonical: return CanonicalDecoder()
        case .otlp: return OTLPDecoder()
        case .litellm: return LiteLLMDecoder()
        case .langfuse: return LangfuseDecoder()
        case .openaiBatch: return OpenAIBatchDecoder()
        case .openaiChat: return OpenAIChatDecoder()
        case .mooncake: return MooncakeDecoder(timeOrigin: options.timeOrigin, defaults: [:])
        case .azure, .burstgpt, .csv:
            throw .unknownFormat(path: path, hint: "format \(format.rawValue) is CSV but the file is JSON")
        }
    }
}
