/// Reads OTLP JSON (the collector's file exporter, one `ExportTraceServiceRequest` per line or
/// per file) with the OpenTelemetry GenAI semantic conventions or the OpenInference dialect.
///
/// Token convention: the GenAI conventions count cached tokens inside
/// `gen_ai.usage.input_tokens` (cache read and creation are parts of it), as does OpenInference's
/// `llm.token_count.prompt`; both match CostReplay's convention, so nothing is added.
/// Spans without usage (agent, tool, retrieval) are kept as structure under their trace. Spans that
/// describe a call another span already counted are kept as structure too (``SameCallFilter``).
/// Ids are stored as hex whatever their encoding (``OTLPIdentifier``).
public struct OTLPDecoder: JSONRecordDecoder {
    public let format = TraceFormat.otlp
    var sameCall = SameCallFilter()
    let nested = JSONParser()
    public init() {}

    public mutating func decode(_ v: JSONValue, fallbackID: () -> String, into output: inout DecodeOutput) throws(RecordError) {
        guard let resourceSpans = v["resourceSpans"], resourceSpans.isArray else { throw .missing("resourceSpans") }
        var item = 0
        for resourceSpan in resourceSpans.elements {
            let resource = OTLPAttributes(resourceSpan["resource"]?["attributes"])
            let scopes = (resourceSpan["scopeSpans"] ?? resourceSpan["instrumentationLibrarySpans"])?.elements ?? []
            for scope in scopes {
                for span in scope["spans"]?.elements ?? [] {
                    item += 1
                    do throws(RecordError) {
                        var decoded = try record(span, resource: resource)
                        let responseID = OTLPAttributes(span["attributes"]).string("gen_ai.response.id")
                        if let kept = sameCall.duplicateOf(decoded, responseID: responseID) {
                            decoded.usage = nil
                            decoded.kind = .other
                            decoded.attributes["same_call_as"] = JSONText.quote(kept)
                            output.mergedRecords.append(decoded)
                        } else {
                            output.records.append(decoded)
                        }
                    } catch {
                        output.itemErrors.append((item, error))
                    }
                }
            }
        }
    }

    func record(_ span: JSONValue, resource: OTLPAttributes) throws(RecordError) -> TraceRecord {
        guard let spanID = OTLPIdentifier.normalised(span["spanId"]) else { throw .missing("spanId") }
        let traceID = OTLPIdentifier.normalised(span["traceId"])
        let a = OTLPAttributes(span["attributes"])
        var r = TraceRecord(id: "otlp:" + (traceID ?? "") + ":" + spanID)
        r.format = format.rawValue
        r.traceID = traceID
        r.parentID = OTLPIdentifier.normalised(span["parentSpanId"]).map { "otlp:" + (traceID ?? "") + ":" + $0 }
        r.name = span["name"]?.string
        r.startMicros = try FieldReading.instant(span["startTimeUnixNano"], field: "startTimeUnixNano")
        r.endMicros = try FieldReading.instant(span["endTimeUnixNano"], field: "endTimeUnixNano")
        r.operation = a.string("gen_ai.operation.name") ?? a.string("openinference.span.kind")?.lowercased()
        r.requestModel = a.string("gen_ai.request.model")
        r.model = a.string("gen_ai.response.model") ?? r.requestModel ?? a.string("llm.model_name")
            ?? a.string("embedding.model_name") ?? a.string("langfuse.observation.model.name")
        r.provider = a.string("gen_ai.provider.name") ?? a.string("gen_ai.system") ?? a.string("llm.provider")
            ?? a.string("llm.system")
        r.sessionID = a.string("gen_ai.conversation.id") ?? a.string("session.id")
        r.userID = a.string("user.id") ?? a.string("enduser.id") ?? resource.string("user.id")
        r.tenantID = a.string("tenant.id") ?? resource.string("tenant.id")
        r.serviceTier = a.string("gen_ai.openai.response.service_tier") ?? a.string("openai.response.service_tier")
            ?? a.string("gen_ai.openai.request.service_tier")
        r.tags = a.strings("tag.tags")
        if let service = resource.string("service.name") { r.attributes["service.name"] = JSONText.quote(service) }
        if let response = a.string("gen_ai.response.id") { r.attributes["gen_ai.response.id"] = JSONText.quote(response) }
        try readUsage(a, into: &r)
        var cost = try a.double("gen_ai.usage.cost", field: "gen_ai.usage.cost")
        if cost == nil { cost = try a.double("llm.cost.total", field: "llm.cost.total") }
        if let cost {
            r.billedCost = Money(dollars: cost)
            r.billedCostSource = "trace"
        }
        r.promptText = a.string("gen_ai.input.messages") ?? a.string("gen_ai.prompt") ?? a.string("input.value")
        r.responseText = a.string("gen_ai.output.messages") ?? a.string("gen_ai.completion") ?? a.string("output.value")
        Normalise.fillHashes(&r)
        r.kind = kind(of: r, attributes: a)
        try Normalise.check(&r)
        return r
    }

    func readUsage(_ a: OTLPAttributes, into r: inout TraceRecord) throws(RecordError) {
        let input = try a.tokens(["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt"])
        let output = try a.tokens(["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion"])
        guard input != nil || output != nil else {
            try readLangfuseUsage(a, into: &r)
            return
        }
        let cacheRead = try a.tokens(["gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens",
                                      "llm.token_count.prompt_details.cache_read"])
        // The Anthropic SDK's own spans name writes `cache_write` and split off the 1-hour part.
        let cacheWrite = try a.tokens(["gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_write.input_tokens",
                                       "gen_ai.usage.cache_creation_input_tokens", "llm.token_count.prompt_details.cache_write"])
        let oneHourKey = "anthropic.usage.cache_creation.ephemeral_1h_input_tokens"
        let oneHour = try a.tokens([oneHourKey]) ?? 0
        let fiveMinutes = try a.tokens(["anthropic.usage.cache_creation.ephemeral_5m_input_tokens"])
        let writes = cacheWrite ?? ((fiveMinutes ?? 0) + oneHour)
        guard oneHour <= writes else {
            throw RecordError(field: oneHourKey, "1-hour cache writes (\(oneHour)) exceed all cache writes (\(writes))")
        }
        let reasoning = try a.tokens(["gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens",
                                      "llm.token_count.completion_details.reasoning"])
        r.usage = TokenUsage(input: input ?? 0, output: output ?? 0, cacheRead: cacheRead ?? 0,
                             cacheWrite5m: writes - oneHour, cacheWrite1h: oneHour, reasoning: reasoning ?? 0)
    }

    /// The Langfuse SDK's spans carry usage as one JSON attribute in Langfuse's own usage types.
    func readLangfuseUsage(_ a: OTLPAttributes, into r: inout TraceRecord) throws(RecordError) {
        let key = "langfuse.observation.usage_details"
        guard let text = a.string(key) else { return }
        guard let details = try? nested.parse(text), details.isObject else {
            throw RecordError(field: key, "expected a JSON object of usage types, found \"\(text.prefix(40))\"")
        }
        do throws(RecordError) { r.usage = try LangfuseUsage.read(details) } catch {
            throw RecordError(field: key, error.reason)
        }
    }

    func kind(of r: TraceRecord, attributes a: OTLPAttributes) -> RequestKind {
        if r.usage != nil { return .llm }
        switch (a.string("openinference.span.kind") ?? "").uppercased() {
        case "TOOL": return .tool
        case "RETRIEVER", "RERANKER": return .retrieval
        case "AGENT", "CHAIN": return .agent
        case "LLM", "EMBEDDING": return .llm
        default: break
        }
        switch r.operation ?? "" {
        case "execute_tool": return .tool
        case "invoke_agent", "create_agent": return .agent
        case "chat", "text_completion", "generate_content", "embeddings": return .llm
        default: return r.model == nil ? .other : .llm
        }
    }
}

/// The `attributes` list of an OTLP span or resource: `[{key, value: {stringValue | intValue | …}}]`.
struct OTLPAttributes {
    var values: [String: JSONValue] = [:]

    init(_ list: JSONValue?) {
        guard let list else { return }
        for entry in list.elements {
            if let key = entry["key"]?.string, let value = entry["value"] { values[key] = value }
        }
    }

    /// The scalar inside an AnyValue.
    func scalar(_ key: String) -> JSONValue? {
        guard let any = values[key] else { return nil }
        return any["stringValue"] ?? any["intValue"] ?? any["doubleValue"] ?? any["boolValue"]
    }

    func string(_ key: String) -> String? { scalar(key)?.text }

    func strings(_ key: String) -> [String] {
        guard let any = values[key] else { return [] }
        if let array = any["arrayValue"]?["values"] { return array.elements.compactMap { $0["stringValue"]?.string } }
        if let text = any["stringValue"]?.string { return [text] }
        return []
    }

    /// The scalar of a numeric attribute; present with another kind of value (an array, a map) is an error.
    func number(_ key: String) throws(RecordError) -> JSONValue? {
        guard let any = values[key] else { return nil }
        if let value = scalar(key) { return value }
        if any.isNull || (any.isObject && any.members.isEmpty) { return nil }
        throw RecordError(field: key, "expected a number attribute (intValue or doubleValue), found \(any.json.prefix(40))")
    }

    func tokens(_ keys: [String]) throws(RecordError) -> Int64? {
        for key in keys { if let value = try number(key) { return try FieldReading.tokens(value, field: key) } }
        return nil
    }

    func double(_ key: String, field: String) throws(RecordError) -> Double? {
        try FieldReading.dollars(try number(key), field: field)
    }
}
