import Foundation

/// Child processes through posix_spawn and waitpid. Foundation's `Process` was seen here to wait forever for
/// children that had exited (`runuser` after `pg_ctl start`; a script while a server child was alive).
public enum Subprocess {
    /// Starts `argv` with extra environment variables, standard input from `input` and output to files; returns the pid.
    public static func spawn(_ argv: [String], environment: [String: String] = [:], input: String = "/dev/null",
                             stdout: String = "/dev/null", stderr: String = "/dev/null") throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        // The test runner blocks signals in its threads and a child inherits that mask: without a clean one, a
        // child ignores SIGTERM (and pg_ctl waits on signals too).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), defaults = sigset_t()
        sigemptyset(&empty)
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGCHLD, SIGPIPE, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, argv[0], &actions, &attributes, cArgs, cEnv)
        guard code == 0 else { throw PostgresServer.ServerError(message: "cannot start \(argv[0]): error \(code)") }
        return pid
    }

    /// Waits for a child; its exit code, or 128 + the signal that ended it.
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Runs to completion and captures both outputs.
    public static func run(_ argv: [String], environment: [String: String] = [:], input: String? = nil) throws -> CLI.Result {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let inPath = dir.appendingPathComponent("in").path, outPath = dir.appendingPathComponent("out").path
        let errPath = dir.appendingPathComponent("err").path
        try Data((input ?? "").utf8).write(to: URL(fileURLWithPath: inPath))
        // The child may run as another user (runuser under root): let it read its input and write its output.
        chmod(dir.path, 0o777)
        chmod(inPath, 0o644)
        let status = wait(try spawn(argv, environment: environment, input: inPath, stdout: outPath, stderr: errPath))
        return CLI.Result(status: status, stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                          stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}
