import Foundation

/// Record counts of an ingest. They reconcile: `read == stored + duplicates + rejected + merged`.
///
/// `merged` counts records folded into a call another record already counts: OTLP spans that
/// describe the same provider call (kept as structure without usage, see `SameCallFilter`) and
/// OpenAI batch input lines joined to their output line (the output line's file stores the record).
public struct IngestCounts: Sendable, Equatable, Codable {
    public var read = 0
    public var stored = 0
    public var duplicates = 0
    public var rejected = 0
    public var merged = 0

    /// Adds another set of counts to these.
    mutating func add(_ other: IngestCounts) {
        read += other.read
        stored += other.stored
        duplicates += other.duplicates
        rejected += other.rejected
        merged += other.merged
    }

    public init(read: Int = 0, stored: Int = 0, duplicates: Int = 0, rejected: Int = 0, merged: Int = 0) {
        self.read = read
        self.stored = stored
        self.duplicates = duplicates
        self.rejected = rejected
        self.merged = merged
    }

    public static func + (a: IngestCounts, b: IngestCounts) -> IngestCounts {
        IngestCounts(read: a.read + b.read, stored: a.stored + b.stored, duplicates: a.duplicates + b.duplicates,
                     rejected: a.rejected + b.rejected, merged: a.merged + b.merged)
    }
}

/// What happened to one input file.
public struct FileIngestResult: Sendable, Codable {
    public var path: String
    public var format: String?
    public var counts: IngestCounts
    /// Set when the whole file could not be read (unreadable, empty, unknown format).
    public var error: String?
}

/// The outcome of one `ingest` command.
public struct IngestSummary: Sendable, Codable {
    public var files: [FileIngestResult] = []
    /// The first rejections, for the console; all of them are in the store.
    public var sampleRejections: [Rejection] = []
    public var warnings: [String] = []

    public var totals: IngestCounts { files.reduce(IngestCounts()) { $0 + $1.counts } }
    public var failedFiles: Int { files.filter { $0.error != nil }.count }
}

/// Options of an ingest.
public struct IngestOptions: Sendable {
    /// Forces a format instead of detecting it.
    public var format: TraceFormat?
    /// A column-mapping file for `csv`.
    public var mappingPath: String?
    /// Model and provider for records that name none (the Azure and Mooncake traces).
    public var defaultModel: String?
    public var defaultProvider: String?
    /// Origin of relative timestamps (Mooncake, BurstGPT), microseconds since the epoch.
    public var timeOrigin: Int64 = 0
    public var sampleLimit = 20
    /// Threads that decode canonical JSONL beside the reading thread; 1 decodes on the reading thread. Two on a
    /// machine with two cores or more: decoding is the bound of a bulk load, and SQLite's writer has one thread.
    public var decodingThreads = ProcessInfo.processInfo.activeProcessorCount >= 2 ? 2 : 1
    /// Whether canonical records of the usual shapes are written straight from their JSON into rows
    /// (``CanonicalDecoder/appendRow(_:source:defaults:into:scratch:)``); false sends every record through a
    /// ``TraceRecord``. Both store the same rows; tests compare them.
    public var rowsFromJSON = true

    public init() {}
}
