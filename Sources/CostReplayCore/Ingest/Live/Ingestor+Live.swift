/// Live sources (a database table, an HTTP API, an OTLP receiver) hand their records to the same
/// decoders and store as files do, a page at a time; each page commits with the source's cursor.
extension Ingestor {
    /// Starts counting a live source; its records are placed as `source`, row N.
    public func beginLive(source: String) {
        summary = IngestSummary()
        countsByPath = [:]
        currentPath = source
    }

    /// Decodes and stores one source record given as JSON text; a bad record is kept as a rejection.
    public func ingestLive<D: JSONRecordDecoder>(json bytes: UnsafeRawBufferPointer, source: String, row: Int,
                                                 decoder: inout D) throws(StoreError) {
        let item = Self.decodeLine(bytes, number: row, terminated: true, path: source, parser: parser,
                                   prefix: decoder.format.rawValue + ":", decoder: &decoder)
        var batch = IngestBatch(capacity: 1)
        prepare(item, into: &batch)
        try consume(batch)
    }

    /// Commits what the page stored together with the source's new position.
    public func commitLive(source: String, position: String) throws(StoreError) {
        try writer.saveCursor(source: source, position: position)
        try writer.flush()
    }

    /// What this run stored, rejected and found duplicated from the source so far.
    public func liveCounts(source: String) -> IngestCounts { countsByPath[source] ?? IngestCounts() }

    /// Records the source's counts and returns the summary of this run.
    public func finishLive(source: String, format: TraceFormat, error: String? = nil) throws(StoreError) -> IngestSummary {
        let counts = countsByPath[source] ?? IngestCounts()
        summary.files = [FileIngestResult(path: source, format: format.rawValue, counts: counts, error: error)]
        try writer.recordSource(path: source, format: format.rawValue, summary: counts)
        try writer.flush()
        return summary
    }
}
