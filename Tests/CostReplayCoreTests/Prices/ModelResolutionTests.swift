import CostReplayCore
import Foundation
import Testing
import TestSupport

@Suite struct ModelResolutionTests {
    let pricer = Pricer(catalog: sharedCatalog)

    func price(_ model: String, provider: String?, _ usage: TokenUsage, at date: String = "2026-09-01", pricer: Pricer? = nil) -> PricedRequest {
        (pricer ?? self.pricer).price(PricingInput(model: model, provider: provider, startMicros: Timestamp.parseISO(date), usage: usage))
    }

    let million = TokenUsage(input: 1_000_000, output: 1_000_000)

    @Test func aDatedNameIsPricedFromItsOwnEntryNotTheUndatedAlias() {
        let dated = price("gpt-4o-2024-05-13", provider: "openai", million)
        let alias = price("gpt-4o", provider: "openai", million)
        #expect(dated.pricing?.qualifiedID == "openai/gpt-4o-2024-05-13")
        #expect(dated.cost == usd("20"))
        #expect(dated.notes.isEmpty)
        #expect(alias.pricing?.qualifiedID == "openai/gpt-4o")
        #expect(alias.cost == usd("12.5"))
    }

    @Test func aNameMatchedOnlyByAPrefixIsPricedWithANoteNamingTheEntry() {
        let priced = price("claude-sonnet-4-5-20250929", provider: "anthropic", TokenUsage(input: 1000, output: 0))
        #expect(priced.cost == usd("0.003"))
        #expect(priced.notes == [.looseMatch(entry: "anthropic/claude-sonnet-4-5")])
        #expect(priced.notes.first?.description == "no entry of this exact name; priced as anthropic/claude-sonnet-4-5")
    }

    @Test func aCompactDateIsRewrittenAsGenAIPricesDoes() {
        let priced = price("gpt-5.2-20251211", provider: "openai", TokenUsage(input: 1000, output: 0))
        #expect(priced.pricing?.qualifiedID == "openai/gpt-5.2")
        #expect(priced.notes == [.looseMatch(entry: "openai/gpt-5.2")])
    }

    @Test func aProviderWithoutTheModelIsRefusedAndTheNearestEntryNamed() {
        let refused = price("babbage-002", provider: "aws", million)
        #expect(refused.cost == nil)
        #expect(refused.unpriced == .providerLacksModel)
        #expect(refused.unpricedDescription
                == "the provider has no price for this model; nearest entry openai/babbage-002 (--provider-fallback uses it)")
        #expect(price("babbage-002", provider: "openai", million).pricing?.qualifiedID == "openai/babbage-002")
    }

    @Test func anUnknownProviderIsRefusedRatherThanGuessed() {
        let refused = price("gpt-4o", provider: "my-proxy", million)
        #expect(refused.unpriced == .unknownProvider)
        #expect(refused.nearest == "openai/gpt-4o")
    }

    @Test func providerFallbackPricesFromTheNearestEntryWithANote() throws {
        var catalog = try PriceCatalog.builtIn()
        catalog.allowsProviderFallback = true
        let priced = price("babbage-002", provider: "aws", million, pricer: Pricer(catalog: catalog))
        #expect(priced.pricing?.qualifiedID == "openai/babbage-002")
        #expect(priced.notes == [.providerFallback(entry: "openai/babbage-002")])
        #expect(priced.cost == usd("0.8"))
    }

    @Test(arguments: [
        // Azure hosts OpenAI's models (the catalog's fallback_model_providers).
        ("azure", "gpt-4.1", "openai/gpt-4.1"),
        // Bedrock hosts Anthropic's at Anthropic's list prices (ProviderHosts.additional).
        ("aws", "claude-sonnet-4-5", "anthropic/claude-sonnet-4-5"),
        ("bedrock", "claude-sonnet-4-5", "anthropic/claude-sonnet-4-5"),
    ])
    func aDocumentedHostIsPricedFromTheModelMakersEntry(provider: String, model: String, entry: String) {
        let priced = price(model, provider: provider, TokenUsage(input: 1000, output: 100))
        #expect(priced.pricing?.qualifiedID == entry)
        #expect(priced.notes.contains(.hostedEntry(host: provider == "bedrock" ? "aws" : provider, entry: entry)))
        #expect(priced.cost != nil)
    }

    @Test func theHostTableListsOnlyDocumentedHosts() {
        #expect(ProviderHosts.additional == ["aws": ["anthropic"]])
        // Bedrock does not host OpenAI's babbage, so no host rule applies.
        #expect(price("babbage-002", provider: "bedrock", million).unpriced == .providerLacksModel)
    }

    @Test func aOneHourCacheWriteIsPricedAtTheOneHourRate() {
        // claude-sonnet-4-5: input $3, 5-minute write $3.75, 1-hour write $6 per million tokens.
        let oneHour = price("claude-sonnet-4-5", provider: "anthropic", TokenUsage(input: 100_000, output: 0, cacheWrite1h: 100_000))
        let fiveMinute = price("claude-sonnet-4-5", provider: "anthropic", TokenUsage(input: 100_000, output: 0, cacheWrite5m: 100_000))
        #expect(oneHour.breakdown.cacheWrite == usd("0.6"))
        #expect(fiveMinute.breakdown.cacheWrite == usd("0.375"))
    }

    @Test func theLongContextTierAppliesToCacheReads() {
        // Above 200,000 input tokens claude-sonnet-4-5's cache reads cost $0.6 instead of $0.3 per million.
        let long = price("claude-sonnet-4-5", provider: "anthropic", TokenUsage(input: 300_000, output: 0, cacheRead: 100_000))
        let short = price("claude-sonnet-4-5", provider: "anthropic", TokenUsage(input: 150_000, output: 0, cacheRead: 100_000))
        #expect(long.breakdown.cacheRead == usd("0.06"))
        #expect(long.breakdown.uncachedInput == usd("1.2"))
        #expect(short.breakdown.cacheRead == usd("0.03"))
    }

    @Test func aPriceChangeAppliesFromItsDate() {
        // OpenAI cut o3 from $10/$40 to $2/$8 per million tokens on 2025-06-10.
        #expect(price("o3", provider: "openai", million, at: "2025-06-09T23:59:59Z").cost == usd("50"))
        #expect(price("o3", provider: "openai", million, at: "2025-06-10").cost == usd("10"))
    }

    @Test func aModelListedWithoutChargesIsPricedAtZeroWithANote() {
        let free = price("google/gemma-3-4b-it:free", provider: "openrouter", million)
        #expect(free.cost == .zero)
        #expect(free.notes.contains(.listedFree))
    }

    @Test func anEntryBilledOnlyPerAudioHourIsNotPricedByTokens() {
        let refused = price("gpt-live-1", provider: "openai", million)
        #expect(refused.cost == nil)
        #expect(refused.unpricedDescription == "the catalog entry has no token prices (openai/gpt-live-1)")
    }

    @Test func theBundledCatalogNamesItsVersionAndDate() {
        #expect(sharedCatalog.info.label == "genai-prices 0.2.3 (2026-11-10)")
        #expect(sharedCatalog.info.origin == "bundled")
    }
}
