import ArgumentParser
import CostReplayCore
import Foundation

struct Forecast: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Project monthly cost (P10/P50/P90) for the baseline and each scenario, with backtests.",
        discussion: """
            Chooses an exponential-smoothing model by AICc (level, trend, damped trend; with and without weekly \
            seasonality; on cost and log cost; no undamped trend from under 8 weeks), simulates seeded sample paths, \
            applies a drivers file (planned volumes per feature tag, launches, model migrations, scheduled prices) and \
            each scenario's savings share, and prints rolling-origin backtests (MASE, P10–P90 coverage) against \
            seasonal-naive. See docs/forecast.md.

            Example:
              costreplay forecast --months 12
              costreplay forecast --result reports/sample-plan/result.json --drivers drivers.yaml --format html > forecast.html
              costreplay forecast --series costs.csv --daily 28 --format json
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json, html }

    @OptionGroup var store: StoreOptions
    @OptionGroup var prices: PriceOptions
    @OptionGroup var window: WindowOptions
    // `.unconditional`: a value may start with a dash (a negative growth, or a wrong count that should be named).
    @Option(parsing: .unconditional, help: "Months to project.") var months = 12
    @Option(parsing: .unconditional, help: "Simulated paths.") var paths = 10_000
    @Option(parsing: .unconditional, help: "Random seed.") var seed: UInt64 = 42
    @Option(parsing: .unconditional, help: "Monthly growth as MEAN,SD (e.g. 0.05,0.02, or -0.03,0.01 for a decline) in place of a fitted trend.")
    var growth: String?
    @Option(help: "A simulate result document whose scenarios to project.") var result: String?
    @Option(help: "A drivers file (YAML): planned volumes per feature, launches, migrations, scheduled prices.") var drivers: String?
    @Option(help: "Scheduled price change DATE:CHANGE, DATE as YYYY-MM or YYYY-MM-DD, e.g. 2027-01:-0.2; repeatable.")
    var priceChange: [String] = []
    @Option(help: "Forecast a daily series from a CSV file (day,cost) instead of the store.") var series: String?
    @Option(parsing: .unconditional, help: "With --series: print daily P10/P50/P90 for the next N days (JSON) instead of months.") var daily: Int?
    @Option(help: "table, csv, json or html.") var format: Format = .table

    func run() throws {
        guard months > 0, months <= 120, paths >= 100, paths <= 1_000_000 else {
            throw CommandFailure(message: "error: --months must be 1…120 and --paths 100…1,000,000")
        }
        var forecaster = Forecaster()
        (forecaster.months, forecaster.paths, forecaster.seed) = (months, paths, seed)
        forecaster.growth = try growth.map(Self.parseGrowth)
        forecaster.priceChanges = try priceChange.map(Self.parsePriceChange)
        do {
            if let path = drivers { forecaster.drivers = try ForecastDrivers.load(path: path) }
            if let series { return try forecastSeries(path: series, forecaster: forecaster) }
            var scenarios: [ForecastScenario] = []
            if let result { scenarios = try ForecastScenario.from(try ResultFile.read(path: result), path: result) }
            let catalog = try prices.catalog()
            let pricer = Pricer(catalog: catalog)
            let traceStore = try store.openExisting()
            let daily = try DailySeries.from(store: traceStore, pricer: pricer, window: try window.window())
            if let last = daily.days.last, let drivers = forecaster.drivers {
                forecaster.basis = try DriverBasis.from(store: traceStore, pricer: pricer, lastDay: last,
                                                        horizonEnd: last + Int64(forecaster.horizon(after: last).days), drivers: drivers)
            }
            var document = try forecaster.forecast(daily, scenarios: scenarios, database: store.path, resultPath: result, driversPath: drivers)
            document.inputs.catalog = catalog.info
            emit(document)
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(message: "error: \(error)")
        }
    }

    func forecastSeries(path: String, forecaster: Forecaster) throws {
        let series = try DailySeries.read(csv: path)
        if let daily {
            guard daily > 0, daily <= 3660 else { throw CommandFailure(message: "error: --daily must be 1…3660") }
            Console.out(try ForecastRenderer.json(try forecaster.daily(series, horizon: daily)))
        } else {
            emit(try forecaster.forecast(series, scenarios: [], database: path, resultPath: nil, driversPath: drivers))
        }
    }

    func emit(_ document: ForecastDocument) {
        switch format {
        case .table: Console.out(ForecastRenderer.table(document))
        case .csv: Console.out(ForecastRenderer.csv(document))
        case .json: Console.out((try? ForecastRenderer.json(document)) ?? "")
        case .html: Console.out(ForecastHTML.render(document))
        }
    }

    static func parseGrowth(_ text: String) throws -> (mean: Double, sd: Double) {
        let parts = text.split(separator: ",").compactMap { Double($0) }
        guard parts.count == 2, parts.allSatisfy({ $0.isFinite }), parts[1] >= 0, abs(parts[0]) <= 10, parts[1] <= 10 else {
            throw CommandFailure(message: "error: --growth must be MEAN,SD with finite numbers (a monthly rate, |MEAN| ≤ 10, 0 ≤ SD ≤ 10), e.g. 0.05,0.02")
        }
        return (parts[0], parts[1])
    }

    static func parsePriceChange(_ text: String) throws -> ForecastDrivers.PriceChange {
        let parts = text.split(separator: ":")
        let date = parts.first.map { $0.count == 7 ? $0 + "-01" : String($0) }
        guard parts.count == 2, let date, let day = ForecastDrivers.parseDay(date), let value = Double(parts[1]), value.isFinite, value > -1 else {
            throw CommandFailure(message: "error: --price-change \"\(text)\" must be YYYY-MM[-DD]:CHANGE with CHANGE > -1")
        }
        return .init(day: day, change: value)
    }
}
