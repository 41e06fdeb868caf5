/// The trace formats CostReplay reads.
public enum TraceFormat: String, CaseIterable, Sendable, Codable {
    /// CostReplay's own lossless JSONL (docs/trace-format.md).
    case canonical
    /// OpenTelemetry OTLP JSON or JSONL with GenAI or OpenInference attributes.
    case otlp
    /// LiteLLM SpendLogs export, JSON or CSV.
    case litellm
    /// Langfuse observations export, JSON, JSONL or CSV.
    case langfuse
    /// OpenAI Batch API input and output JSONL, joined by custom_id.
    case openaiBatch = "openai-batch"
    /// Chat-completion request/response pairs or bare responses, JSONL.
    case openaiChat = "openai-chat"
    /// Mooncake trace JSONL (timestamp, input_length, output_length, hash_ids).
    case mooncake
    /// Azure LLM inference trace CSV (TIMESTAMP, ContextTokens, GeneratedTokens).
    case azure
    /// BurstGPT CSV (Timestamp, Model, Request tokens, Response tokens, Total tokens, Log Type).
    case burstgpt
    /// Any CSV with a column-mapping file.
    case csv

    /// Picks a format from the keys of the first JSON record.
    static func classify(jsonKeys keys: Set<String>) -> TraceFormat? {
        if keys.contains("resourceSpans") { return .otlp }
        if keys.contains("custom_id") && (keys.contains("body") || keys.contains("response")) { return .openaiBatch }
        if keys.contains("request_id") && (keys.contains("spend") || keys.contains("call_type")) { return .litellm }
        if keys.contains("traceId") && (keys.contains("type") || keys.contains("usageDetails")) { return .langfuse }
        if keys.contains("input_length") && keys.contains("output_length") { return .mooncake }
        if keys.contains("id") && (keys.contains("input_tokens") || keys.contains("kind")) { return .canonical }
        if keys.contains("request") && keys.contains("response") { return .openaiChat }
        if keys.contains("choices") && keys.contains("usage") { return .openaiChat }
        return nil
    }

    /// Picks a format from a CSV header row.
    static func classify(csvHeader header: [String]) -> TraceFormat? {
        let names = Set(header.map { $0.trimmingSpaces })
        if names.isSuperset(of: ["TIMESTAMP", "ContextTokens", "GeneratedTokens"]) { return .azure }
        if names.isSuperset(of: ["Timestamp", "Model", "Request tokens", "Response tokens"]) { return .burstgpt }
        if names.contains("request_id") && names.contains("spend") { return .litellm }
        if (names.contains("traceId") || names.contains("trace_id")) && names.contains("type") { return .langfuse }
        return nil
    }
}
