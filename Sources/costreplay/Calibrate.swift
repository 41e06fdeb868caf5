import ArgumentParser
import CostReplayCore
import Foundation

struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Choose a cascade's escalation threshold from the stored trace.",
        discussion: """
            Reads the recorded scores (quality key score:<cheap>) and, with --target-quality, the recorded outcomes \
            (correct:<cheap>, correct:<strong>).

            Example:
              costreplay calibrate --cheap gpt-4o-mini --strong gpt-4o --target-share 0.3
              costreplay calibrate --cheap gpt-4o-mini --strong gpt-4o --target-quality 0.95 --curve
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "The cascade's cheap model.") var cheap: String
    @Option(help: "The cascade's strong model.") var strong: String
    @Option(parsing: .unconditional, help: "Share of requests to escalate (0…1).") var targetShare: Double?
    @Option(parsing: .unconditional, help: "Share of the strong model's quality to reach at least cost (0…1).") var targetQuality: Double?
    @Option(help: "table or json.") var format: OutputFormat = .table
    @Flag(help: "Also print the quality curve over escalation shares with RouteLLM's PGR and APGR.") var curve = false

    func run() throws {
        guard (targetShare == nil) != (targetQuality == nil) else {
            throw CommandFailure(message: "error: give exactly one of --target-share and --target-quality")
        }
        for (name, value) in [("--target-share", targetShare), ("--target-quality", targetQuality)] {
            if let value, !(0...1).contains(value) { throw CommandFailure(message: "error: \(name) must be within 0…1") }
        }
        let samples = try CascadeCalibration.samples(store: try store.openExisting(), cheap: cheap, strong: strong)
        guard !samples.isEmpty else {
            throw CommandFailure(message: "error: no request in \(store.path) records a score 'score:\(cheap)'", code: 1)
        }
        let result: CascadeCalibration.Result?
        if let targetShare {
            guard (0...1).contains(targetShare) else { throw CommandFailure(message: "error: --target-share must be within 0…1") }
            result = try CascadeCalibration.forShare(samples, share: targetShare)
        } else {
            result = CascadeCalibration.forQuality(samples, target: targetQuality!)
        }
        guard let result else {
            throw CommandFailure(message: "error: no threshold reaches the target (are outcomes correct:\(cheap) and correct:\(strong) recorded?)", code: 1)
        }
        if format == .json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            Console.out(String(decoding: try encoder.encode(result), as: UTF8.self) + "\n")
        } else {
            var text = "threshold: \(result.threshold)\nescalated: \(MoneyFormat.fixed(result.escalatedShare * 100, decimals: 1))% of \(MoneyFormat.count(result.requests)) scored requests\n"
            if let quality = result.quality, let strong = result.strongQuality {
                text += "quality: \(MoneyFormat.fixed(quality * 100, decimals: 1))% (strong model alone \(MoneyFormat.fixed(strong * 100, decimals: 1))%)\n"
            }
            Console.out(text)
        }
        if curve, let (points, pgr, apgr) = try CascadeCalibration.curve(samples) {
            Console.out("\n" + TextTable.render(header: ["escalated", "threshold", "quality", "PGR"], rows: zip(points, pgr).map { point, gain in
                [MoneyFormat.fixed(point.escalatedShare * 100, decimals: 1) + "%", point.threshold.isFinite ? "\(point.threshold)" : (point.threshold < 0 ? "-inf" : "+inf"),
                 point.quality.map { MoneyFormat.fixed($0 * 100, decimals: 1) + "%" } ?? "-", MoneyFormat.fixed(gain, decimals: 3)]
            }) + "APGR: \(MoneyFormat.fixed(apgr, decimals: 3))\n")
        }
    }
}
