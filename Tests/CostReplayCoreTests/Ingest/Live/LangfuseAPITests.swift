import CostReplayCore
import Foundation
import Testing
import TestSupport

/// scripts/live/fake_langfuse.py: Langfuse's `GET /api/public/observations` and `GET /api/public/v2/observations`
/// (with `v2` "404" or "501", a server that answers v2 with that status), serving the three SDK generations of
/// traces/fixtures/upstream/langfuse, repeated `copies` times a minute apart, with injected faults.
final class FakeLangfuse {
    static let keys = ["LANGFUSE_PUBLIC_KEY": "pk-lf-test", "LANGFUSE_SECRET_KEY": "sk-lf-test-secret"]
    let server: ScriptServer
    let log: URL

    init(copies: Int = 10, faults: [String: [String: String]] = [:], v2: String? = nil, folder: URL) throws {
        let faultsFile = folder.appendingPathComponent("faults-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: faults).write(to: faultsFile)
        log = folder.appendingPathComponent("requests-\(UUID().uuidString).jsonl")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        server = try ScriptServer(script: "scripts/live/fake_langfuse.py",
                                  arguments: [Fixtures.trace("upstream/langfuse/langfuse-api-page-compact.json"), log.path,
                                              faultsFile.path, String(copies),
                                              v2 ?? Fixtures.trace("upstream/langfuse/langfuse-api-v2-page.json")],
                                  folder: folder)
    }

    var url: String { server.url }

    /// The observations requests received, in order: query, answer, time, path.
    func requests() throws -> [(query: [String: String], answer: String, time: Double, path: String)] {
        try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map {
            let entry = try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
            return (entry["query"] as! [String: String], "\(entry["answer"]!)", entry["time"] as! Double, entry["path"] as! String)
        }
    }
}

/// `costreplay ingest --from langfuse` against a local server that follows Langfuse's OpenAPI description.
@Suite(.serialized)
final class LangfuseAPITests {
    let folder = Fixtures.temporaryDirectory()
    var db: String { folder.appendingPathComponent("langfuse.db").path }
    static let until = "2026-11-28T03:00:00Z"

    /// `ingest --from langfuse`, through v1 unless `api` says otherwise ("auto": the default, v2 falling back to v1).
    func ingest(_ server: FakeLangfuse, _ extra: [String] = [], api: String = "v1", db: String? = nil,
                environment: [String: String] = FakeLangfuse.keys) throws -> CLI.Result {
        try CLI.run(["ingest", "--from", "langfuse", "--host", server.url, "--db", db ?? self.db, "--summary-format", "json",
                     "--page-size", "7", "--until", Self.until] + (api == "auto" ? [] : ["--langfuse-api", api]) + extra,
                    environment: environment)
    }

    func totals(_ result: CLI.Result) throws -> IngestCounts {
        try JSONDecoder().decode(IngestSummary.self, from: Data(result.stdout.utf8)).totals
    }

    @Test func everyPageOfGenerationsIsStoredWithTheTokensLangfuseRecorded() throws {
        let server = try FakeLangfuse(folder: folder)
        let result = try ingest(server)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try totals(result) == IngestCounts(read: 30, stored: 30))
        let queries = try server.requests().map(\.query)
        #expect(queries.map { $0["page"] } == ["1", "2", "3", "4", "5"])
        #expect(queries.allSatisfy { $0["type"] == "GENERATION" && $0["limit"] == "7" && $0["fromStartTime"] == nil
                    && $0["toStartTime"] == "2026-11-28T03:00:00.000Z" })
        let records = try Fixtures.records(try TraceStore(existingPath: db))
        // langfuse 5.0.4 sends Anthropic cache writes as a total and split by time to live (NOTES.md): one set of tokens.
        #expect(records["langfuse:de5271007814e8a2-4"]?.usage
                == TokenUsage(input: 8000, output: 500, cacheRead: 4000, cacheWrite5m: 1000, cacheWrite1h: 2000))
        #expect(records["langfuse:3fc1ea36f17fd374-9"]?.startMicros == Timestamp.parseISO("2026-11-28T02:24:13.031Z"))
        for text in [result.stdout, result.stderr] { #expect(!text.contains("sk-lf-test-secret")) }
        let summary = try JSONDecoder().decode(IngestSummary.self, from: Data(result.stdout.utf8))
        #expect(summary.files.map(\.path) == [server.url.replacingOccurrences(of: "http:", with: "langfuse:http:")])
    }

    @Test func aSecondRunReadsFromTheEndOfTheFirstLessTheOverlapAndStoresNoDuplicates() throws {
        let server = try FakeLangfuse(folder: folder)
        #expect(try totals(try ingest(server, ["--until", "2026-11-28T02:20:00Z"])) == IngestCounts(read: 15, stored: 15))
        #expect(try totals(try ingest(server, ["--overlap", "0"])) == IngestCounts(read: 15, stored: 15))
        // With the default hour of overlap everything is read again and found stored.
        #expect(try totals(try ingest(server)) == IngestCounts(read: 30, stored: 0, duplicates: 30))
        let froms = try server.requests().map { $0.query["fromStartTime"] }
        #expect(froms == [nil, nil, nil, "2026-11-28T02:20:00.000Z", "2026-11-28T02:20:00.000Z", "2026-11-28T02:20:00.000Z",
                          "2026-11-28T02:00:00.000Z", "2026-11-28T02:00:00.000Z", "2026-11-28T02:00:00.000Z",
                          "2026-11-28T02:00:00.000Z", "2026-11-28T02:00:00.000Z"])
        #expect(try TraceStore(existingPath: db).requestCount == 30)
    }

    @Test func aRateLimitWaitsAsLongAsRetryAfterSaysAndAServerErrorIsRetried() throws {
        let server = try FakeLangfuse(faults: ["2": ["status": "429", "retry_after": "1"], "4": ["status": "500"]], folder: folder)
        let result = try ingest(server)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try totals(result) == IngestCounts(read: 30, stored: 30))
        let requests = try server.requests()
        #expect(requests.map(\.answer) == ["200", "429", "200", "500", "200", "200", "200"])
        #expect(requests.map { $0.query["page"]! } == ["1", "2", "2", "3", "3", "4", "5"])
        #expect(requests[2].time - requests[1].time >= 0.95)
        #expect(requests[4].time - requests[3].time >= 0.95)
    }

    @Test func theWaitsDoubleAreCappedAndRetryAfterIsHonoured() throws {
        let server = try FakeLangfuse(faults: ["1": ["status": "503"], "2": ["status": "502"], "3": ["status": "500"],
                                               "4": ["status": "429", "retry_after": "120"], "5": ["status": "429"]],
                                      folder: folder)
        var source = LangfuseAPISource(host: server.url, publicKey: "pk-lf-test", secretKey: "sk-lf-test-secret")
        source.until = Timestamp.parseISO(Self.until)
        source.endpoint = .v1
        source.retry = HTTPGetter.RetryPolicy(attempts: 6, baseDelay: 1, maxDelay: 30)
        var waits: [Double] = []
        source.sleep = { waits.append($0) }
        let store = try TraceStore(path: db)
        let summary = try source.run(store: store, ingestor: try Ingestor(store: store, options: IngestOptions()))
        #expect(summary.totals.stored == 30)
        // 1, 2, 4 after the 5xx; Retry-After 120 capped at 30; a 429 without Retry-After backs off (16).
        #expect(waits == [1, 2, 4, 30, 16])
    }

    @Test func aTruncatedPageStopsWithExitTwoStoresNothingOfItAndTheNextRunResumesThere() throws {
        let broken = try FakeLangfuse(faults: ["3": ["truncate": "json"]], folder: folder)
        let result = try ingest(broken)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: \(broken.url) sent a response CostReplay cannot read: page 3 is not complete JSON"),
                "\(result.stderr)")
        #expect(result.stderr.contains("what was read before it is stored and the next run resumes from it"))
        #expect(try TraceStore(existingPath: db).requestCount == 14)
        let server = try FakeLangfuse(folder: folder)
        // The source is named by its host; the restarted server has another port, so carry the cursor over.
        try moveCursor(from: broken.url, to: server.url)
        // No endpoint named: the window is finished through the one it began with.
        let resumed = try ingest(server, ["--overlap", "0"], api: "auto")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try totals(resumed) == IngestCounts(read: 16, stored: 16))
        #expect(try server.requests().map { $0.query["page"]! } == ["3", "4", "5"])
        #expect(try server.requests().allSatisfy { $0.path == "/api/public/observations" })
        #expect(try TraceStore(existingPath: db).requestCount == 30)
    }

    @Test func aConnectionThatKeepsClosingMidBodyIsRetriedThenGivenUpWithExitTwo() throws {
        let server = try FakeLangfuse(faults: ["2+": ["truncate": "connection"]], folder: folder)
        let result = try ingest(server, ["--retries", "1"])
        #expect(result.status == 2)
        #expect(result.stderr == "error: gave up on \(server.url) after 2 attempts (the connection closed before the whole "
                + "response arrived); what was read is stored and the next run resumes from it\n")
        #expect(try server.requests().map(\.answer) == ["200", "200 truncated (connection)", "200 truncated (connection)"])
        #expect(try TraceStore(existingPath: db).requestCount == 7)
    }

    @Test func wrongKeysAreRefusedWithExitTwoAndNotRetried() throws {
        let server = try FakeLangfuse(folder: folder)
        let result = try ingest(server, environment: ["LANGFUSE_PUBLIC_KEY": "pk-lf-test", "LANGFUSE_SECRET_KEY": "wrong"])
        #expect(result.status == 2)
        #expect(result.stderr == "error: \(server.url) answered HTTP 401: {\"message\": \"Invalid credentials. "
                + "Confirm that you've configured the correct host.\"}\n")
        #expect(try server.requests().count == 1)
    }

    @Test func missingKeysAreNamed() throws {
        let server = try FakeLangfuse(folder: folder)
        let result = try ingest(server, environment: ["LANGFUSE_PUBLIC_KEY": "", "LANGFUSE_SECRET_KEY": ""])
        #expect(result.status == 2)
        #expect(result.stderr == "error: --from langfuse needs the project's API keys in LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY\n")
    }

    func moveCursor(from old: String, to new: String) throws {
        let store = try TraceStore(path: db)
        let position = try #require(try store.cursor(source: "langfuse:" + old))
        let writer = try RequestWriter(store: store)
        try writer.saveCursor(source: "langfuse:" + new, position: position)
        try writer.flush()
    }
}
