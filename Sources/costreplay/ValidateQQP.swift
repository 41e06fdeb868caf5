import ArgumentParser
import CostReplayCore
import Foundation

extension Validate {
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
        @Option(help: "provided (the MiniLM embeddings) or builtin (CostReplay's hashing embedder).") var embedder: QQPEmbedder = .provided
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
                    ?? QQPValidation.load(folder: data, builtin: embedder == .builtin)
                let step = maxFalseHit == nil ? 0.05 : 0.01
                rows = QQPValidation.evaluate(set, thresholds: stride(from: 0.70, through: 0.991, by: step).map { ($0 * 100).rounded() / 100 }
                    .filter { maxFalseHit != nil || $0 <= 0.951 })
            } catch { throw CommandFailure(message: "error: \(error)") }
            Console.out(format == .json ? QQPValidation.json(rows) : QQPValidation.table(rows, embedder: embedding.map { "stored set " + $0 } ?? embedder.rawValue))
            if let maxFalseHit {
                let recommendation = ThresholdRecommendation.recommend(ThresholdRecommendation.candidates(from: rows, confidence: 0.95),
                                                                       maxFalseHitRate: maxFalseHit, confidence: 0.95)
                Console.out("\n" + RecommendationRenderer.text(recommendation))
            }
        }
    }
}

/// Which vectors `validate qqp` scores: the MiniLM embeddings shipped with the data or CostReplay's hashing embedder.
enum QQPEmbedder: String, ExpressibleByArgument, CaseIterable {
    case provided, builtin
}
