/// Reads CostReplay's own JSONL (docs/trace-format.md), the lossless round-trip format.
public struct CanonicalDecoder: JSONRecordDecoder {
    public let format = TraceFormat.canonical
    public init() {}

    public mutating func decode(_ v: JSONValue, fallbackID: String, into output: inout DecodeOutput) throws(RecordError) {
        guard v.isObject else { throw RecordError("expected a JSON object") }
        guard let id = FieldReading.identifier(v["id"]) else { throw .missing("id") }
        var r = TraceRecord(id: id)
        r.format = v["format"]?.string ?? TraceFormat.canonical.rawValue
        if let kind = v["kind"]?.string {
            guard let parsed = RequestKind(rawValue: kind) else {
                throw RecordError(field: "kind", "unknown kind \"\(kind)\"; expected one of \(RequestKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            r.kind = parsed
        }
        r.traceID = v["trace_id"]?.text
        r.parentID = v["parent_id"]?.text
        r.sessionID = v["session_id"]?.text
        r.userID = v["user_id"]?.text
        r.tenantID = v["tenant_id"]?.text
        r.name = v["name"]?.string
        r.operation = v["operation"]?.string
        if let tags = v["tags"] { r.tags = tags.elements.compactMap(\.text) }
        r.startMicros = try FieldReading.instant(v["start"], field: "start")
        r.endMicros = try FieldReading.instant(v["end"], field: "end")
        r.firstTokenMicros = try FieldReading.instant(v["first_token"], field: "first_token")
        r.provider = v["provider"]?.string
        r.model = v["model"]?.string
        r.requestModel = v["request_model"]?.string
        r.serviceTier = v["service_tier"]?.string
        r.isBatch = v["batch"]?.bool ?? false
        r.cacheHit = v["cache_hit"]?.bool ?? false
        if r.kind == .llm {
            guard let input = try FieldReading.tokens(v["input_tokens"], field: "input_tokens") else {
                throw .missing("input_tokens")
            }
            guard let outputTokens = try FieldReading.tokens(v["output_tokens"], field: "output_tokens") else {
                throw .missing("output_tokens")
            }
            r.usage = TokenUsage(
                input: input, output: outputTokens,
                cacheRead: try FieldReading.tokens(v["cache_read_tokens"], field: "cache_read_tokens") ?? 0,
                cacheWrite5m: try FieldReading.tokens(v["cache_write_5m_tokens"], field: "cache_write_5m_tokens") ?? 0,
                cacheWrite1h: try FieldReading.tokens(v["cache_write_1h_tokens"], field: "cache_write_1h_tokens") ?? 0,
                reasoning: try FieldReading.tokens(v["reasoning_tokens"], field: "reasoning_tokens") ?? 0)
        }
        if let cost = try FieldReading.dollars(v["billed_cost"], field: "billed_cost") {
            r.billedCost = Money(dollars: cost)
            r.billedCostSource = v["billed_cost_source"]?.string ?? "trace"
        }
        r.promptText = v["prompt"]?.string
        r.responseText = v["response"]?.string
        r.promptHash = v["prompt_hash"]?.string
        r.responseHash = v["response_hash"]?.string
        if let messages = v["messages"] {
            r.messages = try messages.elements.enumerated().map { (index, m) throws(RecordError) in
                guard let tokens = try FieldReading.tokens(m["tokens"], field: "messages[\(index)].tokens") else {
                    throw .missing("messages[\(index)].tokens")
                }
                return MessageInfo(role: m["role"]?.string ?? "user", tokens: tokens, hash: m["hash"]?.string,
                                   estimated: m["estimated"]?.bool ?? false)
            }
        }
        if let hashes = v["prefix_hashes"] { r.prefixHashes = hashes.elements.compactMap(\.int64) }
        r.prefixBlockTokens = v["prefix_block_tokens"]?.int64.map(Int.init)
        if let embedding = v["embedding"] { r.embedding = embedding.elements.compactMap { $0.double.map(Float.init) } }
        if let quality = v["quality"] {
            for (key, value) in quality.members { if let score = value.double { r.quality[key] = score } }
        }
        if let attributes = v["attributes"] {
            for (key, value) in attributes.members { r.attributes[key] = value.json }
        }
        try Normalise.check(&r)
        output.records.append(r)
    }
}
