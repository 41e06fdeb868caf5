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
              costreplay export | costreplay cost --stdin --by day --format json
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var prices: PriceOptions
    @OptionGroup var window: WindowOptions
    @Option(help: "Group by \(CostGrouping.allCases.map(\.rawValue).joined(separator: "|")).") var by: CostGrouping = .model
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    @OptionGroup var input: StdinOptions

    func run() throws {
        let calculator = CostCalculator(pricer: Pricer(catalog: try prices.catalog()))
        let window = try window.window()
        let report: CostReport
        if let stream = input.stream(window: window) {
            report = try StdinOptions.reading(stream) { try calculator.report(source: stream.source, by: by, window: window) }
        } else {
            report = try calculator.report(store: try store.openExisting(), by: by, window: window)
        }
        switch format {
        case .table: Console.out(CostReportRenderer.table(report))
        case .csv: Console.out(CostReportRenderer.csv(report))
        case .json: Console.out(try CostReportRenderer.json(report))
        }
    }
}

extension CostGrouping: ExpressibleByArgument {}
