import CostReplayCore
import Foundation
import Testing
import TestSupport

@Suite struct HTMLReportTests {
    static let golden = Fixtures.root.appendingPathComponent("Tests/CostReplayCoreTests/Reports/Golden/sample-levers.html")

    /// Golden file: the committed sample result rendered. Regenerate with UPDATE_GOLDEN=1 swift test.
    @Test func theSampleReportMatchesItsGoldenFile() throws {
        let result = try ResultFile.read(path: Fixtures.root.appendingPathComponent("Tests/CostReplayCoreTests/Reports/Golden/sample-levers-result.json").path)
        let html = HTMLReport.render(result)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try Data(html.utf8).write(to: Self.golden)
        }
        #expect(html == (try String(contentsOf: Self.golden, encoding: .utf8)))
    }

    @Test func theReportIsSelfContained() throws {
        let result = try ResultFile.read(path: Fixtures.root.appendingPathComponent("Tests/CostReplayCoreTests/Reports/Golden/sample-levers-result.json").path)
        let html = HTMLReport.render(result)
        #expect(!html.contains("<script"))
        #expect(!html.contains("http://") && !html.contains("https://") || !html.contains("src="))
        #expect(!html.contains(" src="))
        #expect(html.contains("<svg"))
    }

    @Test func textFromScenarioFilesIsEscaped() throws {
        let records = [Replays.request("a", at: 0, prompt: "hi"), Replays.request("b", at: 90_000, prompt: "hi")]
        let (result, _) = try Replays.run(records, scenario: """
            scenarios: [{name: "<script>alert('x')</script>=HYPERLINK(\\"http://evil\\")", strategies: [exact_cache]}]
            """)
        let html = HTMLReport.render(result)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        let csv = ReplayResultRenderer.scenariosCSV(result)
        #expect(csv.contains("\"'<script>alert('x')</script>=HYPERLINK(\"\"http://evil\"\")\"") || csv.contains("<script>alert('x')</script>=HYPERLINK"))
    }
}

/// The report opened in a real browser: Debian's headless Chromium renders it to PNG.
@Suite(.serialized) struct HTMLInChromiumTests {
    func run(_ executable: String, _ arguments: [String]) throws -> (out: String, err: String, status: Int32) {
        let dir = Fixtures.temporaryDirectory()
        let out = dir.appendingPathComponent("out"), err = dir.appendingPathComponent("err")
        for file in [out, err] {
            try #require(FileManager.default.createFile(atPath: file.path, contents: nil), "cannot create \(file.path)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return (try String(contentsOf: out, encoding: .utf8), try String(contentsOf: err, encoding: .utf8), process.terminationStatus)
    }

    @Test func theSampleReportRendersWithoutErrors() throws {
        let result = try ResultFile.read(path: Fixtures.root.appendingPathComponent("Tests/CostReplayCoreTests/Reports/Golden/sample-levers-result.json").path)
        let dir = Fixtures.temporaryDirectory()
        let html = dir.appendingPathComponent("report.html")
        try Data(HTMLReport.render(result).utf8).write(to: html)
        let png = dir.appendingPathComponent("report.png").path
        let shot = try run("chromium-headless-shell", ["--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=0.5",
                                                       "--screenshot=\(png)", "--window-size=1100,8000", html.absoluteString])
        #expect(shot.status == 0)
        let measured = try run("python3", [Fixtures.root.appendingPathComponent("scripts/png-content-height.py").path, png])
        let numbers = measured.out.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(numbers.count == 4)
        guard numbers.count == 4 else { return }
        // 1,100 CSS px wide at half scale; the page is 1,000–7,800 CSS px tall; charts and tables give many colours.
        #expect(numbers[0] == 550)
        #expect((500...3900).contains(numbers[2]), "content height \(numbers[2]) device px")
        #expect(numbers[3] > 20, "a blank page has one colour")
        let dom = try run("chromium-headless-shell", ["--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0", "--dump-dom", html.absoluteString])
        #expect(dom.out.contains("Executive summary"))
        #expect(!dom.err.contains("CONSOLE"), "console messages: \(dom.err.prefix(400))")
    }
}

@Suite(.serialized) struct NotebookExportTests {
    /// nbformat validates the exported notebook and nbclient executes it with a real kernel.
    @Test func theExportedNotebookValidatesAndExecutes() throws {
        let dir = Fixtures.temporaryDirectory()
        let csv = dir.appendingPathComponent("csv").path, notebook = dir.appendingPathComponent("report.ipynb").path
        let result = try CLI.run(["report", Fixtures.root.appendingPathComponent("Tests/CostReplayCoreTests/Reports/Golden/sample-levers-result.json").path,
                                  "--csv", csv, "--notebook", notebook])
        #expect(result.status == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import nbformat, nbclient
            nb = nbformat.read('\(notebook)', as_version=4)
            nbformat.validate(nb)
            nbclient.NotebookClient(nb, timeout=180, kernel_name='python3').execute()
            images = sum(1 for c in nb.cells for o in c.get('outputs', []) if 'image/png' in o.get('data', {}))
            errors = sum(1 for c in nb.cells for o in c.get('outputs', []) if o.get('output_type') == 'error')
            print(images, errors)
            """]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        let counts = text.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(counts.count == 2 && counts[0] >= 3 && counts[1] == 0, "images and errors: \(text)")
    }
}

@Suite struct HostileTraceTests {
    /// Prompts, model names and tags full of markup and spreadsheet formulas render inert in HTML and CSV.
    @Test func hostileTraceTextRendersInert() throws {
        var a = Replays.request("a", at: 0, model: "<script>alert(1)</script>", prompt: "<img src=x onerror=alert(1)>")
        a.tags = ["=HYPERLINK(\"http://evil\",\"click\")", "\"quoted\""]
        var b = Replays.request("b", at: 90_000, prompt: "<img src=x onerror=alert(1)>")
        b.tags = ["+cmd|' /C calc'!A0"]
        let (result, _) = try Replays.run([a, b], scenario: "scenarios: [{name: s, strategies: [exact_cache]}]")
        let html = HTMLReport.render(result)
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let (store, _) = try Fixtures.ingest([Fixtures.write([a, b].map(CanonicalEncoder.line).joined(separator: "\n") + "\n")])
        let report = try CostCalculator(pricer: Pricer(catalog: sharedCatalog)).report(store: store, by: .tag, window: .init())
        let csv = CostReportRenderer.csv(report)
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\""))
        #expect(csv.contains("'+cmd|' /C calc'!A0"))
        #expect(!csv.contains(",=HYPERLINK"))
        let byModel = CostReportRenderer.csv(try CostCalculator(pricer: Pricer(catalog: sharedCatalog)).report(store: store, by: .model, window: .init()))
        #expect(byModel.contains("<script>alert(1)</script>"))
    }
}
