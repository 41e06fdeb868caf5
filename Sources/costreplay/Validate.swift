import ArgumentParser
import CostReplayCore
import Foundation

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check CostReplay's levers against public labelled data.", subcommands: [QQP.self, Mooncake.self, RouteLLM.self, ShareGPT.self, AzureGPU.self])

    struct QQP: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Semantic-cache hit rate, precision and recall by threshold on GPTCache's QQP pairs.",
            discussion: """
                The cache holds every text_a; each text_b is a query. A hit is correct when the nearest cached \
                question is the query's own pair and the pair is labelled duplicate (docs/scenarios.md).

                With --embedding NAME the vectors come from the store (--db) instead: the pairs written by \
                --write-trace, ingested, then embedded by `costreplay embed --text conversation`.

                Example:
                  costreplay validate qqp --data ../shared/data/gptcache-qqp
                  costreplay validate qqp --write-trace qqp.jsonl && costreplay ingest qqp.jsonl --db qqp.db
                  costreplay embed --db qqp.db --endpoint http://127.0.0.1:8088/v1 --model all-MiniLM-L6-v2 --text conversation
                  costreplay validate qqp --db qqp.db --embedding all-MiniLM-L6-v2
                """)

        @Option(help: "Folder with similiar_qqp_full.first2000.json and first2000.minilm-l6-v2.f32le.") var data = "../shared/data/gptcache-qqp"
        @Option(help: "provided (the MiniLM embeddings) or builtin (CostReplay's hashing embedder).") var embedder = "provided"
        @Option(help: "table or json.") var format: OutputFormat = .table
        @Option(parsing: .unconditional, help: "Also recommend the threshold whose false-hit rate is at most this with 95% confidence.") var maxFalseHit: Double?
        @Option(help: "Use this stored embedding set (costreplay embed) from --db instead of the shipped vectors.") var embedding: String?
        @Option(help: "Write the pairs as a canonical JSONL trace to this file and stop.") var writeTrace: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            if let writeTrace {
                do { try writeOutput(QQPValidation.trace(folder: data), to: writeTrace, kind: .jsonl, inputs: []) } catch let error as CommandFailure {
                    throw error
                } catch { throw CommandFailure(message: "error: \(error)") }
                return
            }
            let rows: [QQPValidation.Row]
            do {
                let set = try embedding.map { try QQPValidation.load(folder: data, store: try store.openExisting(), set: $0) }
                    ?? QQPValidation.load(folder: data, builtin: embedder == "builtin")
                let step = maxFalseHit == nil ? 0.05 : 0.01
                rows = QQPValidation.evaluate(set, thresholds: stride(from: 0.70, through: 0.991, by: step).map { ($0 * 100).rounded() / 100 }
                    .filter { maxFalseHit != nil || $0 <= 0.951 })
            } catch { throw CommandFailure(message: "error: \(error)") }
            Console.out(format == .json ? QQPValidation.json(rows) : QQPValidation.table(rows, embedder: embedding.map { "stored set " + $0 } ?? embedder))
            if let maxFalseHit {
                let recommendation = ThresholdRecommendation.recommend(ThresholdRecommendation.candidates(from: rows, confidence: 0.95),
                                                                       maxFalseHitRate: maxFalseHit, confidence: 0.95)
                Console.out("\n" + RecommendationRenderer.text(recommendation))
            }
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

extension Validate {
    struct AzureGPU: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "azure-gpu",
            abstract: "Local GPU serving on the Azure conversation trace: utilisation, latency, spill-over, break-even.",
            discussion: """
                Example:
                  costreplay validate azure-gpu --servers 1,2,4,8
                  costreplay validate azure-gpu --gpus auto --p95 20000
                """)

        @Option(help: "The Azure trace CSV.") var trace = "../shared/data/azure-llm-inference-2023/AzureLLMInferenceTrace_conv.csv"
        @Option(help: "Server counts, comma-separated.") var servers = "1,2,4,8"
        @Option(help: "auto: find the fewest servers meeting --p95 with ≤1% spilled.") var gpus: String?
        @Option(parsing: .unconditional, help: "p95 latency target in milliseconds for --gpus auto.") var p95 = 20_000.0
        @OptionGroup var prices: PriceOptions

        func run() throws {
            let records = try LocalGPUValidation.load(path: trace)
            let pricer = Pricer(catalog: try prices.catalog())
            if gpus == "auto" {
                guard let row = LocalGPUValidation.smallest(records: records, pricer: pricer, p95TargetMs: p95) else {
                    throw CommandFailure(message: "error: no server count up to 64 meets p95 \(Int(p95)) ms with ≤1% spilled", code: 1)
                }
                Console.out(LocalGPUValidation.table([row], requests: records.count))
                return
            }
            let counts = servers.split(separator: ",").compactMap { Int($0) }
            Console.out(LocalGPUValidation.table(LocalGPUValidation.run(records: records, servers: counts, pricer: pricer), requests: records.count))
        }
    }
}
