/// Reads LiteLLM proxy SpendLogs exports (JSON array, JSONL or CSV).
///
/// Token convention: LiteLLM normalises usage to OpenAI's shape, so `prompt_tokens` includes
/// cached tokens; the cache split, when logged, is in `metadata.usage_object`
/// (`prompt_tokens_details.cached_tokens`, or Anthropic's `cache_read_input_tokens` and
/// `cache_creation_input_tokens`, which LiteLLM also counts inside `prompt_tokens`).
/// `spend` is LiteLLM's own cost for the call; `cache_hit` marks answers from the proxy cache.
public struct LiteLLMDecoder: JSONRecordDecoder, CSVRowDecoder {
    public let format = TraceFormat.litellm
    let nested = JSONParser()
    var header: [String] = []

    public init(header: [String] = []) { self.header = header }

    public mutating func decode(_ v: JSONValue, fallbackID: () -> String, into output: inout DecodeOutput) throws(RecordError) {
        guard v.isObject else { throw RecordError("expected a JSON object") }
        output.records.append(try decode(RecordFields(storage: .json(v), nestedParser: nested), ))
    }

    public mutating func decode(_ row: CSVRow, fallbackID: () -> String, into output: inout DecodeOutput) throws(RecordError) {
        let fields = CSVHeader.dictionary(header: header, row: row.fields)
        output.records.append(try decode(RecordFields(storage: .csv(fields), nestedParser: nested), ))
    }

    func decode(_ f: RecordFields) throws(RecordError) -> TraceRecord {
        guard let id = try f.id("request_id") else { throw .missing("request_id") }
        var r = TraceRecord(id: "litellm:" + id)
        r.format = format.rawValue
        r.operation = try f.text("call_type")
        r.model = try f.text("model")
        r.requestModel = try f.text("model_group")
        r.provider = try f.text("custom_llm_provider")
        r.userID = try f.id("user", "end_user")
        r.tenantID = try f.id("team_id")
        r.sessionID = try f.id("session_id")
        r.traceID = r.sessionID
        r.startMicros = try f.instant("startTime")
        r.endMicros = try f.instant("endTime")
        r.firstTokenMicros = try f.instant("completionStartTime")
        r.cacheHit = try f.bool("cache_hit") ?? false
        if let tags = try f.nested("request_tags", shape: .array) { r.tags = try FieldReading.strings(tags, field: "request_tags") }
        guard let prompt = try f.tokens("prompt_tokens") else { throw .missing("prompt_tokens") }
        guard let completion = try f.tokens("completion_tokens") else { throw .missing("completion_tokens") }
        var usage = TokenUsage(input: prompt, output: completion)
        if let spend = try f.dollars("spend") {
            r.billedCost = Money(dollars: spend)
            r.billedCostSource = "litellm.spend"
        }
        if let metadata = try f.nested("metadata", shape: .object) {
            try readUsageObject(metadata["usage_object"], into: &usage)
            r.attributes["metadata"] = metadata.json
        }
        r.usage = usage
        if let messages = f.nested("messages"), messages.isArray {
            let (infos, prompt) = Normalise.chatMessages(messages)
            r.messages = infos
            r.promptText = prompt
        }
        if let response = f.nested("response") {
            let choices = response["choices"]?.elements ?? []
            r.responseText = choices.map { Normalise.contentText($0["message"]?["content"]) }.joined(separator: "\n")
        } else if let text = f.content("response") {
            r.responseText = text
        }
        Normalise.fillHashes(&r)
        try Normalise.check(&r)
        return r
    }

    func readUsageObject(_ usage: JSONValue?, into tokens: inout TokenUsage) throws(RecordError) {
        guard let usage, usage.isObject else { return }
        let cached = try FieldReading.tokens(usage["prompt_tokens_details"]?["cached_tokens"],
                                             field: "metadata.usage_object.prompt_tokens_details.cached_tokens")
        let read = try FieldReading.tokens(usage["cache_read_input_tokens"], field: "metadata.usage_object.cache_read_input_tokens")
        let write = try FieldReading.tokens(usage["cache_creation_input_tokens"],
                                            field: "metadata.usage_object.cache_creation_input_tokens")
        let reasoning = try FieldReading.tokens(usage["completion_tokens_details"]?["reasoning_tokens"],
                                                field: "metadata.usage_object.completion_tokens_details.reasoning_tokens")
        let oneHour = try oneHourWrites(usage) ?? 0
        let writes = write ?? oneHour
        guard oneHour <= writes else {
            throw RecordError(field: "metadata.usage_object.prompt_tokens_details.cache_creation_token_details.ephemeral_1h_input_tokens",
                              "1-hour cache writes (\(oneHour)) exceed all cache writes (\(writes))")
        }
        tokens.cacheRead = read ?? cached ?? 0
        tokens.cacheWrite5m = writes - oneHour
        tokens.cacheWrite1h = oneHour
        tokens.reasoning = reasoning ?? 0
    }

    /// The 1-hour part of the cache writes: LiteLLM keeps Anthropic's split under
    /// `prompt_tokens_details.cache_creation_token_details`; Anthropic's own shape is `cache_creation`.
    func oneHourWrites(_ usage: JSONValue) throws(RecordError) -> Int64? {
        let detailsField = "metadata.usage_object.prompt_tokens_details.cache_creation_token_details.ephemeral_1h_input_tokens"
        if let count = try FieldReading.tokens(usage["prompt_tokens_details"]?["cache_creation_token_details"]?["ephemeral_1h_input_tokens"],
                                               field: detailsField) {
            return count
        }
        return try FieldReading.tokens(usage["cache_creation"]?["ephemeral_1h_input_tokens"],
                                       field: "metadata.usage_object.cache_creation.ephemeral_1h_input_tokens")
    }
}

/// Helpers for CSV header rows.
enum CSVHeader {
    static func dictionary(header: [String], row: [String]) -> [String: String] {
        var fields: [String: String] = [:]
        for (index, name) in header.enumerated() where index < row.count { fields[name] = row[index] }
        return fields
    }
}
