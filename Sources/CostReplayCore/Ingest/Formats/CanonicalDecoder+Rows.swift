/// Canonical records written straight from their JSON into ready-to-bind rows, with no ``TraceRecord`` between.
///
/// The bulk-load profile (session 10, docs/performance.md) put a fifth of each decoding thread in retains and
/// releases of the strings, arrays and dictionaries a record is made of, and more in making and copying them; the
/// row only needs their bytes. This path takes the shapes CostReplay writes (`costreplay export`, `synth`): strings
/// where text is expected, whole numbers for tokens, ISO times, numbers for scores. Anything else (a token count
/// written as text, an epoch number, messages, an embedding, attributes, a `\u` escape, any value the record path
/// would reject) leaves `rows` as it was and returns nil, and the caller decodes the line through
/// ``CanonicalDecoder/decode(_:fallbackID:into:)``, which gives the record, or the error, the file always got. The
/// row is the one ``RequestRows/append(_:source:)`` makes of that record after ``Normalise/check(_:)``, the ingest
/// defaults and ``Normalise/validate(_:)`` (`CanonicalRowsTests` compares both paths column by column).
extension CanonicalDecoder {
    /// The model and provider given to model calls that name none (``IngestOptions``).
    struct RowDefaults: Sendable {
        var model: String?
        var provider: String?
    }

    /// A member of a quality or attributes object: its key's bytes (valid while the parser's document is), its
    /// value, and the value as a number (quality).
    struct Member {
        let key: UnsafeRawBufferPointer
        let value: JSONValue
        var number = 0.0
    }

    /// The record's shape needs the record path.
    struct NeedsRecordPath: Error {}

    /// Appends the row of canonical record `v` to `rows` and returns its number, or returns nil with `rows`
    /// unchanged when the record needs the record path. `scratch` is space kept between calls.
    static func appendRow(_ v: JSONValue, source: SourceLocation, defaults: RowDefaults, into rows: inout RequestRows,
                          scratch: inout [Member]) -> Int? {
        guard v.isObject else { return nil }
        let m = Members(v)
        let mark = rows.beginRow()
        do {
            try write(m, source: source, defaults: defaults, into: &rows, scratch: &scratch)
            return rows.endRow()
        } catch {
            rows.rollBack(to: mark)
            return nil
        }
    }

    private static let references: [TraceField] = [.traceID, .parentID, .sessionID, .userID, .tenantID]
    private static let tokenCounts: [TraceField] = [.inputTokens, .cacheReadTokens, .cacheWrite5mTokens, .cacheWrite1hTokens, .outputTokens, .reasoningTokens]
    private static let texts: [TraceField] = [.prompt, .response, .promptHash, .responseHash]

    private static func write(_ m: Members, source: SourceLocation, defaults: RowDefaults, into rows: inout RequestRows,
                              scratch: inout [Member]) throws(NeedsRecordPath) {
        // Embeddings are left to the record path: checked first, so such a record costs no half-written row.
        guard absent(m[.embedding]), let id = try text(m[.id]), id.count > 0 else { throw NeedsRecordPath() }
        var kind = RequestKind.llm
        if let value = try text(m[.kind]) {
            guard let known = value.withStringBytes({ bytes in RequestKind.allCases.first { $0.rawValue.utf8.elementsEqual(bytes) } }) ?? nil
            else { throw NeedsRecordPath() }
            kind = known
        }
        rows.appendText(.id, value: id)
        rows.appendText(.kind, kind.rawValue)
        if let format = try text(m[.format]) { rows.appendText(.format, value: format) } else { rows.appendText(.format, TraceFormat.canonical.rawValue) }
        rows.appendText(.sourceFile, source.file)
        rows.appendInteger(.sourceLine, Int64(source.line))
        for field in references {
            // An empty reference is no reference (``FieldReading/reference(_:field:)``).
            if let value = try text(m[field]), value.count > 0 { rows.appendText(field, value: value) } else { rows.appendNull(field) }
        }
        rows.appendText(.name, value: try text(m[.name]))
        rows.appendText(.operation, value: try text(m[.operation]))
        try tags(m[.tags], into: &rows)

        guard let start = quickInstant(m[.start]), let end = quickInstant(m[.end]), let firstToken = quickInstant(m[.firstToken])
        else { throw NeedsRecordPath() }
        if let start, let end, end < start { throw NeedsRecordPath() }
        if let firstToken, let start, firstToken < start { throw NeedsRecordPath() }
        if let firstToken, let end, firstToken > end { throw NeedsRecordPath() }
        rows.appendInteger(.start, start)
        rows.appendInteger(.end, end)
        rows.appendInteger(.firstToken, firstToken)

        if let provider = try text(m[.provider]) {
            try lowercasedASCII(provider, into: &rows)
        } else {
            rows.appendText(.provider, kind == .llm ? defaults.provider : nil)
        }
        if let model = try text(m[.model]), model.count > 0 {
            rows.appendText(.model, value: model)
        } else {
            rows.appendText(.model, kind == .llm ? defaults.model : nil)
        }
        rows.appendText(.requestModel, value: try text(m[.requestModel]))
        rows.appendText(.serviceTier, value: try text(m[.serviceTier]))
        guard let batch = flag(m[.batch]), let cacheHit = flag(m[.cacheHit]) else { throw NeedsRecordPath() }
        rows.appendInteger(.batch, batch ? 1 : 0)

        if kind == .llm {
            guard let input = try tokens(m[.inputTokens]), let output = try tokens(m[.outputTokens]) else { throw NeedsRecordPath() }
            let cacheRead = try tokens(m[.cacheReadTokens]) ?? 0, cacheWrite5m = try tokens(m[.cacheWrite5mTokens]) ?? 0
            let cacheWrite1h = try tokens(m[.cacheWrite1hTokens]) ?? 0, reasoning = try tokens(m[.reasoningTokens]) ?? 0
            // ``TokenUsage/inconsistency``: each count is already within 0 and the maximum.
            guard input - cacheRead - cacheWrite5m - cacheWrite1h >= 0, reasoning <= output else { throw NeedsRecordPath() }
            let values: InlineArray<6, Int64> = [input, cacheRead, cacheWrite5m, cacheWrite1h, output, reasoning]
            for index in values.indices { rows.appendInteger(tokenCounts[index], values[index]) }
        } else {
            for field in tokenCounts { rows.appendNull(field) }
        }

        let billedSource = try text(m[.billedCostSource])
        if let cost = m[.billedCost], !cost.isNull {
            guard cost.type != .string, cost.type != .bool, let dollars = cost.double, dollars.isFinite, abs(dollars) <= 1e6
            else { throw NeedsRecordPath() }
            let money = Money(dollars: dollars)
            guard money.femtos >= 0 else { throw NeedsRecordPath() }
            rows.appendReal(.billedCost, money.dollars)
            if let billedSource { rows.appendText(.billedCostSource, value: billedSource) } else { rows.appendText(.billedCostSource, "trace") }
        } else {
            rows.appendNull(.billedCost)
            rows.appendNull(.billedCostSource)
        }
        for field in texts {
            rows.appendText(field, value: try text(m[field]))
        }
        try messages(m[.messages], into: &rows)
        try prefixHashes(m[.prefixHashes], into: &rows)
        if let block = m[.prefixBlockTokens], !block.isNull {
            guard let tokens = block.int64, (1...1_000_000).contains(tokens) else { throw NeedsRecordPath() }
            rows.appendInteger(.prefixBlockTokens, tokens)
        } else {
            rows.appendNull(.prefixBlockTokens)
        }
        rows.appendNull(.embedding)
        try quality(m[.quality], into: &rows, scratch: &scratch)
        try attributes(m[.attributes], into: &rows, scratch: &scratch)
        rows.appendInteger(.cacheHit, cacheHit ? 1 : 0)
    }

    /// A string value, nil when absent or null; any other type needs the record path (which rejects it or reads a
    /// number as text).
    @inline(__always)
    private static func text(_ value: JSONValue?) throws(NeedsRecordPath) -> StringValue? {
        guard let value else { return nil }
        switch value.type {
        case .null: return nil
        case .string:
            guard let string = StringValue(value) else { throw NeedsRecordPath() }
            return string
        default: throw NeedsRecordPath()
        }
    }

    /// The bytes of a string value as the parser holds them.
    struct StringValue {
        let bytes: UnsafeRawBufferPointer
        var count: Int { bytes.count }

        init?(_ value: JSONValue) {
            guard let bytes = value.withStringBytes({ $0 }) else { return nil }
            self.bytes = bytes
        }

        func withStringBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R? { body(bytes) }
    }

    private static func absent(_ value: JSONValue?) -> Bool { value == nil || value!.isNull }

    /// ``FieldReading/flag(_:field:)`` with nil for what it rejects.
    private static func flag(_ value: JSONValue?) -> Bool? {
        guard let value, !value.isNull else { return false }
        return value.bool
    }

    /// A token count written as a whole number within range, nil when absent or null.
    private static func tokens(_ value: JSONValue?) throws(NeedsRecordPath) -> Int64? {
        guard let value, !value.isNull else { return nil }
        guard value.type == .int64, let count = value.int64, count >= 0, count <= TokenUsage.maximum else { throw NeedsRecordPath() }
        return count
    }

    /// Lowercases an ASCII provider in place (``Normalise/check(_:)``); other text needs `String.lowercased()`.
    private static func lowercasedASCII(_ value: StringValue, into rows: inout RequestRows) throws(NeedsRecordPath) {
        for byte in value.bytes where byte >= 0x80 { throw NeedsRecordPath() }
        rows.appendText(.provider) { buffer in
            for byte in value.bytes { buffer.append(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte) }
        }
    }

    /// Whether text is written into JSON as it is (``JSONText/needsEscaping(_:)`` is false).
    private static func plainJSON(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0xE2 { return false }
        return true
    }

    /// Tags as the JSON text ``RequestRows`` writes for them; none or an empty list is null.
    private static func tags(_ value: JSONValue?, into rows: inout RequestRows) throws(NeedsRecordPath) {
        guard let value, !value.isNull else { return rows.appendNull(.tags) }
        guard value.isArray else { throw NeedsRecordPath() }
        guard value.count > 0 else { return rows.appendNull(.tags) }
        var plain = true
        value.forEachElement { item in
            if plain { plain = item.withStringBytes(plainJSON) ?? false }
        }
        guard plain else { throw NeedsRecordPath() }
        rows.appendText(.tags) { buffer in
            buffer.append(UInt8(ascii: "["))
            var first = true
            value.forEachElement { item in
                if !first { buffer.append(UInt8(ascii: ",")) }
                first = false
                buffer.append(UInt8(ascii: "\""))
                _ = item.withStringBytes { buffer.append(contentsOf: $0) }
                buffer.append(UInt8(ascii: "\""))
            }
            buffer.append(UInt8(ascii: "]"))
        }
    }

    /// Messages as the JSON text ``RequestColumns/encodeMessages(_:)`` writes for them; none or an empty list is null.
    /// Each must be an object with a whole token count, and text role and hash that JSON holds as they are.
    private static func messages(_ value: JSONValue?, into rows: inout RequestRows) throws(NeedsRecordPath) {
        guard let value, !value.isNull else { return rows.appendNull(.messages) }
        guard value.isArray else { throw NeedsRecordPath() }
        guard value.count > 0 else { return rows.appendNull(.messages) }
        var plain = true
        value.forEachElement { message in
            guard plain else { return }
            plain = message.isObject && plainText(message["role"]) && plainText(message["hash"])
                && (try? tokens(message["tokens"])) ?? nil != nil
                && (absent(message["estimated"]) || message["estimated"]!.type == .bool)
                && (absent(message["score"]) || message["score"]!.type == .int64 || message["score"]!.type == .double)
        }
        guard plain else { throw NeedsRecordPath() }
        rows.appendText(.messages) { buffer in
            buffer.append(UInt8(ascii: "["))
            var first = true
            value.forEachElement { message in
                if !first { buffer.append(UInt8(ascii: ",")) }
                first = false
                buffer.append(contentsOf: #"{"role":""#.utf8)
                if let role = message["role"], !role.isNull { _ = role.withStringBytes { buffer.append(contentsOf: $0) } } else {
                    buffer.append(contentsOf: "user".utf8)
                }
                buffer.append(contentsOf: #"","tokens":"#.utf8)
                buffer.append(contentsOf: String(message["tokens"]!.int64!).utf8)
                if let hash = message["hash"], !hash.isNull {
                    buffer.append(contentsOf: #","hash":""#.utf8)
                    _ = hash.withStringBytes { buffer.append(contentsOf: $0) }
                    buffer.append(UInt8(ascii: "\""))
                }
                if message["estimated"]?.bool == true { buffer.append(contentsOf: #","estimated":true"#.utf8) }
                if let score = message["score"], !score.isNull {
                    buffer.append(contentsOf: #","score":"#.utf8)
                    buffer.append(contentsOf: JSONText.number(score.double!).utf8)
                }
                buffer.append(UInt8(ascii: "}"))
            }
            buffer.append(UInt8(ascii: "]"))
        }
    }

    /// Absent, null, or a string that JSON holds as it is.
    private static func plainText(_ value: JSONValue?) -> Bool {
        guard let value, !value.isNull else { return true }
        return value.withStringBytes(plainJSON) ?? false
    }

    /// Prompt-block hashes as the blob ``RequestRows`` writes for them; none or an empty list is null.
    private static func prefixHashes(_ value: JSONValue?, into rows: inout RequestRows) throws(NeedsRecordPath) {
        guard let value, !value.isNull else { return rows.appendNull(.prefixHashes) }
        guard value.isArray else { throw NeedsRecordPath() }
        let elements = value.elements
        var hashes: [Int64] = []
        hashes.reserveCapacity(elements.count)
        for element in elements {
            guard let hash = element.int64 else { throw NeedsRecordPath() }
            hashes.append(hash)
        }
        rows.appendBlob(.prefixHashes, integers: hashes.count) { hashes[$0] }
    }

    /// Quality scores as the JSON text ``RequestRows`` writes for them (keys sorted, one each); none is null. Keys
    /// must be plain ASCII, whose byte order is `String`'s order.
    private static func quality(_ value: JSONValue?, into rows: inout RequestRows, scratch: inout [Member]) throws(NeedsRecordPath) {
        guard let value, !value.isNull else { return rows.appendNull(.quality) }
        guard value.isObject else { throw NeedsRecordPath() }
        try sortedMembers(value, into: &scratch) { key, score in
            guard score.type != .string, score.type != .bool, let number = score.double, number.isFinite, abs(number) <= 1e9,
                  !key.starts(with: "correct:".utf8) || number == 0 || number == 1 else { return nil }
            return number
        }
        guard !scratch.isEmpty else { return rows.appendNull(.quality) }
        rows.appendText(.quality) { buffer in
            object(scratch, into: &buffer) { RequestRows.appendScore($0.number, to: &$1) }
        }
    }
}

extension CanonicalDecoder {
    /// Attributes as the JSON text ``RequestColumns/encodeAttributes(_:)`` writes for them (keys sorted, values as
    /// compact JSON); none, an empty object or a value that is not an object (which the record path skips) is null.
    fileprivate static func attributes(_ value: JSONValue?, into rows: inout RequestRows, scratch: inout [Member]) throws(NeedsRecordPath) {
        guard let value, value.isObject else { return rows.appendNull(.attributes) }
        try sortedMembers(value, into: &scratch) { _, _ in 0 }
        guard !scratch.isEmpty else { return rows.appendNull(.attributes) }
        rows.appendText(.attributes) { buffer in
            object(scratch, into: &buffer) { member, buffer in
                if member.value.withJSONBytes({ buffer.append(contentsOf: $0) }) == nil { buffer.append(contentsOf: "null".utf8) }
            }
        }
    }

    /// The members of an object, sorted by key, into `scratch`, with `number(key, value)` for each (nil stops).
    /// Keys must be plain ASCII (whose byte order is `String`'s order) and appear once; the record path takes the
    /// others (a repeated key keeps its last value there).
    fileprivate static func sortedMembers(_ value: JSONValue, into scratch: inout [Member],
                                          _ number: (UnsafeRawBufferPointer, JSONValue) -> Double?) throws(NeedsRecordPath) {
        scratch.removeAll(keepingCapacity: true)
        var valid = true
        value.forEachMemberKey { key, member in
            guard valid else { return }
            for byte in key where byte >= 0x80 { valid = false }
            guard valid, plainJSON(key), let number = number(key, member) else { return valid = false }
            scratch.append(Member(key: key, value: member, number: number))
        }
        guard valid else { throw NeedsRecordPath() }
        scratch.sort { $0.key.lexicographicallyPrecedes($1.key) }
        for index in scratch.indices.dropFirst() where scratch[index].key.elementsEqual(scratch[index - 1].key) {
            throw NeedsRecordPath()
        }
    }

    /// `{"key":value,...}` with each value written by `value`.
    fileprivate static func object(_ members: [Member], into buffer: inout [UInt8], _ value: (Member, inout [UInt8]) -> Void) {
        buffer.append(UInt8(ascii: "{"))
        for (position, member) in members.enumerated() {
            if position > 0 { buffer.append(UInt8(ascii: ",")) }
            buffer.append(UInt8(ascii: "\""))
            buffer.append(contentsOf: member.key)
            buffer.append(contentsOf: "\":".utf8)
            value(member, &buffer)
        }
        buffer.append(UInt8(ascii: "}"))
    }
}

extension RequestRows {
    /// A string value's bytes, or null.
    fileprivate mutating func appendText(_ field: TraceField, value: CanonicalDecoder.StringValue?) {
        guard let value else { return appendNull(field) }
        appendText(field, bytes: value.bytes)
    }
}
