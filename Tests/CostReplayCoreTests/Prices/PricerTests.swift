@testable import CostReplayCore
import Foundation
import Testing
import TestSupport

@Suite struct PricerTests {
    let pricer = Pricer(catalog: sharedCatalog)

    func price(_ model: String, _ usage: TokenUsage, at date: String = "2026-09-01", provider: String? = nil,
               batch: Bool = false, tier: String? = nil, pricer: Pricer? = nil) -> PricedRequest {
        (pricer ?? self.pricer).price(PricingInput(model: model, provider: provider, startMicros: Timestamp.parseISO(date),
                                                   usage: usage, isBatch: batch, serviceTier: tier))
    }

    @Test func modelNamesMatchCaseInsensitivelyAndThroughProviderPrefixes() {
        #expect(price("GPT-4o", TokenUsage(input: 1_000_000, output: 0)).cost == usd("2.5"))
        #expect(price("openai/gpt-4o", TokenUsage(input: 1_000_000, output: 0)).cost == usd("2.5"))
        #expect(price("gpt-4o-2024-08-06", TokenUsage(input: 1_000_000, output: 0)).pricing?.id == "gpt-4o")
    }

    @Test func theTierThresholdIsExclusive() {
        // At exactly 200,000 input tokens the base rate still applies; one more token switches every token.
        #expect(price("claude-sonnet-4-5", TokenUsage(input: 200_000, output: 0)).cost == usd("0.6"))
        #expect(price("claude-sonnet-4-5", TokenUsage(input: 200_001, output: 0)).cost == usd("1.200006"))
    }

    @Test func cacheReadsWithoutACacheRateFallBackToTheInputRate() {
        // gpt-3.5-turbo has no cache-read price in the catalog.
        #expect(price("gpt-3.5-turbo", TokenUsage(input: 1000, output: 0, cacheRead: 400)).cost == usd("0.0005"))
    }

    @Test func unknownServiceTiersAndMissingBatchRatesAreNotedNotHidden() {
        let tier = price("gpt-3.5-turbo", TokenUsage(input: 1000, output: 0), tier: "turbo-max")
        #expect(tier.notes == [.noServiceTierRate("turbo-max")])
        #expect(tier.cost == usd("0.0005"))
        let batch = price("mistral-large-latest", TokenUsage(input: 1000, output: 0), batch: true)
        #expect(batch.notes == [.noBatchRate])
    }

    @Test func aUserPriceFileOverridesTheCatalogFromItsEffectiveDate() throws {
        let path = Fixtures.write("""
            {"format": "costreplay-prices/1", "source": "contract",
             "models": [{"provider": "openai", "id": "gpt-4o", "aliases": ["my-4o"],
               "prices": [{"input_mtok": 2.5, "output_mtok": 10}, {"effective_from": "2026-10-01", "input_mtok": 2, "output_mtok": 8}],
               "service_tiers": {"priority": {"input_factor": 2}}}]}
            """, name: "prices.json")
        var catalog = try PriceCatalog.builtIn()
        try catalog.loadUserFile(path: path)
        let custom = Pricer(catalog: catalog)
        let usage = TokenUsage(input: 1_000_000, output: 1_000_000)
        #expect(price("gpt-4o", usage, at: "2026-09-30", pricer: custom).cost == usd("12.5"))
        #expect(price("my-4o", usage, at: "2026-10-01", pricer: custom).cost == usd("10"))
        #expect(price("gpt-4o", usage, at: "2026-10-02", tier: "priority", pricer: custom).cost == usd("20"))
        #expect(catalog.sources.last == "\(path) (1 models)")
    }

    @Test func aLiteLLMPriceMapIsAccepted() throws {
        let path = Fixtures.write("""
            {"acme-llm-9": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06,
              "cache_read_input_token_cost": 1e-07, "input_cost_per_token_above_128k_tokens": 3e-06,
              "input_cost_per_token_batches": 5e-07, "output_cost_per_token_batches": 1e-06, "litellm_provider": "acme", "mode": "chat"}}
            """, name: "litellm.json")
        var catalog = try PriceCatalog.builtIn()
        try catalog.loadUserFile(path: path)
        let custom = Pricer(catalog: catalog)
        #expect(price("acme-llm-9", TokenUsage(input: 1000, output: 1000, cacheRead: 500), pricer: custom).cost == usd("0.00255"))
        #expect(price("acme-llm-9", TokenUsage(input: 200_000, output: 0), pricer: custom).cost == usd("0.6"))
        #expect(price("acme-llm-9", TokenUsage(input: 1000, output: 1000), batch: true, pricer: custom).cost == usd("0.0015"))
    }

    @Test func aBrokenPriceFileIsAClearError() throws {
        let path = Fixtures.write("{\"models\": [{\"prices\": {}}]}", name: "bad.json")
        #expect(throws: PriceError.invalid(path: path, reason: "models[0]: \"id\" must be a non-empty string")) {
            try PriceCatalog.builtIn(loading: path)
        }
    }

    @Test func aMisspeltKeyIsRefusedWithASuggestionNotDropped() throws {
        let price = Fixtures.write(#"{"models": [{"id": "m", "prices": {"input_mtok": 2.5, "outptu_mtok": 10}}]}"#, name: "typo.json")
        #expect(throws: PriceError.invalid(path: price, reason: "models[0].prices[0]: unknown key 'outptu_mtok' (did you mean 'output_mtok'?); "
            + "a price names " + PriceFileCheck.priceKeys.joined(separator: ", ") + " (docs/prices.md)")) {
            try PriceCatalog.builtIn(loading: price)
        }
        let model = Fixtures.write(#"{"models": [{"id": "m", "provder": "acme", "prices": {"input_mtok": 2.5}}]}"#, name: "typo2.json")
        #expect(throws: PriceError.self) { try PriceCatalog.builtIn(loading: model) }
        let top = Fixtures.write(#"{"format": "costreplay-prices/1", "model": [], "models": [{"id": "m", "prices": {"input_mtok": 1}}]}"#, name: "typo3.json")
        #expect(throws: PriceError.invalid(path: top, reason: "unknown key 'model'; expected format, source, models (did you mean 'models'?)")) {
            try PriceCatalog.builtIn(loading: top)
        }
    }

    @Test func aPriceFileThatIsNotJSONIsNamedByLineAndColumn() throws {
        let nan = Fixtures.write("{\"models\": [\n  {\"id\": \"m\", \"prices\": {\"input_mtok\": NaN}}]}", name: "nan.json")
        do { try PriceCatalog.builtIn(loading: nan); Issue.record("accepted NaN") } catch {
            #expect("\(error)".contains("line 2, column 40"), "\(error)")
        }
        let long = Fixtures.write("{\"models\": [{\"id\": \"m\",\n \"prices\": {\"input_mtok\": 99999999999999999999}}]}", name: "long.json")
        do { try PriceCatalog.builtIn(loading: long); Issue.record("accepted a 20-digit integer") } catch {
            #expect("\(error)".contains("line 2, column 27"), "\(error)")
        }
    }

    @Test func offPeakWindowsApplyByTimeOfDay() {
        // DeepSeek's off-peak prices apply 16:30–00:30 UTC in the feed; compare two instants of one day.
        let peak = price("deepseek-chat", TokenUsage(input: 1_000_000, output: 0), at: "2026-09-01T12:00:00Z")
        let offPeak = price("deepseek-chat", TokenUsage(input: 1_000_000, output: 0), at: "2026-09-01T20:00:00Z")
        #expect(peak.cost != nil && offPeak.cost != nil)
        #expect(peak.cost != offPeak.cost)
    }
}

extension PriceCatalog {
    /// The bundled catalog with one user price file loaded.
    static func builtIn(loading path: String) throws -> PriceCatalog {
        var catalog = try PriceCatalog.builtIn()
        try catalog.loadUserFile(path: path)
        return catalog
    }
}
