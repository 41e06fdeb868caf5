/// Reads Langfuse observation exports (JSON array, JSONL or CSV): GENERATION and EMBEDDING
/// observations are billed calls; SPAN, TOOL, RETRIEVER, AGENT and EVENT ones are structure.
///
/// Token convention: see ``LangfuseUsage`` (additive usage types, with the rules that keep cache
/// writes and reasoning from being counted twice). The UI's CSV export writes every value through
/// `JSON.stringify` before quoting it, so timestamps arrive as `"2026-…Z"` with their JSON quotes;
/// CSV cells holding one JSON string are unquoted first.
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
        let fields = CSVHeader.dictionary(header: header, row: row.fields).mapValues(unquoted)
        output.records.append(try decode(RecordFields(storage: .csv(fields), nestedParser: nested)))
    }

    func decode(_ f: RecordFields) throws(RecordError) -> TraceRecord {
        guard let id = try f.id("id") else { throw .missing("id") }
        var r = TraceRecord(id: "langfuse:" + id)
        r.format = format.rawValue
        let type = (try f.text("type") ?? "GENERATION").uppercased()
        r.traceID = try f.id("traceId", "trace_id")
        r.parentID = (try f.id("parentObservationId", "parent_observation_id")).map { "langfuse:" + $0 }
        r.name = try f.text("name")
        r.operation = type.lowercased()
        r.model = try f.text("model", "providedModelName")
        r.startMicros = try f.instant("startTime", "start_time")
        r.endMicros = try f.instant("endTime", "end_time")
        r.firstTokenMicros = try f.instant("completionStartTime", "completion_start_time")
        r.userID = try f.id("userId")
        r.sessionID = try f.id("sessionId")
        // Metadata is free-form (any JSON the application attached): kept as JSON, or as its text when it is not JSON.
        if let metadata = f.nested("metadata") { r.attributes["metadata"] = metadata.json } else if let raw = f.content("metadata") { r.attributes["metadata"] = raw }
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
            r.promptText = f.content("input")
        }
        r.responseText = f.nested("output").map { Normalise.contentText($0["content"] ?? $0) } ?? f.content("output")
        Normalise.fillHashes(&r)
        try Normalise.check(&r)
        return r
    }

    func readUsage(_ f: RecordFields, into r: inout TraceRecord) throws(RecordError) {
        guard let details = try f.nested("usageDetails", "usage_details", shape: .object) else {
            // Older exports: promptTokens / completionTokens columns.
            if let input = try f.tokens("promptTokens", "inputUsage") {
                r.usage = TokenUsage(input: input, output: try f.tokens("completionTokens", "outputUsage") ?? 0)
            }
            return
        }
        r.usage = try LangfuseUsage.read(details)
    }

    /// A cell holding one JSON string (`"2026-…Z"`, as the UI export writes dates) as that string.
    func unquoted(_ cell: String) -> String {
        guard cell.utf8.count >= 2, cell.utf8.first == 34, cell.utf8.last == 34,
              let value = try? nested.parse(cell), let text = value.string else { return cell }
        return text
    }

    func readCost(_ f: RecordFields) throws(RecordError) -> Double? {
        if let details = try f.nested("costDetails", "cost_details", shape: .object) {
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
