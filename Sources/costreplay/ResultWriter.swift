import ArgumentParser
import CostReplayCore
import Foundation

/// Writes result.json and the tidy CSV files into a directory.
enum ResultWriter {
    nonisolated(unsafe) static let files: [(name: String, kind: OutputKind, render: (ReplayResult) throws -> String)] = [
        ("result.json", .json, { String(decoding: try ResultFile.encode($0), as: UTF8.self) }),
        ("scenarios.csv", .csv, ReplayResultRenderer.scenariosCSV),
        ("levers.csv", .csv, ReplayResultRenderer.leversCSV),
        ("metrics.csv", .csv, ReplayResultRenderer.metricsCSV),
        ("rates.csv", .csv, ReplayResultRenderer.ratesCSV),
        ("daily.csv", .csv, ReplayResultRenderer.dailyCSV),
        ("models_daily.csv", .csv, ReplayResultRenderer.modelsDailyCSV),
    ]

    /// Refuses, before any work, a folder or a file in it that may not be written.
    static func check(_ directory: String, inputs: [String]) throws {
        var info = stat()
        guard lstat(directory, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) != S_IFLNK else {
            throw CommandFailure(message: "error: \(OutputError(path: directory, reason: "is a symbolic link; CostReplay does not write through links"))")
        }
        for file in files { try checkOutput(directory + "/" + file.name, kind: file.kind, inputs: inputs) }
    }

    static func write(_ result: ReplayResult, to directory: String, inputs: [String]) throws {
        do { try OutputFile.prepareDirectory(directory) } catch { throw CommandFailure(message: "error: \(error)") }
        for file in files {
            try writeOutput(try file.render(result), to: directory + "/" + file.name, kind: file.kind, inputs: inputs)
        }
    }
}
