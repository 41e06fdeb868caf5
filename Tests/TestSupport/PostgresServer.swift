import Foundation

/// A throwaway PostgreSQL server for integration tests: `initdb` in a temporary folder, listening on
/// 127.0.0.1 and a socket in that folder, stopped and deleted by ``stop()``.
///
/// Uses the server binaries of Debian's `postgresql-15` package (scripts/setup.sh installs them).
/// PostgreSQL refuses to run as root, so under root every server command runs as the `postgres`
/// user through `runuser`. Password logins over TCP use SCRAM, as a production server does.
public final class PostgresServer {
    public private(set) var port = 0
    public let folder: URL
    let bin: String
    let runAs: String?
    var running = false

    /// Why no server can be started here, or nil when one can.
    public static var unavailableReason: String? {
        if binDirectory == nil { return "needs PostgreSQL server binaries (Debian postgresql-15, installed by scripts/setup.sh); none in /usr/lib/postgresql/*/bin" }
        if getuid() == 0 && getpwnam("postgres") == nil { return "runs as root but there is no postgres user to run the server as" }
        return nil
    }

    static var binDirectory: String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted { $0 == "15" || ($1 != "15" && $0 > $1) }
        return versions.map { "\(root)/\($0)/bin" }.first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }

    /// Creates and starts a server; throws when it does not come up.
    public init() throws {
        guard let bin = Self.binDirectory else { throw ServerError(message: Self.unavailableReason ?? "no server") }
        self.bin = bin
        runAs = getuid() == 0 ? "postgres" : nil
        folder = URL(fileURLWithPath: "/tmp/costreplay-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if runAs != nil { _ = try Self.run("/bin/chown", ["postgres:postgres", folder.path]) }
        _ = try run("initdb", ["-D", folder.path + "/data", "-U", "postgres", "-A", "trust", "--auth-host=scram-sha-256",
                               "--no-sync", "-E", "UTF8", "--locale=C"])
        var lastError: Error?
        for _ in 0..<5 {
            let candidate = Int.random(in: 20_000..<60_000)
            do {
                _ = try run("pg_ctl", ["-D", folder.path + "/data", "-l", folder.path + "/server.log", "-w", "-t", "30", "-o",
                                       "-c listen_addresses=127.0.0.1 -c port=\(candidate) -c unix_socket_directories=\(folder.path) -c fsync=off -c max_connections=20",
                                       "start"])
                port = candidate
                running = true
                return
            } catch { lastError = error }
        }
        throw lastError ?? ServerError(message: "the server did not start")
    }

    deinit { stop() }

    /// Stops the server at once (as a crash would) or cleanly, and keeps the data for ``start()``.
    public func halt(immediately: Bool = true) throws {
        _ = try run("pg_ctl", ["-D", folder.path + "/data", "-m", immediately ? "immediate" : "fast", "-w", "stop"])
        running = false
    }

    /// Starts a halted server again on the same port.
    public func start() throws {
        _ = try run("pg_ctl", ["-D", folder.path + "/data", "-l", folder.path + "/server.log", "-w", "-t", "30", "-o",
                               "-c listen_addresses=127.0.0.1 -c port=\(port) -c unix_socket_directories=\(folder.path) -c fsync=off -c max_connections=20",
                               "start"])
        running = true
    }

    /// Stops the server and deletes its folder.
    public func stop() {
        if running { try? halt(immediately: false) }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs SQL through psql as the superuser over the socket; returns unaligned, tuples-only output.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        try run("psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", folder.path, "-p", String(port),
                         "-U", "postgres", "-d", database, "-f", "-"], input: sql)
    }

    /// A URL for TCP logins; the password, if any, is left to PGPASSWORD unless given here.
    public func url(user: String, database: String) -> String { "postgres://\(user)@127.0.0.1:\(port)/\(database)" }

    func run(_ tool: String, _ arguments: [String], input: String? = nil) throws -> String {
        let path = bin + "/" + tool
        if let runAs { return try Self.run("/sbin/runuser", ["-u", runAs, "--", path] + arguments, input: input) }
        return try Self.run(path, arguments, input: input)
    }

    static func run(_ executable: String, _ arguments: [String], input: String? = nil) throws -> String {
        let result = try Subprocess.run([executable] + arguments, input: input)
        guard result.status == 0 else {
            throw ServerError(message: "\(executable) \(arguments.joined(separator: " ").prefix(200)) exited \(result.status): \(result.stderr)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public struct ServerError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
