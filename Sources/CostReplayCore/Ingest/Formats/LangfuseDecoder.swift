/// Reads Langfuse observation exports (JSON array, JSONL or CSV): GENERATION and EMBEDDING
/// observations are billed calls; SPAN, TOOL, RETRIEVER, AGENT and EVENT ones are structure.
///
/// Token convention: Langfuse usage types are additive (its UI sums every type whose name has
/// `input` into input usage, likewise `output`), so cached tokens are reported apart from
/// `input`. CostReplay's input is the sum of all input types; cache reads are the types naming
/// a cache read (`input_cached_tokens`, `cache_read_input_tokens`, …), cache writes those naming
/// cache creation or writes, and reasoning the output types naming reasoning.
public struct LangfuseDecoder: JSONRecordDecoder, CSVRowDecoder {
    public let format = TraceFormat.langfuse
    let nested = JSONParser()
    var header: [String] = []

    public init(header: [String] = []) { self.header = header }

    public mutating func decode(_ v: JSONValue, fallbackID: () -> String, into output: inout DecodeOutput) throws(RecordError) {
        guard v.isObject else { throw RecordError("expected a JSON object") }
        // The public API wraps pages as {"data": [...], "meta": {...}}.
        if let data = v["data"], data.isArray {
            for (index, element) in data.elements.enumerated() {
                do throws(RecordError) {
                    output.records.append(try decode(RecordFields(storage: .json(element), nestedParser: nested)))
                } catch {
                    output.itemErrors.append((index + 1, error))
                }
            }
            return
        }
        output.records.append(try decode(RecordFields(storage: .json(v), nestedParser: nested)))
    }

    public mutating func decode(_ row: CSVRow, fallbackID: () -> String, into output: inout DecodeOutput) throws(RecordError) {
        let fields = CSVHeader.dictionary(header: header, row: row.fields)
        output.records.append(try decode(RecordFields(storage: .csv(fields), nestedParser: nested)))
    }

    func decode(_ f: RecordFields) throws(RecordError) -> TraceRecord {
        guard let id = f.text("id") else { throw .missing("id") }
        var r = TraceRecord(id: "langfuse:" + id)
        r.format = format.rawValue
        let type = (f.text("type") ?? "GENERATION").uppercased()
        r.traceID = f.text("traceId") ?? f.text("trace_id")
        r.parentID = (f.text("parentObservationId") ?? f.text("parent_observation_id")).map { "langfuse:" + $0 }
        r.name = f.text("name")
        r.operation = type.lowercased()
        r.model = f.text("model") ?? f.text("providedModelName")
        r.startMicros = try f.instant("startTime", "start_time")
        r.endMicros = try f.instant("endTime", "end_time")
        r.firstTokenMicros = try f.instant("completionStartTime", "completion_start_time")
        r.userID = f.text("userId")
        r.sessionID = f.text("sessionId")
        if let metadata = f.nested("metadata") { r.attributes["metadata"] = metadata.json }
        switch type {
        case "GENERATION", "EMBEDDING":
            r.kind = .llm
            try readUsage(f, into: &r)
        case "TOOL": r.kind = .tool
        case "RETRIEVER": r.kind = .retrieval
        case "AGENT", "CHAIN": r.kind = .agent
        default: r.kind = .other
        }
        if let cost = try readCost(f) {
            r.billedCost = Money(dollars: cost)
            r.billedCostSource = "langfuse.costDetails"
        }
        if let input = f.nested("input"), input.isArray {
            let (infos, prompt) = Normalise.chatMessages(input)
            r.messages = infos
            r.promptText = prompt
        } else {
            r.promptText = f.text("input")
        }
        r.responseText = f.nested("output").map { Normalise.contentText($0["content"] ?? $0) } ?? f.text("output")
        Normalise.fillHashes(&r)
        try Normalise.check(&r)
        return r
    }

    func readUsage(_ f: RecordFields, into r: inout TraceRecord) throws(RecordError) {
        guard let details = f.nested("usageDetails") ?? f.nested("usage_details"), details.isObject else {
            // Older exports: promptTokens / completionTokens columns.
            if let input = try f.tokens("promptTokens", "inputUsage") {
                r.usage = TokenUsage(input: input, output: try f.tokens("completionTokens", "outputUsage") ?? 0)
            }
            return
        }
        var usage = TokenUsage(input: 0, output: 0)
        for (key, value) in details.members {
            let name = key.lowercased()
            guard name != "total" else { continue }
            guard let count = try FieldReading.tokens(value, field: "usageDetails.\(key)") else { continue }
            if name.contains("input") || name.contains("cache") || name.contains("prompt") {
                usage.input += count
                if name.contains("cache_read") || name.contains("cached") { usage.cacheRead += count }
                else if name.contains("1h") && (name.contains("creation") || name.contains("write")) { usage.cacheWrite1h += count }
                else if name.contains("creation") || name.contains("cache_write") { usage.cacheWrite5m += count }
            } else if name.contains("output") || name.contains("completion") || name.contains("reasoning") {
                usage.output += count
                if name.contains("reasoning") { usage.reasoning += count }
            }
        }
        r.usage = usage
    }

    func readCost(_ f: RecordFields) throws(RecordError) -> Double? {
        if let details = f.nested("costDetails") ?? f.nested("cost_details"), details.isObject {
            if let total = try FieldReading.dollars(details["total"], field: "costDetails.total") { return total }
            var sum = 0.0
            var any = false
            for (key, value) in details.members {
                if let amount = try FieldReading.dollars(value, field: "costDetails.\(key)") { sum += amount; any = true }
            }
            if any { return sum }
        }
        return try f.dollars("calculatedTotalCost", "totalCost")
    }
}
