/// Reads OpenAI Batch API files: input lines (`custom_id`, `body`), output lines and error-file
/// lines (`custom_id`, `response` with `status_code` and `body`), joined by `custom_id` whatever
/// order the files come in.
///
/// Token convention (OpenAI): `prompt_tokens` includes `prompt_tokens_details.cached_tokens`
/// and `completion_tokens` includes `completion_tokens_details.reasoning_tokens`, the same as
/// CostReplay's; embeddings have input only. Batch results are billed at the batch rate, so
/// records are flagged `isBatch`.
///
/// Each line is counted in its own file: a joined request is stored from its output line, its
/// input line counts as merged; a failed request (status ≥ 400 or `error` set) is rejected once,
/// at its output line; an input line whose output never arrives is rejected at the end. Storing an
/// output removes the "no matching output" rejection an earlier ingest of the input alone left.
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
    var outputs: [String: (record: TraceRecord, location: SourceLocation)] = [:]
    /// custom_ids whose output line was read (stored or failed): their input lines are settled.
    var settled: Set<String> = []
    var location = SourceLocation(file: "", line: 0)

    public init() {}

    public mutating func willDecode(at location: SourceLocation) { self.location = location }

    public mutating func decode(_ v: JSONValue, fallbackID: () -> String, into output: inout DecodeOutput) throws(RecordError) {
        guard let customID = FieldReading.identifier(v["custom_id"]) else { throw .missing("custom_id") }
        if let body = v["body"] {
            readInput(customID, body: body, raw: v.json, into: &output)
            return
        }
        guard let response = v["response"] else { throw .missing("response") }
        settled.insert(customID)
        output.settledReasons.append(Self.unmatchedReason(customID))
        if let failure = Self.failure(customID, line: v, response: response) {
            if let input = inputs.removeValue(forKey: customID) { output.foldedLines.append(input.location) }
            output.placedErrors.append((location, failure, v.json))
            return
        }
        guard let body = response["body"] else { throw .missing("response.body") }
        var record = try ChatCompletion.record(body, id: "openai-batch:" + customID, field: "response.body")
        record.format = format.rawValue
        record.isBatch = true
        record.attributes["custom_id"] = JSONText.quote(customID)
        if let requestID = response["request_id"]?.string { record.attributes["request_id"] = JSONText.quote(requestID) }
        if let input = inputs.removeValue(forKey: customID) {
            Self.merge(input, into: &record)
            output.foldedLines.append(input.location)
            output.records.append(record)
        } else {
            outputs[customID] = (record, location)
        }
    }

    mutating func readInput(_ customID: String, body: JSONValue, raw: String, into output: inout DecodeOutput) {
        let (messages, prompt) = Normalise.chatMessages(body["messages"] ?? body["input"] ?? body)
        let input = PendingInput(model: body["model"]?.string, messages: messages, prompt: prompt, raw: raw, location: location)
        if var pending = outputs.removeValue(forKey: customID) {
            Self.merge(input, into: &pending.record)
            output.placedRecords.append((pending.location, pending.record))
            output.foldedLines.append(location)
        } else if settled.contains(customID) {
            output.foldedLines.append(location)  // its output failed and was rejected there
        } else {
            inputs[customID] = input
        }
    }

    public mutating func finish(into output: inout DecodeOutput) {
        // Outputs without their input are complete for pricing; only the prompt text is missing.
        for key in outputs.keys.sorted() { output.placedRecords.append((outputs[key]!.location, outputs[key]!.record)) }
        outputs.removeAll()
        for key in inputs.keys.sorted() {
            let input = inputs[key]!
            output.placedErrors.append((input.location, RecordError(field: "custom_id", Self.unmatchedReason(key)), input.raw))
        }
        inputs.removeAll()
    }

    static func unmatchedReason(_ customID: String) -> String {
        "batch input request \(customID) has no matching output line; its tokens and cost are unknown"
    }

    /// Why a batch request failed, or nil when it succeeded.
    static func failure(_ customID: String, line: JSONValue, response: JSONValue) -> RecordError? {
        if let error = line["error"], !error.isNull {
            return RecordError(field: "error", "batch request \(customID) failed: \(error["message"]?.string ?? error.json)")
        }
        let status = response["status_code"]?.int64 ?? 200
        let error = response["body"]?["error"]
        guard status >= 400 || (error != nil && error?.isNull == false) else { return nil }
        let message = error?["message"]?.string ?? error?.json ?? "no error message"
        return RecordError(field: "response.body.error", "batch request \(customID) failed with status \(status): \(message)")
    }

    static func merge(_ input: PendingInput, into record: inout TraceRecord) {
        record.requestModel = input.model
        record.messages = input.messages
        record.promptText = input.prompt
        record.promptHash = StableHash.hex(input.prompt)
    }
}
