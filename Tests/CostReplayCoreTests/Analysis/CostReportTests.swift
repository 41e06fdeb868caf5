import CostReplayCore
import Foundation
import Testing
import TestSupport

@Suite struct CostReportTests {
    func report(_ paths: [String], by grouping: CostGrouping = .model, options: IngestOptions = IngestOptions()) throws -> CostReport {
        let (store, _) = try Fixtures.ingest(paths, options: options)
        return try CostCalculator(pricer: Pricer(catalog: sharedCatalog)).report(store: store, by: grouping, window: .init())
    }

    @Test func aSynthesisedTraceReconcilesToTheCentAndAMispricedRecordShowsAGap() throws {
        var options = SynthOptions()
        options.requests = 3000
        options.seed = 11
        options.withText = false
        var lines = ""
        var planted = Money.zero
        let pricer = Pricer(catalog: sharedCatalog)
        TraceSynthesizer(options: options, pricer: pricer).generate { record in
            var record = record
            if record.id.hasSuffix("-1f") {
                // Bill one request $0.50 more than the catalog says.
                record.billedCost = record.billedCost! + usd("0.5")
                planted = usd("0.5")
            }
            lines += CanonicalEncoder.line(record) + "\n"
        }
        #expect(planted == usd("0.5"))
        let report = try report([Fixtures.write(lines)], by: .request)
        #expect(report.total.requests == 3000)
        #expect(report.total.billedRequests == 3000)
        let gap = try #require(report.total.gap)
        #expect(abs((gap + planted).dollars) < 0.005, "total gap \(gap) should be the planted -$0.50 to the cent")
        let mispriced = try #require(report.rows.first { $0.key.hasSuffix("-1f") })
        #expect(abs((try #require(mispriced.gap) + planted).dollars) < 1e-9)
        #expect(report.rows.filter { abs($0.gap?.dollars ?? 0) >= 0.005 }.count == 1)
    }

    @Test func structuralSpansAreNotCountedAsRequests() throws {
        let report = try report([Fixtures.trace("otlp-genai.jsonl")])
        #expect(report.total.requests == 2)
        #expect(report.total.computedCost == usd("0.001625"))
    }

    @Test func groupsSumToTheTotalAndUnpricedAreListed() throws {
        let report = try report([Fixtures.trace("canonical.jsonl")])
        #expect(report.rows.reduce(Money.zero) { $0 + $1.computedCost } == report.total.computedCost)
        #expect(report.total.unpricedRequests == 1)
        #expect(report.unpriced == [.init(reason: "model not in the price catalog", model: "acme-llm-9", requests: 1)])
        // c1 + c2 + c3 + c4 + c5 + c6
        #expect(report.total.computedCost == usd("1.62995"))
    }

    @Test func groupingByDayUsesUTCDates() throws {
        let report = try report([Fixtures.trace("canonical.jsonl")], by: .day)
        #expect(report.rows.map(\.key) == ["2025-05-01", "2025-07-01", "2026-09-01", "2026-09-02", "2026-09-03"])
    }

    @Test func groupingByWeekStartsOnMonday() throws {
        let report = try report([Fixtures.trace("canonical.jsonl")], by: .week)
        // 2026-09-01 is a Tuesday; 2025-05-01 a Thursday.
        #expect(report.rows.map(\.key).contains("2026-08-31"))
        #expect(report.rows.map(\.key).contains("2025-04-28"))
    }

    @Test func aRequestWithSeveralTagsCountsInEachTagGroup() throws {
        let report = try report([Fixtures.trace("canonical.jsonl")], by: .tag)
        let keys = Set(report.rows.map(\.key))
        #expect(keys == ["feature:chat", "feature:summarize", "async", "(none)"])
        #expect(report.rows.first { $0.key == "async" }?.computedCost == usd("1.5225"))
    }

    @Test func aTimeWindowFiltersByStart() throws {
        let (store, _) = try Fixtures.ingest([Fixtures.trace("canonical.jsonl")])
        let window = TraceStore.TimeWindow(from: Timestamp.parseISO("2026-09-01"), to: Timestamp.parseISO("2026-09-02"))
        let report = try CostCalculator(pricer: Pricer(catalog: sharedCatalog)).report(store: store, by: .model, window: window)
        #expect(report.total.requests == 2)
    }

    @Test func csvOutputIsTidyAndEndsWithATotalRow() throws {
        let csv = CostReportRenderer.csv(try report([Fixtures.trace("canonical.jsonl")]))
        let lines = csv.split(separator: "\r\n").map(String.init)
        #expect(lines[0] == "group_by,group,requests,priced_requests,unpriced_requests,input_tokens,cache_read_tokens,cache_write_tokens,output_tokens,reasoning_tokens,computed_cost_usd,billed_requests,billed_cost_usd,computed_on_billed_usd,gap_usd,price_catalog")
        #expect(lines.last == "total,total,7,6,1,264100,4400,5000,4710,1600,1.629950000,1,0.004000000,0.004000000,0.000000000,genai-prices 0.2.3 (2026-11-10)")
    }
}
