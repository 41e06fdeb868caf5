/// The prefix-cache check on the Mooncake conversation trace: the share of input tokens a
/// provider prefix cache would serve, with an unbounded cache and with TTLs.
public enum MooncakeValidation {
    public struct Row: Codable, Sendable, Equatable {
        public var label: String
        public var requests: Int
        public var inputTokens: Double
        public var cachedTokens: Double
        public var hitRequests: Double
        public var share: Double { inputTokens == 0 ? 0 : cachedTokens / inputTokens }
    }

    /// Block-level reuse as the trace's README defines it: the share of hash ids seen before.
    public struct BlockReuse: Codable, Sendable, Equatable {
        public var blocks: Int
        public var reusedBlocks: Int
        public var share: Double { blocks == 0 ? 0 : Double(reusedBlocks) / Double(blocks) }
    }

    public static func run(path: String, pricer: Pricer) throws -> (BlockReuse, [Row]) {
        var requests: [ReplayRequest] = []
        let parser = JSONParser()
        defer { withExtendedLifetime(parser) {} }  // JSONValue holds the parser unowned
        var decoder = MooncakeDecoder(timeOrigin: 0, defaults: [:])
        try LineReader(path: path).forEachLine { number, bytes, _ in
            guard !Ingestor.isBlank(bytes), let value = try? parser.parse(bytes) else { return }
            var output = DecodeOutput()
            try decoder.decode(value, fallbackID: { "mooncake:\(number)" }, into: &output)
            requests += output.records.map { ReplayRequest($0, modelID: ModelNames.none, responseID: 0) }  // ids matter to the engine only
        }
        var seen: Set<Int64> = []
        var reuse = BlockReuse(blocks: 0, reusedBlocks: 0)
        for request in requests {
            for hash in request.prefixHashes {
                reuse.blocks += 1
                if !seen.insert(hash).inserted { reuse.reusedBlocks += 1 }
            }
        }
        let settings: [(String, Double, Double)] = [
            ("unbounded, any prefix", 86_400, 0), ("unbounded, ≥1,024 tokens", 86_400, 1024),
            ("TTL 1 h, ≥1,024 tokens", 3600, 1024), ("TTL 5 min, ≥1,024 tokens", 300, 1024),
        ]
        let context = StrategyContext(pricer: pricer, seed: 0)
        let rows = settings.map { label, ttl, minimum in
            var cache = PrefixCache(.init(ttlSeconds: ttl, minTokens: Int64(minimum), capacityBlocks: 0, writePremium: .never, scope: .global),
                                    context: context)
            var ledger = Ledger(recording: false)
            for request in requests {
                var copy = request
                cache.apply(&copy, ledger: &ledger)
            }
            let m = cache.metrics
            return Row(label: label, requests: requests.count, inputTokens: m[.inputTokens] ?? 0,
                       cachedTokens: m[.cacheReadTokens] ?? 0, hitRequests: m[.hits] ?? 0)
        }
        return (reuse, rows)
    }
}
