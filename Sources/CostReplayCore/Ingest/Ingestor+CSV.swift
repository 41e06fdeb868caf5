extension Ingestor {
    /// Reads a CSV file: the header picks the columns, each later record is one request.
    func ingestCSV(_ path: String, format: TraceFormat) throws {
        let reader = try LineReader(path: path)
        let csv = CSVReader(lines: reader)
        var decoder: (any CSVRowDecoder)?
        var sinceProgress = 0
        try csv.forEachRow { result in
            sinceProgress += 1
            if sinceProgress >= 65_536 {
                sinceProgress = 0
                progress?(reader.bytesRead, reader.fileSize, path)
            }
            let row: CSVRow
            switch result {
            case .success(let value): row = value
            case .failure(.invalidUTF8(let line, let raw)):
                try reject(SourceLocation(file: path, line: line), RecordError("invalid UTF-8"), raw: raw)
                return
            case .failure(.unterminatedQuote(let line, let raw)):
                try reject(SourceLocation(file: path, line: line),
                           RecordError("a quoted field opened on this line is never closed (before the end of the file or within 4 MiB); the lines after it are read on their own"), raw: raw)
                return
            }
            guard var current = decoder else {
                decoder = try makeCSVDecoder(format: format, header: row.fields, path: path)
                return
            }
            let location = SourceLocation(file: path, line: row.line)
            var output = DecodeOutput()
            do {
                let fallback = { format.rawValue + ":" + StableHash.hex(StableHash.hash(row.raw)) + ":\(row.line)" }
                try current.decode(row, fallbackID: fallback, into: &output)
            } catch let error as RecordError {
                try reject(location, error, raw: row.raw)
                return
            }
            decoder = current
            try store(output, location: location, raw: nil)
        }
        progress?(reader.bytesRead, reader.fileSize, path)
    }

    func makeCSVDecoder(format: TraceFormat, header: [String], path: String) throws -> any CSVRowDecoder {
        let names = header.map(\.trimmingSpaces)
        do {
            switch format {
            case .litellm: return LiteLLMDecoder(header: names)
            case .langfuse: return LangfuseDecoder(header: names)
            case .azure: return try MappedCSVDecoder(format: format, mapping: .azure, header: names, timeOrigin: options.timeOrigin)
            case .burstgpt:
                return try MappedCSVDecoder(format: format, mapping: .burstGPT, header: names, timeOrigin: options.timeOrigin)
            case .csv:
                guard let mappingPath = options.mappingPath else {
                    throw IngestError.unknownFormat(path: path, hint: "a CSV whose columns CostReplay does not know needs --mapping FILE")
                }
                let mapping = try ColumnMapping.load(path: mappingPath)
                return try MappedCSVDecoder(format: format, mapping: mapping, header: names, timeOrigin: options.timeOrigin)
            default:
                throw IngestError.unknownFormat(path: path, hint: "format \(format.rawValue) is JSON but the file is CSV")
            }
        } catch let error as RecordError {
            throw IngestError.badMapping(path: path, reason: "line 1: \(error.reason)")
        }
    }
}
