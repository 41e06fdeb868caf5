import CostReplayCore
import Foundation
import Testing
import TestSupport

/// The executable's contract: help with examples, exit codes, errors on standard error.
@Suite(.serialized) struct CLITests {
    @Test(arguments: ["ingest", "collect", "cost", "prices show", "export", "synth", "rejects"])
    func everyCommandHasHelpWithAnExample(command: String) throws {
        let result = try CLI.run(command.split(separator: " ").map(String.init) + ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Example"))
    }

    @Test func anUnknownOptionIsAUsageErrorWithExitCode2() throws {
        let result = try CLI.run(["cost", "--bogus"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("Unknown option '--bogus'"))
        #expect(result.stdout.isEmpty)
    }

    /// A negative number is read as the option's value and named, not taken for a missing value.
    @Test func aNegativeNumberIsReadAndRefusedByName() throws {
        let synth = try CLI.run(["synth", "--requests", "-5", "--out", Fixtures.temporaryDirectory().path + "/t.jsonl"])
        #expect(synth.status == 2)
        #expect(synth.stderr == "error: --requests and --days must be positive\n")
        let seed = try CLI.run(["simulate", "--seed", "-1"])
        #expect(seed.status == 2)
        #expect(seed.stderr.contains("'-1' is invalid for '--seed"))
        #expect(!seed.stderr.contains("Missing value"))
    }

    /// Options with a fixed set of values are enums: help lists them and a wrong one is named with the choices.
    @Test func aChoiceOutsideItsSetIsRefusedWithTheChoices() throws {
        let result = try CLI.run(["simulate", "--scenario", "x.yaml", "--bootstrap-by", "week"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("'week' is invalid for '--bootstrap-by <bootstrap-by>'"))
        #expect(result.stderr.contains("'day'") && result.stderr.contains("'session'"))
        let help = try CLI.run(["check", "--help"])
        #expect(help.stdout.contains("(values: month;"))
    }

    @Test func costWithoutADatabaseSaysSoAndExits2() throws {
        let db = Fixtures.temporaryDirectory().appendingPathComponent("none.db").path
        let result = try CLI.run(["cost", "--db", db])
        #expect(result.status == 2)
        #expect(result.stderr == "error: no database at \(db); run `costreplay ingest` first or pass --db\n")
    }

    @Test func anIngestThatStoresNothingExits1WhenRecordsWereRejectedAnd2WhenTheFileWasRefused() throws {
        let db = Fixtures.temporaryDirectory().appendingPathComponent("x.db").path
        let rejected = try CLI.run(["ingest", Fixtures.write("{\"id\":\"a\",\"model\":\"gpt-4o\",\"input_tokens\":-1,\"output_tokens\":1}\n", name: "bad.jsonl"), "--db", db])
        #expect(rejected.status == 1)
        #expect(rejected.stderr.hasSuffix("error: nothing was stored\n"))
        let refused = try CLI.run(["ingest", Fixtures.write("", name: "empty.jsonl"), "--db", db])
        #expect(refused.status == 2)
        #expect(refused.stderr.hasSuffix("error: nothing was stored\n"))
    }

    @Test func aNegativeGrowthIsReadAndANegativeMonthCountIsNamed() throws {
        var lines = ""
        for day in 0..<21 { lines += CanonicalEncoder.line(Replays.request("r\(day)", at: Double(day) * 86_400)) + "\n" }
        let db = try Fixtures.ingest([Fixtures.write(lines)]).0.database.path
        let decline = try CLI.run(["forecast", "--db", db, "--growth", "-0.05,0.01", "--months", "3", "--paths", "200", "--format", "json"])
        #expect(decline.status == 0, "\(decline.stderr)")
        let negative = try CLI.run(["forecast", "--db", db, "--months", "-1"])
        #expect(negative.status == 2)
        #expect(negative.stderr.contains("--months must be 1…120"))
    }

    @Test func anIngestWhoseRecordsAreAllDuplicatesExits0() throws {
        let db = Fixtures.temporaryDirectory().appendingPathComponent("d.db").path
        let trace = Fixtures.upstream("otlp/anthropic-sdk.otlp.jsonl")
        #expect(try CLI.run(["ingest", trace, "--db", db]).status == 0)
        let again = try CLI.run(["ingest", trace, "--db", db])
        #expect(again.status == 0)
        #expect(again.stderr.isEmpty)
    }

    @Test func costByRequestJSONRowsNameModelProviderAndStart() throws {
        let db = Fixtures.temporaryDirectory().appendingPathComponent("r.db").path
        _ = try CLI.run(["ingest", Fixtures.upstream("litellm/litellm-spendlogs.json"), "--db", db])
        let result = try CLI.run(["cost", "--by", "request", "--format", "json", "--db", db])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let rows = try #require(document["rows"] as? [[String: Any]])
        let opus = try #require(rows.first { $0["model"] as? String == "claude-opus-4-1" })
        #expect((opus["key"] as? String)?.hasPrefix("litellm:chatcmpl-") == true)
        #expect(opus["provider"] as? String == "anthropic")
        #expect((opus["start"] as? String)?.hasPrefix("20") == true)
        #expect(opus["cacheWriteTokens"] as? Int == 4000)
        let table = try CLI.run(["cost", "--by", "model", "--db", db]).stdout
        #expect(table.contains("cache read tok  cache write tok"))
    }

    @Test func strictModeFailsOnAnyRejectAndRejectsAreWrittenOut() throws {
        let dir = Fixtures.temporaryDirectory()
        let trace = Fixtures.write("{\"id\":\"a\",\"model\":\"gpt-4o\",\"input_tokens\":1,\"output_tokens\":1}\nbroken\n")
        let rejects = dir.appendingPathComponent("rejects.jsonl").path
        let result = try CLI.run(["ingest", trace, "--db", dir.appendingPathComponent("s.db").path, "--strict", "--rejects", rejects])
        #expect(result.status == 1)
        let written = try String(contentsOfFile: rejects, encoding: .utf8)
        #expect(written.contains("\"line\":2"))
        #expect(written.contains("\"raw\":\"broken\""))
    }

    @Test func theDatabaseDefaultComesFromTheEnvironment() throws {
        let db = Fixtures.temporaryDirectory().appendingPathComponent("env.db").path
        let ingest = try CLI.run(["ingest", Fixtures.trace("canonical.jsonl")], environment: ["COSTREPLAY_DB": db])
        #expect(ingest.status == 0)
        let cost = try CLI.run(["cost", "--format", "json"], environment: ["COSTREPLAY_DB": db])
        #expect(cost.status == 0)
        #expect(cost.stdout.contains("\"version\" : \"costreplay.cost\\/1\""))
    }

    @Test func anIngestKilledHalfWayLeavesAConsistentStoreThatARerunCompletes() throws {
        let dir = Fixtures.temporaryDirectory()
        let trace = dir.appendingPathComponent("big.jsonl").path
        let synth = try CLI.run(["synth", "--requests", "120000", "--no-text", "--seed", "3", "--out", trace])
        #expect(synth.status == 0)
        let db = dir.appendingPathComponent("k.db").path
        // An existing store is appended to in committed chunks (a fresh one is bulk-loaded: see the next test).
        #expect(try CLI.run(["ingest", Fixtures.trace("canonical.jsonl"), "--db", db]).status == 0)
        let before = try TraceStore(existingPath: db).requestCount
        let process = try CLI.start(["ingest", trace, "--db", db])
        // Kill once some chunks have committed but well before the end.
        var waited = 0
        while waited < 30_000 {
            usleep(20_000)
            waited += 20
            if let store = try? TraceStore(existingPath: db), store.requestCount >= before + 20_000 { break }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let partial = try TraceStore(existingPath: db)
        let stored = partial.requestCount
        #expect(try partial.database.scalar("SELECT count(*) FROM requests WHERE id IS NULL") == 0)
        #expect(stored < before + 120_000, "the ingest finished before it was killed; nothing was interrupted")
        let rerun = try CLI.run(["ingest", trace, "--db", db, "--summary-format", "json"])
        #expect(rerun.status == 0)
        let final = try TraceStore(existingPath: db)
        // 120,000 model calls and the tool spans of the agent runs among them: one stored row per line.
        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").count
        #expect(lines > 120_000)
        #expect(final.requestCount == before + Int64(lines))
        let check = try final.database.prepare("PRAGMA integrity_check")
        #expect(try check.step())
        #expect(check.string(0) == "ok")
    }

    @Test func aBulkLoadKilledHalfWayLeavesNoStoreAndARerunCompletes() throws {
        let dir = Fixtures.temporaryDirectory()
        let trace = dir.appendingPathComponent("big.jsonl").path
        #expect(try CLI.run(["synth", "--requests", "120000", "--no-text", "--seed", "3", "--out", trace]).status == 0)
        let db = dir.appendingPathComponent("k.db").path
        let loading = StoreIngest.loadingPath(for: db)
        let process = try CLI.start(["ingest", trace, "--db", db])
        var waited = 0
        while waited < 30_000 {
            usleep(20_000)
            waited += 20
            if let size = try? FileManager.default.attributesOfItem(atPath: loading)[.size] as? Int, size > 4 << 20 { break }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(!FileManager.default.fileExists(atPath: db), "a killed bulk load must leave no store")
        let rerun = try CLI.run(["ingest", trace, "--db", db])
        #expect(rerun.status == 0)
        let lines = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n").count
        #expect(try TraceStore(existingPath: db).requestCount == lines)
        #expect(!FileManager.default.fileExists(atPath: loading))
    }
}
