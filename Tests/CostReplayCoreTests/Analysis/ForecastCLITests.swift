import CostReplayCore
import Foundation
import Testing
import TestSupport

/// `costreplay forecast` run as the built executable on a stored four-week trace: exit codes, the monthly CSV
/// and JSON, and a drivers file read from disk.
@Suite(.serialized) struct ForecastCLITests {
    static let database: String = {
        var options = SynthOptions()
        (options.requests, options.days, options.seed) = (3000, 28, 7)
        return Replays.synthesizedStore(options)
    }()

    func forecast(_ extra: [String]) throws -> CLI.Result {
        try CLI.run(["forecast", "--db", Self.database, "--months", "6", "--paths", "500", "--seed", "5"] + extra)
    }

    @Test func theCSVHasSixOrderedMonthsAndATotalThatAddsUp() throws {
        let result = try forecast(["--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        // CRLF rows (RFC 4180): "\r\n" is one Character, so split on any newline.
        let lines = result.stdout.split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines.first == "month,scenario,p10_usd,p50_usd,p90_usd,history_p50_usd,drivers_p50_usd,model,price_catalog")
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let months = rows.filter { $0[0] != "total" }, totals = rows.filter { $0[0] == "total" }
        #expect(months.count == 6 && totals.count == 1)
        #expect(months.map { $0[0] } == months.map { $0[0] }.sorted() && Set(months.map { $0[0] }).count == 6)
        func money(_ row: [String], _ column: Int) -> Double { Double(row[column]) ?? .nan }
        for row in months + totals {
            #expect(row[1] == "baseline")
            #expect(money(row, 2) > 0 && money(row, 2) <= money(row, 3) && money(row, 3) <= money(row, 4), "\(row)")
            // Without drivers, the whole P50 comes from the history.
            #expect(abs(money(row, 5) - money(row, 3)) <= 1e-6 * money(row, 3) && money(row, 6) == 0)
        }
        let total = try #require(totals.first)
        // The total's quantiles are of the paths' sums: its P50 is near the sum of the monthly P50s, and its
        // band lies inside the sums of the monthly bounds (months move together on each path, never more than fully).
        let sum = { (column: Int) in months.reduce(0) { $0 + money($1, column) } }
        #expect(abs(money(total, 3) - sum(3)) < 0.03 * sum(3))
        #expect(money(total, 2) >= sum(2) * (1 - 1e-9) && money(total, 4) <= sum(4) * (1 + 1e-9))
    }

    @Test func theJSONMatchesTheCSVAndADriversPriceCutHalvesCostFromItsMonth() throws {
        let plain = try forecast(["--format", "json"])
        #expect(plain.status == 0, "\(plain.stderr)")
        let document = try JSONDecoder().decode(ForecastDocument.self, from: Data(plain.stdout.utf8))
        #expect(document.months.count == 6 && document.annual.count == 1)
        #expect(document.model.days == 28 && !document.model.chosen.contains("ETS(A,A,"))
        #expect(document.backtest.horizons.map(\.days) == [7])
        let csv = try forecast(["--format", "csv"])
        let firstRow = try #require(csv.stdout.split(whereSeparator: \.isNewline).dropFirst().first).split(separator: ",")
        #expect(abs((Double(firstRow[3]) ?? 0) - document.months[0].p50) < 1e-6)

        let third = document.months[2].month
        let drivers = Fixtures.write("version: 1\nprice_changes:\n  scheduled: [{date: \(third)-01, change: -0.5}]\n", name: "drivers.yaml")
        let halved = try forecast(["--format", "json", "--drivers", drivers])
        #expect(halved.status == 0, "\(halved.stderr)")
        let cut = try JSONDecoder().decode(ForecastDocument.self, from: Data(halved.stdout.utf8))
        for m in 0..<6 {
            // Same seed, same paths: the months before the cut are unchanged, those from it exactly halved.
            let expected = document.months[m].p50 * (m < 2 ? 1 : 0.5)
            #expect(abs(cut.months[m].p50 - expected) < 1e-6 * expected, "month \(cut.months[m].month)")
        }
        #expect(cut.months[3].driversP50 < 0 && abs(cut.months[3].historyP50 - document.months[3].p50) < 1e-6 * document.months[3].p50)
    }

    @Test func aBadOptionOrAMissingDatabaseExits2WithAnError() throws {
        let months = try forecast(["--months", "0"])
        #expect(months.status == 2)
        #expect(months.stderr.contains("error: --months must be 1…120 and --paths 100…1,000,000"))
        let db = Fixtures.temporaryDirectory().appendingPathComponent("none.db").path
        let missing = try CLI.run(["forecast", "--db", db])
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: no database at \(db); run `costreplay ingest` first or pass --db\n")
        let drivers = Fixtures.write("version: 1\nfeatures:\n  - {tag: chat, requests: {2026-13: 5}}\n", name: "bad.yaml")
        let bad = try forecast(["--drivers", drivers])
        #expect(bad.status == 2)
        #expect(bad.stderr == "error: \(drivers):3: 'requests': expected a month YYYY-MM\n")
    }

    @Test func aResultWithFixedCostsButNoSpanExits2NamingTheScenario() throws {
        let records = (0..<3).map { Replays.request("r\($0)", at: Double($0) * 86_400 + 60) }
        var (result, _) = try Replays.run(records, scenario: "scenarios: [{name: gpu, strategies: [exact_cache]}]")
        result.scenarios[0].totals.fixedCost = Money(dollars: 90)
        result.scenarios[0].totals.cost = result.scenarios[0].totals.cost + Money(dollars: 90)
        (result.scenarios[0].metrics, result.scenarios[0].daily, result.scenarios[0].intervals) = ([:], nil, nil)
        let path = Fixtures.write(String(decoding: try ResultFile.encode(result), as: UTF8.self), name: "result.json")
        let run = try forecast(["--result", path])
        #expect(run.status == 2)
        #expect(run.stderr == "error: \(path):0: 'scenarios[0]': scenario \"gpu\" has fixed costs but no span to spread them over "
                + "(no span_hours metric, daily totals or bootstrap blocks)\n")
    }
}
