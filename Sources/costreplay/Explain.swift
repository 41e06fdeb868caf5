import ArgumentParser
import CostReplayCore
import Foundation

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List each strategy's decision about one request.",
        discussion: """
            Replays the scenario file (deterministically) and prints the ledger of REQUEST_ID for every scenario point.

            Example:
              costreplay explain syn-42-1f --scenario scenarios/caching.yaml
            """)

    @Argument(help: "The request id.") var requestID: String
    @OptionGroup var store: StoreOptions
    @OptionGroup var prices: PriceOptions
    @OptionGroup var replay: ReplayArguments

    func run() throws {
        let catalog = try prices.catalog()
        let file = try replay.load(catalog: catalog)
        let opened = try store.openExisting()
        var options = try replay.options(window: .init())
        options.explainID = requestID
        let (_, ledgers) = try Simulation(scenarioFile: file, pricer: Pricer(catalog: catalog), options: options)
            .run(store: opened, databasePath: store.path)
        guard !ledgers.isEmpty else { throw CommandFailure(message: "error: no request '\(requestID)' in \(store.path)", code: 1) }
        for label in file.plans.map(\.label) {
            guard let entries = ledgers[label] else { continue }
            Console.out("\(label)\n")
            for entry in entries { Console.out("  \(entry.strategy): \(entry.decision) — \(entry.detail)\n") }
        }
    }
}
