import ArgumentParser
import CostReplayCore
import Foundation

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check CostReplay's levers against public labelled data.", subcommands: [QQP.self, Mooncake.self])

    struct QQP: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Semantic-cache hit rate, precision and recall by threshold on GPTCache's QQP pairs.",
            discussion: """
                The cache holds every text_a; each text_b is a query. A hit is correct when the nearest cached \
                question is the query's own pair and the pair is labelled duplicate (docs/scenarios.md).

                Example:
                  costreplay validate qqp --data ../shared/data/gptcache-qqp
                """)

        @Option(help: "Folder with similiar_qqp_full.first2000.json and first2000.minilm-l6-v2.f32le.") var data = "../shared/data/gptcache-qqp"
        @Option(help: "provided (the MiniLM embeddings) or builtin (CostReplay's hashing embedder).") var embedder = "provided"
        @Option(help: "table or json.") var format: OutputFormat = .table

        func run() throws {
            let rows: [QQPValidation.Row]
            do {
                let set = try QQPValidation.load(folder: data, builtin: embedder == "builtin")
                rows = QQPValidation.evaluate(set, thresholds: stride(from: 0.70, through: 0.951, by: 0.05).map { ($0 * 100).rounded() / 100 })
            } catch { throw CommandFailure(message: "error: \(error)") }
            Console.out(format == .json ? QQPValidation.json(rows) : QQPValidation.table(rows, embedder: embedder))
        }
    }
}

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
