import CostReplayCore
import Foundation
import Statistics

/// A seeded random trace drawn from the catalog's own entries, for the genai-prices parity test:
/// providers under several spellings and sometimes the wrong one, names as listed or with dates
/// appended, dates 2024–2026 at any time of day, prompts from a few tokens to past every
/// long-context threshold, cache reads, 5-minute and 1-hour cache writes, and reasoning.
/// Entries billed only per audio hour, page or character are left out: token usage is not what
/// they bill (CostReplay refuses to price them by tokens; genai-prices returns $0).
struct ParityTrace {
    struct Request: Codable {
        var id: String
        var provider: String?
        var model: String
        var start: String
        var input_tokens: Int64
        var cache_read_tokens: Int64
        var cache_write_5m_tokens: Int64
        var cache_write_1h_tokens: Int64
        var output_tokens: Int64
        var reasoning_tokens: Int64

        var pricingInput: PricingInput {
            PricingInput(model: model, provider: provider, startMicros: Timestamp.parseISO(start),
                         usage: TokenUsage(input: input_tokens, output: output_tokens, cacheRead: cache_read_tokens,
                                           cacheWrite5m: cache_write_5m_tokens, cacheWrite1h: cache_write_1h_tokens,
                                           reasoning: reasoning_tokens))
        }
    }

    /// How traces spell some providers (LiteLLM, OpenTelemetry and SDK names).
    static let spellings: [String: [String]] = [
        "aws": ["aws", "bedrock", "amazon-bedrock"], "google": ["google", "vertex_ai", "google-vertex", "gemini"],
        "azure": ["azure", "Azure"], "openai": ["openai", "OpenAI"], "anthropic": ["anthropic", "Anthropic"],
        "x-ai": ["x-ai", "xai"], "mistral": ["mistral", "mistralai"], "together": ["together_ai", "together-ai"],
    ]

    let entries: [PriceCatalog.ListedEntry]
    let providers: [String]
    let random: RandomSource

    init(catalog: PriceCatalog, seed: UInt64) {
        entries = catalog.listedEntries.filter(\.billsTokens)
        providers = catalog.providerIDs
        random = RandomSource(seed: seed)
    }

    func pick<T>(_ items: [T]) -> T { items[random.integer(below: items.count)] }

    func logUniform(_ low: Double, _ high: Double) -> Int64 { Int64(exp(log(low) + random.uniform() * (log(high) - log(low)))) }

    func generate(count: Int) -> [Request] { (0..<count).map { request(index: $0) } }

    func request(index: Int) -> Request {
        let entry = pick(entries)
        var model = entry.names.isEmpty ? entry.id : pick(entry.names)
        let roll = random.uniform()
        if roll < 0.15 {
            model += String(format: "-%04d%02d%02d", 2024 + random.integer(below: 3), 1 + random.integer(below: 12), 1 + random.integer(below: 28))
        } else if roll < 0.22 {
            model += String(format: "-%04d-%02d-%02d", 2024 + random.integer(below: 3), 1 + random.integer(below: 12), 1 + random.integer(below: 28))
        } else if roll < 0.27 {
            model = model.uppercased()
        }
        var provider: String? = pick(Self.spellings[entry.provider] ?? [entry.provider])
        let other = random.uniform()
        if other < 0.12 { provider = pick(providers) } else if other < 0.17 { provider = nil }
        let start = Int64(random.uniform() * 3 * 365 * 86_400) * 1_000_000 + Timestamp.parseISO("2024-01-01")!
        let input = logUniform(10, 1_500_000)
        var read: Int64 = 0, write5m: Int64 = 0, write1h: Int64 = 0
        if random.bernoulli(0.4) { read = Int64(random.uniform() * Double(input)) }
        if random.bernoulli(0.3) {
            let writable = Double(input - read)
            let kind = random.integer(below: 3)
            if kind != 1 { write5m = Int64(random.uniform() * writable * 0.5) }
            if kind != 0 { write1h = Int64(random.uniform() * writable * 0.5) }
        }
        let output = random.bernoulli(0.05) ? 0 : logUniform(1, 64_000)
        let reasoning = random.bernoulli(0.3) ? Int64(random.uniform() * Double(output)) : 0
        return Request(id: "p\(index)", provider: provider, model: model, start: Timestamp.iso(start), input_tokens: input,
                       cache_read_tokens: read, cache_write_5m_tokens: write5m, cache_write_1h_tokens: write1h,
                       output_tokens: output, reasoning_tokens: reasoning)
    }
}
