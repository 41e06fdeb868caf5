/// Finds spans that describe a provider call another span of the same file already counted.
///
/// Instrumentations stack: OpenInference over the Anthropic SDK writes its own LLM span as the
/// parent of the SDK's span, openllmetry writes a sibling of it, and both carry the call's usage.
/// The rule, one for every producer: two LLM spans are the same call when they carry the same
/// `gen_ai.response.id` in the same trace, or when one is the other's parent and both report the
/// same input and output token totals. The span met first in the file is kept (exporters write a
/// span when it ends, so that is the innermost one, nearest the provider); the others keep their
/// place in the trace as structure without usage.
struct SameCallFilter {
    struct Totals: Equatable {
        var input: Int64
        var output: Int64
    }

    var keptByResponse: [String: String] = [:]
    var totalsByID: [String: Totals] = [:]
    var childrenByParent: [String: [(id: String, totals: Totals)]] = [:]

    /// The id of the kept span this one duplicates, or nil when it is the first span of its call.
    mutating func duplicateOf(_ record: TraceRecord, responseID: String?) -> String? {
        guard let usage = record.usage else { return nil }
        let totals = Totals(input: usage.input, output: usage.output)
        let responseKey = responseID.map { (record.traceID ?? "") + "\u{0}" + $0 }
        if let responseKey, let kept = keptByResponse[responseKey] { return kept }
        if let parent = record.parentID, totalsByID[parent] == totals { return parent }
        if let child = childrenByParent[record.id]?.first(where: { $0.totals == totals }) { return child.id }
        if let responseKey { keptByResponse[responseKey] = record.id }
        totalsByID[record.id] = totals
        if let parent = record.parentID { childrenByParent[parent, default: []].append((record.id, totals)) }
        return nil
    }
}
