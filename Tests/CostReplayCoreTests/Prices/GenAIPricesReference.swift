import Foundation
import TestSupport

/// Runs scripts/parity/genai_prices_expected.py: genai-prices' own price for each request.
enum GenAIPricesReference {
    struct Expected: Decodable {
        var id: String
        var total: String?
        var entry: String?
        var error: String?
    }

    static let script = Fixtures.root.appendingPathComponent("scripts/parity/genai_prices_expected.py").path

    /// `$COSTREPLAY_PYTHON`, else `python3` on the path.
    static var python: String { ProcessInfo.processInfo.environment["COSTREPLAY_PYTHON"] ?? "python3" }

    /// Whether the pinned genai-prices can be imported (the script exits 3 otherwise).
    static let available: Bool = (try? run(input: Data())) != nil

    /// Expected prices for JSON-lines requests, by id; nil when Python or genai-prices is missing.
    static func run(input: Data) throws -> [String: Expected]? {
        let dir = Fixtures.temporaryDirectory()
        let inURL = dir.appendingPathComponent("requests.jsonl"), outURL = dir.appendingPathComponent("expected.jsonl")
        try input.write(to: inURL)
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, script]
        process.standardInput = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        var result: [String: Expected] = [:]
        for line in try String(contentsOf: outURL, encoding: .utf8).split(separator: "\n") {
            let expected = try JSONDecoder().decode(Expected.self, from: Data(line.utf8))
            result[expected.id] = expected
        }
        return result
    }
}
