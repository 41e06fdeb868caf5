/// Canonical JSONL read from a descriptor (standard input) as a replay source, without a store.
///
/// Decoding and validation are the ingest pipeline's own (``Ingestor/decodeLine``, the canonical decoder,
/// ``Normalise/validate``), so a bad line is rejected with the same reason `ingest` gives, counted, and never stops
/// the stream. Memory is one line and one engine batch: the stream is never sorted, so it must arrive in start order
/// with ties by id (what `costreplay export` writes and the Spark job sends); a line out of order stops the run.
/// Unlike the store, only adjacent repeats of an id are recognised (as duplicates, or as conflicts when their billed
/// content differs), which in sorted input are all repeats that start at the same instant.
public final class CanonicalStream {
    /// The name rejections and errors give the input, e.g. `(standard input)`.
    public let name: String
    let reader: LineReader
    let window: TraceStore.TimeWindow
    /// Lines read, records accepted (`stored`), duplicates and rejected lines.
    public private(set) var counts = IngestCounts()
    /// The first rejections, for the command to show.
    public private(set) var sampleRejections: [Rejection] = []
    public var sampleLimit = 20
    /// Records passed on (those starting inside the window).
    public private(set) var replayed = 0
    private var previous: TraceRecord?
    private var previousLine = 0

    public init(descriptor: Int32 = 0, name: String = "(standard input)", window: TraceStore.TimeWindow = .init()) {
        self.name = name
        self.reader = LineReader(descriptor: descriptor, name: name)
        self.window = window
    }

    /// The stream as a replay source: each accepted record inside the window, in order.
    public var source: RecordSource { RecordSource { body in try self.forEach(body) } }

    /// Reads the whole stream once, calling `body` with each accepted record that starts inside the window.
    public func forEach(_ body: (TraceRecord) throws -> Void) throws {
        let parser = JSONParser()
        defer { withExtendedLifetime(parser) {} }  // JSONValue holds the parser unowned
        var decoder = CanonicalDecoder()
        let prefix = TraceFormat.canonical.rawValue + ":"
        try reader.forEachLine { number, bytes, terminated in
            if Ingestor.isBlank(bytes) { return }
            let line = number == 1 ? FormatSniffer.dropBOM(bytes) : bytes
            switch Ingestor.decodeLine(line, number: number, terminated: terminated, path: name, parser: parser,
                                       prefix: prefix, decoder: &decoder) {
            case let .rejected(location, error, raw, item):
                reject(location, error, raw: raw, item: item)
            case let .decoded(output, location, raw, _):
                for (item, error) in output.itemErrors { reject(location, error, raw: raw, item: item) }
                for record in output.records { try accept(record, at: location, raw: raw, body: body) }
            }
        }
    }

    private func accept(_ record: TraceRecord, at location: SourceLocation, raw: String?, body: (TraceRecord) throws -> Void) throws {
        do { try Normalise.validate(record) } catch {
            reject(location, error, raw: raw, item: 0)
            return
        }
        if let previous {
            if previous.id == record.id {
                counts.read += 1
                if let field = Self.billedDifference(previous, record) {
                    reject(location, RecordError(field: "id", "id '\(record.id.prefix(80))' appeared on line \(previousLine) with another \(field); ids must be unique"),
                           raw: raw, item: 0, counted: true)
                } else {
                    counts.duplicates += 1
                }
                return
            }
            guard Self.precedes(previous, record) else {
                throw CanonicalStreamError.outOfOrder(location: location, id: String(record.id.prefix(80)),
                                                      start: record.startMicros, previousLine: previousLine)
            }
        }
        previous = record
        previousLine = location.line
        counts.read += 1
        counts.stored += 1
        if let start = record.startMicros {
            if let from = window.from, start < from { return }
            if let to = window.to, start >= to { return }
        } else if window.from != nil || window.to != nil {
            return
        }
        replayed += 1
        try body(record)
    }

    /// Start order with ties by id compared byte by byte, as the store sorts (`ORDER BY start_us, id`; no start first).
    static func precedes(_ a: TraceRecord, _ b: TraceRecord) -> Bool {
        let left = a.startMicros ?? .min, right = b.startMicros ?? .min
        if left != right { return left < right }
        return a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
    }

    /// The first field that decides cost or place and differs between two records of one id; nil when none does.
    static func billedDifference(_ a: TraceRecord, _ b: TraceRecord) -> String? {
        if a.kind != b.kind { return "kind" }
        if a.startMicros != b.startMicros { return "start" }
        if a.provider != b.provider { return "provider" }
        if a.model != b.model { return "model" }
        if a.usage != b.usage { return "token usage" }
        if a.billedCost != b.billedCost { return "billed_cost" }
        return nil
    }

    private func reject(_ location: SourceLocation, _ error: RecordError, raw: String?, item: Int, counted: Bool = false) {
        if !counted { counts.read += 1 }
        counts.rejected += 1
        if sampleRejections.count < sampleLimit {
            sampleRejections.append(Rejection(location: location, item: item, field: error.field, reason: error.reason, raw: raw))
        }
    }
}

/// What stops reading a canonical stream.
public enum CanonicalStreamError: Error, Sendable, Equatable, CustomStringConvertible {
    case outOfOrder(location: SourceLocation, id: String, start: Int64?, previousLine: Int)

    public var description: String {
        switch self {
        case let .outOfOrder(location, id, start, previousLine):
            return "\(location): record '\(id)' (start \(start.map(Timestamp.iso) ?? "none")) comes before the record of line \(previousLine) "
                + "in start order; a stream must be sorted by start, then id (as `costreplay export` writes it)"
        }
    }
}
