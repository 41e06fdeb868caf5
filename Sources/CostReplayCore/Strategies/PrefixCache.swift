/// Provider prompt (prefix) caching: simulates the provider's cache of prompt prefixes per model
/// and re-prices each request's input as cache reads, cache writes and uncached tokens.
///
/// Prefix blocks come from the trace's block hashes (Mooncake `hash_ids`, 512 tokens each) or,
/// failing that, from the message structure: block i is messages 0…i, keyed by the chain of their
/// hashes. A request reads the longest run of leading blocks still cached; a read happens only
/// when it reaches `min_tokens` (providers do not cache shorter prefixes), and a hit refreshes
/// the blocks' TTL. The prompt's blocks are then written (or refreshed). Writes are billed at the
/// catalog's cache-write rate (5-minute or 1-hour by `ttl`) when `write_premium` is `auto` and the
/// model has such a rate (Anthropic), and not at all for automatic caches without one (OpenAI).
/// The recorded cache counts of the trace are replaced by the simulated ones.
public struct PrefixCache: ReplayStrategy {
    public static let name = "prefix_cache"
    public static let summary = "simulate the provider's prompt-prefix cache and re-price cached input"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("ttl", .duration(min: 1, max: 86_400), default: .number(300), "cache lifetime, refreshed on a hit (300 or 3600 at the providers)"),
        ParameterSpec("min_tokens", .number(min: 0, max: 1e6, integer: true), default: .number(1024), "shortest cacheable prefix"),
        ParameterSpec("capacity_blocks", .number(min: 0, max: 1e10, integer: true), default: .number(0), "cached blocks per model; 0 is unbounded"),
        ParameterSpec("write_premium", .choice(WritePremium.names), default: .text(WritePremium.auto.rawValue), "bill cache writes at the write rate"),
        ParameterSpec("scope", .choice(CacheScope.names), default: .text(CacheScope.tenant.rawValue),
                      "who shares the cache (providers cache per organisation)"),
    ]

    /// Whether cache writes are billed at the catalog's write rate.
    enum WritePremium: String, ParameterChoice {
        /// When the model has a write rate (Anthropic), not otherwise (OpenAI's automatic caching).
        case auto
        case always
        case never
    }

    /// What a scenario step sets.
    public struct Configuration: Sendable {
        var ttlSeconds: Double
        var minTokens: Int64
        /// Cached blocks per model; 0 is unbounded.
        var capacityBlocks: Int
        var writePremium: WritePremium
        var scope: CacheScope
    }

    public static func configure(_ p: Parameters, context: ValidationContext) throws(ParameterProblem) -> Configuration {
        Configuration(ttlSeconds: try p.number("ttl"), minTokens: Int64(try p.int("min_tokens")), capacityBlocks: try p.int("capacity_blocks"),
                      writePremium: try p.choice("write_premium", as: WritePremium.self), scope: try p.choice("scope", as: CacheScope.self))
    }

    var cache: HashedCache<Bool>
    let pricer: Pricer
    var counters = MetricCounts()
    /// The step's typed parameters.
    let settings: Configuration

    public init(_ c: Configuration, context: StrategyContext) {
        settings = c
        cache = BoundedCache(capacity: c.capacityBlocks, ttlSeconds: c.ttlSeconds, policy: .lru)
        pricer = context.pricer
    }

    public static func exactWhenSharded(by key: ShardKey, configuration: Configuration) -> Bool {
        configuration.capacityBlocks == 0 && configuration.scope.exactWhenSharded(by: key)
    }

    public var metrics: MetricCounts {
        var metrics = counters
        metrics[.evictions] = Double(cache.evictions)
        return metrics
    }

    /// (block key, tokens in the block) for each leading block of the prompt. A block's key is a 64-bit hash of the
    /// cache partition, the model and the block (its recorded hash, or the chain of message hashes up to it), like the
    /// exact cache's keys: two different blocks share a key with probability about n²/2⁶⁴.
    func blocks(_ request: ReplayRequest, input: Int64) -> [(UInt64, Int64)] {
        let partition = StableHash.finalise(settings.scope.hash(request) ^ StableHash.hash(request.model ?? "", seed: 0x7072_6566))
        func key(_ block: UInt64, kind: UInt64) -> UInt64 {
            StableHash.finalise((partition &+ kind &* 0x9e37_79b9_7f4a_7c15) ^ StableHash.finalise(block))
        }
        if !request.prefixHashes.isEmpty {
            let size = Int64(request.prefixBlockTokens ?? 512)
            var remaining = input
            return request.prefixHashes.map { hash in
                let tokens = min(size, max(0, remaining))
                remaining -= tokens
                return (key(UInt64(bitPattern: hash), kind: 1), tokens)
            }
        }
        guard !request.messages.isEmpty, request.messages.allSatisfy({ $0.hash != nil }) else { return [] }
        var chain: UInt64 = 0
        return request.messages.map { message in
            chain = StableHash.finalise((chain &* 0x0000_0100_0000_01b3) ^ StableHash.hash(message.hash!))
            return (key(chain, kind: 2), message.tokens)
        }
    }

    public mutating func apply(_ request: inout ReplayRequest, ledger: inout Ledger) {
        guard request.served == nil, request.kind == .llm, var usage = request.usage else { return }
        let blocks = blocks(request, input: usage.input)
        counters.add(.requests)
        counters.add(.inputTokens, Double(usage.input))
        guard !blocks.isEmpty else {
            counters.add(.noPrefixStructure)
            ledger.note(Self.name, "pass", "no block hashes or message hashes")
            return
        }
        let now = request.startMicros
        var matched: Int64 = 0
        var matchedBlocks = 0
        for (key, tokens) in blocks {
            guard cache.peek(key, at: now) != nil else { break }
            matched += tokens
            matchedBlocks += 1
        }
        let total = min(usage.input, blocks.reduce(0) { $0 + $1.1 })
        let read = matched >= settings.minTokens ? min(matched, usage.input) : 0
        if read > 0 {
            for (key, _) in blocks.prefix(matchedBlocks) { _ = cache.lookup(key, at: now, refreshTTL: true) }
            counters.add(.hits)
        }
        var written: Int64 = 0
        if total >= settings.minTokens {
            for (key, _) in blocks.dropFirst(read > 0 ? matchedBlocks : 0) { cache.insert(key, true, at: now) }
            written = total - read
        }
        usage.cacheRead = read
        usage.cacheWrite5m = 0
        usage.cacheWrite1h = 0
        if written > 0 && chargesWrites(request) {
            if settings.ttlSeconds > 300 { usage.cacheWrite1h = written } else { usage.cacheWrite5m = written }
            counters.add(.cacheWriteTokens, Double(written))
        }
        counters.add(.cacheReadTokens, Double(read))
        request.usage = usage
        ledger.note(Self.name, read > 0 ? "prefix hit" : "prefix miss",
                    "\(read) of \(usage.input) input tokens read from cache, \(written) written")
    }

    func chargesWrites(_ request: ReplayRequest) -> Bool {
        switch settings.writePremium {
        case .always: return true
        case .never: return false
        case .auto:
            guard let model = request.model, let pricing = pricer.catalog.find(model: model, provider: request.provider) else { return false }
            return pricing.prices(at: request.startMicros).0.cacheWrite5m != nil
        }
    }
}
