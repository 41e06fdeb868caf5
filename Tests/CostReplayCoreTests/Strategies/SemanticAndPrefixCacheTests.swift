import CostReplayCore
import Testing
import TestSupport

@Suite struct SemanticCacheTests {
    typealias R = Replays

    func withEmbedding(_ r: TraceRecord, _ vector: [Float]) -> TraceRecord {
        var r = r
        r.embedding = vector
        return r
    }

    @Test(arguments: [(0.8, 1.0), (0.81, 0.0)])
    func theThresholdIsInclusive(threshold: Double, hits: Double) throws {
        // cos([1, 0], [0.8, 0.6]) = 0.8 exactly.
        let records = [withEmbedding(R.request("a", at: 0), [1, 0]), withEmbedding(R.request("b", at: 10), [0.8, 0.6])]
        let (result, _) = try R.run(records, scenario: "scenarios: [{name: s, strategies: [{semantic_cache: {threshold: \(threshold)}}]}]")
        #expect(R.metrics(result)["hits"] ?? 0 == hits)
    }

    @Test func aThresholdListSweepsOnePointPerValue() throws {
        let records = [withEmbedding(R.request("a", at: 0), [1, 0]), withEmbedding(R.request("b", at: 10), [0.8, 0.6])]
        let (result, _) = try R.run(records, scenario: "scenarios: [{name: s, strategies: [{semantic_cache: {threshold: {from: 0.7, to: 0.9, step: 0.1}}}]}]")
        #expect(result.scenarios.map(\.label) == ["s[threshold=0.7]", "s[threshold=0.8]", "s[threshold=0.9]"])
        #expect(result.scenarios.map { $0.totals.servedRequests } == [1, 1, 0])
    }

    @Test func theBuiltInEmbedderCatchesRewordedPrompts() throws {
        let records = [R.request("a", at: 0, prompt: "How do I reset my password?"),
                       R.request("b", at: 10, prompt: "how do i reset my password"),
                       R.request("c", at: 20, prompt: "What is the capital of France?")]
        let (result, _) = try R.run(records, scenario: "scenarios: [{name: s, strategies: [{semantic_cache: {threshold: 0.9}}]}]")
        #expect(R.metrics(result)["hits"] == 1)
        #expect(R.metrics(result)["misses"] == 2)
    }

    @Test func differingRecordedResponsesCountAsLikelyFalseHits() throws {
        let records = [withEmbedding(R.request("a", at: 0, response: "Paris"), [1, 0]),
                       withEmbedding(R.request("b", at: 10, response: "Lyon"), [1, 0])]
        let (result, _) = try R.run(records, scenario: "scenarios: [{name: s, strategies: [semantic_cache]}]")
        #expect(R.metrics(result)["likely_false_hits"] == 1)
    }
}

@Suite struct PrefixCacheTests {
    typealias R = Replays

    /// A Claude Sonnet 4.5 request whose prompt is these (role, tokens, hash) messages.
    func chat(_ id: String, at second: Double, _ messages: [(String, Int64, String)], output: Int64 = 100) -> TraceRecord {
        var r = R.request(id, at: second, model: "claude-sonnet-4-5", input: messages.reduce(0) { $0 + $1.1 }, output: output)
        r.messages = messages.map { MessageInfo(role: $0.0, tokens: $0.1, hash: $0.2) }
        return r
    }

    @Test func aGrowingConversationReadsItsHistoryAndPaysToWriteTheRest() throws {
        let first = chat("1", at: 0, [("system", 2000, "s"), ("user", 100, "u1")])
        let second = chat("2", at: 60, [("system", 2000, "s"), ("user", 100, "u1"), ("assistant", 300, "a1"), ("user", 50, "u2")])
        let (result, _) = try R.run([first, second], scenario: "scenarios: [{name: s, strategies: [{prefix_cache: {ttl: 5m, min_tokens: 1024}}]}]")
        let m = R.metrics(result)
        #expect(m["cache_read_tokens"] == 2100)
        #expect(m["cache_write_tokens"] == 2450)
        // First: 2,100 written at 3.75 + 100 out at 15 = 0.007875 + 0.0015.
        // Second: 2,100 read at 0.3 + 350 written at 3.75 + 100 out at 15 = 0.00063 + 0.0013125 + 0.0015.
        #expect(result.scenarios[0].totals.cost == usd("0.0128175"))
    }

    @Test func promptsBelowTheMinimumAreNeitherWrittenNorRead() throws {
        let records = [chat("1", at: 0, [("system", 500, "s"), ("user", 100, "u")]), chat("2", at: 10, [("system", 500, "s"), ("user", 100, "u")])]
        let (result, _) = try R.run(records, scenario: "scenarios: [{name: s, strategies: [{prefix_cache: {min_tokens: 1024}}]}]")
        #expect(R.metrics(result)["cache_read_tokens"] == 0)
        #expect(result.scenarios[0].totals.cost == result.baseline.cost)
    }

    @Test func aHitRefreshesTheTTL() throws {
        let prompt = [("system", 2000, "s"), ("user", 10, "u")] as [(String, Int64, String)]
        // Written at 0 (expires 300), hit at 200 refreshes to 500, so 450 still hits; 800 does not.
        let records = [chat("1", at: 0, prompt), chat("2", at: 200, prompt), chat("3", at: 450, prompt), chat("4", at: 800, prompt)]
        let (result, _) = try R.run(records, scenario: "scenarios: [{name: s, strategies: [{prefix_cache: {ttl: 300}}]}]")
        #expect(R.metrics(result)["hits"] == 2)
    }

    @Test func oneHourWritesAreBilledAtTheOneHourRate() throws {
        let records = [chat("1", at: 0, [("system", 2000, "s")], output: 0)]
        let (result, _) = try R.run(records, scenario: "scenarios: [{name: s, strategies: [{prefix_cache: {ttl: 1h}}]}]")
        // 2,000 tokens written at $6 per million.
        #expect(result.scenarios[0].totals.cost == usd("0.012"))
    }

    @Test func openAIModelsPayNoWritePremium() throws {
        var r = R.request("1", at: 0, model: "gpt-4o", input: 2000, output: 0)
        r.messages = [MessageInfo(role: "system", tokens: 2000, hash: "s")]
        var again = R.request("2", at: 10, model: "gpt-4o", input: 2000, output: 0)
        again.messages = r.messages
        let (result, _) = try R.run([r, again], scenario: "scenarios: [{name: s, strategies: [prefix_cache]}]")
        // First at 2.5 (no write premium), second read at 1.25.
        #expect(result.scenarios[0].totals.cost == usd("0.0075"))
    }

    @Test func mooncakeBlockHashesDriveTheCache() throws {
        var a = R.request("1", at: 0, input: 1500, output: 0)
        a.prefixHashes = [1, 2, 3]
        a.prefixBlockTokens = 512
        var b = R.request("2", at: 10, input: 1400, output: 0)
        b.prefixHashes = [1, 2, 9]
        b.prefixBlockTokens = 512
        let (result, _) = try R.run([a, b], scenario: "scenarios: [{name: s, strategies: [{prefix_cache: {min_tokens: 1024}}]}]")
        #expect(R.metrics(result)["cache_read_tokens"] == 1024)
    }
}

@Suite struct ComponentCacheTests {
    @Test func aRepeatedToolCallIsServedAndItsCostSaved() throws {
        func tool(_ id: String, at second: Double) -> TraceRecord {
            var r = TraceRecord(id: id)
            r.kind = .tool
            r.name = "search_docs"
            r.promptText = "{\"q\": \"refund policy\"}"
            r.startMicros = Replays.origin + Int64(second * 1e6)
            r.endMicros = r.startMicros! + 800_000
            r.attributes["cost_usd"] = "0.002"
            return r
        }
        let (result, _) = try Replays.run([tool("t1", at: 0), tool("t2", at: 30)],
                                          scenario: "scenarios: [{name: s, strategies: [{component_cache: {ttl: 10m}}]}]")
        let m = Replays.metrics(result)
        #expect(m["hits"] == 1)
        #expect(m["cost_saved_usd"] == 0.002)
        #expect(result.scenarios[0].totals.spans == 2)
        #expect(result.scenarios[0].totals.savings == usd("0.002"))
    }
}

@Suite struct SemanticExpiryTests {
    @Test func anExpiredNearestEntryDoesNotHideALiveOne() throws {
        func at(_ id: String, _ second: Double, _ vector: [Float]) -> TraceRecord {
            var r = Replays.request(id, at: second, duration: 0)
            r.embedding = vector
            return r
        }
        // A expires at 100 s; B (cosine 0.96 to A) is stored at 50 s; C at 120 s is nearest to the expired A
        // (0.99) but still close enough to the live B (0.99 too, just below) to hit it.
        let c = HashingEmbedderTestVector.normalised([0.99, 0.141])
        let records = [at("a", 0, [1, 0]), at("b", 50, [0.96, 0.28]), at("c", 120, c)]
        let (result, _) = try Replays.run(records, scenario: "scenarios: [{name: s, strategies: [{semantic_cache: {threshold: 0.97, ttl: 100}}]}]")
        #expect(Replays.metrics(result)["hits"] == 1)
    }
}

enum HashingEmbedderTestVector {
    static func normalised(_ v: [Float]) -> [Float] {
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return v.map { $0 / norm }
    }
}
