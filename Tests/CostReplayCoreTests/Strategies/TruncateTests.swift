import CostReplayCore
import Testing
import TestSupport

@Suite struct TruncateTests {
    typealias R = Replays

    func chat(_ id: String, at second: Double, session: String = "s1", _ messages: [(String, Int64)]) -> TraceRecord {
        var r = R.request(id, at: second, input: messages.reduce(0) { $0 + $1.1 }, output: 100)
        r.sessionID = session
        r.messages = messages.enumerated().map { MessageInfo(role: $1.0, tokens: $1.1, hash: "\(id)-\($0)") }
        return r
    }

    let turn = [("system", Int64(500)), ("user", 100), ("assistant", 200), ("user", 50)]

    @Test func aTurnWindowDropsTheOldestMessagesButNotTheSystemPrompt() throws {
        let (result, _) = try R.run([chat("a", at: 0, turn)], scenario: "scenarios: [{name: t, strategies: [{truncate: {mode: window_turns, keep_turns: 2}}]}]")
        // 850 − 100 input tokens: 750 × 2.5 + 100 × 10.
        #expect(result.scenarios[0].totals.cost == usd("0.002875"))
        #expect(R.metrics(result)["input_tokens_removed"] == 100)
    }

    @Test func aTokenBudgetKeepsTheNewestMessagesThatFit() throws {
        let (result, _) = try R.run([chat("a", at: 0, turn)], scenario: "scenarios: [{name: t, strategies: [{truncate: {mode: window_tokens, token_budget: 260}}]}]")
        #expect(R.metrics(result)["dropped_messages"] == 1)
        #expect(result.scenarios[0].totals.cost == usd("0.002875"))
    }

    @Test func summariesArePaidOncePerDroppedMessage() throws {
        let first = chat("a", at: 0, turn)
        let second = chat("b", at: 60, turn + [("assistant", 80), ("user", 40)])
        let (result, _) = try R.run([first, second], scenario: """
            scenarios: [{name: t, strategies: [{truncate: {mode: summarise, keep_turns: 2, summary_tokens: 300, summariser: gpt-4o-mini}}]}]
            """)
        // a: input 850 − 100 + 300 = 1,050 → 0.002625 + 0.001; summary of 100 tokens: 100 × 0.15 + 300 × 0.6.
        // b: input 970 − 350 + 300 = 920 → 0.0023 + 0.001; summary of the newly dropped 250 plus the old summary.
        let expected = usd("0.003625") + usd("0.000195") + usd("0.0033") + usd("0.0002625")
        #expect(result.scenarios[0].totals.cost == expected)
        #expect(R.metrics(result)["summariser_calls"] == 2)
    }

    @Test func systemPromptCompressionShrinksOnlyTheSystemPrompt() throws {
        let (result, _) = try R.run([chat("a", at: 0, turn)], scenario: "scenarios: [{name: t, strategies: [{truncate: {mode: none, system_ratio: 0.5}}]}]")
        #expect(R.metrics(result)["input_tokens_removed"] == 250)
    }
}

@Suite struct TruncationValidationTests {
    @Test func aResponseThatReusesDroppedWordsIsAffected() {
        let conversation = TruncationValidation.Conversation(turns: [
            ("user", "My cat Whiskers loves salmon treats and sleeping."),
            ("assistant", "Whiskers sounds lovely."),
            ("user", "What should I buy?"),
            ("assistant", "Buy salmon treats for Whiskers, she loves sleeping too."),
        ])
        let rows = TruncationValidation.evaluate([conversation], keep: [2, 3])
        // Window 2 keeps "Whiskers sounds lovely." and the question: salmon, treats, sleeping only in the dropped turn.
        #expect(rows[0].requests == 2)
        #expect(rows[0].truncated == 1)
        #expect(rows[0].affected == 1)
        // Window 3 keeps everything.
        #expect(rows[1].affected == 0)
    }

    @Test(.enabled(if: Fixtures.hasSharedData, Fixtures.sharedDataMissing)) func theShareGPTSampleGivesAnIntervalAroundTheShare() throws {
        let conversations = try TruncationValidation.load(folder: Fixtures.shared("sharegpt92k-sample/sampled_enriched_data"))
        #expect(conversations.count == 1000)
        let rows = TruncationValidation.evaluate(conversations, keep: [2, 8])
        for row in rows { #expect(row.lower <= row.affectedShare && row.affectedShare <= row.upper) }
        #expect(rows[0].affectedShare > rows[1].affectedShare)
    }
}

@Suite struct RAGCutTests {
    @Test func retrievedChunksAreCutByRankAndRelevance() throws {
        var r = Replays.request("a", at: 0, input: 1500, output: 100)
        r.messages = [MessageInfo(role: "system", tokens: 200, hash: "s"),
                      MessageInfo(role: "context", tokens: 400, hash: "c1", score: 0.9),
                      MessageInfo(role: "context", tokens: 400, hash: "c2", score: 0.4),
                      MessageInfo(role: "context", tokens: 400, hash: "c3", score: 0.8),
                      MessageInfo(role: "user", tokens: 100, hash: "u")]
        // Top 2 keeps c1, c2; the relevance cut then drops c2 (0.4 < 0.5): 800 tokens go.
        let (result, _) = try Replays.run([r], scenario: """
            scenarios: [{name: t, strategies: [{truncate: {mode: none, rag_top_k: 2, rag_min_score: 0.5}}]}]
            """)
        #expect(Replays.metrics(result)["input_tokens_removed"] == 800)
        #expect(Replays.metrics(result)["dropped_chunks"] == 2)
    }
}

@Suite struct LocalEligibilityTests {
    @Test func localServingTakesOnlyTrafficTheRulesAdmit() throws {
        var short = Replays.request("s", at: 0, input: 300, output: 10)
        short.tags = ["feature:classify"]
        let long = Replays.request("l", at: 1, input: 3000, output: 10)
        let (result, _) = try Replays.run([short, long], scenario: """
            scenarios: [{name: g, strategies: [{local_gpu: {rules: [{max_prompt_tokens: "1000"}], rent_per_gpu_hour: 2}}]}]
            """)
        #expect(Replays.metrics(result)["local"] == 1)
        #expect(Replays.metrics(result)["spilled"] == nil)
    }
}
