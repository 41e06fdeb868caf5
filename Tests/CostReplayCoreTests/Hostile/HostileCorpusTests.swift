import CostReplayCore
import Foundation
import Testing
import TestSupport

/// One case of the committed hostile-input corpus (Tests/Hostile/cases.json, made by make-corpus.py).
struct HostileCase: Decodable, CustomTestStringConvertible, Sendable {
    struct Generated: Decodable, Sendable {
        var prefix: String
        var unit: String
        var count: Int
        var suffix: String
    }

    var name: String
    var about: String
    var files: [String]
    var generated: [String: Generated]?
    var setup: [[String]]?
    var run: [String]
    var exit: Int32
    var seconds: Double
    var stored: Int64?
    var rejects: [String]?
    var stderr: String?
    var stderr_contains: [String]?
    var stdout_contains: [String]?
    var unchanged: [String]?

    var testDescription: String { "\(name): \(about)" }

    static let folder = Fixtures.root.appendingPathComponent("Tests/Hostile")

    static func all() -> [HostileCase] {
        let data = (try? Data(contentsOf: folder.appendingPathComponent("cases.json"))) ?? Data("[]".utf8)
        return (try? JSONDecoder().decode([HostileCase].self, from: data)) ?? []
    }
}

/// Every hostile input gets its exact message and exit code, never a crash or a hang, and the good
/// records of the same file are kept; outputs never overwrite inputs.
@Suite(.serialized) struct HostileCorpusTests {
    @Test func theCorpusIsThere() {
        #expect(HostileCase.all().count >= 60)
    }

    @Test(arguments: HostileCase.all())
    func aHostileInputIsHandled(_ c: HostileCase) throws {
        let dir = Fixtures.temporaryDirectory()
        for file in c.files {
            let source = HostileCase.folder.appendingPathComponent("corpus/\(c.name)--\(file)")
            try FileManager.default.copyItem(at: source, to: dir.appendingPathComponent(file))
        }
        for (file, spec) in c.generated ?? [:] {
            var text = spec.prefix
            text.reserveCapacity(spec.prefix.utf8.count + spec.count * (spec.unit.utf8.count + 4))
            if spec.unit.contains("{i}") {
                for i in 0..<spec.count { text += spec.unit.replacingOccurrences(of: "{i}", with: String(i)) }
            } else {
                text += String(repeating: spec.unit, count: spec.count)
            }
            text += spec.suffix
            try Data(text.utf8).write(to: dir.appendingPathComponent(file))
        }
        for step in c.setup ?? [] { try Self.setup(step, in: dir) }
        let before = try (c.unchanged ?? []).map { try Data(contentsOf: dir.appendingPathComponent($0)) }

        let result = try Self.run(c.run, in: dir, seconds: c.seconds)
        #expect(!result.timedOut, "\(c.name) did not finish in \(c.seconds) s")
        #expect(result.status == c.exit, "\(c.name): exit \(result.status), stderr: \(result.stderr.prefix(400))")
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Backtrace"), "\(c.name) crashed")
        if let expected = c.stderr {
            #expect(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines) == expected)
        }
        for fragment in c.stderr_contains ?? [] { #expect(result.stderr.contains(fragment), "stderr: \(result.stderr.prefix(400))") }
        for fragment in c.stdout_contains ?? [] { #expect(result.stdout.contains(fragment)) }
        for (file, old) in zip(c.unchanged ?? [], before) {
            #expect(try Data(contentsOf: dir.appendingPathComponent(file)) == old, "\(file) was changed")
        }
        if c.stored != nil || c.rejects != nil {
            let store = try TraceStore(existingPath: dir.appendingPathComponent("s.db").path)
            if let stored = c.stored { #expect(store.requestCount == stored) }
            if let rejects = c.rejects { #expect(try store.rejections().map(\.description) == rejects) }
        }
    }

    /// Setup steps: CostReplay commands (which must succeed), or `!symlink TARGET NAME`,
    /// `!mkdir NAME`, `!mkfifo NAME`, `!sql DB STATEMENT`.
    static func setup(_ step: [String], in dir: URL) throws {
        switch step.first {
        case "!symlink":
            try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent(step[2]).path, withDestinationPath: step[1])
        case "!mkfifo":
            #expect(mkfifo(dir.appendingPathComponent(step[1]).path, 0o644) == 0)
        case "!mkdir":
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(step[1]), withIntermediateDirectories: true)
        case "!sql":
            try SQLiteDatabase(path: dir.appendingPathComponent(step[1]).path).execute(step[2])
        default:
            let result = try run(step, in: dir, seconds: 120)
            #expect(result.status == 0, "setup \(step) failed: \(result.stderr.prefix(300))")
        }
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
        var timedOut: Bool
    }

    /// Runs the binary in `dir` with a time limit; a run past it is killed and reported.
    static func run(_ arguments: [String], in dir: URL, seconds: Double) throws -> Outcome {
        let out = dir.appendingPathComponent(".stdout"), err = dir.appendingPathComponent(".stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = arguments
        process.currentDirectoryURL = dir
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFT_BACKTRACE"] = "enable=no"
        environment["NO_COLOR"] = "1"
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        let timedOut = process.isRunning
        if timedOut {
            process.terminate()
            process.waitUntilExit()
        }
        return Outcome(status: process.terminationStatus, stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                       stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self), timedOut: timedOut)
    }
}
