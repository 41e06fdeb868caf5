import ArgumentParser
import CostReplayCore
import Foundation

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the result documents (or cost reports) of shards into one.",
        discussion: """
            Exact for strategies scoped by the shard key (per tenant, user or session); approximate for global caches \
            (the document says which, per scenario: exactWhenSharded).

            Example:
              costreplay merge shard0/result.json shard1/result.json --out merged
              costreplay merge part0-cost.json part1-cost.json --format json   (cost reports of `cost --stdin`)
            """)

    @Argument(help: "Shard result documents.") var documents: [String]
    @Option(help: "Directory for the merged result.json and CSV files.") var out: String?
    @Option(help: "table or json (cost reports: also csv).") var format: OutputFormat = .table

    func run() throws {
        if try documents.first.map(Self.isCostReport) ?? false { return try mergeCostReports() }
        let merged: ReplayResult
        do { merged = try ResultFile.merge(try documents.map(ResultFile.read)) } catch let error as SimulationError {
            throw CommandFailure(message: "error: \(error)")
        }
        if let out { try ResultWriter.write(merged, to: out, inputs: documents) }
        Console.out(format == .json ? String(decoding: try ResultFile.encode(merged), as: UTF8.self) + "\n"
                    : ReplayResultRenderer.table(merged))
    }
}

extension Merge {
    /// True when the first document is a cost report (`cost --format json`) rather than a result document.
    static func isCostReport(_ path: String) throws -> Bool {
        struct Versioned: Decodable { var version: String }
        guard let bytes = try? BoundedFile.bytes(path: path, limit: 512 << 20, what: "document"),
              let document = try? JSONDecoder().decode(Versioned.self, from: Data(bytes)) else { return false }
        return document.version == CostReport.version
    }

    func mergeCostReports() throws {
        let merged: CostReport
        do { merged = try CostReport.merge(try documents.map(CostReport.read)) } catch let error as SimulationError {
            throw CommandFailure(message: "error: \(error)")
        }
        switch format {
        case .table: Console.out(CostReportRenderer.table(merged))
        case .csv: Console.out(CostReportRenderer.csv(merged))
        case .json: Console.out(try CostReportRenderer.json(merged))
        }
    }
}
