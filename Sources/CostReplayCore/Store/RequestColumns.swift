private typealias F = TraceField

/// Reading ``TraceRecord`` fields back from the columns of `requests` (``RequestRows`` writes them), and the JSON
/// text of the columns that hold lists and objects.
enum RequestColumns {
    /// Reads a row selected with ``Schema/selectColumns``; `memos` keeps the decoded values of the columns that repeat.
    static func record(from s: SQLiteStatement, parser: JSONParser, memos: inout RequestColumnMemos) -> (TraceRecord, SourceLocation?) {
        var r = TraceRecord(id: s.string(F.id.index) ?? "")
        r.kind = kind(s, F.kind.index, memos: &memos)
        r.format = memos.format.value(s, F.format.index) { $0 } ?? ""
        let source = s.string(F.sourceFile.index).map { SourceLocation(file: $0, line: Int(s.int64(F.sourceLine.index))) }
        r.traceID = s.string(F.traceID.index)
        r.parentID = s.string(F.parentID.index)
        r.sessionID = s.string(F.sessionID.index)
        r.userID = memos.user.value(s, F.userID.index) { $0 }
        r.tenantID = memos.tenant.value(s, F.tenantID.index) { $0 }
        r.name = memos.name.value(s, F.name.index) { $0 }
        r.operation = memos.operation.value(s, F.operation.index) { $0 }
        r.tags = memos.tags.value(s, F.tags.index) { text in (try? parser.parse(text)).map { $0.elements.compactMap(\.string) } ?? [] } ?? []
        r.startMicros = s.optionalInt64(F.start.index)
        r.endMicros = s.optionalInt64(F.end.index)
        r.firstTokenMicros = s.optionalInt64(F.firstToken.index)
        r.provider = memos.provider.value(s, F.provider.index) { $0 }
        r.model = memos.model.value(s, F.model.index) { $0 }
        r.requestModel = memos.requestModel.value(s, F.requestModel.index) { $0 }
        r.serviceTier = memos.serviceTier.value(s, F.serviceTier.index) { $0 }
        r.isBatch = s.int64(F.batch.index) != 0
        r.usage = usage(s) { $0.index }
        r.billedCost = s.optionalDouble(F.billedCost.index).map(Money.init(dollars:))
        r.billedCostSource = memos.billedCostSource.value(s, F.billedCostSource.index) { $0 }
        r.promptText = s.string(F.prompt.index)
        r.responseText = s.string(F.response.index)
        r.promptHash = s.string(F.promptHash.index)
        r.responseHash = s.string(F.responseHash.index)
        if let text = s.string(F.messages.index), let value = try? parser.parse(text) { r.messages = decodeMessages(value) }
        r.prefixHashes = int64s(s.blob(F.prefixHashes.index))
        r.prefixBlockTokens = s.optionalInt64(F.prefixBlockTokens.index).map(Int.init)
        r.embedding = floats(s.blob(F.embedding.index))
        r.quality = memos.quality.value(s, F.quality.index) { text in
            var quality: [String: Double] = [:]
            if let value = try? parser.parse(text) { for (key, score) in value.members { quality[key] = score.double } }
            return quality
        } ?? [:]
        r.attributes = memos.attributes.value(s, F.attributes.index) { decodeAttributes($0, parser: parser) } ?? [:]
        r.cacheHit = s.int64(F.cacheHit.index) != 0
        return (r, source)
    }

    /// The token counts of a model call (input stored), from the columns at `position(field)`.
    @inline(__always)
    static func usage(_ s: SQLiteStatement, _ position: (TraceField) -> Int32) -> TokenUsage? {
        guard let input = s.optionalInt64(position(.inputTokens)) else { return nil }
        return TokenUsage(
            input: input, output: s.int64(position(.outputTokens)), cacheRead: s.int64(position(.cacheReadTokens)),
            cacheWrite5m: s.int64(position(.cacheWrite5mTokens)), cacheWrite1h: s.int64(position(.cacheWrite1hTokens)),
            reasoning: s.int64(position(.reasoningTokens)))
    }

    static func kind(_ s: SQLiteStatement, _ column: Int32, memos: inout RequestColumnMemos) -> RequestKind {
        memos.kind.value(s, column) { RequestKind(rawValue: $0) ?? .other } ?? .other
    }

    static func decodeAttributes(_ text: String, parser: JSONParser) -> [String: String] {
        var attributes: [String: String] = [:]
        if let value = try? parser.parse(text) { for (key, raw) in value.members { attributes[key] = raw.json } }
        return attributes
    }

    /// Reads a row selected with ``Schema/sweepColumns``; `usage` comes back for the caller to check.
    static func sweepRow(from s: SQLiteStatement, parser: JSONParser, memos: inout RequestColumnMemos) -> SweepRow {
        let p = Schema.sweepPositions
        let id = s.string(p[.id]) ?? ""
        let start = s.optionalInt64(p[.start])
        let session = s.string(p[.sessionID])
        let pricing = PricingInput(model: memos.model.value(s, p[.model]) { $0 }, provider: memos.provider.value(s, p[.provider]) { $0 },
                                   startMicros: start, usage: usage(s) { p[$0] }, isBatch: s.int64(p[.batch]) != 0,
                                   serviceTier: memos.serviceTier.value(s, p[.serviceTier]) { $0 }, cacheHit: s.int64(p[.cacheHit]) != 0)
        let attributes = memos.attributes.value(s, p[.attributes]) { decodeAttributes($0, parser: parser) } ?? [:]
        let promptKeys = PromptKey.keys(text: s.string(p[.prompt]), hash: s.string(p[.promptHash]), messages: {
            guard let text = s.string(p[.messages]), let value = try? parser.parse(text) else { return [] }
            return decodeMessages(value)
        }())
        return SweepRow(
            id: id, kind: kind(s, p[.kind], memos: &memos), startMicros: start ?? 0, endMicros: s.optionalInt64(p[.end]),
            pricingInput: pricing, billedCost: s.optionalDouble(p[.billedCost]).map(Money.init(dollars:)),
            spanCost: RecordedRequest.spanCost(attributes),
            scopeKeys: RecordedRequest.scopeKeys(tenant: memos.tenant.value(s, p[.tenantID]) { $0 }, user: memos.user.value(s, p[.userID]) { $0 },
                                                 session: session),
            promptKeys: promptKeys, modelHash: StableHash.hash(pricing.model ?? ""),
            sessionBlock: RecordedRequest.sessionBlock(session: session, trace: s.string(p[.traceID]), id: id),
            recordedResponseID: ReplayEngine.responseID(s.string(p[.responseHash])))
    }

    static func encodeMessages(_ messages: [MessageInfo]) -> String {
        "[" + messages.map { m in
            var o = JSONText.Object()
            o.add("role", m.role)
            o.add("tokens", m.tokens)
            o.add("hash", m.hash)
            if m.estimated { o.add("estimated", true) }
            o.add("score", m.score)
            return o.text
        }.joined(separator: ",") + "]"
    }

    static func decodeMessages(_ value: JSONValue) -> [MessageInfo] {
        value.elements.map { m in
            MessageInfo(role: m["role"]?.string ?? "", tokens: m["tokens"]?.int64 ?? 0, hash: m["hash"]?.string,
                        estimated: m["estimated"]?.bool ?? false, score: m["score"]?.double)
        }
    }

    static func encodeQuality(_ quality: [String: Double]) -> String {
        var o = JSONText.Object()
        for key in quality.keys.sorted() { o.add(key, quality[key]) }
        return o.text
    }

    static func encodeAttributes(_ attributes: [String: String]) -> String {
        var o = JSONText.Object()
        for key in attributes.keys.sorted() { o.add(key, raw: attributes[key]) }
        return o.text
    }

    static func int64Blob(_ values: [Int64]) -> [UInt8] {
        values.withUnsafeBytes { Array($0) }
    }

    static func floatBlob(_ values: [Float]) -> [UInt8] {
        values.withUnsafeBytes { Array($0) }
    }

    static func int64s(_ bytes: [UInt8]) -> [Int64] {
        guard bytes.count >= 8 else { return [] }
        return bytes.withUnsafeBytes { raw in (0..<bytes.count / 8).map { raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self) } }
    }

    static func floats(_ bytes: [UInt8]) -> [Float] {
        guard bytes.count >= 4 else { return [] }
        return bytes.withUnsafeBytes { raw in (0..<bytes.count / 4).map { raw.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) } }
    }
}
