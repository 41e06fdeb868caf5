/// Reads a Langfuse `usageDetails` object into CostReplay's token convention.
///
/// Langfuse documents usage types as additive: its UI sums every type whose name has `input` into
/// input usage, likewise `output`, so `input` excludes the cache reads and writes kept under their
/// own keys and `output` excludes `output_reasoning…`. Real exports do not always follow that:
/// integrations send `reasoning_tokens` beside an `output` that already includes them, or cache
/// writes inside `input` and again under their own key. Two rules keep one call counted once:
///
/// 1. Cache writes given both as a total (`cache_creation_input_tokens`) and split by time to live
///    (`…ephemeral_5m…`, `…ephemeral_1h…`, as langfuse's own usage parser writes Anthropic usage)
///    are one set of tokens: the split says which part is 1-hour, the total says how many.
/// 2. When `total` is present it decides, per side, whether the detail types are inside `input` and
///    `output` (inclusive) or beside them (additive): the first reading whose sum equals `total`,
///    additive first. Without `total`, Langfuse's additive reading applies.
///
/// OpenAI-shaped usage (`prompt_tokens`, `completion_tokens`, `…_details` objects), which langfuse
/// stores as sent, is read with OpenAI's convention (cached and reasoning inside).
enum LangfuseUsage {
    struct Parts {
        var input: Int64 = 0, read: Int64 = 0, writeTotal: Int64?, split5m: Int64 = 0, split1h: Int64 = 0
        var output: Int64 = 0, reasoning: Int64 = 0, total: Int64?
    }

    static func read(_ details: JSONValue) throws(RecordError) -> TokenUsage {
        if details["prompt_tokens"] != nil || details["completion_tokens"] != nil { return try openAIShaped(details) }
        var parts = Parts()
        for (key, value) in details.members {
            if value.isObject {
                for (inner, count) in value.members { try add(key + "_" + inner, count, to: &parts) }
            } else {
                try add(key, value, to: &parts)
            }
        }
        let writes = parts.writeTotal ?? (parts.split5m + parts.split1h)
        guard parts.split1h <= writes else {
            throw RecordError(field: "usageDetails", "1-hour cache writes (\(parts.split1h)) exceed all cache writes (\(writes))")
        }
        let additiveInput = parts.input + parts.read + writes
        let additiveOutput = parts.output + parts.reasoning
        var input = additiveInput, output = additiveOutput
        if let total = parts.total {
            let readings = [(additiveInput, additiveOutput), (additiveInput, parts.output), (parts.input, additiveOutput),
                            (parts.input, parts.output)]
            if let match = readings.first(where: { $0.0 + $0.1 == total }) { (input, output) = match }
        }
        return TokenUsage(input: input, output: output, cacheRead: parts.read, cacheWrite5m: writes - parts.split1h,
                          cacheWrite1h: parts.split1h, reasoning: parts.reasoning)
    }

    static func add(_ key: String, _ value: JSONValue, to parts: inout Parts) throws(RecordError) {
        guard let count = try FieldReading.tokens(value, field: "usageDetails.\(key)") else { return }
        let name = key.lowercased()
        let isWrite = name.contains("creation") || name.contains("cache_write")
        if name == "total" {
            parts.total = count
        } else if name.contains("input") || name.contains("cache") || name.contains("prompt") {
            if name.contains("cache_read") || name.contains("cached") { parts.read += count }
            else if isWrite && name.contains("1h") { parts.split1h += count }
            else if isWrite && name.contains("5m") { parts.split5m += count }
            else if isWrite { parts.writeTotal = (parts.writeTotal ?? 0) + count }
            else { parts.input += count }
        } else if name.contains("output") || name.contains("completion") || name.contains("reasoning") {
            if name.contains("reasoning") { parts.reasoning += count } else { parts.output += count }
        }
    }

    static func openAIShaped(_ usage: JSONValue) throws(RecordError) -> TokenUsage {
        func count(_ value: JSONValue?, _ field: String) throws(RecordError) -> Int64 {
            try FieldReading.tokens(value, field: "usageDetails." + field) ?? 0
        }
        return TokenUsage(
            input: try count(usage["prompt_tokens"], "prompt_tokens"),
            output: try count(usage["completion_tokens"], "completion_tokens"),
            cacheRead: try count(usage["prompt_tokens_details"]?["cached_tokens"], "prompt_tokens_details.cached_tokens"),
            reasoning: try count(usage["completion_tokens_details"]?["reasoning_tokens"], "completion_tokens_details.reasoning_tokens"))
    }
}
