import CostReplayCore
import Testing
import TestSupport

/// The store-health block of a result document is counted during the replay's own pass; it must say what
/// `costreplay cost` says of the same window, whatever the shard.
@Suite struct StoreHealthTests {
    typealias R = Replays

    static let records: [TraceRecord] = {
        (0..<12).map { i in
            var r = R.request("r\(i)", at: Double(i) * 600, model: i % 3 == 0 ? "no-such-model-\(i % 2)" : "gpt-4o",
                              tenant: "t\(i % 4)")
            if i % 2 == 0 { r.billedCost = Money(dollars: 0.004) }
            return r
        }
    }()

    static func expected(window: TraceStore.TimeWindow = TraceStore.TimeWindow()) throws -> CostReport {
        let trace = Fixtures.write(records.map(CanonicalEncoder.line).joined(separator: "\n") + "\n")
        let (store, _) = try Fixtures.ingest([trace])
        return try CostCalculator(pricer: Pricer(catalog: sharedCatalog)).report(store: store, by: .model, window: window)
    }

    @Test func theBlockAgreesWithTheCostReportOfTheWindow() throws {
        let report = try Self.expected()
        let (result, _) = try R.run(Self.records, scenario: "scenarios: [{name: s, strategies: [{exact_cache: {ttl: 60}}]}]")
        let health = try #require(result.store)
        #expect(health.billedRequests == report.total.billedRequests)
        #expect(health.billedCost == report.total.billedCost)
        #expect(health.computedOnBilled == report.total.computedOnBilled)
        #expect(health.unpricedModels == report.unpriced.map { "\($0.model) (\($0.requests), \($0.reason))" })
        #expect(health.unpricedModels.count == 2)
        #expect(health.billedRequests == 6)
    }

    @Test func everyShardReportsTheWholeWindow() throws {
        let (whole, _) = try R.run(Self.records, scenario: "scenarios: [{name: s, strategies: [{exact_cache: {ttl: 60}}]}]")
        var requests = 0
        for index in 0..<2 {
            var options = ReplayOptions()
            options.shard = ShardFilter(index: index, count: 2, key: .tenant)
            let (part, _) = try R.run(Self.records, scenario: "scenarios: [{name: s, strategies: [{exact_cache: {ttl: 60}}]}]",
                                      options: options)
            #expect(part.store == whole.store)
            requests += part.baseline.requests
        }
        #expect(requests == whole.baseline.requests)
    }
}
