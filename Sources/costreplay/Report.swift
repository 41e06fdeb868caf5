import ArgumentParser
import CostReplayCore
import Foundation

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render a result document as self-contained HTML and tidy CSV, without replaying.",
        discussion: """
            Example:
              costreplay report reports/sample-plan/result.json --html reports/sample-plan.html --csv reports/sample-plan
              costreplay report --compare last-quarter/result.json this-quarter/result.json --html compare.html
            """)

    @Argument(help: "A simulate result document.") var result: String?
    @Option(parsing: .upToNextOption, help: "Two result documents to show side by side (A then B), per 30 days of traffic.")
    var compare: [String] = []
    @Option(help: "Write a self-contained HTML report here.") var html: String?
    @Option(help: "Write the tidy CSV files into this directory.") var csv: String?
    @Option(help: "Write a Jupyter notebook that loads the CSV files (needs --csv).") var notebook: String?

    func run() throws {
        if !compare.isEmpty { return try runComparison() }
        guard let result else { throw CommandFailure(message: "error: give a result document, or --compare A.json B.json") }
        let document: ReplayResult
        do { document = try ResultFile.read(path: result) } catch { throw CommandFailure(message: "error: \(error)") }
        if notebook != nil && csv == nil { throw CommandFailure(message: "error: --notebook needs --csv DIR for the data it loads") }
        guard html != nil || csv != nil else { throw CommandFailure(message: "error: give --html FILE and/or --csv DIR") }
        let inputs = [result]
        if let html { try checkOutput(html, kind: .html, inputs: inputs) }
        if let csv { try ResultWriter.check(csv, inputs: inputs) }
        if let notebook { try checkOutput(notebook, kind: .notebook, inputs: inputs) }
        if let html { try writeOutput(HTMLReport.render(document), to: html, kind: .html, inputs: inputs) }
        if let csv { try ResultWriter.write(document, to: csv, inputs: inputs) }
        if let notebook, let csv {
            let folder = URL(fileURLWithPath: csv).standardizedFileURL.path
            try writeOutput(NotebookExport.notebook(csvDirectory: folder, title: "CostReplay: \(result)"), to: notebook, kind: .notebook,
                            inputs: inputs)
        }
    }
}

extension Report {
    /// `--compare A B`: a console table, and an HTML page with --html.
    func runComparison() throws {
        guard compare.count == 2, result == nil else { throw CommandFailure(message: "error: --compare takes exactly two result documents") }
        guard csv == nil, notebook == nil else { throw CommandFailure(message: "error: --compare writes a table and --html only") }
        if let html { try checkOutput(html, kind: .html, inputs: compare) }
        let documents: [ReplayResult]
        do { documents = try compare.map(ResultFile.read) } catch { throw CommandFailure(message: "error: \(error)") }
        let comparison: ResultComparison
        do { comparison = try ResultComparison(documents[0], named: compare[0], documents[1], named: compare[1]) } catch {
            throw CommandFailure(message: "error: \(error)")
        }
        if let html { try writeOutput(comparison.html(), to: html, kind: .html, inputs: compare) }
        Console.out(comparison.table())
    }
}
