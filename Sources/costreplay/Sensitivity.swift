import ArgumentParser
import CostReplayCore
import Foundation

struct Sensitivity: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "Tornado: each assumption moved alone, and its effect on a scenario's annual cost, ranked.",
        discussion: "Example:\n  costreplay sensitivity --result reports/sample-plan/result.json --scenario plan")

    @Option(help: "A simulate result document.") var result: String
    @Option(help: "Scenario point label (default: the first).") var scenario: String?

    func run() throws {
        let document: ReplayResult
        do { document = try ResultFile.read(path: result) } catch { throw CommandFailure(message: "error: \(error)") }
        guard let report = CostReplayCore.Sensitivity.tornado(document, scenario: scenario) else {
            throw CommandFailure(message: "error: no scenario '\(scenario ?? "")' in \(result)")
        }
        Console.out(CostReplayCore.Sensitivity.table(report))
    }
}
