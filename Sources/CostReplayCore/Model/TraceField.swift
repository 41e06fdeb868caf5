/// Every stored field of a ``TraceRecord``, in the order of the columns of `requests`: the one list of the fields.
///
/// The store's insert and selects (``Schema``), the rows the ingest binds (``RequestRows``, and the canonical decoder's
/// rows written straight from JSON), the store reads (``RequestColumns``) and the canonical format (``CanonicalDecoder``,
/// ``CanonicalEncoder``) take their column names, member names and positions from here; each writer of a row checks,
/// in debug builds, that it writes the fields in this order.
enum TraceField: Int, CaseIterable, Sendable {
    case id, kind, format, sourceFile, sourceLine, traceID, parentID, sessionID, userID, tenantID
    case name, operation, tags, start, end, firstToken, provider, model, requestModel, serviceTier
    case batch, inputTokens, cacheReadTokens, cacheWrite5mTokens, cacheWrite1hTokens, outputTokens, reasoningTokens
    case billedCost, billedCostSource, prompt, response, promptHash, responseHash, messages, prefixHashes
    case prefixBlockTokens, embedding, quality, attributes, cacheHit

    /// The column of `requests`.
    var column: String {
        switch self {
        case .start: "start_us"
        case .end: "end_us"
        case .firstToken: "first_token_us"
        case .batch: "is_batch"
        case .billedCost: "billed_cost_usd"
        case .prompt: "prompt_text"
        case .response: "response_text"
        default: member
        }
    }

    /// The member of a canonical JSONL record (docs/trace-format.md); for the source file and line, which the
    /// canonical format does not carry, the column's name.
    var member: String {
        switch self {
        case .id: "id"
        case .kind: "kind"
        case .format: "format"
        case .sourceFile: "source_file"
        case .sourceLine: "source_line"
        case .traceID: "trace_id"
        case .parentID: "parent_id"
        case .sessionID: "session_id"
        case .userID: "user_id"
        case .tenantID: "tenant_id"
        case .name: "name"
        case .operation: "operation"
        case .tags: "tags"
        case .start: "start"
        case .end: "end"
        case .firstToken: "first_token"
        case .provider: "provider"
        case .model: "model"
        case .requestModel: "request_model"
        case .serviceTier: "service_tier"
        case .batch: "batch"
        case .inputTokens: "input_tokens"
        case .cacheReadTokens: "cache_read_tokens"
        case .cacheWrite5mTokens: "cache_write_5m_tokens"
        case .cacheWrite1hTokens: "cache_write_1h_tokens"
        case .outputTokens: "output_tokens"
        case .reasoningTokens: "reasoning_tokens"
        case .billedCost: "billed_cost"
        case .billedCostSource: "billed_cost_source"
        case .prompt: "prompt"
        case .response: "response"
        case .promptHash: "prompt_hash"
        case .responseHash: "response_hash"
        case .messages: "messages"
        case .prefixHashes: "prefix_hashes"
        case .prefixBlockTokens: "prefix_block_tokens"
        case .embedding: "embedding"
        case .quality: "quality"
        case .attributes: "attributes"
        case .cacheHit: "cache_hit"
        }
    }

    /// Whether canonical JSONL carries the field (all but where a row came from).
    var isCanonicalMember: Bool { self != .sourceFile && self != .sourceLine }

    /// The column's position in a row selected with ``Schema/selectColumns`` or ``Schema/replayColumns``.
    var index: Int32 { Int32(rawValue) }
}

/// The positions of some fields in a select that reads only those (``Schema/sweepFields``).
struct FieldPositions: Sendable {
    private let positions: [Int32]

    init(_ fields: [TraceField]) {
        var positions = [Int32](repeating: -1, count: TraceField.allCases.count)
        for (position, field) in fields.enumerated() { positions[field.rawValue] = Int32(position) }
        self.positions = positions
    }

    subscript(field: TraceField) -> Int32 {
        let position = positions[field.rawValue]
        precondition(position >= 0, "\(field) is not selected")
        return position
    }
}
