import Foundation

/// Tests/FakeServers/fake-embeddings.py started on a free loopback port, with its request log.
public final class FakeEmbeddingServer {
    public let url: String
    let pid: pid_t
    let logPath: String

    /// Why embedding-endpoint tests cannot run here, or nil when python3 is available.
    public static let unavailable: String? = {
        (try? Subprocess.run(["/usr/bin/env", "python3", "-c", "import http.server"]))?.status == 0 ? nil : "needs python3 for the fake embeddings endpoint"
    }()

    /// Starts the fake with these arguments (`--fail 1:429:1`, `--hang-after 2`, …).
    public init(_ arguments: [String] = []) throws {
        let dir = Fixtures.temporaryDirectory()
        logPath = dir.appendingPathComponent("requests.jsonl").path
        let out = dir.appendingPathComponent("out").path
        let script = Fixtures.root.appendingPathComponent("Tests/FakeServers/fake-embeddings.py").path
        pid = try Subprocess.spawn(["/usr/bin/env", "python3", script, "--log", logPath] + arguments, stdout: out)
        var found: String?
        for _ in 0..<200 where found == nil {
            let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) {
                found = String(line.dropFirst("listening on ".count)) + "/v1"
            } else {
                usleep(50_000)
            }
        }
        guard let found else {
            kill(pid, SIGKILL)
            _ = Subprocess.wait(pid)
            throw PostgresServer.ServerError(message: "the fake embeddings server did not start")
        }
        url = found
    }

    deinit {
        kill(pid, SIGKILL)
        _ = Subprocess.wait(pid)
    }

    /// One logged request.
    public struct Request {
        public var number: Int
        public var time: Double
        public var texts: [String]
        public var status: Int
        public var authorization: String?
    }

    /// The requests received so far, in arrival order.
    public var requests: [Request] {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return Request(number: o["n"] as? Int ?? 0, time: o["t"] as? Double ?? 0, texts: o["texts"] as? [String] ?? [],
                           status: o["status"] as? Int ?? 0, authorization: o["authorization"] as? String)
        }
    }
}
