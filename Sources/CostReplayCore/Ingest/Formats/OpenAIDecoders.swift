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
            record.requestModel = try FieldReading.string(requestBody["model"], field: "request.model")
            if let messages = requestBody["messages"] {
                let (infos, prompt) = Normalise.chatMessages(messages)
                record.messages = infos
                record.promptText = prompt
            }
            record.userID = try FieldReading.reference(requestBody["user"], field: "request.user")
            if let tier = try FieldReading.string(requestBody["service_tier"], field: "request.service_tier"), record.serviceTier == nil {
                record.serviceTier = tier
            }
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
        guard let model = try FieldReading.string(body["model"], field: name("model")) else { throw .missing(name("model")) }
        r.model = model
        r.serviceTier = try FieldReading.string(body["service_tier"], field: name("service_tier"))
        let createdKey = body["created"] != nil ? "created" : "created_at"
        if let created = try FieldReading.epochSeconds(body[createdKey], field: name(createdKey)) { r.startMicros = created }
        guard let usage = body["usage"], usage.isObject else { throw .missing(name("usage")) }
        // Chat Completions names them prompt/completion; the Responses API input/output.
        let inputKey = usage["prompt_tokens"] != nil ? "prompt_tokens" : "input_tokens"
        let outputKey = usage["completion_tokens"] != nil ? "completion_tokens" : "output_tokens"
        guard let input = try FieldReading.tokens(usage[inputKey], field: name("usage.\(inputKey)")) else {
            throw .missing(name("usage.prompt_tokens"))
        }
        // Embeddings bill input only: their usage has no output count.
        let isEmbedding = body["object"]?.string == "list" && usage[outputKey] == nil
        if isEmbedding { r.operation = "embeddings" }
        guard let output = try FieldReading.tokens(usage[outputKey], field: name("usage.\(outputKey)"))
            ?? (isEmbedding ? 0 : nil) else {
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
