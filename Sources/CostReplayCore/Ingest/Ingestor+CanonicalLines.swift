#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lines of a JSONL file copied out of the reader's buffer, with their numbers: the work of one decoding thread.
struct LineChunk: @unchecked Sendable {
    var bytes: [UInt8] = []
    /// Each line ends where the next starts.
    var lines: [(end: Int, number: Int, terminated: Bool)] = []

    init(capacity: Int) {
        lines.reserveCapacity(capacity)
        bytes.reserveCapacity(capacity * 512)
    }

    /// Forgets the lines and keeps the storage, for ``Recycler``.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
    }

    /// Whether its storage is no larger than a full chunk needs (see ``IngestBatch/isOrdinarySize``).
    var isOrdinarySize: Bool { lines.capacity <= 4 * Ingestor.batchSize && bytes.capacity <= 2 * Ingestor.batchBytes }

    mutating func append(_ line: UnsafeRawBufferPointer, number: Int, terminated: Bool) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: line.baseAddress?.assumingMemoryBound(to: UInt8.self), count: line.count))
        lines.append((bytes.count, number, terminated))
    }
}

extension Ingestor {
    /// Streams canonical JSONL with `threads` decoding threads between the reading thread and the writer.
    ///
    /// The canonical decoder keeps no state between lines, so chunks of lines decode independently; the writer
    /// takes the batches back in chunk order (``OrderedQueue``), so ids, duplicates, rejections and counts are
    /// exactly those of ``ingestJSON(_:layout:decoder:)`` with one thread. The reading thread only splits lines.
    func ingestCanonicalLines(_ reader: LineReader, path: String, threads: Int) throws {
        let prefix = TraceFormat.canonical.rawValue + ":"
        let work = OrderedQueue<LineChunk>(capacity: 2 * threads)
        let written = OrderedQueue<IngestBatch>(capacity: 2 * threads)
        // As many as can be in flight: queued, and one in each thread's hands.
        let spareChunks = Recycler<LineChunk>(limit: work.capacity + threads + 1, keeps: \.isOrdinarySize)
        let spareBatches = Recycler<IngestBatch>(limit: written.capacity + threads + 1, keeps: \.isOrdinarySize)
        let writerThread = startWriter(written, recycler: spareBatches, alsoAborting: { work.abort() })
        // Unowned: the threads' closures can outlive their join() briefly, and must not keep the store open.
        let box = UnownedIngestor(self)
        let decoders = (0..<threads).map { _ in
            WriterThread {
                let parser = JSONParser()
                var decoder = CanonicalDecoder()
                var scratch: [CanonicalDecoder.Member] = []
                while case (let number, var chunk)? = work.pop() {
                    var batch = spareBatches.take { IngestBatch(capacity: chunk.lines.count) }
                    box.value.decode(chunk, path: path, parser: parser, prefix: prefix, decoder: &decoder, scratch: &scratch,
                                     into: &batch)
                    chunk.removeAll()
                    spareChunks.give(chunk)
                    if !written.push(batch, number: number) { return }
                }
            }
        }
        var chunk = LineChunk(capacity: Self.batchSize)
        var chunks = 0
        func finish() throws {
            if !chunk.lines.isEmpty { work.push(chunk, number: chunks) }
            chunks += chunk.lines.isEmpty ? 0 : 1
            work.close(count: chunks)
            written.close(count: chunks)
            for decoder in decoders { try? decoder.join() }
            try writerThread.join()
        }
        do {
            try forEachRecordLine(reader, path: path, stopped: { work.aborted }) { line, number, terminated in
                chunk.append(line, number: number, terminated: terminated)
                if chunk.lines.count >= Self.batchSize || chunk.bytes.count >= Self.batchBytes {
                    work.push(chunk, number: chunks)
                    chunks += 1
                    chunk = spareChunks.take { LineChunk(capacity: Self.batchSize) }
                }
            }
        } catch is StopReading {
        } catch {
            try? finish()
            throw error
        }
        try finish()
        progress?(reader.bytesRead, reader.fileSize, path)
    }

    /// Decodes and encodes one chunk of lines into a batch for the writer (on a decoding thread).
    func decode(_ chunk: LineChunk, path: String, parser: JSONParser, prefix: String, decoder: inout CanonicalDecoder,
                scratch: inout [CanonicalDecoder.Member], into batch: inout IngestBatch) {
        chunk.bytes.withUnsafeBytes { raw in
            var start = 0
            for line in chunk.lines {
                let bytes = UnsafeRawBufferPointer(rebasing: raw[start..<line.end])
                start = line.end
                prepareCanonical(bytes, number: line.number, terminated: line.terminated, path: path, parser: parser,
                                 prefix: prefix, decoder: &decoder, scratch: &scratch, into: &batch)
            }
        }
    }

    /// Decodes one canonical line into `batch`: straight into its rows when the record's shape allows
    /// (``CanonicalDecoder/appendRow(_:source:defaults:into:scratch:)``), else through a ``TraceRecord``, which also
    /// gives every rejection.
    func prepareCanonical(_ bytes: UnsafeRawBufferPointer, number: Int, terminated: Bool, path: String, parser: JSONParser,
                          prefix: String, decoder: inout CanonicalDecoder, scratch: inout [CanonicalDecoder.Member],
                          into batch: inout IngestBatch) {
        // A `\u` escape may spell a lone surrogate, which the record path's `String` repairs: left to that path.
        if options.rowsFromJSON, !Self.hasUnicodeEscape(bytes), let value = try? parser.parse(bytes) {
            let location = SourceLocation(file: path, line: number)
            let defaults = CanonicalDecoder.RowDefaults(model: options.defaultModel, provider: options.defaultProvider)
            if let row = CanonicalDecoder.appendRow(value, source: location, defaults: defaults, into: &batch.rows, scratch: &scratch) {
                return batch.entries.append(.row(row, location, raw: nil, item: 0))
            }
            // Parsed already: only a line that does not parse is parsed again, for its error.
            return prepare(Self.decodeParsed(value, bytes: bytes, location: location, prefix: prefix, decoder: &decoder), into: &batch)
        }
        prepare(Self.decodeLine(bytes, number: number, terminated: terminated, path: path, parser: parser, prefix: prefix,
                                decoder: &decoder), into: &batch)
    }

    /// Whether the bytes hold a backslash followed by `u`.
    static func hasUnicodeEscape(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress, bytes.count > 1 else { return false }
        var offset = 0
        while offset < bytes.count - 1, let found = memchr(base + offset, 0x5C, bytes.count - 1 - offset) {
            let position = base.distance(to: UnsafeRawPointer(found))
            if bytes[position + 1] == UInt8(ascii: "u") { return true }
            offset = position + 2  // the escaped byte is not a backslash that starts an escape
        }
        return false
    }
}
