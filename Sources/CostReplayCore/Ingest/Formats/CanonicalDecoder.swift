/// Reads CostReplay's own JSONL (docs/trace-format.md), the lossless round-trip format.
///
/// The hot path of large ingests: members are visited once and dispatched by name instead of
/// looked up one by one.
public struct CanonicalDecoder: JSONRecordDecoder {
    public let format = TraceFormat.canonical
    public init() {}

    /// The members of one canonical record, gathered in one pass.
    struct Members {
        var id, kind, format, traceID, parentID, sessionID, userID, tenantID, name, operation, tags: JSONValue?
        var start, end, firstToken, provider, model, requestModel, serviceTier, batch, cacheHit: JSONValue?
        var input, cacheRead, cacheWrite5m, cacheWrite1h, output, reasoning, billedCost, billedSource: JSONValue?
        var prompt, response, promptHash, responseHash, messages, prefixHashes, prefixBlock, embedding: JSONValue?
        var quality, attributes: JSONValue?

        init(_ v: JSONValue) {
            let keys = Self.keys
            v.forEachMemberKey { key, value in
                guard let index = keys.position(of: key) else { return }
                switch index {
                case 0: id = value
                case 1: kind = value
                case 2: format = value
                case 3: traceID = value
                case 4: parentID = value
                case 5: sessionID = value
                case 6: userID = value
                case 7: tenantID = value
                case 8: name = value
                case 9: operation = value
                case 10: tags = value
                case 11: start = value
                case 12: end = value
                case 13: firstToken = value
                case 14: provider = value
                case 15: model = value
                case 16: requestModel = value
                case 17: serviceTier = value
                case 18: batch = value
                case 19: cacheHit = value
                case 20: input = value
                case 21: cacheRead = value
                case 22: cacheWrite5m = value
                case 23: cacheWrite1h = value
                case 24: output = value
                case 25: reasoning = value
                case 26: billedCost = value
                case 27: billedSource = value
                case 28: prompt = value
                case 29: response = value
                case 30: promptHash = value
                case 31: responseHash = value
                case 32: messages = value
                case 33: prefixHashes = value
                case 34: prefixBlock = value
                case 35: embedding = value
                case 36: quality = value
                case 37: attributes = value
                default: break
                }
            }
        }

        /// Positions match the cases above.
        static let keys = KeyTable([
            "id", "kind", "format", "trace_id", "parent_id", "session_id", "user_id", "tenant_id", "name", "operation", "tags", "start", "end", "first_token", "provider", "model", "request_model", "service_tier", "batch", "cache_hit", "input_tokens", "cache_read_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens", "output_tokens", "reasoning_tokens", "billed_cost", "billed_cost_source", "prompt", "response", "prompt_hash", "response_hash", "messages", "prefix_hashes", "prefix_block_tokens", "embedding", "quality", "attributes",
        ])
    }

    public mutating func decode(_ v: JSONValue, fallbackID: () -> String, into output: inout DecodeOutput) throws(RecordError) {
        guard v.isObject else { throw RecordError("expected a JSON object") }
        let m = Members(v)
        guard let id = FieldReading.identifier(m.id) else { throw .missing("id") }
        var r = TraceRecord(id: id)
        r.format = try FieldReading.string(m.format, field: "format") ?? TraceFormat.canonical.rawValue
        if let kind = try FieldReading.string(m.kind, field: "kind") {
            guard let parsed = RequestKind(rawValue: kind) else {
                throw RecordError(field: "kind", "unknown kind \"\(kind)\"; expected one of \(RequestKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            r.kind = parsed
        }
        r.traceID = try FieldReading.reference(m.traceID, field: "trace_id")
        r.parentID = try FieldReading.reference(m.parentID, field: "parent_id")
        r.sessionID = try FieldReading.reference(m.sessionID, field: "session_id")
        r.userID = try FieldReading.reference(m.userID, field: "user_id")
        r.tenantID = try FieldReading.reference(m.tenantID, field: "tenant_id")
        r.name = try FieldReading.string(m.name, field: "name")
        r.operation = try FieldReading.string(m.operation, field: "operation")
        r.tags = try FieldReading.strings(m.tags, field: "tags")
        let quick = (Self.quickInstant(m.start), Self.quickInstant(m.end), Self.quickInstant(m.firstToken))
        if quick.0 == nil || quick.1 == nil || quick.2 == nil {
            // In CostReplay's own format a time is a timestamp or absent (null); empty text is neither.
            for (value, field) in [(m.start, "start"), (m.end, "end"), (m.firstToken, "first_token")] where value?.string?.trimmingSpaces.isEmpty == true {
                throw RecordError(field: field, "expected a timestamp or null, found \"\"")
            }
        }
        r.startMicros = try Self.instant(quick.0, m.start, field: "start")
        r.endMicros = try Self.instant(quick.1, m.end, field: "end")
        r.firstTokenMicros = try Self.instant(quick.2, m.firstToken, field: "first_token")
        r.provider = try FieldReading.string(m.provider, field: "provider")
        r.model = try FieldReading.string(m.model, field: "model")
        r.requestModel = try FieldReading.string(m.requestModel, field: "request_model")
        r.serviceTier = try FieldReading.string(m.serviceTier, field: "service_tier")
        r.isBatch = try FieldReading.flag(m.batch, field: "batch")
        r.cacheHit = try FieldReading.flag(m.cacheHit, field: "cache_hit")
        if r.kind == .llm {
            guard let input = try FieldReading.tokens(m.input, field: "input_tokens") else { throw .missing("input_tokens") }
            guard let outputTokens = try FieldReading.tokens(m.output, field: "output_tokens") else { throw .missing("output_tokens") }
            r.usage = TokenUsage(
                input: input, output: outputTokens,
                cacheRead: try FieldReading.tokens(m.cacheRead, field: "cache_read_tokens") ?? 0,
                cacheWrite5m: try FieldReading.tokens(m.cacheWrite5m, field: "cache_write_5m_tokens") ?? 0,
                cacheWrite1h: try FieldReading.tokens(m.cacheWrite1h, field: "cache_write_1h_tokens") ?? 0,
                reasoning: try FieldReading.tokens(m.reasoning, field: "reasoning_tokens") ?? 0)
        }
        let billedSource = try FieldReading.string(m.billedSource, field: "billed_cost_source")
        if let cost = try FieldReading.dollars(m.billedCost, field: "billed_cost") {
            r.billedCost = Money(dollars: cost)
            r.billedCostSource = billedSource ?? "trace"
        }
        r.promptText = try FieldReading.string(m.prompt, field: "prompt")
        r.responseText = try FieldReading.string(m.response, field: "response")
        r.promptHash = try FieldReading.string(m.promptHash, field: "prompt_hash")
        r.responseHash = try FieldReading.string(m.responseHash, field: "response_hash")
        if let messages = m.messages, !messages.isNull {
            guard messages.isArray else { throw RecordError(field: "messages", "expected a list of messages, found \(messages.json.prefix(40))") }
            r.messages = try Self.messages(messages)
        }
        if let hashes = m.prefixHashes, !hashes.isNull {
            guard hashes.isArray else { throw RecordError(field: "prefix_hashes", "expected a list of integers") }
            r.prefixHashes = try hashes.elements.map { h throws(RecordError) in
                guard let value = h.int64 else { throw RecordError(field: "prefix_hashes", "expected a list of integers, found \(h.json.prefix(40)) in it") }
                return value
            }
        }
        if let block = m.prefixBlock, !block.isNull {
            guard let tokens = block.int64, (1...1_000_000).contains(tokens) else {
                throw RecordError(field: "prefix_block_tokens", "expected a whole number from 1 to 1000000, found \(block.json.prefix(40))")
            }
            r.prefixBlockTokens = Int(tokens)
        }
        if let embedding = m.embedding, !embedding.isNull {
            guard embedding.isArray else { throw RecordError(field: "embedding", "expected a list of numbers, found \(embedding.json.prefix(40))") }
            r.embedding = try embedding.elements.map { x throws(RecordError) in
                guard x.type != .string, x.type != .bool, let value = x.double, value.isFinite else {
                    throw RecordError(field: "embedding", "expected a list of finite numbers, found \(x.json.prefix(40)) in it")
                }
                // Products of two components must stay finite in 32-bit floats (cosine similarity).
                guard abs(value) <= 1e15 else {
                    throw RecordError(field: "embedding", "a component of \(x.json.prefix(40)) is out of range (±1e15)")
                }
                return Float(value)
            }
        }
        r.quality = try Self.quality(m.quality)
        m.attributes?.forEachMember { key, value in r.attributes[key] = value.json }
        try Normalise.check(&r)
        output.records.append(r)
    }

    /// The time of a value that is absent, null or ISO 8601 text read in place (the common shapes, with no string
    /// made); nil when the value needs ``FieldReading/instant(_:field:)`` and the empty-text check.
    static func quickInstant(_ value: JSONValue?) -> Int64?? {
        guard let value, !value.isNull else { return .some(nil) }
        guard value.type == .string, let micros = value.withStringBytes({ Timestamp.parseISO(bytes: $0) }) ?? nil else { return nil }
        return micros
    }

    static func instant(_ quick: Int64??, _ value: JSONValue?, field: String) throws(RecordError) -> Int64? {
        if let quick { return quick }
        return try FieldReading.instant(value, field: field)
    }

    /// Scores and outcomes by name: finite numbers; `correct:<model>` outcomes are 0 or 1.
    static func quality(_ value: JSONValue?) throws(RecordError) -> [String: Double] {
        guard let value, !value.isNull else { return [:] }
        guard value.isObject else { throw RecordError(field: "quality", "expected an object of scores, found \(value.json.prefix(40))") }
        var result: [String: Double] = [:]
        for (key, score) in value.members {
            guard score.type != .string, score.type != .bool, let number = score.double, number.isFinite, abs(number) <= 1e9 else {
                throw RecordError(field: "quality.\(key.prefix(60))", "expected a finite number, found \(score.json.prefix(40))")
            }
            if key.hasPrefix("correct:") && number != 0 && number != 1 {
                throw RecordError(field: "quality.\(key.prefix(60))", "an outcome is 0 or 1, found \(score.json.prefix(40))")
            }
            result[key] = number
        }
        return result
    }

    static func messages(_ value: JSONValue) throws(RecordError) -> [MessageInfo] {
        try value.elements.enumerated().map { (index, m) throws(RecordError) in
            guard let tokens = try FieldReading.tokens(m["tokens"], field: "messages[\(index)].tokens") else {
                throw .missing("messages[\(index)].tokens")
            }
            return MessageInfo(role: m["role"]?.string ?? "user", tokens: tokens, hash: m["hash"]?.string,
                               estimated: m["estimated"]?.bool ?? false, score: m["score"]?.double)
        }
    }
}
