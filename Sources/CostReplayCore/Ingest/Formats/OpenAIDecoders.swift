/// Reads OpenAI Batch API files: input lines (`custom_id`, `body.model`, `body.messages`) and
/// output lines (`custom_id`, `response.body` with `usage`), joined by `custom_id`.
///
/// Token convention (OpenAI): `prompt_tokens` includes `prompt_tokens_details.cached_tokens`
/// and `completion_tokens` includes `completion_tokens_details.reasoning_tokens`, the same as
/// CostReplay's. Batch results are billed at the batch rate, so records are flagged `isBatch`.
/// An input line whose output never arrives is reported at the end as a rejection.
public struct OpenAIBatchDecoder: JSONRecordDecoder {
    public let format = TraceFormat.openaiBatch
    struct PendingInput {
        var model: String?
        var messages: [MessageInfo]
        var prompt: String
        var raw: String
        var location: SourceLocation
    }
    var inputs: [String: PendingInput] = [:]
    var outputs: [String: TraceRecord] = [:]
    /// custom_ids whose output was an error: their input lines are settled, not pending.
    var failed: Set<String> = []
    var location = SourceLocation(file: "", line: 0)

    public init() {}

    public mutating func willDecode(at location: SourceLocation) { self.location = location }

    public mutating func decode(_ v: JSONValue, fallbackID: () -> String, into output: inout DecodeOutput) throws(RecordError) {
        guard let customID = FieldReading.identifier(v["custom_id"]) else { throw .missing("custom_id") }
        if let body = v["body"] {
            if failed.contains(customID) { return }
            let (messages, prompt) = Normalise.chatMessages(body["messages"] ?? body["input"] ?? body)
            let input = PendingInput(model: body["model"]?.string, messages: messages, prompt: prompt, raw: v.json, location: location)
            if var record = outputs.removeValue(forKey: customID) {
                Self.merge(input, into: &record)
                output.records.append(record)
            } else {
                inputs[customID] = input
            }
            return
        }
        guard let response = v["response"] else { throw .missing("response") }
        if let error = v["error"], !error.isNull {
            inputs.removeValue(forKey: customID)
            failed.insert(customID)
            throw RecordError(field: "error", "the batch request failed: \(error["message"]?.string ?? error.json)")
        }
        guard let body = response["body"] else { throw .missing("response.body") }
        var record = try ChatCompletion.record(body, id: "openai-batch:" + customID, field: "response.body")
        record.format = format.rawValue
        record.isBatch = true
        record.attributes["custom_id"] = JSONText.quote(customID)
        if let requestID = response["request_id"]?.string { record.attributes["request_id"] = JSONText.quote(requestID) }
        if let input = inputs.removeValue(forKey: customID) {
            Self.merge(input, into: &record)
            output.records.append(record)
        } else {
            outputs[customID] = record
        }
    }

    public mutating func finish(into output: inout DecodeOutput) {
        // Outputs without their input are complete for pricing; only the prompt text is missing.
        for key in outputs.keys.sorted() { output.records.append(outputs[key]!) }
        outputs.removeAll()
        for key in inputs.keys.sorted() {
            let input = inputs[key]!
            output.placedErrors.append((input.location, RecordError(field: "custom_id",
                "batch input request \(key) has no matching output line; its tokens and cost are unknown"), input.raw))
        }
        inputs.removeAll()
    }

    static func merge(_ input: PendingInput, into record: inout TraceRecord) {
        record.requestModel = input.model
        record.messages = input.messages
        record.promptText = input.prompt
        record.promptHash = StableHash.hex(input.prompt)
    }
}

/// Reads chat-completion logs: `{"request": {...}, "response": {...}}` pairs or bare responses.
public struct OpenAIChatDecoder: JSONRecordDecoder {
    public let format = TraceFormat.openaiChat
    public init() {}

    public mutating func decode(_ v: JSONValue, fallbackID: () -> String, into output: inout DecodeOutput) throws(RecordError) {
        let response = v["response"] ?? v
        let request = v["request"]
        let body = response["body"] ?? response
        let id = FieldReading.identifier(body["id"]).map { "openai:" + $0 } ?? fallbackID()
        var record = try ChatCompletion.record(body, id: id, field: v["response"] == nil ? "" : "response")
        record.format = format.rawValue
        if let request {
            let requestBody = request["body"] ?? request
            record.requestModel = requestBody["model"]?.string
            if let messages = requestBody["messages"] {
                let (infos, prompt) = Normalise.chatMessages(messages)
                record.messages = infos
                record.promptText = prompt
            }
            record.userID = requestBody["user"]?.string
            if let tier = requestBody["service_tier"]?.string, record.serviceTier == nil { record.serviceTier = tier }
            record.sessionID = requestBody["metadata"]?["session_id"]?.text
        }
        if let start = try FieldReading.instant(v["timestamp"] ?? v["start_time"], field: "timestamp") {
            record.startMicros = start
        }
        record.endMicros = try FieldReading.instant(v["end_time"], field: "end_time")
        Normalise.fillHashes(&record)
        try Normalise.check(&record)
        output.records.append(record)
    }
}

/// The shared reading of one chat.completion (or responses API) body.
enum ChatCompletion {
    static func record(_ body: JSONValue, id: String, field prefix: String) throws(RecordError) -> TraceRecord {
        func name(_ key: String) -> String { prefix.isEmpty ? key : prefix + "." + key }
        var r = TraceRecord(id: id)
        r.provider = "openai"
        guard let model = body["model"]?.string else { throw .missing(name("model")) }
        r.model = model
        r.serviceTier = body["service_tier"]?.string
        if let created = body["created"]?.double ?? body["created_at"]?.double { r.startMicros = Timestamp.fromEpoch(created) }
        guard let usage = body["usage"], usage.isObject else { throw .missing(name("usage")) }
        // Chat Completions names them prompt/completion; the Responses API input/output.
        let inputKey = usage["prompt_tokens"] != nil ? "prompt_tokens" : "input_tokens"
        let outputKey = usage["completion_tokens"] != nil ? "completion_tokens" : "output_tokens"
        guard let input = try FieldReading.tokens(usage[inputKey], field: name("usage.\(inputKey)")) else {
            throw .missing(name("usage.prompt_tokens"))
        }
        guard let output = try FieldReading.tokens(usage[outputKey], field: name("usage.\(outputKey)")) else {
            throw .missing(name("usage.completion_tokens"))
        }
        let inputDetails = inputKey == "prompt_tokens" ? "prompt_tokens_details" : "input_tokens_details"
        let outputDetails = outputKey == "completion_tokens" ? "completion_tokens_details" : "output_tokens_details"
        let cached = try FieldReading.tokens(usage[inputDetails]?["cached_tokens"], field: name("usage.\(inputDetails).cached_tokens"))
        let reasoning = try FieldReading.tokens(usage[outputDetails]?["reasoning_tokens"],
                                                field: name("usage.\(outputDetails).reasoning_tokens"))
        r.usage = TokenUsage(input: input, output: output, cacheRead: cached ?? 0, reasoning: reasoning ?? 0)
        let choices = body["choices"]?.elements ?? []
        if !choices.isEmpty {
            r.responseText = choices.map { Normalise.contentText($0["message"]?["content"]) }.joined(separator: "\n")
        }
        return r
    }
}
