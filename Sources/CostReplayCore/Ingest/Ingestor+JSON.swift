extension Ingestor {
    /// Streams a JSONL file line by line, or parses a whole JSON document (one object or an array).
    func ingestJSON<D: JSONRecordDecoder>(_ path: String, layout: FormatSniffer.Layout, decoder: inout D) throws {
        let reader = try LineReader(path: path)
        let prefix = decoder.format.rawValue + ":"
        if layout == .jsonDocument {
            let bytes = try reader.readAll()
            try bytes.withUnsafeBytes { raw in
                let root: JSONValue
                do { root = try parser.parse(raw) } catch let error as JSONSyntaxError {
                    try reject(SourceLocation(file: path, line: 1), RecordError(error.description), raw: nil)
                    return
                }
                let items = root.isArray ? root.elements : [root]
                for (index, item) in items.enumerated() {
                    let location = SourceLocation(file: path, line: root.isArray ? 0 : 1)
                    var output = DecodeOutput()
                    let fallback = prefix + StableHash.hex(StableHash.hash(item.json)) + ":\(index + 1)"
                    do {
                        decoder.willDecode(at: location)
                        try decoder.decode(item, fallbackID: fallback, into: &output)
                        try store(output, location: location, raw: nil, item: root.isArray ? index + 1 : 0)
                    } catch let error as RecordError {
                        try reject(location, error, raw: item.json, item: root.isArray ? index + 1 : 0)
                    }
                }
            }
            return
        }
        var sinceProgress = 0
        try reader.forEachLine { number, bytes, terminated in
            sinceProgress += 1
            if sinceProgress >= 65_536 {
                sinceProgress = 0
                progress?(reader.bytesRead, reader.fileSize, path)
            }
            if Self.isBlank(bytes) { return }
            let location = SourceLocation(file: path, line: number)
            let value: JSONValue
            do { value = try parser.parse(bytes) } catch let error as JSONSyntaxError {
                let reason = terminated || error.code == 10
                    ? error.description : "truncated record at end of file (\(error.detail))"
                try reject(location, RecordError(reason), raw: String(decoding: bytes, as: UTF8.self))
                return
            }
            var output = DecodeOutput()
            do {
                let fallback = prefix + StableHash.hex(StableHash.hash(bytes)) + ":\(number)"
                decoder.willDecode(at: location)
                try decoder.decode(value, fallbackID: fallback, into: &output)
            } catch let error as RecordError {
                try reject(location, error, raw: String(decoding: bytes, as: UTF8.self))
                return
            }
            try store(output, location: location,
                      raw: output.itemErrors.isEmpty ? nil : String(decoding: bytes, as: UTF8.self))
        }
        progress?(reader.bytesRead, reader.fileSize, path)
    }

    static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes where byte != 32 && byte != 9 && byte != 13 { return false }
        return true
    }

    /// Stores decoded records and the item-level rejections of one source record.
    func store(_ output: DecodeOutput, location: SourceLocation, raw: String?, item: Int = 0) throws(StoreError) {
        for var record in output.records {
            counts.read += 1
            if record.kind == .llm {
                if record.model == nil { record.model = options.defaultModel }
                if record.provider == nil { record.provider = options.defaultProvider }
            }
            if try writer.write(record, source: location) { counts.stored += 1 } else { counts.duplicates += 1 }
        }
        for (index, error) in output.itemErrors {
            try reject(location, error, raw: raw, item: item > 0 ? item : index)
        }
        for (place, error, text) in output.placedErrors { try reject(place, error, raw: text) }
    }

    func reject(_ location: SourceLocation, _ error: RecordError, raw: String?, item: Int = 0) throws(StoreError) {
        counts.read += 1
        counts.rejected += 1
        let rejection = Rejection(location: location, item: item, field: error.field, reason: error.reason, raw: raw)
        try writer.write(rejection)
        if summary.sampleRejections.count < options.sampleLimit { summary.sampleRejections.append(rejection) }
    }
}
