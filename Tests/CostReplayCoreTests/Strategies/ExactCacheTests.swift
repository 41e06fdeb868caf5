import CostReplayCore
import Testing
import TestSupport

@Suite struct ExactCacheTests {
    typealias R = Replays

    @Test func anEntryExpiresAfterItsTTL() throws {
        let records = [R.request("a", at: 0, prompt: "hi"), R.request("b", at: 30, prompt: "hi"), R.request("c", at: 120, prompt: "hi")]
        let (result, _) = try R.run(records, scenario: "scenarios: [{name: s, strategies: [{exact_cache: {ttl: 60}}]}]")
        let m = R.metrics(result)
        #expect(m["hits"] == 1)
        #expect(m["expirations"] == 1)
        // gpt-4o: 1,000 × 2.5 + 100 × 10 = $0.0035 a request; the hit is free.
        #expect(result.scenarios[0].totals.cost == usd("0.007"))
        #expect(result.baseline.cost == usd("0.0105"))
    }

    /// Found by a probe: the TTL ran from the request's start, so an answer that took longer than the TTL was
    /// never usable. It runs from when the response is cached (the request's end), for every response cache.
    @Test func theTTLRunsFromWhenTheResponseIsCachedNotFromTheRequestsStart() throws {
        // a runs 0–90 s; b asks the same at 100 s; c at 200 s.
        let records = [R.request("a", at: 0, prompt: "same question", duration: 90), R.request("b", at: 100, prompt: "same question"),
                       R.request("c", at: 200, prompt: "same question")]
        for strategy in ["exact_cache", "semantic_cache"] {
            let (sixty, _) = try R.run(records, scenario: "scenarios: [{name: s, strategies: [{\(strategy): {ttl: 60}}]}]")
            // Cached at 90 s, expires at 150 s: b hits, c misses.
            #expect(R.metrics(sixty)["hits"] == 1, "\(strategy)")
            let (five, _) = try R.run(records, scenario: "scenarios: [{name: s, strategies: [{\(strategy): {ttl: 5}}]}]")
            // Expired at 95 s, before b asks.
            #expect((R.metrics(five)["hits"] ?? 0) == 0, "\(strategy)")
        }
    }

    @Test func lruEvictsTheLeastRecentlyUsedEntry() throws {
        // A, B, A (hit), C evicts B, B misses and evicts A, A misses.
        let prompts = ["A", "B", "A", "C", "B", "A"]
        let records = prompts.enumerated().map { R.request("r\($0.offset)", at: Double($0.offset * 10), prompt: $0.element) }
        let (result, _) = try R.run(records, scenario: "scenarios: [{name: s, strategies: [{exact_cache: {capacity: 2, eviction: lru}}]}]")
        #expect(R.metrics(result)["hits"] == 1)
        #expect(R.metrics(result)["evictions"] == 3)
    }

    @Test func lfuEvictsTheLeastFrequentlyUsedEntry() throws {
        // A, A (hit), B, C evicts B (1 use against A's 2), A hits, B misses.
        let prompts = ["A", "A", "B", "C", "A", "B"]
        let records = prompts.enumerated().map { R.request("r\($0.offset)", at: Double($0.offset * 10), prompt: $0.element) }
        let (result, _) = try R.run(records, scenario: "scenarios: [{name: s, strategies: [{exact_cache: {capacity: 2, eviction: lfu}}]}]")
        #expect(R.metrics(result)["hits"] == 2)
    }

    @Test func aUserScopedCacheDoesNotShareAcrossUsers() throws {
        let records = [R.request("a", at: 0, prompt: "hi", user: "u1"), R.request("b", at: 10, prompt: "hi", user: "u2"),
                       R.request("c", at: 20, prompt: "hi", user: "u1")]
        let (user, _) = try R.run(records, scenario: "scenarios: [{name: s, strategies: [{exact_cache: {scope: user}}]}]")
        #expect(R.metrics(user)["hits"] == 1)
        let (global, _) = try R.run(records, scenario: "scenarios: [{name: s, strategies: [{exact_cache: {scope: global}}]}]")
        #expect(R.metrics(global)["hits"] == 2)
    }

    @Test func aDuplicateArrivingWhileTheFirstIsInFlightMisses() throws {
        let records = [R.request("a", at: 0, prompt: "hi", duration: 5), R.request("b", at: 2, prompt: "hi"), R.request("c", at: 6, prompt: "hi")]
        let (result, _) = try R.run(records, scenario: "scenarios: [{name: s, strategies: [exact_cache]}]")
        #expect(R.metrics(result)["hits"] == 1)
    }

    @Test func normalisationMakesWhitespaceAndCaseVariantsHit() throws {
        let records = [R.request("a", at: 0, prompt: "Hello   World"), R.request("b", at: 10, prompt: " hello world ")]
        let (plain, _) = try R.run(records, scenario: "scenarios: [{name: s, strategies: [{exact_cache: {normalise: []}}]}]")
        #expect(R.metrics(plain)["hits"] == nil)
        let (normalised, _) = try R.run(records, scenario: "scenarios: [{name: s, strategies: [{exact_cache: {normalise: [whitespace, case]}}]}]")
        #expect(R.metrics(normalised)["hits"] == 1)
    }

    @Test func aHitWithADifferentRecordedResponseIsALikelyFalseHit() throws {
        let records = [R.request("a", at: 0, prompt: "hi", response: "hello"), R.request("b", at: 10, prompt: "hi", response: "hey there")]
        let (result, _) = try R.run(records, scenario: "scenarios: [{name: s, strategies: [exact_cache]}]")
        #expect(R.metrics(result)["likely_false_hits"] == 1)
        #expect(R.metrics(result)["hits_with_response"] == 1)
    }

    @Test func lookupCostsArePaidOnHitsAndMisses() throws {
        let records = [R.request("a", at: 0, prompt: "hi"), R.request("b", at: 10, prompt: "hi")]
        let (result, _) = try R.run(records, scenario: "scenarios: [{name: s, strategies: [{exact_cache: {lookup_cost: 0.0001}}]}]")
        #expect(result.scenarios[0].totals.cost == usd("0.0037"))
    }
}
