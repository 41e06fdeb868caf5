/// Shared steps that every reader applies on the way to a ``TraceRecord``.
enum Normalise {
    /// Rejects inconsistent token counts and tidies names. Called once per decoded record.
    static func check(_ r: inout TraceRecord) throws(RecordError) {
        try validate(r)
        if let provider = r.provider { r.provider = provider.lowercased() }
        if r.model?.isEmpty == true { r.model = nil }
    }

    /// The invariants every stored record keeps, whatever its reader; the ingest pipeline checks
    /// them again before it writes, so a reader that forgets cannot poison the store.
    static func validate(_ r: TraceRecord) throws(RecordError) {
        if let usage = r.usage, let problem = usage.inconsistency {
            throw RecordError(field: problem.field, problem.reason)
        }
        if let start = r.startMicros, let end = r.endMicros, end < start {
            throw RecordError(field: "end", "ends (\(Timestamp.iso(end))) before it starts (\(Timestamp.iso(start)))")
        }
        if let first = r.firstTokenMicros {
            if let start = r.startMicros, first < start {
                throw RecordError(field: "first_token", "the first token (\(Timestamp.iso(first))) comes before the request starts (\(Timestamp.iso(start)))")
            }
            if let end = r.endMicros, first > end {
                throw RecordError(field: "first_token", "the first token (\(Timestamp.iso(first))) comes after the request ends (\(Timestamp.iso(end)))")
            }
        }
        if let cost = r.billedCost, cost.femtos < 0 {
            throw RecordError(field: "billed_cost", "a billed cost must not be negative, found \(cost.dollars)")
        }
    }

    /// A token estimate for text whose count the source did not report: one token per four
    /// UTF-8 bytes, OpenAI's published rule of thumb for English. Marked estimated wherever used.
    static func estimateTokens(_ text: String) -> Int64 {
        Int64((text.utf8.count + 3) / 4)
    }

    /// Messages in the OpenAI chat shape (`role`, `content` as text or parts), with estimated token
    /// counts and a content hash per message, plus the prompt as one text.
    static func chatMessages(_ messages: JSONValue) -> (messages: [MessageInfo], prompt: String) {
        var infos: [MessageInfo] = []
        var prompt: [String] = []
        for message in messages.elements {
            let role = message["role"]?.string ?? "user"
            let text = contentText(message["content"])
            infos.append(MessageInfo(role: role, tokens: estimateTokens(text), hash: StableHash.hex(role + "\u{0}" + text),
                                     estimated: true))
            prompt.append("\(role): \(text)")
        }
        return (infos, prompt.joined(separator: "\n"))
    }

    /// The text of a message `content`: a string, or the `text` of each part of an array.
    static func contentText(_ content: JSONValue?) -> String {
        guard let content else { return "" }
        if let text = content.string { return text }
        if content.isArray {
            return content.elements.compactMap { part in part["text"]?.string ?? part.string }.joined(separator: "\n")
        }
        return content.isNull ? "" : content.json
    }

    /// Fills prompt and response hashes from their texts when the source gave only texts.
    static func fillHashes(_ r: inout TraceRecord) {
        if r.promptHash == nil, let text = r.promptText { r.promptHash = StableHash.hex(text) }
        if r.responseHash == nil, let text = r.responseText { r.responseHash = StableHash.hex(text) }
    }
}
