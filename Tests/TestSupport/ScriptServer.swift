import Foundation

/// A Python stand-in server (scripts/…) started on a free loopback port; it prints the port, then serves until
/// it is stopped.
public final class ScriptServer {
    public let pid: pid_t
    public let port: Int

    /// Starts `python3 script arguments…` and waits up to 10 s for the port it prints.
    public init(script: String, arguments: [String], folder: URL) throws {
        let portFile = folder.appendingPathComponent("port-\(UUID().uuidString)").path
        pid = try Subprocess.spawn(["/usr/bin/env", "python3", Fixtures.root.appendingPathComponent(script).path] + arguments,
                                   stdout: portFile, stderr: portFile + ".err")
        var found: Int?
        for _ in 0..<200 where found == nil {
            found = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if found == nil { usleep(50_000) }
        }
        guard let found else {
            kill(pid, SIGKILL)
            _ = Subprocess.wait(pid)
            throw FixtureError.missing("\(script) port")
        }
        port = found
    }

    deinit {
        kill(pid, SIGTERM)
        _ = Subprocess.wait(pid)
    }

    public var url: String { "http://127.0.0.1:\(port)" }
}
