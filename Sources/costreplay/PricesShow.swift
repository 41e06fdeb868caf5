import ArgumentParser
import CostReplayCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension Prices {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the rates that apply to a model, every tier at full precision, and where they came from.",
            discussion: "Example:\n  costreplay prices show claude-sonnet-4-5 --at 2026-03-01")

        @Argument(help: "Model name as it appears in traces.") var model: String
        @Option(help: "Provider, when the model name is ambiguous.") var provider: String?
        @Option(help: "Date or instant the rates apply to (default: latest).") var at: String?
        @Option(help: "table or json.") var format: OutputFormat = .table
        @OptionGroup var prices: PriceOptions

        func run() throws {
            let catalog = try prices.catalog()
            let resolution = catalog.resolve(model: model, provider: provider)
            guard let pricing = resolution.pricing else {
                let reason = resolution.unpriced?.rawValue ?? "model not in the price catalog"
                let nearest = resolution.nearest.map { "; nearest entry \($0) (--provider-fallback uses it)" } ?? ""
                throw CommandFailure(message: "error: no price for model '\(model)'\(provider.map { " (provider \($0))" } ?? ""): \(reason)\(nearest); add one with --prices FILE", code: 1)
            }
            var instant = Int64.max / 2
            if let at {
                guard let parsed = Timestamp.parseISO(at) else {
                    throw CommandFailure(message: "error: --at \"\(at)\" is not a date (YYYY-MM-DD) or ISO 8601 instant")
                }
                instant = parsed
            }
            let view = PriceView(pricing: pricing, at: instant, query: model, notes: resolution.notes, catalog: catalog.info)
            Console.out(format == .json ? try view.json() : view.text())
        }
    }
}
