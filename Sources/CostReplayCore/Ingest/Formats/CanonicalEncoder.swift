private typealias F = TraceField

/// Writes records as CostReplay's canonical JSONL, the inverse of ``CanonicalDecoder``.
///
/// Field order is fixed and absent values are omitted, so the same records give the same bytes.
public enum CanonicalEncoder {
    public static func line(_ r: TraceRecord) -> String {
        var o = JSONText.Object()
        o.add(F.id.member, r.id)
        if r.kind != .llm { o.add(F.kind.member, r.kind.rawValue) }
        if !r.format.isEmpty && r.format != TraceFormat.canonical.rawValue { o.add(F.format.member, r.format) }
        o.add(F.traceID.member, r.traceID)
        o.add(F.parentID.member, r.parentID)
        o.add(F.sessionID.member, r.sessionID)
        o.add(F.userID.member, r.userID)
        o.add(F.tenantID.member, r.tenantID)
        o.add(F.name.member, r.name)
        o.add(F.operation.member, r.operation)
        if !r.tags.isEmpty { o.add(F.tags.member, raw: JSONText.array(r.tags)) }
        o.add(F.start.member, r.startMicros.map(Timestamp.iso))
        o.add(F.end.member, r.endMicros.map(Timestamp.iso))
        o.add(F.firstToken.member, r.firstTokenMicros.map(Timestamp.iso))
        o.add(F.provider.member, r.provider)
        o.add(F.model.member, r.model)
        o.add(F.requestModel.member, r.requestModel)
        o.add(F.serviceTier.member, r.serviceTier)
        if r.isBatch { o.add(F.batch.member, true) }
        if r.cacheHit { o.add(F.cacheHit.member, true) }
        if let u = r.usage {
            o.add(F.inputTokens.member, u.input)
            if u.cacheRead > 0 { o.add(F.cacheReadTokens.member, u.cacheRead) }
            if u.cacheWrite5m > 0 { o.add(F.cacheWrite5mTokens.member, u.cacheWrite5m) }
            if u.cacheWrite1h > 0 { o.add(F.cacheWrite1hTokens.member, u.cacheWrite1h) }
            o.add(F.outputTokens.member, u.output)
            if u.reasoning > 0 { o.add(F.reasoningTokens.member, u.reasoning) }
        }
        if let billed = r.billedCost {
            o.add(F.billedCost.member, raw: MoneyFormat.plain(billed, decimals: 12))
            o.add(F.billedCostSource.member, r.billedCostSource)
        }
        o.add(F.prompt.member, r.promptText)
        o.add(F.response.member, r.responseText)
        o.add(F.promptHash.member, r.promptHash)
        o.add(F.responseHash.member, r.responseHash)
        if !r.messages.isEmpty { o.add(F.messages.member, raw: RequestColumns.encodeMessages(r.messages)) }
        if !r.prefixHashes.isEmpty { o.add(F.prefixHashes.member, raw: "[" + r.prefixHashes.map(String.init).joined(separator: ",") + "]") }
        o.add(F.prefixBlockTokens.member, r.prefixBlockTokens)
        if !r.embedding.isEmpty { o.add(F.embedding.member, raw: "[" + r.embedding.map { "\($0)" }.joined(separator: ",") + "]") }
        if !r.quality.isEmpty { o.add(F.quality.member, raw: RequestColumns.encodeQuality(r.quality)) }
        if !r.attributes.isEmpty { o.add(F.attributes.member, raw: RequestColumns.encodeAttributes(r.attributes)) }
        return o.text
    }
}
