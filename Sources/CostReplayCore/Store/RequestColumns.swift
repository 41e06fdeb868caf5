/// Reading ``TraceRecord`` fields back from the columns of `requests` (``RequestRows`` writes them), and the JSON
/// text of the columns that hold lists and objects.
enum RequestColumns {
    /// Reads a row selected with ``Schema/selectColumns``; `memos` keeps the decoded values of the columns that repeat.
    static func record(from s: SQLiteStatement, parser: JSONParser, memos: inout RequestColumnMemos) -> (TraceRecord, SourceLocation?) {
        var r = TraceRecord(id: s.string(0) ?? "")
        r.kind = kind(s, 1, memos: &memos)
        r.format = memos.format.value(s, 2) { $0 } ?? ""
        let source = s.string(3).map { SourceLocation(file: $0, line: Int(s.int64(4))) }
        r.traceID = s.string(5)
        r.parentID = s.string(6)
        r.sessionID = s.string(7)
        r.userID = memos.user.value(s, 8) { $0 }
        r.tenantID = memos.tenant.value(s, 9) { $0 }
        r.name = memos.name.value(s, 10) { $0 }
        r.operation = memos.operation.value(s, 11) { $0 }
        r.tags = memos.tags.value(s, 12) { text in (try? parser.parse(text)).map { $0.elements.compactMap(\.string) } ?? [] } ?? []
        r.startMicros = s.optionalInt64(13)
        r.endMicros = s.optionalInt64(14)
        r.firstTokenMicros = s.optionalInt64(15)
        r.provider = memos.provider.value(s, 16) { $0 }
        r.model = memos.model.value(s, 17) { $0 }
        r.requestModel = memos.requestModel.value(s, 18) { $0 }
        r.serviceTier = memos.serviceTier.value(s, 19) { $0 }
        r.isBatch = s.int64(20) != 0
        if let input = s.optionalInt64(21) {
            r.usage = TokenUsage(
                input: input, output: s.int64(25), cacheRead: s.int64(22), cacheWrite5m: s.int64(23),
                cacheWrite1h: s.int64(24), reasoning: s.int64(26))
        }
        r.billedCost = s.optionalDouble(27).map(Money.init(dollars:))
        r.billedCostSource = memos.billedCostSource.value(s, 28) { $0 }
        r.promptText = s.string(29)
        r.responseText = s.string(30)
        r.promptHash = s.string(31)
        r.responseHash = s.string(32)
        if let text = s.string(33), let value = try? parser.parse(text) { r.messages = decodeMessages(value) }
        r.prefixHashes = int64s(s.blob(34))
        r.prefixBlockTokens = s.optionalInt64(35).map(Int.init)
        r.embedding = floats(s.blob(36))
        r.quality = memos.quality.value(s, 37) { text in
            var quality: [String: Double] = [:]
            if let value = try? parser.parse(text) { for (key, score) in value.members { quality[key] = score.double } }
            return quality
        } ?? [:]
        r.attributes = memos.attributes.value(s, 38) { decodeAttributes($0, parser: parser) } ?? [:]
        r.cacheHit = s.int64(39) != 0
        return (r, source)
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
        let id = s.string(0) ?? ""
        let start = s.optionalInt64(2)
        let session = s.string(4)
        var usage: TokenUsage?
        if let input = s.optionalInt64(13) {
            usage = TokenUsage(input: input, output: s.int64(17), cacheRead: s.int64(14), cacheWrite5m: s.int64(15),
                               cacheWrite1h: s.int64(16), reasoning: s.int64(18))
        }
        let pricing = PricingInput(model: memos.model.value(s, 9) { $0 }, provider: memos.provider.value(s, 8) { $0 }, startMicros: start,
                                   usage: usage, isBatch: s.int64(11) != 0, serviceTier: memos.serviceTier.value(s, 10) { $0 },
                                   cacheHit: s.int64(12) != 0)
        let attributes = memos.attributes.value(s, 24) { decodeAttributes($0, parser: parser) } ?? [:]
        let promptKeys = PromptKey.keys(text: s.string(20), hash: s.string(21), messages: {
            guard let text = s.string(23), let value = try? parser.parse(text) else { return [] }
            return decodeMessages(value)
        }())
        return SweepRow(
            id: id, kind: kind(s, 1, memos: &memos), startMicros: start ?? 0, endMicros: s.optionalInt64(3), pricingInput: pricing,
            billedCost: s.optionalDouble(19).map(Money.init(dollars:)), spanCost: RecordedRequest.spanCost(attributes),
            scopeKeys: RecordedRequest.scopeKeys(tenant: memos.tenant.value(s, 7) { $0 }, user: memos.user.value(s, 6) { $0 }, session: session),
            promptKeys: promptKeys, modelHash: StableHash.hash(pricing.model ?? ""),
            sessionBlock: RecordedRequest.sessionBlock(session: session, trace: s.string(5), id: id),
            recordedResponseID: ReplayEngine.responseID(s.string(22)))
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
