import CostReplayCore
import Testing
import TestSupport

/// SpendLogs rows built by LiteLLM's own `get_logging_payload` (traces/fixtures/upstream/litellm).
/// Rates as in ``UpstreamOTLPTests``.
/// LiteLLM names Anthropic responses with a fresh uuid, so those rows are found by model.
@Suite struct UpstreamLiteLLMTests {
    func id(_ records: [String: TraceRecord], model: String) throws -> String {
        try #require(records.values.first { $0.model == model }).id
    }

    func cost(_ store: TraceStore, _ id: String) throws -> Money? {
        try computedCost(store, id: id, catalog: sharedCatalog).cost
    }

    @Test(arguments: ["litellm-spendlogs.json", "litellm-spendlogs.csv"])
    func oneHourCacheWritesAreReadFromTheUsageObject(file: String) throws {
        let (store, summary) = try Fixtures.ingest([Fixtures.upstream("litellm/" + file)])
        #expect(summary.totals == IngestCounts(read: 5, stored: 5, duplicates: 0, rejected: 0))
        let records = try Fixtures.records(store)
        let opus = try id(records, model: "claude-opus-4-1"), sonnet = try id(records, model: "claude-sonnet-4-5")
        #expect(records[opus]?.usage == TokenUsage(input: 7000, output: 600, cacheRead: 2000, cacheWrite1h: 4000))
        // 1,000 × 15 + 2,000 × 1.5 + 4,000 × 30 + 600 × 75 = 15,000 + 3,000 + 120,000 + 45,000
        #expect(try cost(store, opus) == usd("0.183"))
        #expect(records[sonnet]?.usage
            == TokenUsage(input: 8000, output: 500, cacheRead: 4000, cacheWrite5m: 1000, cacheWrite1h: 2000))
        // 1,000 × 3 + 4,000 × 0.3 + 1,000 × 3.75 + 2,000 × 6 + 500 × 15
        #expect(try cost(store, sonnet) == usd("0.02745"))
        #expect(records[sonnet]?.billedCost == Money(dollars: 0.02745))
    }

    @Test func openAIRowsKeepCachedAndReasoningTokensAndTheCacheHitIsFree() throws {
        let (store, _) = try Fixtures.ingest([Fixtures.upstream("litellm/litellm-spendlogs.json")])
        let records = try Fixtures.records(store)
        #expect(records["litellm:chatcmpl-oa_chat"]?.usage == TokenUsage(input: 1200, output: 300, cacheRead: 200))
        #expect(try cost(store, "litellm:chatcmpl-oa_chat") == usd("0.000345"))
        #expect(records["litellm:chatcmpl-oa_reasoning"]?.usage
            == TokenUsage(input: 6100, output: 1500, cacheRead: 1024, reasoning: 1200))
        // 5,076 × 1.1 + 1,024 × 0.55 + 1,500 × 4.4
        #expect(try cost(store, "litellm:chatcmpl-oa_reasoning") == usd("0.0127468"))
        let hit = try #require(records.values.first { $0.cacheHit })
        #expect(hit.usage == TokenUsage(input: 1200, output: 300, cacheRead: 200))
        #expect(try cost(store, hit.id) == .zero)
    }
}
