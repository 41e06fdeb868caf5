import CostReplayCore
import Foundation
import Testing
import TestSupport

/// The v2 endpoint (`GET /api/public/v2/observations`, cursor pagination, field groups), the default, and the
/// fall-back to v1 for servers without it.
extension LangfuseAPITests {
    static let v2Path = "/api/public/v2/observations"
    static let v1Path = "/api/public/observations"

    @Test func v2IsReadByDefaultPageByPageFollowingMetaCursorWithTheFieldGroupsTheReaderNeeds() throws {
        let server = try FakeLangfuse(folder: folder)
        let result = try ingest(server, api: "auto")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(try totals(result) == IngestCounts(read: 30, stored: 30))
        let requests = try server.requests()
        #expect(requests.map(\.path) == Array(repeating: Self.v2Path, count: 5))
        #expect(requests.allSatisfy { $0.query["fields"] == "core,basic,time,io,metadata,model,usage" && $0.query["limit"] == "7"
                    && $0.query["type"] == "GENERATION" && $0.query["page"] == nil && $0.query["fromStartTime"] == nil
                    && $0.query["toStartTime"] == "2026-11-28T03:00:00.000Z" })
        let cursors = requests.map { $0.query["cursor"] }
        #expect(cursors.first == .some(nil))
        #expect(Set(cursors.dropFirst().compactMap { $0 }).count == 4)
        let records = try Fixtures.records(try TraceStore(existingPath: db))
        #expect(records["langfuse:de5271007814e8a2-4"]?.usage
                == TokenUsage(input: 8000, output: 500, cacheRead: 4000, cacheWrite5m: 1000, cacheWrite1h: 2000))
        // v2 writes times with microseconds (the client's serialize_datetime) and input as raw JSON text.
        #expect(records["langfuse:3fc1ea36f17fd374-9"]?.startMicros == Timestamp.parseISO("2026-11-28T02:24:13.031Z"))
        #expect(records["langfuse:3fc1ea36f17fd374-9"]?.promptText == "user: Q [[scenario:oa-reasoning]]")
        // A second run reads from the end of the first less the overlap: everything again, all duplicates.
        #expect(try totals(try ingest(server, api: "auto")) == IngestCounts(read: 30, stored: 0, duplicates: 30))
        #expect(try server.requests().dropFirst(5).map { $0.query["fromStartTime"] } == Array(repeating: "2026-11-28T02:00:00.000Z", count: 5))
    }

    @Test func anObservationReadThroughV1OrV2IsStoredIdentically() throws {
        let server = try FakeLangfuse(folder: folder)
        let v1DB = folder.appendingPathComponent("v1.db").path
        #expect(try totals(try ingest(server, api: "v1", db: v1DB)) == IngestCounts(read: 30, stored: 30))
        #expect(try totals(try ingest(server, api: "v2")) == IngestCounts(read: 30, stored: 30))
        let viaV1 = try Fixtures.records(try TraceStore(existingPath: v1DB))
        let viaV2 = try Fixtures.records(try TraceStore(existingPath: db))
        #expect(viaV1.count == 30)
        for (id, record) in viaV1 { #expect(viaV2[id] == record, "\(id)") }
        // Langfuse's cost comes through both: 1,000 input and 500 output tokens of Sonnet 4.5 at $3 and $15 a million.
        #expect(viaV2["langfuse:de5271007814e8a2-0"]?.billedCost == usd("0.0105"))
        #expect(viaV2["langfuse:3fc1ea36f17fd374-0"]?.responseText == "The answer is forty-two.")
        // The same source whichever endpoint: v2 after v1 finds every observation stored.
        #expect(try totals(try ingest(server, api: "v2", db: v1DB)) == IngestCounts(read: 30, stored: 0, duplicates: 30))
    }

    @Test func aTruncatedV2PageStopsWithExitTwoAndTheNextRunResumesAtItsCursor() throws {
        let broken = try FakeLangfuse(faults: ["3": ["truncate": "json"]], folder: folder)
        let result = try ingest(broken, api: "auto")
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: \(broken.url) sent a response CostReplay cannot read: page 3 is not complete JSON"),
                "\(result.stderr)")
        #expect(try TraceStore(existingPath: db).requestCount == 14)
        let asked = try #require(try broken.requests().last?.query["cursor"])
        let server = try FakeLangfuse(folder: folder)
        try moveCursor(from: broken.url, to: server.url)
        let resumed = try ingest(server, ["--overlap", "0"], api: "auto")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try totals(resumed) == IngestCounts(read: 16, stored: 16))
        let requests = try server.requests()
        #expect(requests.map(\.path) == Array(repeating: Self.v2Path, count: 3))
        #expect(requests.first?.query["cursor"] == asked)
        #expect(try TraceStore(existingPath: db).requestCount == 30)
    }

    @Test func aV2PageThatNamesItselfAsTheNextStopsWithExitTwoInsteadOfLooping() throws {
        let server = try FakeLangfuse(faults: ["2": ["stuck": "cursor"]], folder: folder)
        let result = try ingest(server, api: "v2")
        #expect(result.status == 2)
        #expect(result.stderr == "error: \(server.url) sent a response CostReplay cannot read: page 2 names itself as the next "
                + "page (meta.cursor); what was read before it is stored and the next run resumes from it\n")
        #expect(try TraceStore(existingPath: db).requestCount == 7)
    }

    @Test func anEndpointNamedUnlikeTheInterruptedWindowsReadsThatWindowAgainFromItsStart() throws {
        let broken = try FakeLangfuse(faults: ["3": ["truncate": "json"]], folder: folder)
        #expect(try ingest(broken).status == 2)
        let server = try FakeLangfuse(folder: folder)
        try moveCursor(from: broken.url, to: server.url)
        let result = try ingest(server, ["--overlap", "0"], api: "v2")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try totals(result) == IngestCounts(read: 30, stored: 16, duplicates: 14))
        #expect(try server.requests().map { $0.path } == Array(repeating: Self.v2Path, count: 5))
        #expect(try server.requests().first?.query["cursor"] == nil)
    }

    @Test func aRateLimitOnV2WaitsAsRetryAfterSaysAndAsksForTheSameCursorAgain() throws {
        let server = try FakeLangfuse(faults: ["2": ["status": "429", "retry_after": "1"], "4": ["status": "500"]], folder: folder)
        let result = try ingest(server, api: "v2")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try totals(result) == IngestCounts(read: 30, stored: 30))
        let requests = try server.requests()
        #expect(requests.map(\.answer) == ["200", "429", "200", "500", "200", "200", "200"])
        #expect(requests[1].query["cursor"] != nil && requests[2].query["cursor"] == requests[1].query["cursor"])
        #expect(requests[4].query["cursor"] == requests[3].query["cursor"])
        #expect(requests[2].time - requests[1].time >= 0.95)
    }

    /// 404: a server without the route; 501: a self-hosted one with it but without the events table behind it.
    @Test(arguments: [("404", "{\"message\": \"Not found\"}"),
                      ("501", "{\"message\": \"v2 APIs are currently in beta and only available on Langfuse Cloud\"}")])
    func aServerThatCannotServeV2IsReadThroughV1(status: String, body: String) throws {
        let server = try FakeLangfuse(v2: status, folder: folder)
        let result = try ingest(server, api: "auto")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == "note: \(server.url) cannot serve /api/public/v2/observations (HTTP \(status)); "
                + "reading /api/public/observations\n")
        #expect(try totals(result) == IngestCounts(read: 30, stored: 30))
        let requests = try server.requests()
        #expect(requests.map(\.path) == [Self.v2Path] + Array(repeating: Self.v1Path, count: 5))
        #expect(requests.map(\.answer).first == status)
        #expect(requests.dropFirst().map { $0.query["page"]! } == ["1", "2", "3", "4", "5"])
        // Asked for by name, v2 is not replaced, and its answer is not retried: the command exits 2 with it.
        let forced = try ingest(server, api: "v2")
        #expect(forced.status == 2)
        #expect(forced.stderr == "error: \(server.url) answered HTTP \(status): \(body)\n")
        #expect(try server.requests().count == 7)
    }

    @Test func fieldGroupsCanBeNarrowedAndAreChecked() throws {
        let server = try FakeLangfuse(copies: 1, folder: folder)
        let result = try ingest(server, ["--langfuse-fields", "model,usage,basic"], api: "auto")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try server.requests().map { $0.query["fields"] } == ["core,model,usage,basic"])
        let record = try #require(try Fixtures.records(try TraceStore(existingPath: db))["langfuse:de5271007814e8a2"])
        #expect(record.usage == TokenUsage(input: 8000, output: 500, cacheRead: 4000, cacheWrite5m: 1000, cacheWrite1h: 2000))
        #expect(record.promptText == nil)
        let unknown = try ingest(server, ["--langfuse-fields", "core,usage,model,tokens"], api: "auto")
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "error: --langfuse-fields: unknown group \"tokens\"; groups: core, basic, time, io, metadata, "
                + "model, usage, prompt, metrics, trace_context\n")
        #expect(try ingest(server, ["--langfuse-fields", "core,io"], api: "auto").stderr
                == "error: --langfuse-fields needs model and usage: each generation is priced from them\n")
        #expect(try ingest(server, ["--langfuse-fields", "core,model,usage"]).stderr
                == "error: --langfuse-fields applies to the v2 endpoint; v1 returns every field\n")
    }

    @Test func aWindowSavedBeforeV2IsFinishedThroughV1() throws {
        let server = try FakeLangfuse(folder: folder)
        // The cursor a run before v2 left after its second page: no endpoint, the next page's number.
        let until = try #require(Timestamp.parseISO(Self.until))
        let writer = try RequestWriter(store: try TraceStore(path: db))
        try writer.saveCursor(source: "langfuse:" + server.url, position: "{\"window\":{\"to\":\(until),\"nextPage\":3},\"pages\":2}")
        try writer.flush()
        let result = try ingest(server, ["--overlap", "0"], api: "auto")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try totals(result) == IngestCounts(read: 16, stored: 16))
        #expect(try server.requests().map { $0.path + "?page=" + ($0.query["page"] ?? "") }
                == ["3", "4", "5"].map { Self.v1Path + "?page=" + $0 })
    }
}
