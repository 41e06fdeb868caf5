import ArgumentParser
import CostReplayCore
import Foundation

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the result documents of shards into one.",
        discussion: """
            Exact for strategies scoped by the shard key (per tenant, user or session); approximate for global caches \
            (the document says which, per scenario: exactWhenSharded).

            Example:
              costreplay merge shard0/result.json shard1/result.json --out merged
            """)

    @Argument(help: "Shard result documents.") var documents: [String]
    @Option(help: "Directory for the merged result.json and CSV files.") var out: String?
    @Option(help: "table or json.") var format: OutputFormat = .table

    func run() throws {
        let merged: ReplayResult
        do { merged = try ResultFile.merge(try documents.map(ResultFile.read)) } catch let error as SimulationError {
            throw CommandFailure(message: "error: \(error)")
        }
        if let out { try ResultWriter.write(merged, to: out, inputs: documents) }
        Console.out(format == .json ? String(decoding: try ResultFile.encode(merged), as: UTF8.self) + "\n"
                    : ReplayResultRenderer.table(merged))
    }
}
