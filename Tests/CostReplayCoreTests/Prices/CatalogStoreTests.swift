@testable import CostReplayCore
import Foundation
import Testing
import TestSupport

@Suite struct CatalogStoreTests {
    /// A one-provider genai-prices feed pricing `acme-1` at `input` dollars per million tokens.
    func feed(input: Double) -> [UInt8] {
        Array("""
            [{"id": "acme", "name": "Acme", "api_pattern": "x", "models": [
              {"id": "acme-1", "match": {"equals": "acme-1"}, "prices": {"input_mtok": \(input), "output_mtok": 1}}]}]
            """.utf8)
    }

    func inputCost(_ catalog: PriceCatalog) -> Money? {
        Pricer(catalog: catalog).price(PricingInput(model: "acme-1", provider: "acme", startMicros: 0,
                                                    usage: TokenUsage(input: 1_000_000, output: 0))).cost
    }

    @Test func withNothingInstalledTheBundledCatalogIsInForce() throws {
        let store = CatalogStore(directory: Fixtures.temporaryDirectory().path)
        let (catalog, warning) = try store.catalogInForce()
        #expect(catalog.info.origin == "bundled")
        #expect(warning == nil)
    }

    @Test func anInstalledCatalogIsInForceWithItsProvenance() throws {
        let directory = Fixtures.temporaryDirectory().path
        let store = CatalogStore(directory: directory)
        let info = try store.install(bytes: feed(input: 2), from: "/tmp/data.json", today: "2026-11-20")
        let (catalog, _) = try store.catalogInForce()
        #expect(inputCost(catalog) == usd("2"))
        #expect(catalog.info == info)
        #expect(info.date == "2026-11-20")
        #expect(info.installed == "2026-11-20")
        #expect(info.origin == directory + "/price-catalog.json")
        #expect(info.source.hasPrefix("/tmp/data.json (digest "))
    }

    @Test func aCorruptFileLeavesTheOldCatalogInForce() throws {
        let store = CatalogStore(directory: Fixtures.temporaryDirectory().path)
        try store.install(bytes: feed(input: 2), from: "good.json", today: "2026-11-20")
        let truncated = Array(feed(input: 3).prefix(60))
        #expect(throws: PriceError.self) {
            try store.install(bytes: truncated, from: "bad.json", today: "2026-11-21")
        }
        #expect(throws: PriceError.invalid(path: "empty.json", reason: "the catalog has no priced models")) {
            try store.install(bytes: Array("[]".utf8), from: "empty.json", today: "2026-11-21")
        }
        let (catalog, warning) = try store.catalogInForce()
        #expect(warning == nil)
        #expect(inputCost(catalog) == usd("2"))
        #expect(catalog.info.installed == "2026-11-20")
    }

    @Test func aFeedWithARateOutOfRangeOrNotANumberIsNotInstalled() throws {
        let store = CatalogStore(directory: Fixtures.temporaryDirectory().path)
        try store.install(bytes: feed(input: 2), from: "good.json", today: "2026-11-20")
        func bad(_ prices: String) -> [UInt8] {
            Array(#"[{"id": "acme", "name": "Acme", "api_pattern": "x", "models": [{"id": "acme-1", "match": {"equals": "acme-1"}, "prices": "#.utf8)
                + Array(prices.utf8) + Array("}]}]".utf8)
        }
        for prices in [#"{"input_mtok": -5, "output_mtok": 1}"#, #"{"input_mtok": 1, "output_mtok": 1e308}"#,
                       #"{"input_mtok": "abc", "output_mtok": 1}"#, #"{"input_mtok": {"base": 1, "tiers": [{"start": 10, "price": -1}]}}"#] {
            #expect(throws: PriceError.self, "installed \(prices)") { try store.install(bytes: bad(prices), from: "bad.json", today: "2026-11-21") }
        }
        #expect(throws: PriceError.invalid(path: "bad.json", reason: "[0].models[0].prices.input_mtok: -5 is out of range 0…1000000")) {
            try store.install(bytes: bad(#"{"input_mtok": -5, "output_mtok": 1}"#), from: "bad.json", today: "2026-11-21")
        }
        let (catalog, _) = try store.catalogInForce()
        #expect(inputCost(catalog) == usd("2"))
    }

    @Test func theBundledFeedPassesTheFeedCheck() throws {
        let parser = JSONParser()
        try withExtendedLifetime(parser) { try PriceFileCheck.feed(try parser.parse(BundledResource.bytes("price-catalog.json")), path: "bundled") }
    }

    @Test(.enabled(if: Fixtures.hasSharedData, Fixtures.sharedDataMissing)) func genaiPricesOwnFeedPassesTheFeedCheck() throws {
        let shared = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.shared("prices/v2_data.json"))))
        let parser = JSONParser()
        try withExtendedLifetime(parser) { try PriceFileCheck.feed(try parser.parse(shared), path: "v2_data.json") }
    }

    @Test func aNewerInstallReplacesTheOlderOne() throws {
        let directory = Fixtures.temporaryDirectory().path
        let store = CatalogStore(directory: directory)
        try store.install(bytes: feed(input: 2), from: "a.json", today: "2026-11-20")
        try store.install(bytes: feed(input: 4), from: "b.json", today: "2026-11-22")
        #expect(inputCost(try store.catalogInForce().0) == usd("4"))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(files.count == 2)
        #expect(files.contains("price-catalog.json"))
    }

    @Test func anInstalledDataFileThatWasAlteredIsPassedOverWithAWarning() throws {
        let directory = Fixtures.temporaryDirectory().path
        let store = CatalogStore(directory: directory)
        try store.install(bytes: feed(input: 2), from: "a.json", today: "2026-11-20")
        let data = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first { $0.hasPrefix("price-data-") })
        try Data(feed(input: 9)).write(to: URL(fileURLWithPath: directory + "/" + data))
        let (catalog, warning) = try store.catalogInForce()
        #expect(catalog.info.origin == "bundled")
        #expect(warning?.hasSuffix("content does not match its recorded digest); using the bundled one") == true)
    }

    @Test func aCatalogOlderThanSixtyDaysGetsAWarning() throws {
        let info = sharedCatalog.info
        #expect(info.ageWarning(today: try #require(Timestamp.parseISO("2027-01-09"))) == nil)
        #expect(info.ageWarning(today: try #require(Timestamp.parseISO("2027-01-10")))
                == "warning: the price catalog genai-prices 0.2.3 (2026-11-10) is 61 days old (over 60); run `costreplay prices update` or pass --prices FILE")
    }

    @Test func theDataFolderFollowsXDG() {
        #expect(CatalogStore.defaultDirectory(environment: ["XDG_DATA_HOME": "/x/data", "HOME": "/home/u"]) == "/x/data/costreplay")
        #expect(CatalogStore.defaultDirectory(environment: ["HOME": "/home/u"]) == "/home/u/.local/share/costreplay")
        // The XDG spec ignores relative paths.
        #expect(CatalogStore.defaultDirectory(environment: ["XDG_DATA_HOME": "rel", "HOME": "/home/u"]) == "/home/u/.local/share/costreplay")
    }
}
