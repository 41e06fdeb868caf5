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
        guard let found = Self.port(in: portFile) else {
            kill(pid, SIGKILL)
            _ = Subprocess.wait(pid)
            throw FixtureError.missing("\(script) port")
        }
        port = found
    }

    /// Waits up to 10 s for a child to write its port into `file`, after `marker` when given; nil if it never does.
    public static func port(in file: String, after marker: String = "") -> Int? {
        for _ in 0..<200 {
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            if let range = marker.isEmpty ? text.startIndex..<text.startIndex : text.range(of: marker),
               let port = Int(text[range.upperBound...].prefix { $0.isNumber }) {
                return port
            }
            usleep(50_000)
        }
        return nil
    }

    deinit {
        kill(pid, SIGTERM)
        _ = Subprocess.wait(pid)
    }

    public var url: String { "http://127.0.0.1:\(port)" }
}
