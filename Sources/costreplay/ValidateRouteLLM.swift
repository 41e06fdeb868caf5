import ArgumentParser
import CostReplayCore
import Foundation

extension Validate {
    struct RouteLLM: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "routellm",
            abstract: "Routing cost–quality on RouteLLM's GPT-4 / Mixtral evaluations (MMLU, GSM8K).",
            discussion: """
                Oracle, random and a length-or-keyword rule router, priced with the catalog; APGR, CPT and the \
                saving at 95% of GPT-4's accuracy (docs/scenarios.md compares them with RouteLLM's published figures).

                Example:
                  costreplay validate routellm --data ../shared/data/routellm-evals
                """)

        @Option(help: "The routellm-evals folder.") var data = "../shared/data/routellm-evals"
        @Option(help: "Price date (the catalog's rates in force then).") var at = "2026-09-01"
        @Option(parsing: .unconditional, help: "Seed of the random router.") var seed: UInt64 = 42
        @Option(help: "table or json.") var format: OutputFormat = .table
        @OptionGroup var prices: PriceOptions

        func run() throws {
            guard let date = Timestamp.parseISO(at) else { throw CommandFailure(message: "error: --at \"\(at)\" is not a date") }
            let pricer = Pricer(catalog: try prices.catalog())
            var reports: [RouteLLMValidation.Report] = []
            for benchmark in ["mmlu", "gsm8k"] {
                let items: [RouteLLMValidation.Item]
                do { items = try RouteLLMValidation.load(folder: data, benchmark: benchmark, pricer: pricer, at: date) } catch {
                    throw CommandFailure(message: "error: \(error)")
                }
                reports.append(RouteLLMValidation.evaluate(items, benchmark: benchmark, seed: seed))
            }
            if format == .json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                Console.out(String(decoding: try encoder.encode(reports), as: UTF8.self) + "\n")
            } else {
                Console.out(reports.map(RouteLLMValidation.table).joined(separator: "\n"))
            }
        }
    }
}
