/// Looks at the start of a file to tell its layout (JSON lines, one JSON document, CSV) and,
/// from the first record's keys or the CSV header, its format.
public enum FormatSniffer {
    public enum Layout: Sendable, Equatable { case jsonLines, jsonDocument, csv }

    public struct Result: Sendable {
        public var layout: Layout
        public var detected: TraceFormat?
        /// What was seen, for the error message when nothing was detected.
        public var hint: String
    }

    /// Reads at most the first few lines; a file that is one big document is parsed whole.
    public static func sniff(path: String, parser: JSONParser) throws(IngestError) -> Result {
        let reader = try LineReader(path: path)
        guard reader.fileSize > 0 else { throw IngestError.emptyFile(path: path) }
        var lines: [[UInt8]] = []
        var allBlank = true
        do {
            try reader.forEachLine(chunkSize: 1 << 16) { _, bytes, _ in
                if !Ingestor.isBlank(bytes) {
                    allBlank = false
                    lines.append(Array(Self.dropBOM(bytes)))
                }
                if lines.count >= 5 { throw StopSniffing() }
            }
        } catch is StopSniffing {
        } catch let error as IngestError {
            throw error
        } catch {
            throw IngestError.unreadable(path: path, reason: "\(error)")
        }
        guard !allBlank, let first = lines.first else { throw IngestError.emptyFile(path: path) }
        let firstByte = first.first { $0 != 32 && $0 != 9 } ?? 0
        let preview = String(decoding: first.prefix(40), as: UTF8.self)
        if firstByte == UInt8(ascii: "{") {
            // JSON lines only when the first record parses on its own; otherwise it is one
            // pretty-printed document, or JSON lines whose first line is broken.
            let firstKeys: Set<String>? = first.withUnsafeBytes { raw in (try? parser.parse(raw)).map(recordKeys) }
            if let firstKeys {
                // A first record that names no format (`{}`, a stray object) must not decide for the whole file.
                if let detected = TraceFormat.classify(jsonKeys: firstKeys) {
                    return Result(layout: .jsonLines, detected: detected,
                                  hint: "first record has keys \(firstKeys.sorted().prefix(8).joined(separator: ", "))")
                }
                return laterRecord(lines, parser: parser)
                    ?? Result(layout: .jsonLines, detected: nil, hint: "first record has keys \(firstKeys.sorted().prefix(8).joined(separator: ", "))")
            }
            if let document = try document(path: path, parser: parser, preview: preview) { return document }
            for line in lines.dropFirst() {
                let keys: Set<String>? = line.withUnsafeBytes { raw in (try? parser.parse(raw)).map(keysOf) }
                if let keys {
                    return Result(layout: .jsonLines, detected: TraceFormat.classify(jsonKeys: keys),
                                  hint: "first valid record has keys \(keys.sorted().prefix(8).joined(separator: ", "))")
                }
            }
            return Result(layout: .jsonLines, detected: nil, hint: "the first lines are not valid JSON (\"\(preview)\")")
        }
        if firstByte == UInt8(ascii: "[") {
            return try document(path: path, parser: parser, preview: preview) ?? laterRecord(lines, parser: parser)
                ?? Result(layout: .jsonDocument, detected: nil, hint: "the file starts with [ but is not valid JSON")
        }
        // A first line that is no record (a comment, `42`, `null`) before JSON lines: the records decide.
        if let later = laterRecord(lines, parser: parser) { return later }
        let header = CSVReader.split(String(decoding: first, as: UTF8.self), separator: UInt8(ascii: ",")) ?? []
        guard header.count >= 2 else {
            return Result(layout: .csv, detected: nil, hint: "first line starts with \"\(preview)\"")
        }
        return Result(layout: .csv, detected: TraceFormat.classify(csvHeader: header),
                      hint: "CSV header \(header.prefix(8).joined(separator: ","))")
    }

    /// The file parsed as one document, or nil when it is not valid JSON.
    static func document(path: String, parser: JSONParser, preview: String) throws(IngestError) -> Result? {
        let bytes = try LineReader(path: path).readAll()
        let keys: Set<String>? = bytes.withUnsafeBytes { raw in
            guard let root = try? parser.parse(raw) else {
                // Not valid as a whole (a number out of range, a record nested too deep): the first element that parses.
                guard let elements = JSONElements.ranges(raw) else { return nil }
                for range in elements.prefix(1000) {
                    if let element = try? parser.parse(UnsafeRawBufferPointer(rebasing: raw[range])), element.isObject { return keysOf(element) }
                }
                return nil
            }
            // The first object decides: other elements (numbers, nulls) become rejects when read.
            if root.isArray { return root.elements.first(where: \.isObject).map(keysOf) ?? [] }
            return recordKeys(root)
        }
        guard let keys else { return nil }
        return Result(layout: .jsonDocument, detected: TraceFormat.classify(jsonKeys: keys),
                      hint: "first record has keys \(keys.sorted().prefix(8).joined(separator: ", "))")
    }

    static func keysOf(_ value: JSONValue) -> Set<String> { Set(value.members.map(\.key)) }

    /// The keys of a record, looking inside an API page (`{"data": [...], "meta": {...}}`, as Langfuse's
    /// public API returns it, on one line or pretty-printed) at its first element.
    static func recordKeys(_ value: JSONValue) -> Set<String> {
        if let data = value["data"], data.isArray, let first = data.elements.first, first.isObject { return keysOf(first) }
        return keysOf(value)
    }

    static func dropBOM(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            return UnsafeRawBufferPointer(rebasing: bytes[3...])
        }
        return bytes
    }

    struct StopSniffing: Error {}

    /// JSON lines judged by the first of the following lines that is a record of a known format.
    static func laterRecord(_ lines: [[UInt8]], parser: JSONParser) -> Result? {
        for line in lines.dropFirst() {
            let keys: Set<String>? = line.withUnsafeBytes { raw in (try? parser.parse(raw)).flatMap { $0.isObject ? keysOf($0) : nil } }
            if let keys, let detected = TraceFormat.classify(jsonKeys: keys) {
                return Result(layout: .jsonLines, detected: detected,
                              hint: "first valid record has keys \(keys.sorted().prefix(8).joined(separator: ", "))")
            }
        }
        return nil
    }
}
