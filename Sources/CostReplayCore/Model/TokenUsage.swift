/// Token counts of one request in CostReplay's single accounting convention.
///
/// Sources disagree on whether cached tokens are inside the input count. CostReplay follows
/// OpenAI, Gemini and OpenTelemetry: `input` is every prompt token the model processed, and
/// `cacheRead`, `cacheWrite5m` and `cacheWrite1h` are parts of it. Likewise `output` is every
/// billed output token and `reasoning` is the part of it spent on reasoning. Readers of sources
/// that report these apart (Anthropic, Bedrock, Langfuse) add them up on the way in.
public struct TokenUsage: Hashable, Sendable, Codable {
    /// The largest count any one field may hold: ten billion tokens, a thousand times the longest
    /// context any model offers. Readers reject larger counts, so sums over a billion requests stay
    /// inside 64 bits and prices times tokens inside 128-bit money.
    public static let maximum: Int64 = 10_000_000_000

    public var input: Int64
    public var cacheRead: Int64
    public var cacheWrite5m: Int64
    public var cacheWrite1h: Int64
    public var output: Int64
    public var reasoning: Int64

    public init(
        input: Int64, output: Int64, cacheRead: Int64 = 0, cacheWrite5m: Int64 = 0,
        cacheWrite1h: Int64 = 0, reasoning: Int64 = 0
    ) {
        self.input = input
        self.cacheRead = cacheRead
        self.cacheWrite5m = cacheWrite5m
        self.cacheWrite1h = cacheWrite1h
        self.output = output
        self.reasoning = reasoning
    }

    /// Prompt tokens neither read from nor written to a provider cache.
    public var uncachedInput: Int64 { input - cacheRead - cacheWrite5m - cacheWrite1h }

    /// Output tokens that are not reasoning tokens.
    public var visibleOutput: Int64 { output - reasoning }

    public var total: Int64 { input + output }

    /// The first broken invariant, named by field, or nil when the counts are consistent.
    public var inconsistency: (field: String, reason: String)? {
        // The usual case without building the list below (every decoded record passes here).
        let inRange = (0...Self.maximum).contains(input) && (0...Self.maximum).contains(cacheRead)
            && (0...Self.maximum).contains(cacheWrite5m) && (0...Self.maximum).contains(cacheWrite1h)
            && (0...Self.maximum).contains(output) && (0...Self.maximum).contains(reasoning)
        if inRange && uncachedInput >= 0 && reasoning <= output { return nil }
        let fields: [(String, Int64)] = [
            ("input_tokens", input), ("cache_read_tokens", cacheRead), ("cache_write_5m_tokens", cacheWrite5m),
            ("cache_write_1h_tokens", cacheWrite1h), ("output_tokens", output), ("reasoning_tokens", reasoning),
        ]
        for (name, value) in fields where value < 0 {
            return (name, "must not be negative, found \(value)")
        }
        for (name, value) in fields where value > Self.maximum {
            return (name, "\(value) tokens in one request is out of range (at most \(Self.maximum))")
        }
        if uncachedInput < 0 {
            return ("cache_read_tokens", "cached tokens (\(input - uncachedInput)) exceed input tokens (\(input))")
        }
        if reasoning > output {
            return ("reasoning_tokens", "reasoning tokens (\(reasoning)) exceed output tokens (\(output))")
        }
        return nil
    }
}
