import Foundation
import Testing
import TestSupport

/// `costreplay prices update` and `prices status` against a private XDG data folder.
@Suite struct PricesCommandTests {
    let environment = ["XDG_DATA_HOME": Fixtures.temporaryDirectory().path, "COSTREPLAY_TODAY": "2026-11-28"]

    @Test func statusNamesTheBundledCatalogItsDateAndAge() throws {
        let status = try CLI.run(["prices", "status"], environment: environment)
        #expect(status.status == 0)
        #expect(status.stdout.hasPrefix("price catalog: genai-prices 0.2.3 (2026-11-10)\nin force from: bundled\n"))
        #expect(status.stdout.contains("age: 18 days\n"))
    }

    @Test(.enabled(if: Fixtures.hasSharedData, Fixtures.sharedDataMissing)) func updateFromAFileInstallsItAndACorruptFileLeavesItInForce() throws {
        let good = Fixtures.shared("prices/v2_data.json")
        let installed = try CLI.run(["prices", "update", "--from", good], environment: environment)
        #expect(installed.status == 0)
        let folder = environment["XDG_DATA_HOME"]! + "/costreplay"
        #expect(installed.stdout.hasPrefix("installed genai-prices feed "))
        #expect(installed.stdout.hasSuffix(" (2026-11-28) from \(good) into \(folder)/price-catalog.json\n"))

        let corrupt = Fixtures.write("[{\"id\": \"acme\", \"models\": [", name: "corrupt.json")
        let refused = try CLI.run(["prices", "update", "--from", corrupt], environment: environment)
        #expect(refused.status == 2)
        #expect(refused.stderr == "error: price file \(corrupt): invalid JSON (The JSON document has an improper structure: missing or superfluous commas, braces, missing keys, etc.); the catalog in force is unchanged\n")
        let status = try CLI.run(["prices", "status"], environment: environment)
        #expect(status.stdout.contains("in force from: \(folder)/price-catalog.json\n"))
        #expect(status.stdout.contains("data: \(good) (digest "))
    }

    @Test func aStaleCatalogIsWarnedAboutOnEveryPricingCommand() throws {
        var late = environment
        late["COSTREPLAY_TODAY"] = "2027-02-01"
        let shown = try CLI.run(["prices", "show", "gpt-4o", "--provider", "openai"], environment: late)
        #expect(shown.status == 0)
        #expect(shown.stderr == "warning: the price catalog genai-prices 0.2.3 (2026-11-10) is 83 days old (over 60); run `costreplay prices update` or pass --prices FILE\n")
        #expect(shown.stdout.hasSuffix("Prices: genai-prices 0.2.3 (2026-11-10), bundled\n"))
    }

    @Test func showListsTiersOnEveryRateAtFullPrecision() throws {
        let shown = try CLI.run(["prices", "show", "claude-sonnet-4-5", "--provider", "anthropic", "--format", "json"], environment: environment)
        let document = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        let rates = try #require(document?["rates"] as? [String: [String: Any]])
        let read = try #require(rates["cache_read"])
        #expect(read["base"] as? String == "0.3")
        #expect((read["tiers"] as? [[String: Any]])?.first?["rate"] as? String == "0.6")
        #expect((rates["cache_write_1h"]?["tiers"] as? [[String: Any]])?.first?["aboveInputTokens"] as? Int == 200_000)
    }

    @Test func showRefusesAnotherProvidersEntryAndNamesIt() throws {
        let shown = try CLI.run(["prices", "show", "babbage-002", "--provider", "aws"], environment: environment)
        #expect(shown.status == 1)
        #expect(shown.stderr == "error: no price for model 'babbage-002' (provider aws): the provider has no price for this model; nearest entry openai/babbage-002 (--provider-fallback uses it); add one with --prices FILE\n")
    }
    @Test func showWarnsOfAPeriodThatAnUnconditionalPriceAfterItHides() throws {
        // Feeds try prices last to first, so a dated price listed before the base price never applies.
        let feed = Fixtures.write("""
            [{"id":"openai","name":"OpenAI","api_pattern":"x","models":[{"id":"gpt-4o","match":{"equals":"gpt-4o"},\
            "prices":[{"constraint":{"start_date":"2027-01-01"},"prices":{"input_mtok":9,"output_mtok":9}},\
            {"prices":{"input_mtok":2,"output_mtok":8}}]}]}]
            """, name: "newest-first.json")
        #expect(try CLI.run(["prices", "update", "--from", feed], environment: environment).status == 0)
        let shown = try CLI.run(["prices", "show", "gpt-4o", "--provider", "openai", "--at", "2027-06-01"], environment: environment)
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("note: the period from 2027-01-01 is never in force: the unconditional price listed after it takes precedence (prices are tried last to first)\n"))
        #expect(shown.stdout.contains("  input: $2/Mtok\n"))
    }
}
