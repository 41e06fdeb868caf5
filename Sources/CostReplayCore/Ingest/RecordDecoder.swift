/// What a decoder produced from one source record.
public struct DecodeOutput {
    public var records: [TraceRecord] = []
    /// Parts of a multi-record source line that failed (1-based item, error).
    public var itemErrors: [(item: Int, error: RecordError)] = []
    /// Failures that belong to another source line than the one being decoded (batch joins).
    public var placedErrors: [(location: SourceLocation, error: RecordError, raw: String?)] = []
    /// Records that belong to another source line than the one being decoded (batch joins).
    public var placedRecords: [(location: SourceLocation, record: TraceRecord)] = []
    /// Records describing a call another record already counts: stored as structure, counted as merged.
    public var mergedRecords: [TraceRecord] = []
    /// Source lines folded into a record stored from another line (batch inputs joined to outputs).
    public var foldedLines: [SourceLocation] = []
    /// Reasons of rejections from earlier ingests that this input settles; they are removed.
    public var settledReasons: [String] = []
    public init() {}

    /// True when the decoder produced nothing at all.
    var isEmpty: Bool {
        records.isEmpty && itemErrors.isEmpty && placedErrors.isEmpty && placedRecords.isEmpty && mergedRecords.isEmpty
            && foldedLines.isEmpty && settledReasons.isEmpty
    }
}

/// Decodes one JSON source record (a JSONL line or an element of a JSON array).
///
/// One decoder per format; the pipeline owns parsing, line numbers, rejects and the store.
public protocol JSONRecordDecoder {
    var format: TraceFormat { get }
    /// `fallbackID` is a stable id for records whose source has none (content hash and line).
    mutating func decode(_ value: JSONValue, fallbackID: () -> String, into output: inout DecodeOutput) throws(RecordError)
    /// Emits what only the end of all input settles (the OpenAI batch join).
    mutating func finish(into output: inout DecodeOutput)
    /// Told where the next record comes from, for decoders that report records later.
    mutating func willDecode(at location: SourceLocation)
}

extension JSONRecordDecoder {
    public mutating func finish(into output: inout DecodeOutput) {}
    public mutating func willDecode(at location: SourceLocation) {}
}

/// Decodes one CSV row given the header.
public protocol CSVRowDecoder {
    var format: TraceFormat { get }
    mutating func decode(_ row: CSVRow, fallbackID: () -> String, into output: inout DecodeOutput) throws(RecordError)
}
