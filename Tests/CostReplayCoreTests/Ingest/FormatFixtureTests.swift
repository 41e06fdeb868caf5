import CostReplayCore
import Testing
import TestSupport

/// Each format's fixture ingests and prices to hand-computed costs.
/// Rates (USD per million tokens, genai-prices snapshot): gpt-4o 2.5 in / 1.25 cached / 10 out;
/// gpt-4o-mini 0.15 / 0.075 / 0.6; o3-mini 1.1 / 0.55 / 4.4; claude-sonnet-4-5 3 in / 0.3 read /
/// 3.75 write-5m / 6 write-1h / 15 out, above 200k input 6 / 0.6 / 7.5 / 12 / 22.5;
/// claude-3-5-haiku 0.8 / 0.08 read / 1 write / 4 out; o3 10 / 40 before 2025-06-10, then 2 / 8.
@Suite struct FormatFixtureTests {
    func cost(_ store: TraceStore, _ id: String) throws -> Money? {
        try computedCost(store, id: id, catalog: sharedCatalog).cost
    }

    @Test func canonicalRecordsPriceCachedTokensAtTheCacheRate() throws {
        let (store, summary) = try Fixtures.ingest([Fixtures.trace("canonical.jsonl")])
        #expect(summary.totals == IngestCounts(read: 8, stored: 8, duplicates: 0, rejected: 0))
        // 600 uncached × 2.5 + 400 cached × 1.25 + 200 out × 10 = 0.0015 + 0.0005 + 0.002
        #expect(try cost(store, "c1") == usd("0.004"))
    }

    @Test func longContextTierAppliesToAllTokensAbove200kInput() throws {
        let (store, _) = try Fixtures.ingest([Fixtures.trace("canonical.jsonl")])
        // 250,000 × 6 + 1,000 × 22.5 = 1.5 + 0.0225
        #expect(try cost(store, "c2") == usd("1.5225"))
    }

    @Test func cacheWritesArePricedByTheirTimeToLive() throws {
        let (store, _) = try Fixtures.ingest([Fixtures.trace("canonical.jsonl")])
        // uncached 1,000 × 3 + read 4,000 × 0.3 + 5m 2,000 × 3.75 + 1h 3,000 × 6 + out 500 × 15
        #expect(try cost(store, "c3") == usd("0.0372"))
    }

    @Test func aPriceChangeBetweenTwoDatesIsHonoured() throws {
        let (store, _) = try Fixtures.ingest([Fixtures.trace("canonical.jsonl")])
        // o3 before 2025-06-10: 1,000 × 10 + 1,000 × 40 (reasoning billed as output); after: × 2 and × 8
        #expect(try cost(store, "c4") == usd("0.05"))
        #expect(try cost(store, "c5") == usd("0.01"))
    }

    @Test func batchRequestsGetTheBatchDiscount() throws {
        let (store, _) = try Fixtures.ingest([Fixtures.trace("canonical.jsonl")])
        #expect(try cost(store, "c6") == usd("0.00625"))
    }

    @Test func anUnknownModelIsUnpricedNotFree() throws {
        let (store, _) = try Fixtures.ingest([Fixtures.trace("canonical.jsonl")])
        let priced = try computedCost(store, id: "c7", catalog: sharedCatalog)
        #expect(priced.cost == nil)
        #expect(priced.unpriced == .unknownModel)
    }

    @Test func otlpGenAISpansKeepStructureAndCountCachedTokensInsideInput() throws {
        let (store, summary) = try Fixtures.ingest([Fixtures.trace("otlp-genai.jsonl")])
        #expect(summary.totals.stored == 5)
        let records = try Fixtures.records(store)
        let chat = try #require(records["otlp:5b8efff798038103d269b633813fc60c:eee19b7ec3c1b175"])
        #expect(chat.usage == TokenUsage(input: 1200, output: 300, cacheRead: 200))
        #expect(chat.model == "gpt-4o-mini-2024-07-18")
        #expect(chat.requestModel == "gpt-4o-mini")
        #expect(chat.parentID == "otlp:5b8efff798038103d269b633813fc60c:eee19b7ec3c1b174")
        #expect(chat.sessionID == "conv-1")
        #expect(chat.tenantID == "acme")
        // 1,000 × 0.15 + 200 × 0.075 + 300 × 0.6
        #expect(try cost(store, chat.id) == usd("0.000345"))
        #expect(records["otlp:5b8efff798038103d269b633813fc60c:eee19b7ec3c1b176"]?.kind == .tool)
        #expect(records["otlp:5b8efff798038103d269b633813fc60c:eee19b7ec3c1b174"]?.kind == .agent)
    }

    @Test func openInferenceSpansAreRead() throws {
        let (store, _) = try Fixtures.ingest([Fixtures.trace("otlp-genai.jsonl")])
        let records = try Fixtures.records(store)
        let llm = try #require(records["otlp:0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331"])
        #expect(llm.usage == TokenUsage(input: 2000, output: 100, cacheRead: 1000))
        #expect(llm.tags == ["rag", "beta"])
        #expect(llm.userID == "alice")
        // 1,000 × 0.8 + 1,000 × 0.08 + 100 × 4
        #expect(try cost(store, llm.id) == usd("0.00128"))
        #expect(records["otlp:0af7651916cd43dd8448eb211c80319c:b7ad6b7169203332"]?.kind == .retrieval)
    }

    @Test func liteLLMSpendLogsReadTheCacheSplitFromTheUsageObject() throws {
        let (store, summary) = try Fixtures.ingest([Fixtures.trace("litellm-spendlogs.json")])
        #expect(summary.totals.stored == 3)
        let records = try Fixtures.records(store)
        #expect(records["litellm:chatcmpl-a1"]?.usage == TokenUsage(input: 2000, output: 500, cacheRead: 1000))
        // 1,000 × 2.5 + 1,000 × 1.25 + 500 × 10
        #expect(try cost(store, "litellm:chatcmpl-a1") == usd("0.00875"))
        // Anthropic through LiteLLM: prompt_tokens already includes reads and writes.
        #expect(records["litellm:msg_b2"]?.usage == TokenUsage(input: 5000, output: 200, cacheRead: 3000, cacheWrite5m: 1000))
        #expect(try cost(store, "litellm:msg_b2") == usd("0.01065"))
        #expect(records["litellm:msg_b2"]?.billedCost == Money(dollars: 0.01065))
        #expect(records["litellm:chatcmpl-a1"]?.tags == ["prod", "chat"])
        // A proxy cache hit never reached the provider.
        #expect(try cost(store, "litellm:chatcmpl-c3") == .zero)
    }

    @Test func liteLLMCSVExportReadsTheSameAsJSON() throws {
        let (store, summary) = try Fixtures.ingest([Fixtures.trace("litellm-spendlogs.csv")])
        #expect(summary.files.first?.format == "litellm")
        #expect(summary.totals.stored == 2)
        #expect(try cost(store, "litellm:chatcmpl-a1") == usd("0.00875"))
        #expect(try cost(store, "litellm:msg_b2") == usd("0.01065"))
    }

    @Test func langfuseUsageTypesAreAddedUpBecauseLangfuseReportsThemApart() throws {
        let (store, summary) = try Fixtures.ingest([Fixtures.trace("langfuse-observations.json")])
        #expect(summary.totals.stored == 3)
        let records = try Fixtures.records(store)
        #expect(records["langfuse:obs-1"]?.usage == TokenUsage(input: 1000, output: 200, cacheRead: 200, reasoning: 50))
        // 800 × 1.1 + 200 × 0.55 + 200 × 4.4
        #expect(try cost(store, "langfuse:obs-1") == usd("0.00187"))
        #expect(records["langfuse:obs-2"]?.usage == TokenUsage(input: 6100, output: 300, cacheRead: 5000, cacheWrite5m: 1000))
        // 100 × 0.8 + 5,000 × 0.08 + 1,000 × 1 + 300 × 4
        #expect(try cost(store, "langfuse:obs-2") == usd("0.00268"))
        #expect(records["langfuse:obs-0"]?.kind == .other)
        #expect(records["langfuse:obs-1"]?.parentID == "langfuse:obs-0")
    }

    @Test func langfuseCSVExportReadsTheSameAsJSON() throws {
        let (store, _) = try Fixtures.ingest([Fixtures.trace("langfuse-observations.csv")])
        #expect(try cost(store, "langfuse:obs-1") == usd("0.00187"))
        #expect(try cost(store, "langfuse:obs-2") == usd("0.00268"))
    }

    @Test func openAIBatchOutputsJoinTheirInputsAndPayTheBatchRate() throws {
        let (store, summary) = try Fixtures.ingest([Fixtures.trace("openai-batch-input.jsonl"), Fixtures.trace("openai-batch-output.jsonl")])
        #expect(summary.totals.stored == 1)
        let record = try #require(try Fixtures.records(store)["openai-batch:request-1"])
        #expect(record.isBatch)
        #expect(record.requestModel == "gpt-4o-mini")
        #expect(record.messages.map(\.role) == ["system", "user"])
        // (500 × 0.15 + 500 × 0.075 + 100 × 0.6) × 0.5
        #expect(try cost(store, record.id) == usd("0.00008625"))
        let reasons = try store.rejections().map(\.description)
        #expect(reasons.contains { $0.hasSuffix("openai-batch-output.jsonl:2: field 'error': batch request request-2 failed: The server had an error.") })
        #expect(reasons.contains { $0.hasSuffix("openai-batch-input.jsonl:3: field 'custom_id': batch input request request-3 has no matching output line; its tokens and cost are unknown") })
    }

    @Test func chatCompletionLogsIncludeReasoningInOutputAndPriceServiceTiers() throws {
        let (store, _) = try Fixtures.ingest([Fixtures.trace("openai-chat.jsonl")])
        let records = try Fixtures.records(store)
        #expect(records["openai:chatcmpl-r1"]?.usage == TokenUsage(input: 500, output: 1500, reasoning: 1200))
        // 500 × 1.1 + 1,500 × 4.4
        #expect(try cost(store, "openai:chatcmpl-r1") == usd("0.00715"))
        // priority tier: (1,000 × 2.5 + 100 × 10) × 1.7
        #expect(try cost(store, "openai:chatcmpl-r2") == usd("0.00595"))
    }

    @Test func azureTracePresetUsesTheDefaultModel() throws {
        var options = IngestOptions()
        options.defaultModel = "gpt-4o"
        let (store, summary) = try Fixtures.ingest([Fixtures.trace("azure-conv-head.csv")], options: options)
        #expect(summary.files.first?.format == "azure")
        #expect(summary.totals.stored == 5)
        var first: TraceRecord?
        try store.forEachRecord { record, _ in if first == nil { first = record } }
        #expect(first?.usage == TokenUsage(input: 374, output: 44))
        #expect(first?.startMicros == Timestamp.parseISO("2023-11-16T18:15:46.68059Z"))
        // 374 × 2.5 + 44 × 10
        #expect(first.map { Pricer(catalog: sharedCatalog).price(PricingInput($0)).cost } == usd("0.001375"))
    }

    @Test func burstGPTPresetMapsItsModelNames() throws {
        var options = IngestOptions()
        options.timeOrigin = Timestamp.parseISO("2026-01-01")!
        let (store, summary) = try Fixtures.ingest([Fixtures.trace("burstgpt.csv")], options: options)
        #expect(summary.files.first?.format == "burstgpt")
        var records: [TraceRecord] = []
        try store.forEachRecord { record, _ in records.append(record) }
        #expect(records.map(\.model) == ["gpt-3.5-turbo", "gpt-4", "gpt-3.5-turbo"])
        #expect(records[0].startMicros == Timestamp.parseISO("2026-01-01T00:00:05Z"))
        #expect(records[0].tags == ["Log Type=Conversation log"])
        let pricer = Pricer(catalog: sharedCatalog)
        // 472 × 0.5 + 18 × 1.5; 1,000 × 30 + 500 × 60
        #expect(pricer.price(PricingInput(records[0])).cost == usd("0.000263"))
        #expect(pricer.price(PricingInput(records[1])).cost == usd("0.06"))
    }

    @Test func mooncakeTraceKeepsPrefixBlockHashes() throws {
        var options = IngestOptions()
        options.defaultModel = "gpt-4o-mini"
        let (store, summary) = try Fixtures.ingest([Fixtures.trace("mooncake-head.jsonl")], options: options)
        #expect(summary.files.first?.format == "mooncake")
        #expect(summary.totals.stored == 3)
        var records: [TraceRecord] = []
        try store.forEachRecord { record, _ in records.append(record) }
        let first = try #require(records.first { $0.usage?.input == 6758 })
        #expect(first.prefixHashes == Array(0...13))
        #expect(first.prefixBlockTokens == 512)
        // 6,758 × 0.15 + 500 × 0.6
        #expect(Pricer(catalog: sharedCatalog).price(PricingInput(first)).cost == usd("0.0013137"))
    }

    @Test func anyCSVIsReadThroughAMappingFile() throws {
        var options = IngestOptions()
        options.format = .csv
        options.mappingPath = Fixtures.trace("custom-mapping.json")
        let (store, summary) = try Fixtures.ingest([Fixtures.trace("custom.csv")], options: options)
        #expect(summary.totals.stored == 2)
        var records: [TraceRecord] = []
        try store.forEachRecord { record, _ in records.append(record) }
        #expect(records[0].userID == "alice")
        #expect(records[1].startMicros == 1_788_256_860_500_000)
        #expect(Pricer(catalog: sharedCatalog).price(PricingInput(records[1])).cost == usd("0.007"))
    }
}
