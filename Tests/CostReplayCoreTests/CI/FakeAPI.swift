import Foundation
import TestSupport

/// scripts/ci/fake_api.py on a free loopback port, serving given routes and logging every request.
final class FakeAPI {
    let server: ScriptServer
    let log: URL
    let folder = Fixtures.temporaryDirectory()

    /// `routes`: "METHOD /path?query" → (status, JSON body or a fixture file under traces/fixtures/ci-api).
    init(_ routes: [String: (Int, Any)]) throws {
        var table: [String: Any] = [:]
        for (key, (status, body)) in routes {
            if let name = body as? String, name.hasSuffix(".json") {
                table[key] = ["status": status, "file": Fixtures.trace("ci-api/" + name)]
            } else {
                table[key] = ["status": status, "body": body]
            }
        }
        let routesFile = folder.appendingPathComponent("routes.json")
        try JSONSerialization.data(withJSONObject: table).write(to: routesFile)
        log = folder.appendingPathComponent("requests.jsonl")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        server = try ScriptServer(script: "scripts/ci/fake_api.py", arguments: [routesFile.path, log.path], folder: folder)
    }

    var port: Int { server.port }
    var url: String { server.url }

    /// The requests received, in order: method, path, headers, JSON body.
    func requests() throws -> [[String: Any]] {
        try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    func summary() throws -> [String] { try requests().map { "\($0["method"]!) \($0["path"]!)" } }
}
