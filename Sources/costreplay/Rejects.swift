import ArgumentParser
import CostReplayCore
import Foundation

struct Rejects: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List rejected records kept in the store.",
        discussion: "Example:\n  costreplay rejects --format json")

    @OptionGroup var store: StoreOptions
    @Option(help: "table or json (JSONL).") var format: OutputFormat = .table

    func run() throws {
        let rejections = try store.openExisting().rejections()
        switch format {
        case .json: Console.out(rejections.map(RejectRenderer.jsonLine).map { $0 + "\n" }.joined())
        case .table, .csv: Console.out(rejections.map { $0.description + "\n" }.joined())
        }
    }
}
