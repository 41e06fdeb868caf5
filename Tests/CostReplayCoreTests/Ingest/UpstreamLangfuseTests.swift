import CostReplayCore
import Testing
import TestSupport

/// Langfuse observations from its SDK (LangChain CallbackHandler and the `langfuse.openai` drop-in)
/// and as its API and UI export them (traces/fixtures/upstream/langfuse). Rates as in ``UpstreamOTLPTests``.
@Suite struct UpstreamLangfuseTests {
    func cost(_ store: TraceStore, _ id: String) throws -> Money? {
        try computedCost(store, id: id, catalog: sharedCatalog).cost
    }

    @Test(arguments: ["langfuse-api-page-compact.json", "langfuse-api-page-pretty.json", "langfuse-api-v2-page.json",
                      "langfuse-ui-export.json", "langfuse-ui-export.csv"])
    func everyExportShapeReadsToTheProviderTokens(file: String) throws {
        let (store, summary) = try Fixtures.ingest([Fixtures.upstream("langfuse/" + file)])
        #expect(summary.files.first?.format == "langfuse")
        #expect(summary.totals == IngestCounts(read: 3, stored: 3, duplicates: 0, rejected: 0))
        let records = try Fixtures.records(store)
        // usageDetails {input 5,076, input_cache_read 1,024, output 300, output_reasoning 1,200, total 7,600}
        #expect(records["langfuse:3fc1ea36f17fd374"]?.usage
            == TokenUsage(input: 6100, output: 1500, cacheRead: 1024, reasoning: 1200))
        #expect(try cost(store, "langfuse:3fc1ea36f17fd374") == usd("0.0127468"))
        // usageDetails carry the writes twice: cache_creation_input_tokens 3,000 and the 5m/1h split 1,000 + 2,000.
        #expect(records["langfuse:de5271007814e8a2"]?.usage
            == TokenUsage(input: 8000, output: 500, cacheRead: 4000, cacheWrite5m: 1000, cacheWrite1h: 2000))
        #expect(try cost(store, "langfuse:de5271007814e8a2") == usd("0.02745"))
        #expect(records["langfuse:3fd4235992edcf45"]?.usage
            == TokenUsage(input: 7000, output: 600, cacheRead: 2000, cacheWrite1h: 4000))
        #expect(try cost(store, "langfuse:3fd4235992edcf45") == usd("0.183"))
    }

    @Test func theUIsTripleQuotedTimestampsAreRead() throws {
        let (store, _) = try Fixtures.ingest([Fixtures.upstream("langfuse/langfuse-ui-export.csv")])
        let fromJSON = try Fixtures.records(try Fixtures.ingest([Fixtures.upstream("langfuse/langfuse-ui-export.json")]).0)
        let record = try #require(try Fixtures.records(store)["langfuse:3fc1ea36f17fd374"])
        #expect(record.startMicros != nil)
        #expect(record.startMicros == fromJSON["langfuse:3fc1ea36f17fd374"]?.startMicros)
    }

    @Test func sdkSpansReadUsageDetailsAndCountTheNestedGenerationOnce() throws {
        let (store, summary) = try Fixtures.ingest([Fixtures.upstream("langfuse/langfuse-sdk.otlp.jsonl")])
        let records = try Fixtures.records(store)
        // LangChain's ChatOpenAI generation wraps the langfuse.openai generation of the same call.
        #expect(summary.totals.merged == 1)
        let kept = "otlp:c6a5387777330bdbd7210dff076ce2ef:0d464138a6233255"
        #expect(records["otlp:c6a5387777330bdbd7210dff076ce2ef:3fc1ea36f17fd374"]?.attributes["same_call_as"] == "\"\(kept)\"")
        #expect(records[kept]?.usage == TokenUsage(input: 6100, output: 1500, cacheRead: 1024, reasoning: 1200))
        #expect(try cost(store, kept) == usd("0.0127468"))
        #expect(try cost(store, "otlp:5f2dd97f1cfb10f62827688de6a16a3b:de5271007814e8a2") == usd("0.02745"))
    }

    @Test func reasoningBesideAnOutputThatIncludesItIsNotAddedAgain() throws {
        // Such usage, with a total that shows the details are inside input and output, as the issue reported it.
        let path = Fixtures.write("""
            {"id":"o1","traceId":"t1","type":"GENERATION","model":"o3-mini","startTime":"2026-01-05T10:00:00Z",\
            "usageDetails":{"input":6100,"cache_creation_input_tokens":1000,"output":1500,"reasoning_tokens":1200,"total":7600}}
            """)
        let (store, _) = try Fixtures.ingest([path])
        #expect(try Fixtures.records(store)["langfuse:o1"]?.usage
            == TokenUsage(input: 6100, output: 1500, cacheWrite5m: 1000, reasoning: 1200))
    }
}
