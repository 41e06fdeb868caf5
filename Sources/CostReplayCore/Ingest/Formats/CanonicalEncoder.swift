/// Writes records as CostReplay's canonical JSONL, the inverse of ``CanonicalDecoder``.
///
/// Field order is fixed and absent values are omitted, so the same records give the same bytes.
public enum CanonicalEncoder {
    public static func line(_ r: TraceRecord) -> String {
        var o = JSONText.Object()
        o.add("id", r.id)
        if r.kind != .llm { o.add("kind", r.kind.rawValue) }
        if !r.format.isEmpty && r.format != TraceFormat.canonical.rawValue { o.add("format", r.format) }
        o.add("trace_id", r.traceID)
        o.add("parent_id", r.parentID)
        o.add("session_id", r.sessionID)
        o.add("user_id", r.userID)
        o.add("tenant_id", r.tenantID)
        o.add("name", r.name)
        o.add("operation", r.operation)
        if !r.tags.isEmpty { o.add("tags", raw: JSONText.array(r.tags)) }
        o.add("start", r.startMicros.map(Timestamp.iso))
        o.add("end", r.endMicros.map(Timestamp.iso))
        o.add("first_token", r.firstTokenMicros.map(Timestamp.iso))
        o.add("provider", r.provider)
        o.add("model", r.model)
        o.add("request_model", r.requestModel)
        o.add("service_tier", r.serviceTier)
        if r.isBatch { o.add("batch", true) }
        if r.cacheHit { o.add("cache_hit", true) }
        if let u = r.usage {
            o.add("input_tokens", u.input)
            if u.cacheRead > 0 { o.add("cache_read_tokens", u.cacheRead) }
            if u.cacheWrite5m > 0 { o.add("cache_write_5m_tokens", u.cacheWrite5m) }
            if u.cacheWrite1h > 0 { o.add("cache_write_1h_tokens", u.cacheWrite1h) }
            o.add("output_tokens", u.output)
            if u.reasoning > 0 { o.add("reasoning_tokens", u.reasoning) }
        }
        if let billed = r.billedCost {
            o.add("billed_cost", raw: MoneyFormat.plain(billed, decimals: 12))
            o.add("billed_cost_source", r.billedCostSource)
        }
        o.add("prompt", r.promptText)
        o.add("response", r.responseText)
        o.add("prompt_hash", r.promptHash)
        o.add("response_hash", r.responseHash)
        if !r.messages.isEmpty { o.add("messages", raw: RequestColumns.encodeMessages(r.messages)) }
        if !r.prefixHashes.isEmpty { o.add("prefix_hashes", raw: "[" + r.prefixHashes.map(String.init).joined(separator: ",") + "]") }
        o.add("prefix_block_tokens", r.prefixBlockTokens)
        if !r.embedding.isEmpty { o.add("embedding", raw: "[" + r.embedding.map { "\($0)" }.joined(separator: ",") + "]") }
        if !r.quality.isEmpty { o.add("quality", raw: RequestColumns.encodeQuality(r.quality)) }
        if !r.attributes.isEmpty { o.add("attributes", raw: RequestColumns.encodeAttributes(r.attributes)) }
        return o.text
    }
}
