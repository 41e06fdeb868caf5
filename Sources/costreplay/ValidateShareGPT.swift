import ArgumentParser
import CostReplayCore
import Foundation

extension Validate {
    struct ShareGPT: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sharegpt",
            abstract: "Truncation's quality proxy on real multi-turn conversations (ShareGPT).",
            discussion: """
                Example:
                  costreplay validate sharegpt --data ../shared/data/sharegpt92k-sample/sampled_enriched_data
                """)

        @Option(help: "Folder of ShareGPT conversation JSON files.") var data = "../shared/data/sharegpt92k-sample/sampled_enriched_data"
        @Option(help: "Window sizes (messages kept), comma-separated.") var keep = "2,4,8"

        func run() throws {
            let conversations: [TruncationValidation.Conversation]
            do { conversations = try TruncationValidation.load(folder: data) } catch { throw CommandFailure(message: "error: \(error)") }
            let rows = TruncationValidation.evaluate(conversations, keep: keep.split(separator: ",").compactMap { Int($0) })
            Console.out(TruncationValidation.table(rows, conversations: conversations.count))
        }
    }
}
