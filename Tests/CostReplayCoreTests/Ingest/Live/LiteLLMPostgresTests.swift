import CostReplayCore
import Foundation
import Testing
import TestSupport

/// `costreplay ingest postgres://…` against a real PostgreSQL server holding LiteLLM's SpendLogs.
@Suite(.serialized, .enabled(if: PostgresServer.unavailableReason == nil, Comment(rawValue: PostgresServer.unavailableReason ?? "")))
final class LiteLLMPostgresTests {
    let database: LiteLLMDatabase
    let db = Fixtures.temporaryDirectory().appendingPathComponent("live.db").path

    init() throws { database = try LiteLLMDatabase() }

    func ingest(_ extra: [String] = [], environment: [String: String]? = nil) throws -> CLI.Result {
        try CLI.run(["ingest", database.url, "--db", db, "--summary-format", "json"] + extra,
                    environment: environment ?? database.environment)
    }

    func totals(_ result: CLI.Result) throws -> IngestCounts {
        try JSONDecoder().decode(IngestSummary.self, from: Data(result.stdout.utf8)).totals
    }

    @Test func rowsAsLiteLLMWritesThemKeepTheCacheHitAndTheOneHourCacheWrites() throws {
        try database.insertFixtureRows()
        let result = try ingest()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try totals(result) == IngestCounts(read: 5, stored: 5))
        let store = try TraceStore(existingPath: db)
        let records = try Fixtures.records(store)
        let opus = try #require(records.values.first { $0.model == "claude-opus-4-1" })
        #expect(opus.usage == TokenUsage(input: 7000, output: 600, cacheRead: 2000, cacheWrite1h: 4000))
        let sonnet = try #require(records.values.first { $0.model == "claude-sonnet-4-5" })
        #expect(sonnet.usage == TokenUsage(input: 8000, output: 500, cacheRead: 4000, cacheWrite5m: 1000, cacheWrite1h: 2000))
        #expect(sonnet.billedCost == Money(dollars: 0.02745))
        let hit = try #require(records.values.first { $0.cacheHit })
        #expect(hit.usage == TokenUsage(input: 1200, output: 300, cacheRead: 200))
        // timestamp(3): LiteLLM's 02:15:03.224981 is stored as .225
        #expect(records["litellm:chatcmpl-oa_chat"]?.startMicros == Timestamp.parseISO("2026-11-28T02:15:03.225Z"))
        #expect(!result.stdout.contains(LiteLLMDatabase.readerPassword))
        let summary = try JSONDecoder().decode(IngestSummary.self, from: Data(result.stdout.utf8))
        #expect(summary.files.map(\.path) == ["litellm-postgres:postgres://costreplay@127.0.0.1:\(database.server.port)/litellm"])
    }

    @Test func aSecondRunReadsOnlyNewRowsAndARerunStoresNoDuplicates() throws {
        try database.insertFixtureRows()
        #expect(try totals(try ingest()) == IngestCounts(read: 5, stored: 5))
        try database.insertFixtureRows(shiftSeconds: 86_400, suffix: "-next-day")
        #expect(try totals(try ingest(["--overlap", "0"])) == IngestCounts(read: 5, stored: 5))
        #expect(try totals(try ingest(["--overlap", "0"])) == IngestCounts(read: 0, stored: 0))
        // Within the default hour of overlap the last rows are read again and found stored.
        #expect(try totals(try ingest()) == IngestCounts(read: 5, stored: 0, duplicates: 5))
        #expect(try TraceStore(existingPath: db).requestCount == 10)
    }

    @Test func aRowWrittenLateWithAnEarlierStartIsPickedUpByTheOverlap() throws {
        try database.insertFixtureRows(shiftSeconds: 3_000)
        #expect(try totals(try ingest()) == IngestCounts(read: 5, stored: 5))
        // A long streamed call: it started before the watermark, LiteLLM logged it when it ended.
        try database.insertBulkRows(1, start: "2026-11-28 02:30:00", prefix: "late")
        #expect(try totals(try ingest()) == IngestCounts(read: 6, stored: 1, duplicates: 5))
        #expect(try totals(try ingest(["--overlap", "0"])) == IngestCounts(read: 0, stored: 0))
    }

    /// 250 rows read 50 a page, with short waits before reconnecting.
    func pagedSource() throws -> (LiteLLMPostgresSource, TraceStore) {
        try database.insertBulkRows(250)
        var source = LiteLLMPostgresSource(url: database.url)
        source.pageSize = 50
        source.retryDelays = [0.2, 0.2]
        return (source, try TraceStore(path: db))
    }

    @Test func aConnectionDroppedMidReadIsReopenedAndEveryRowIsStoredOnce() throws {
        var (source, store) = try pagedSource()
        var dropped: [String] = []
        source.afterPage = { [database] rows in
            if rows == 100 { dropped.append((try? database.dropReaderConnections()) ?? "failed") }
        }
        let summary = try withEnvironment(database.environment) {
            try source.run(store: store, ingestor: try Ingestor(store: store, options: IngestOptions()))
        }
        #expect(dropped == ["1"])
        #expect(summary.totals == IngestCounts(read: 250, stored: 250))
        #expect(store.requestCount == 250)
    }

    @Test func aServerThatGoesAwayMidReadKeepsWhatWasReadAndTheNextRunFinishes() throws {
        var (source, store) = try pagedSource()
        source.afterPage = { [database] rows in if rows == 100 { try? database.server.halt() } }
        let port = database.server.port
        #expect {
            try withEnvironment(database.environment) {
                _ = try source.run(store: store, ingestor: try Ingestor(store: store, options: IngestOptions()))
            }
        } throws: { error in
            guard case let .connectionLost(name, rows, _) = error as? LiveSourceError else { return false }
            return name == "postgres://costreplay@127.0.0.1:\(port)/litellm" && rows == 100
        }
        #expect(store.requestCount == 100)
        try database.server.start()
        source.afterPage = nil
        let rest = try withEnvironment(database.environment) {
            try source.run(store: store, ingestor: try Ingestor(store: store, options: IngestOptions()))
        }
        // The hour of overlap reads the first 100 again; they are found stored.
        #expect(rest.totals == IngestCounts(read: 250, stored: 150, duplicates: 100))
        #expect(store.requestCount == 250)
    }

    @Test func wrongCredentialsAreOneClearErrorWithExitCode2AndNoPassword() throws {
        let port = database.server.port
        let wrong = try ingest(environment: ["PGPASSWORD": "not-the-password", "PGPASSFILE": "/nonexistent"])
        #expect(wrong.status == 2)
        #expect(wrong.stderr == "error: cannot connect to postgres://costreplay@127.0.0.1:\(port)/litellm: connection to server at \"127.0.0.1\", port \(port) failed: FATAL:  password authentication failed for user \"costreplay\"\n")
        let inURL = try CLI.run(["ingest", "postgres://costreplay:guessed-Secret@127.0.0.1:\(port)/litellm", "--db", db],
                                environment: ["PGPASSFILE": "/nonexistent"])
        #expect(inURL.status == 2)
        #expect(!inURL.stderr.contains("guessed-Secret"))
        #expect(inURL.stderr.hasPrefix("warning: the URL holds a password, which others can see in the process list; use PGPASSWORD or ~/.pgpass\n"))
    }

    @Test func thePasswordCanComeFromAPgpassFile() throws {
        try database.insertFixtureRows()
        let pgpass = Fixtures.write("127.0.0.1:\(database.server.port):litellm:costreplay:\(LiteLLMDatabase.readerPassword)\n", name: "pgpass")
        chmod(pgpass, 0o600)
        let result = try ingest(environment: ["PGPASSFILE": pgpass, "PGPASSWORD": ""])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try totals(result) == IngestCounts(read: 5, stored: 5))
    }
}

/// Runs `body` with environment variables set (libpq reads PGPASSWORD itself), then restores them.
func withEnvironment<T>(_ values: [String: String], _ body: () throws -> T) rethrows -> T {
    let saved = values.keys.map { ($0, getenv($0).map { String(cString: $0) }) }
    for (key, value) in values { setenv(key, value, 1) }
    defer { for (key, value) in saved { if let value { setenv(key, value, 1) } else { unsetenv(key) } } }
    return try body()
}
