import ArgumentParser
import CostReplayCore
import Foundation

struct Forecast: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Project monthly cost (P10/P50/P90) for the baseline and each scenario.",
        discussion: """
            Fits the daily cost on the log scale (trend and weekly seasonality, GSL least squares), then runs a seeded \
            Monte Carlo over the fit's uncertainty, monthly noise, optional growth, and each scenario's savings share \
            (from a result document's bootstrap interval). A backtest holds out the last quarter of the days.

            Example:
              costreplay forecast --months 12
              costreplay forecast --result reports/sample-plan/result.json --growth 0.05,0.02 --format csv
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var prices: PriceOptions
    @OptionGroup var window: WindowOptions
    @Option(help: "Months to project.") var months = 12
    @Option(help: "Monte Carlo paths.") var paths = 100_000
    @Option(help: "Random seed.") var seed: UInt64 = 42
    @Option(help: "Monthly growth as MEAN,SD (e.g. 0.05,0.02) instead of the fitted trend.") var growth: String?
    @Option(help: "A simulate result document whose scenarios to project.") var result: String?
    @Option(help: "Scheduled price change YYYY-MM:CHANGE, e.g. 2027-01:-0.2 (prices 20% lower from January); repeatable.")
    var priceChange: [String] = []
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        guard months > 0, months <= 120, paths >= 100 else { throw CommandFailure(message: "error: --months must be 1…120 and --paths at least 100") }
        var forecaster = Forecaster()
        forecaster.months = months
        forecaster.paths = paths
        forecaster.seed = seed
        if let growth {
            let parts = growth.split(separator: ",").compactMap { Double($0) }
            guard parts.count == 2, parts.allSatisfy({ $0.isFinite }), parts[1] >= 0, abs(parts[0]) <= 10, parts[1] <= 10 else {
                throw CommandFailure(message: "error: --growth must be MEAN,SD with finite numbers (a monthly rate, |MEAN| ≤ 10, 0 ≤ SD ≤ 10), e.g. 0.05,0.02")
            }
            forecaster.growth = (parts[0], parts[1])
        }
        for change in priceChange {
            let parts = change.split(separator: ":")
            guard parts.count == 2, parts[0].count == 7, let value = Double(parts[1]), value > -1 else {
                throw CommandFailure(message: "error: --price-change \"\(change)\" must be YYYY-MM:CHANGE with CHANGE > -1")
            }
            forecaster.priceChanges.append((String(parts[0]), value))
        }
        var scenarios: [ForecastScenario] = []
        if let result {
            do { scenarios = ForecastScenario.from(try ResultFile.read(path: result)) } catch { throw CommandFailure(message: "error: \(error)") }
        }
        let catalog = try prices.catalog()
        let series = try DailySeries.from(store: try store.openExisting(), pricer: Pricer(catalog: catalog), window: try window.window())
        var document: ForecastDocument
        do { document = try forecaster.forecast(series, scenarios: scenarios, database: store.path, resultPath: result) } catch {
            throw CommandFailure(message: "error: \(error)")
        }
        document.inputs.catalog = catalog.info
        switch format {
        case .table: Console.out(ForecastRenderer.table(document))
        case .csv: Console.out(ForecastRenderer.csv(document))
        case .json: Console.out(try ForecastRenderer.json(document))
        }
    }
}
