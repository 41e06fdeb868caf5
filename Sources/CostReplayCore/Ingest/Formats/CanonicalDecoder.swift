private typealias F = TraceField

/// Reads CostReplay's own JSONL (docs/trace-format.md), the lossless round-trip format.
///
/// The hot path of large ingests: members are visited once and dispatched by name instead of
/// looked up one by one.
public struct CanonicalDecoder: JSONRecordDecoder {
    public let format = TraceFormat.canonical
    public init() {}

    /// The members of one canonical record, gathered in one pass, by ``TraceField``.
    struct Members {
        private var values = InlineArray<40, JSONValue?>(repeating: nil)

        init(_ v: JSONValue) {
            let keys = Self.keys
            v.forEachMemberKey { key, value in
                if let position = keys.position(of: key) { values[position] = value }
            }
        }

        subscript(field: TraceField) -> JSONValue? { values[field.rawValue] }

        /// Each canonical member's name at its field's position (the source file and line are not members).
        static let keys = KeyTable(TraceField.allCases.map { $0.isCanonicalMember ? $0.member : "" })
    }

    public mutating func decode(_ v: JSONValue, fallbackID: () -> String, into output: inout DecodeOutput) throws(RecordError) {
        guard v.isObject else { throw RecordError("expected a JSON object") }
        let m = Members(v)
        guard let id = FieldReading.identifier(m[.id]) else { throw .missing(F.id.member) }
        var r = TraceRecord(id: id)
        r.format = try FieldReading.string(m[.format], field: F.format.member) ?? TraceFormat.canonical.rawValue
        if let kind = try FieldReading.string(m[.kind], field: F.kind.member) {
            guard let parsed = RequestKind(rawValue: kind) else {
                throw RecordError(field: F.kind.member, "unknown kind \"\(kind)\"; expected one of \(RequestKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            r.kind = parsed
        }
        r.traceID = try FieldReading.reference(m[.traceID], field: F.traceID.member)
        r.parentID = try FieldReading.reference(m[.parentID], field: F.parentID.member)
        r.sessionID = try FieldReading.reference(m[.sessionID], field: F.sessionID.member)
        r.userID = try FieldReading.reference(m[.userID], field: F.userID.member)
        r.tenantID = try FieldReading.reference(m[.tenantID], field: F.tenantID.member)
        r.name = try FieldReading.string(m[.name], field: F.name.member)
        r.operation = try FieldReading.string(m[.operation], field: F.operation.member)
        r.tags = try FieldReading.strings(m[.tags], field: F.tags.member)
        let quick = (Self.quickInstant(m[.start]), Self.quickInstant(m[.end]), Self.quickInstant(m[.firstToken]))
        if quick.0 == nil || quick.1 == nil || quick.2 == nil {
            // In CostReplay's own format a time is a timestamp or absent (null); empty text is neither.
            for (value, field) in [(m[.start], F.start.member), (m[.end], F.end.member), (m[.firstToken], F.firstToken.member)] where value?.string?.trimmingSpaces.isEmpty == true {
                throw RecordError(field: field, "expected a timestamp or null, found \"\"")
            }
        }
        r.startMicros = try Self.instant(quick.0, m[.start], field: F.start.member)
        r.endMicros = try Self.instant(quick.1, m[.end], field: F.end.member)
        r.firstTokenMicros = try Self.instant(quick.2, m[.firstToken], field: F.firstToken.member)
        r.provider = try FieldReading.string(m[.provider], field: F.provider.member)
        r.model = try FieldReading.string(m[.model], field: F.model.member)
        r.requestModel = try FieldReading.string(m[.requestModel], field: F.requestModel.member)
        r.serviceTier = try FieldReading.string(m[.serviceTier], field: F.serviceTier.member)
        r.isBatch = try FieldReading.flag(m[.batch], field: F.batch.member)
        r.cacheHit = try FieldReading.flag(m[.cacheHit], field: F.cacheHit.member)
        if r.kind == .llm {
            guard let input = try FieldReading.tokens(m[.inputTokens], field: F.inputTokens.member) else { throw .missing(F.inputTokens.member) }
            guard let outputTokens = try FieldReading.tokens(m[.outputTokens], field: F.outputTokens.member) else { throw .missing(F.outputTokens.member) }
            r.usage = TokenUsage(
                input: input, output: outputTokens,
                cacheRead: try FieldReading.tokens(m[.cacheReadTokens], field: F.cacheReadTokens.member) ?? 0,
                cacheWrite5m: try FieldReading.tokens(m[.cacheWrite5mTokens], field: F.cacheWrite5mTokens.member) ?? 0,
                cacheWrite1h: try FieldReading.tokens(m[.cacheWrite1hTokens], field: F.cacheWrite1hTokens.member) ?? 0,
                reasoning: try FieldReading.tokens(m[.reasoningTokens], field: F.reasoningTokens.member) ?? 0)
        }
        let billedSource = try FieldReading.string(m[.billedCostSource], field: F.billedCostSource.member)
        if let cost = try FieldReading.dollars(m[.billedCost], field: F.billedCost.member) {
            r.billedCost = Money(dollars: cost)
            r.billedCostSource = billedSource ?? "trace"
        }
        r.promptText = try FieldReading.string(m[.prompt], field: F.prompt.member)
        r.responseText = try FieldReading.string(m[.response], field: F.response.member)
        r.promptHash = try FieldReading.string(m[.promptHash], field: F.promptHash.member)
        r.responseHash = try FieldReading.string(m[.responseHash], field: F.responseHash.member)
        if let messages = m[.messages], !messages.isNull {
            guard messages.isArray else { throw RecordError(field: F.messages.member, "expected a list of messages, found \(messages.json.prefix(40))") }
            r.messages = try Self.messages(messages)
        }
        if let hashes = m[.prefixHashes], !hashes.isNull {
            guard hashes.isArray else { throw RecordError(field: F.prefixHashes.member, "expected a list of integers") }
            r.prefixHashes = try hashes.elements.map { h throws(RecordError) in
                guard let value = h.int64 else { throw RecordError(field: F.prefixHashes.member, "expected a list of integers, found \(h.json.prefix(40)) in it") }
                return value
            }
        }
        if let block = m[.prefixBlockTokens], !block.isNull {
            guard let tokens = block.int64, (1...1_000_000).contains(tokens) else {
                throw RecordError(field: F.prefixBlockTokens.member, "expected a whole number from 1 to 1000000, found \(block.json.prefix(40))")
            }
            r.prefixBlockTokens = Int(tokens)
        }
        if let embedding = m[.embedding], !embedding.isNull {
            guard embedding.isArray else { throw RecordError(field: F.embedding.member, "expected a list of numbers, found \(embedding.json.prefix(40))") }
            r.embedding = try embedding.elements.map { x throws(RecordError) in
                guard x.type != .string, x.type != .bool, let value = x.double, value.isFinite else {
                    throw RecordError(field: F.embedding.member, "expected a list of finite numbers, found \(x.json.prefix(40)) in it")
                }
                // Products of two components must stay finite in 32-bit floats (cosine similarity).
                guard abs(value) <= 1e15 else {
                    throw RecordError(field: F.embedding.member, "a component of \(x.json.prefix(40)) is out of range (±1e15)")
                }
                return Float(value)
            }
        }
        r.quality = try Self.quality(m[.quality])
        m[.attributes]?.forEachMember { key, value in r.attributes[key] = value.json }
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
        guard value.isObject else { throw RecordError(field: F.quality.member, "expected an object of scores, found \(value.json.prefix(40))") }
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
