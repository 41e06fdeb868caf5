import ArgumentParser
import CostReplayCore
import Foundation

extension Validate {
    struct Mooncake: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prefix-cache hit share on the Mooncake conversation trace.",
            discussion: """
                Example:
                  costreplay validate mooncake --trace ../shared/data/mooncake-fast25/conversation_trace.jsonl
                """)

        @Option(help: "Mooncake trace JSONL.") var trace = "../shared/data/mooncake-fast25/conversation_trace.jsonl"
        @OptionGroup var prices: PriceOptions

        func run() throws {
            let (reuse, rows) = try MooncakeValidation.run(path: trace, pricer: Pricer(catalog: try prices.catalog()))
            Console.out("Mooncake conversation trace: \(MoneyFormat.count(rows.first?.requests ?? 0)) requests\n")
            Console.out("block reuse (hash ids seen before, 512-token blocks): \(MoneyFormat.count(reuse.reusedBlocks)) of \(MoneyFormat.count(reuse.blocks)) = \(MoneyFormat.fixed(reuse.share * 100, decimals: 1))%\n")
            Console.out(TextTable.render(header: ["prefix cache", "input tokens", "cached tokens", "share", "requests with a hit"], rows: rows.map { row in
                [row.label, MoneyFormat.count(Int64(row.inputTokens)), MoneyFormat.count(Int64(row.cachedTokens)),
                 MoneyFormat.fixed(row.share * 100, decimals: 1) + "%", MoneyFormat.count(Int64(row.hitRequests))]
            }))
        }
    }
}
