import CostReplayCore
import Testing
import TestSupport

/// OpenAI Batch files built from the `openai` client's own request bodies and response types
/// (traces/fixtures/upstream/openai-batch). Batch rates are half the standard ones.
@Suite struct UpstreamBatchTests {
    let input = Fixtures.upstream("openai-batch/openai-batch-input.jsonl")
    let output = Fixtures.upstream("openai-batch/openai-batch-output.jsonl")
    let errors = Fixtures.upstream("openai-batch/openai-batch-errors.jsonl")
    let failure = "field 'response.body.error': batch request request-4 failed with status 400: "
        + "Invalid value for 'temperature': must be at most 2."

    func cost(_ store: TraceStore, _ id: String) throws -> Money? {
        try computedCost(store, id: id, catalog: sharedCatalog).cost
    }

    @Test func chatResponsesAndEmbeddingsLinesAreStoredAtTheBatchRate() throws {
        let (store, _) = try Fixtures.ingest([input, output, errors])
        let records = try Fixtures.records(store)
        #expect(records["openai-batch:request-1"]?.usage == TokenUsage(input: 1200, output: 300, cacheRead: 200))
        // (1,000 × 0.15 + 200 × 0.075 + 300 × 0.6) × 0.5 = 345 × 0.5
        #expect(try cost(store, "openai-batch:request-1") == usd("0.0001725"))
        #expect(records["openai-batch:request-2"]?.usage == TokenUsage(input: 2000, output: 500, cacheRead: 1000))
        // (1,000 × 2.5 + 1,000 × 1.25 + 500 × 10) × 0.5 = 8,750 × 0.5
        #expect(try cost(store, "openai-batch:request-2") == usd("0.004375"))
        #expect(records["openai-batch:request-3"]?.usage == TokenUsage(input: 800, output: 0))
        #expect(records["openai-batch:request-3"]?.operation == "embeddings")
        // 800 × 0.02 × 0.5
        #expect(try cost(store, "openai-batch:request-3") == usd("0.000008"))
    }

    @Test func aFailedRequestIsRejectedOnceWithItsStatusAndMessage() throws {
        let (store, summary) = try Fixtures.ingest([input, output, errors])
        let rejections = try store.rejections()
        #expect(rejections.map(\.description) == [errors + ":1: " + failure])
        #expect(summary.totals.rejected == 1)
    }

    @Test(arguments: [[0, 1, 2], [2, 1, 0], [1, 0, 2]])
    func perFileCountsDoNotDependOnArgumentOrder(order: [Int]) throws {
        let files = [input, output, errors]
        let (_, summary) = try Fixtures.ingest(order.map { files[$0] })
        let counts = Dictionary(uniqueKeysWithValues: summary.files.map { ($0.path, $0.counts) })
        #expect(counts[input] == IngestCounts(read: 4, stored: 0, duplicates: 0, rejected: 0, merged: 4))
        #expect(counts[output] == IngestCounts(read: 3, stored: 3, duplicates: 0, rejected: 0))
        #expect(counts[errors] == IngestCounts(read: 1, stored: 0, duplicates: 0, rejected: 1))
    }

    @Test func rejectsOfAnInputOnlyIngestAreClearedWhenTheOutputArrives() throws {
        let (store, first) = try Fixtures.ingest([input])
        #expect(first.totals.rejected == 4)
        #expect(try store.rejections().first?.reason
            == "batch input request request-1 has no matching output line; its tokens and cost are unknown")
        let second = try Ingestor(store: store, options: IngestOptions()).ingest(paths: [output, errors])
        #expect(second.totals.stored == 3)
        #expect(try store.rejections().map(\.description) == [errors + ":1: " + failure])
    }
}
