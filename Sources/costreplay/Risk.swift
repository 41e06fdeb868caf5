import ArgumentParser
import CostReplayCore
import Foundation

struct Risk: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Quality risk: expected degraded responses per month, by Monte Carlo over quality priors and measured accuracy.",
        discussion: "Example:\n  costreplay risk --result reports/sample-plan/result.json")

    @Option(help: "A simulate result document.") var result: String
    @Option(parsing: .unconditional, help: "Monte Carlo paths.") var paths = 100_000
    @Option(parsing: .unconditional, help: "Random seed.") var seed: UInt64 = 42

    func run() throws {
        let document: ReplayResult
        do { document = try ResultFile.read(path: result) } catch { throw CommandFailure(message: "error: \(error)") }
        let estimates = document.scenarios.compactMap { QualityRisk.estimate($0, paths: paths, seed: seed) }
        guard !estimates.isEmpty else {
            throw CommandFailure(message: "error: no scenario in \(result) has quality priors or recorded outcomes", code: 1)
        }
        Console.out(TextTable.render(header: ["scenario", "requests/month", "degraded P10", "P50", "P90", "from"], rows: estimates.map { e in
            [e.scenario, MoneyFormat.count(Int(e.requestsPerMonth)), MoneyFormat.count(Int(e.p10)), MoneyFormat.count(Int(e.p50)),
             MoneyFormat.count(Int(e.p90)), e.sources.joined(separator: "; ")]
        }))
    }
}
