import ArgumentParser
import CostReplayCore
import Foundation

struct Cost: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-price every stored request at the rates in force when it ran.",
        discussion: """
            Where the trace carries the provider's billed cost, it is shown beside the computed cost with the gap \
            (computed minus billed, over the requests that carry both). Unpriced requests are listed, never counted as $0.

            Example:
              costreplay cost --by model
              costreplay cost --by day --format csv --from 2026-09-01 --to 2026-10-01
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var prices: PriceOptions
    @OptionGroup var window: WindowOptions
    @Option(help: "Group by \(CostGrouping.allCases.map(\.rawValue).joined(separator: "|")).") var by: CostGrouping = .model
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        let opened = try store.openExisting()
        let calculator = CostCalculator(pricer: Pricer(catalog: try prices.catalog()))
        let report = try calculator.report(store: opened, by: by, window: try window.window())
        switch format {
        case .table: Console.out(CostReportRenderer.table(report))
        case .csv: Console.out(CostReportRenderer.csv(report))
        case .json: Console.out(try CostReportRenderer.json(report))
        }
    }
}

extension CostGrouping: ExpressibleByArgument {}
