extension Ingestor {
    /// Streams a JSONL file line by line, or parses a whole JSON document (one object or an array).
    func ingestJSON<D: JSONRecordDecoder>(_ path: String, layout: FormatSniffer.Layout, decoder: inout D) throws {
        let reader = try LineReader(path: path)
        writer.expectRows(inBytes: reader.fileSize, lineLength: layout == .jsonDocument ? nil : reader.sampledLineLength())
        let prefix = decoder.format.rawValue + ":"
        if layout == .jsonDocument {
            let bytes = try reader.readAll()
            try bytes.withUnsafeBytes { raw in
                func handle(_ item: JSONValue, index: Int, inArray: Bool) throws {
                    let location = SourceLocation(file: path, line: inArray ? 0 : 1)
                    var output = DecodeOutput()
                    let fallback = { prefix + StableHash.hex(StableHash.hash(item.json)) + ":\(index + 1)" }
                    do {
                        decoder.willDecode(at: location)
                        try decoder.decode(item, fallbackID: fallback, into: &output)
                        try store(output, location: location, raw: nil, item: inArray ? index + 1 : 0)
                    } catch let error as RecordError {
                        try reject(location, error, raw: item.json, item: inArray ? index + 1 : 0)
                    }
                }
                let root: JSONValue
                do { root = try parser.parse(raw) } catch let error as JSONSyntaxError {
                    // One bad record must not cost the others: parse the array's elements one by one.
                    guard let elements = JSONElements.ranges(raw) else {
                        try reject(SourceLocation(file: path, line: 1), RecordError(error.description), raw: nil)
                        return
                    }
                    for (index, range) in elements.enumerated() {
                        let element = UnsafeRawBufferPointer(rebasing: raw[range])
                        do {
                            try handle(try parser.parse(element), index: index, inArray: true)
                        } catch let error as JSONSyntaxError {
                            try reject(SourceLocation(file: path, line: 0), RecordError(error.description),
                                       raw: String(decoding: element.prefix(4096), as: UTF8.self), item: index + 1)
                        }
                    }
                    return
                }
                let items = root.isArray ? root.elements : [root]
                for (index, item) in items.enumerated() { try handle(item, index: index, inArray: root.isArray) }
            }
            return
        }
        if options.decodingThreads > 1 && decoder is CanonicalDecoder {
            return try ingestCanonicalLines(reader, path: path, threads: options.decodingThreads)
        }
        let queue = OrderedQueue<IngestBatch>()
        let batches = Recycler<IngestBatch>(limit: queue.capacity + 2, keeps: \.isOrdinarySize)
        let writerThread = startWriter(queue, recycler: batches)
        var batch = IngestBatch(capacity: Self.batchSize)
        var canonical = decoder is CanonicalDecoder ? CanonicalDecoder() : nil
        var scratch: [CanonicalDecoder.Member] = []
        do {
            try forEachRecordLine(reader, path: path, stopped: { queue.aborted }) { line, number, terminated in
                if canonical != nil {
                    prepareCanonical(line, number: number, terminated: terminated, path: path, parser: parser, prefix: prefix,
                                     decoder: &canonical!, scratch: &scratch, into: &batch)
                } else {
                    prepare(Self.decodeLine(line, number: number, terminated: terminated, path: path, parser: parser,
                                            prefix: prefix, decoder: &decoder), into: &batch)
                }
                if batch.entries.count >= Self.batchSize || batch.rows.bytes.count >= Self.batchBytes {
                    queue.push(batch)
                    batch = batches.take { IngestBatch(capacity: Self.batchSize) }
                }
            }
        } catch is StopReading {
        } catch {
            queue.push(batch)
            queue.close()
            try? writerThread.join()
            throw error
        }
        queue.push(batch)
        queue.close()
        try writerThread.join()
        progress?(reader.bytesRead, reader.fileSize, path)
    }

    /// Starts the writing thread: it stores the batches of `queue` in order, and gives each one emptied to `recycler`;
    /// a failure aborts `queue` and `others`.
    func startWriter(_ queue: OrderedQueue<IngestBatch>, recycler: Recycler<IngestBatch>,
                     alsoAborting others: (@Sendable () -> Void)? = nil) -> WriterThread {
        // Unowned: the writer thread's closure can outlive join() briefly, and must not keep the store open.
        let box = UnownedIngestor(self)
        return WriterThread {
            do {
                while var (_, batch) = queue.pop() {
                    try box.value.consume(batch)
                    // Rows held for a multi-row insert share the batch's storage: inserted now, so it is the
                    // batch's alone again and emptying it keeps its capacity.
                    try box.value.writer.flushPending()
                    batch.removeAll()
                    recycler.give(batch)
                }
            } catch {
                queue.abort()
                others?()
                throw error
            }
        }
    }

    /// Calls `body(line, number, terminated)` for every line that is not blank, without a byte-order mark, and
    /// reports progress now and then; throws ``StopReading`` once `stopped()` (the writer gave up).
    func forEachRecordLine(
        _ reader: LineReader, path: String, stopped: () -> Bool, _ body: (UnsafeRawBufferPointer, Int, Bool) throws -> Void
    ) throws {
        var sinceProgress = 0
        try reader.forEachLine { number, bytes, terminated in
            if stopped() { throw StopReading() }
            sinceProgress += 1
            if sinceProgress >= 65_536 {
                sinceProgress = 0
                progress?(reader.bytesRead, reader.fileSize, path)
            }
            if Self.isBlank(bytes) { return }
            // A byte-order mark may start any line (files concatenated from several exports).
            try body(FormatSniffer.dropBOM(bytes), number, terminated)
        }
    }

    static let batchSize = 2048
    /// Encoded bytes after which a batch is handed over early (records with long texts), bounding memory.
    static let batchBytes = 32 << 20

    /// Parses and decodes one line into a work item for the writer.
    static func decodeLine<D: JSONRecordDecoder>(
        _ bytes: UnsafeRawBufferPointer, number: Int, terminated: Bool, path: String, parser: JSONParser, prefix: String,
        decoder: inout D
    ) -> IngestItem {
        let location = SourceLocation(file: path, line: number)
        let value: JSONValue
        do { value = try parser.parse(bytes) } catch {
            let reason = terminated || error.code == 10
                ? error.description : "truncated record at end of file (\(error.detail))"
            return .rejected(location, RecordError(reason), raw: String(decoding: bytes, as: UTF8.self), item: 0)
        }
        return decodeParsed(value, bytes: bytes, location: location, prefix: prefix, decoder: &decoder)
    }

    /// Decodes one line already parsed into `value` (`bytes` are its text) into a work item for the writer.
    static func decodeParsed<D: JSONRecordDecoder>(
        _ value: JSONValue, bytes: UnsafeRawBufferPointer, location: SourceLocation, prefix: String, decoder: inout D
    ) -> IngestItem {
        let number = location.line
        var output = DecodeOutput()
        do {
            decoder.willDecode(at: location)
            try decoder.decode(value, fallbackID: { prefix + StableHash.hex(StableHash.hash(bytes)) + ":\(number)" },
                               into: &output)
        } catch {
            return .rejected(location, error, raw: String(decoding: bytes, as: UTF8.self), item: 0)
        }
        let raw = output.itemErrors.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
        return .decoded(output, location, raw: raw, item: 0)
    }

    /// Applies the defaults, validates and encodes the records of one decoded item on the decoding thread, so the
    /// writer only binds; what the item holds besides records follows them, in the order ``store(_:location:raw:item:)``
    /// keeps.
    func prepare(_ item: consuming IngestItem, into batch: inout IngestBatch) {
        // Taken out of the item, not copied: while the item still held the records, changing one in place copied the
        // whole array, every field of every record retained once more (2% of each decoding thread).
        guard case .decoded = item else { return batch.entries.append(.item(item)) }
        guard case .decoded(var output, let location, let raw, let index) = consume item else { return }
        guard !output.records.isEmpty else { return batch.entries.append(.item(.decoded(output, location, raw: raw, item: index))) }
        for i in output.records.indices {  // in place: a copy of each record costs a retain and release per field
            applyDefaults(&output.records[i])
            do { try Normalise.validate(output.records[i]) } catch {
                batch.entries.append(.item(.rejected(location, error, raw: raw, item: index)))
                continue
            }
            batch.entries.append(.row(batch.rows.append(output.records[i], source: location), location, raw: raw, item: index))
        }
        output.records = []
        if !output.isEmpty { batch.entries.append(.item(.decoded(output, location, raw: raw, item: index))) }
    }

    /// Writes one batch: the writer thread's side of the pipeline.
    func consume(_ batch: IngestBatch) throws(StoreError) {
        // Rows stored or found stored are counted here and added to their file's counts once per run of one file:
        // a dictionary lookup a row, hashing the path each time, was 2% of the writer, the load's bound.
        var runFile: String?
        var run = IngestCounts()
        func endRun() {
            guard let file = runFile else { return }
            countsByPath[file, default: IngestCounts()].add(run)
            run = IngestCounts()
        }
        defer { endRun() }  // rows stored before a failure stay counted (the collector goes on after one)
        for entry in batch.entries {
            switch entry {
            case let .row(row, location, raw, index):
                if runFile != location.file {
                    endRun()
                    runFile = location.file
                }
                switch try writer.write(row: row, of: batch.rows) {
                case .stored: Self.counted(&run, stored: true)
                case .duplicate: Self.counted(&run, stored: false)
                case let .conflict(field, stored, found):
                    let id = batch.rows.string(row: row, field: .id) ?? ""
                    try reject(location, Self.conflict(id: id, field, stored, found), raw: raw, item: index)
                }
            case let .item(.decoded(output, location, raw, index)): try store(output, location: location, raw: raw, item: index)
            case let .item(.rejected(location, error, raw, index)): try reject(location, error, raw: raw, item: index)
            }
        }
    }

    struct StopReading: Error {}

    static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes where byte != 32 && byte != 9 && byte != 13 { return false }
        return true
    }

    /// Stores decoded records and the item-level rejections of one source record.
    func store(_ output: DecodeOutput, location: SourceLocation, raw: String?, item: Int = 0) throws(StoreError) {
        for record in output.records { try store(record, at: location, raw: raw, item: item) }
        for (place, record) in output.placedRecords { try store(record, at: place, raw: nil, item: 0) }
        for record in output.mergedRecords {
            do { try Normalise.validate(record) } catch {
                try reject(location, error, raw: raw, item: item)
                continue
            }
            switch try writer.write(record, source: location) {
            case .stored:
                countsByPath[location.file, default: IngestCounts()].read += 1
                countsByPath[location.file]!.merged += 1
            case .duplicate:
                countsByPath[location.file, default: IngestCounts()].read += 1
                countsByPath[location.file]!.duplicates += 1
            case let .conflict(field, stored, found):
                try reject(location, Self.conflict(id: record.id, field, stored, found), raw: raw, item: item)
            }
        }
        for place in output.foldedLines {
            countsByPath[place.file, default: IngestCounts()].read += 1
            countsByPath[place.file]!.merged += 1
        }
        for reason in output.settledReasons { try writer.clearRejections(reason: reason) }
        for (index, error) in output.itemErrors {
            try reject(location, error, raw: raw, item: item > 0 ? item : index)
        }
        for (place, error, text) in output.placedErrors { try reject(place, error, raw: text) }
    }

    func store(_ record: TraceRecord, at location: SourceLocation, raw: String?, item: Int) throws(StoreError) {
        var record = record
        applyDefaults(&record)
        do { try Normalise.validate(record) } catch {
            try reject(location, error, raw: raw, item: item)
            return
        }
        try tally(writer.write(record, source: location), at: location, raw: raw, item: item, id: record.id)
    }

    /// The model and provider the options give calls whose source names none.
    func applyDefaults(_ record: inout TraceRecord) {
        guard record.kind == .llm else { return }
        if record.model == nil { record.model = options.defaultModel }
        if record.provider == nil { record.provider = options.defaultProvider }
    }

    /// Counts what became of a record given to the writer; a conflict is rejected.
    func tally(_ outcome: RequestWriter.Outcome, at location: SourceLocation, raw: String?, item: Int, id: @autoclosure () -> String) throws(StoreError) {
        switch outcome {
        case .stored: Self.counted(&countsByPath[location.file, default: IngestCounts()], stored: true)
        case .duplicate: Self.counted(&countsByPath[location.file, default: IngestCounts()], stored: false)
        case let .conflict(field, stored, found):
            try reject(location, Self.conflict(id: id(), field, stored, found), raw: raw, item: item)
        }
    }

    /// One record read and stored or found stored (one hash of the path per record: this runs once a row).
    @inline(__always)
    static func counted(_ counts: inout IngestCounts, stored: Bool) {
        counts.read += 1
        if stored { counts.stored += 1 } else { counts.duplicates += 1 }
    }

    /// The same id stored before with other content: a rejection, never a silent duplicate.
    static func conflict(id: String, _ field: String, _ stored: String, _ found: String) -> RecordError {
        RecordError(field: "id", "id '\(id.prefix(80))' is already stored with another \(field) (stored \(stored.prefix(40)), here \(found.prefix(40))); ids must be unique")
    }

    func reject(_ location: SourceLocation, _ error: RecordError, raw: String?, item: Int = 0) throws(StoreError) {
        countsByPath[location.file, default: IngestCounts()].read += 1
        countsByPath[location.file]!.rejected += 1
        let rejection = Rejection(location: location, item: item, field: error.field, reason: error.reason, raw: raw)
        try writer.write(rejection)
        if summary.sampleRejections.count < options.sampleLimit { summary.sampleRejections.append(rejection) }
    }
}

/// The ingestor as the writer thread sees it; joined before ``Ingestor/ingestJSON(_:layout:decoder:)`` returns.
final class UnownedIngestor: @unchecked Sendable {
    unowned let value: Ingestor
    init(_ value: Ingestor) { self.value = value }
}
