import ArgumentParser
import CostReplayCore
import Foundation

struct Recommend: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recommend a semantic-cache threshold whose false-hit rate is bounded with confidence.",
        discussion: """
            Reads a result document with a semantic-cache threshold sweep, and picks the highest hit rate whose \
            one-sided exact upper bound on the likely-false-hit rate is at most --max-false-hit.

            Example:
              costreplay recommend --result reports/sample-plan/result.json --max-false-hit 0.3
            """)

    @Option(help: "A simulate result document with a semantic_cache sweep.") var result: String
    @Option(parsing: .unconditional, help: "Largest acceptable false-hit rate (0…1).") var maxFalseHit = 0.02
    @Option(parsing: .unconditional, help: "Confidence of the bound (0…1).") var confidence = 0.95

    func run() throws {
        guard (0...1).contains(maxFalseHit), confidence > 0, confidence < 1 else {
            throw CommandFailure(message: "error: --max-false-hit must be within 0…1 and --confidence within (0, 1)")
        }
        let document: ReplayResult
        do { document = try ResultFile.read(path: result) } catch { throw CommandFailure(message: "error: \(error)") }
        let candidates = ThresholdRecommendation.candidates(from: document, confidence: confidence)
        guard !candidates.isEmpty else { throw CommandFailure(message: "error: \(result) has no semantic_cache points", code: 1) }
        let recommendation = ThresholdRecommendation.recommend(candidates, maxFalseHitRate: maxFalseHit, confidence: confidence)
        Console.out(RecommendationRenderer.text(recommendation))
        if recommendation.chosen == nil { throw CommandFailure(message: "error: \(recommendation.statement)", code: 1) }
    }
}

enum RecommendationRenderer {
    static func text(_ r: ThresholdRecommendation.Recommendation) -> String {
        TextTable.render(header: ["threshold", "hit rate", "false / checked hits", "false-hit upper bound"], rows: r.candidates.map { c in
            [JSONText.number(c.threshold), MoneyFormat.fixed(c.hitRate * 100, decimals: 1) + "%", "\(c.falseHits) / \(c.checkedHits)",
             MoneyFormat.fixed(c.upperBound * 100, decimals: 1) + "%" + (c == r.chosen ? "  ← chosen" : "")]
        }) + r.statement + "\n"
    }
}
