/// Reads a CSV trace through a ``ColumnMapping`` (the Azure and BurstGPT presets or a user file).
public struct MappedCSVDecoder: CSVRowDecoder {
    public let format: TraceFormat
    let mapping: ColumnMapping
    let index: [String: Int]
    let tagIndexes: [(String, Int)]
    let timeOrigin: Int64

    /// Fails when a mapped column is not in the header.
    public init(format: TraceFormat, mapping: ColumnMapping, header: [String], timeOrigin: Int64) throws(RecordError) {
        self.format = format
        self.mapping = mapping
        self.timeOrigin = timeOrigin
        var positions: [String: Int] = [:]
        for (position, name) in header.enumerated() { positions[name.trimmingSpaces] = position }
        var index: [String: Int] = [:]
        for (target, column) in mapping.columns {
            guard let position = positions[column] else {
                throw RecordError(field: column, "column '\(column)' (mapped to \(target)) is not in the header")
            }
            index[target] = position
        }
        for required in ["input_tokens", "output_tokens"] where index[required] == nil {
            throw RecordError(field: required, "the column mapping does not name a column for \(required)")
        }
        self.index = index
        self.tagIndexes = mapping.tagColumns.compactMap { name in positions[name].map { (name, $0) } }
    }

    func value(_ target: String, _ row: CSVRow) -> String? {
        if let position = index[target], position < row.fields.count {
            let text = row.fields[position].trimmingSpaces
            if !text.isEmpty { return text }
        }
        return mapping.defaults[target]
    }

    public mutating func decode(_ row: CSVRow, fallbackID: () -> String, into output: inout DecodeOutput) throws(RecordError) {
        guard row.fields.count >= index.values.max().map({ $0 + 1 }) ?? 0 else {
            throw RecordError("expected at least \(index.values.max()! + 1) columns, found \(row.fields.count)")
        }
        var r = TraceRecord(id: value("id", row).map { format.rawValue + ":" + $0 } ?? fallbackID())
        r.format = format.rawValue
        func column(_ target: String) -> String { mapping.columns[target] ?? target }
        let input = try FieldReading.tokens(text: value("input_tokens", row) ?? "", field: column("input_tokens"))
        let outputTokens = try FieldReading.tokens(text: value("output_tokens", row) ?? "", field: column("output_tokens"))
        guard let input else { throw .missing(column("input_tokens")) }
        guard let outputTokens else { throw .missing(column("output_tokens")) }
        r.usage = TokenUsage(
            input: input, output: outputTokens,
            cacheRead: try value("cache_read_tokens", row).flatMap { t throws(RecordError) in try FieldReading.tokens(text: t, field: column("cache_read_tokens")) } ?? 0,
            cacheWrite5m: try value("cache_write_tokens", row).flatMap { t throws(RecordError) in try FieldReading.tokens(text: t, field: column("cache_write_tokens")) } ?? 0,
            reasoning: try value("reasoning_tokens", row).flatMap { t throws(RecordError) in try FieldReading.tokens(text: t, field: column("reasoning_tokens")) } ?? 0)
        r.startMicros = try time(value("start", row), field: column("start"))
        // A mapped time column with an empty cell: the row cannot be placed in time (Azure's `,1,1`).
        if r.startMicros == nil, index["start"] != nil { throw .missing(column("start")) }
        r.endMicros = try time(value("end", row), field: column("end"))
        if let model = value("model", row) { r.model = mapping.modelAliases[model] ?? model }
        r.provider = value("provider", row)
        r.userID = value("user_id", row)
        r.sessionID = value("session_id", row)
        r.tenantID = value("tenant_id", row)
        r.traceID = value("trace_id", row)
        r.operation = value("operation", row)
        r.serviceTier = value("service_tier", row)
        r.promptText = value("prompt", row)
        r.responseText = value("response", row)
        if let tags = value("tags", row) { r.tags = tags.split(separator: ";").map { String($0).trimmingSpaces } }
        for (name, position) in tagIndexes where position < row.fields.count && !row.fields[position].isEmpty {
            r.tags.append("\(name)=\(row.fields[position])")
        }
        if let cost = try value("billed_cost", row).flatMap({ t throws(RecordError) in try FieldReading.dollars(text: t, field: column("billed_cost")) }) {
            r.billedCost = Money(dollars: cost)
            r.billedCostSource = "trace"
        }
        Normalise.fillHashes(&r)
        try Normalise.check(&r)
        output.records.append(r)
    }

    func time(_ text: String?, field: String) throws(RecordError) -> Int64? {
        guard let text else { return nil }
        if FieldReading.isDecimal(text), let number = Double(text) {
            let scale: Double
            switch mapping.timeUnit {
            case "s": scale = 1e6
            case "ms": scale = 1e3
            case "us": scale = 1
            case "ns": scale = 1e-3
            default: scale = mapping.relativeTime ? 1e6 : 0
            }
            let micros = scale == 0 ? Timestamp.fromEpoch(number) : Timestamp.micros(number, scale: scale)
            guard let micros, number >= 0 else {
                throw RecordError(field: field, "expected a time, found \"\(text.prefix(40))\"" + (number.isFinite && number >= 0 ? " (out of range)" : ""))
            }
            guard mapping.relativeTime else { return micros }
            let (sum, overflow) = timeOrigin.addingReportingOverflow(micros)
            guard !overflow, sum <= Timestamp.latest else { throw RecordError(field: field, "time \(text.prefix(40)) is out of range") }
            return sum
        }
        return try FieldReading.instant(text: text, field: field)
    }
}

/// Reads the Mooncake trace JSONL: relative millisecond arrivals, token lengths and 512-token
/// prefix block hashes (Qin et al., FAST'25).
public struct MooncakeDecoder: JSONRecordDecoder {
    public let format = TraceFormat.mooncake
    let timeOrigin: Int64
    let defaults: [String: String]

    public init(timeOrigin: Int64, defaults: [String: String]) {
        self.timeOrigin = timeOrigin
        self.defaults = defaults
    }

    public mutating func decode(_ v: JSONValue, fallbackID: () -> String, into output: inout DecodeOutput) throws(RecordError) {
        guard v.isObject else { throw RecordError("expected a JSON object") }
        var r = TraceRecord(id: fallbackID())
        r.format = format.rawValue
        guard let input = try FieldReading.tokens(v["input_length"], field: "input_length") else { throw .missing("input_length") }
        guard let outputTokens = try FieldReading.tokens(v["output_length"], field: "output_length") else {
            throw .missing("output_length")
        }
        r.usage = TokenUsage(input: input, output: outputTokens)
        guard let ms = v["timestamp"]?.double else { throw .missing("timestamp") }
        guard ms >= 0, let offset = Timestamp.micros(ms, scale: 1000), case let (start, false) = timeOrigin.addingReportingOverflow(offset),
              start <= Timestamp.latest else {
            throw RecordError(field: "timestamp", "expected milliseconds from 0 to year 9999, found \(v["timestamp"]!.json)")
        }
        r.startMicros = start
        if let hashes = v["hash_ids"] {
            guard hashes.isArray else { throw RecordError(field: "hash_ids", "expected an array of integers") }
            r.prefixHashes = try hashes.elements.map { h throws(RecordError) in
                guard let value = h.int64 else { throw RecordError(field: "hash_ids", "expected an array of integers, found \(h.json)") }
                return value
            }
            r.prefixBlockTokens = 512
        }
        r.model = defaults["model"]
        r.provider = defaults["provider"]
        try Normalise.check(&r)
        output.records.append(r)
    }
}
