import CostReplayCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// `costreplay collect` running as a child process on a free loopback port.
final class Receiver {
    let folder = Fixtures.temporaryDirectory()
    let db: String
    let pid: pid_t
    let port: Int
    var stdoutPath: String { folder.appendingPathComponent("stdout").path }
    var stderrPath: String { folder.appendingPathComponent("stderr").path }

    init(extra: [String] = []) throws {
        db = folder.appendingPathComponent("collect.db").path
        pid = try Subprocess.spawn([CLI.binary, "collect", "--listen", "127.0.0.1:0", "--db", db, "--summary-format", "json"] + extra,
                                   stdout: folder.appendingPathComponent("stdout").path,
                                   stderr: folder.appendingPathComponent("stderr").path)
        guard let found = ScriptServer.port(in: folder.appendingPathComponent("stderr").path, after: "listening on http://127.0.0.1:") else {
            kill(pid, SIGKILL)
            _ = Subprocess.wait(pid)
            throw FixtureError.missing("collect port")
        }
        port = found
    }

    var endpoint: String { "http://127.0.0.1:\(port)/v1/traces" }

    /// SIGTERM, then the exit status and the summary printed.
    func stop() throws -> (status: Int32, summary: IngestSummary?) {
        kill(pid, SIGTERM)
        let status = Subprocess.wait(pid)
        let out = try String(contentsOfFile: stdoutPath, encoding: .utf8)
        return (status, try? JSONDecoder().decode(IngestSummary.self, from: Data(out.utf8)))
    }

    /// One POST, answered: status, Retry-After and body.
    func post(_ body: Data, headers: [String: String], path: String = "/v1/traces") -> (Int, String?, String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = "POST"
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var answer: (Int, String?, String) = (0, nil, "")
        URLSession.shared.dataTask(with: request) { data, response, _ in
            let http = response as? HTTPURLResponse
            answer = (http?.statusCode ?? 0, http?.value(forHTTPHeaderField: "Retry-After"), String(decoding: data ?? Data(), as: UTF8.self))
            done.signal()
        }.resume()
        done.wait()
        return answer
    }
}

/// The OpenTelemetry Python SDK's exporters come from pip (scripts/setup.sh); without them the receiver's tests cannot run.
enum OpenTelemetrySDK {
    static let unavailableReason: String? = {
        let check = try? Subprocess.run(["/usr/bin/env", "python3", "-c",
                                         "import opentelemetry.exporter.otlp.json.http, opentelemetry.exporter.otlp.proto.http"])
        return check?.status == 0 ? nil : "the OpenTelemetry SDK exporters are not installed (scripts/setup.sh installs them)"
    }()
}

/// The OTLP/HTTP receiver fed by the OpenTelemetry Python SDK's own exporters, and under load.
@Suite(.serialized, .enabled(if: OpenTelemetrySDK.unavailableReason == nil, Comment(rawValue: OpenTelemetrySDK.unavailableReason ?? "")))
final class CollectorTests {
    struct Sent: Decodable {
        struct Call: Decodable {
            var trace_id: String, span_id: String, model: String
            var input: Int64, output: Int64, cache_read: Int64
        }

        var exported: Bool
        var spans: Int
        var calls: [Call]
    }

    func send(_ receiver: Receiver, _ arguments: [String]) throws -> Sent {
        let result = try Subprocess.run(["/usr/bin/env", "python3", Fixtures.root.appendingPathComponent("scripts/live/otel_send.py").path,
                                         receiver.endpoint] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONDecoder().decode(Sent.self, from: Data(result.stdout.utf8))
    }

    func expectStored(_ sent: Sent, in db: String) throws {
        let records = try Fixtures.records(try TraceStore(existingPath: db))
        for call in sent.calls {
            let record = try #require(records["otlp:\(call.trace_id):\(call.span_id)"])
            #expect(record.model == call.model)
            #expect(record.usage == TokenUsage(input: call.input, output: call.output, cacheRead: call.cache_read))
        }
    }

    @Test func theSDKsProtobufExporterWithGzipIsStoredWithItsTokensAndSIGTERMStopsCleanly() throws {
        let receiver = try Receiver()
        let sent = try send(receiver, ["--encoding", "protobuf", "--gzip", "--calls", "20"])
        #expect(sent.exported)
        let (status, summary) = try receiver.stop()
        #expect(status == 0)
        #expect(summary?.totals == IngestCounts(read: sent.spans, stored: sent.spans))
        try expectStored(sent, in: receiver.db)
        let store = try TraceStore(existingPath: receiver.db)
        #expect(try Fixtures.records(store).values.filter { $0.kind == .tool }.count == 7)
    }

    @Test func theSDKsJSONExporterStoresTheSameRecordsAsItsProtobufExporter() throws {
        let receiver = try Receiver()
        let json = try send(receiver, ["--encoding", "json", "--calls", "12", "--seed", "3"])
        let protobuf = try send(receiver, ["--encoding", "protobuf", "--calls", "12", "--seed", "3"])
        #expect(json.exported && protobuf.exported)
        let (status, summary) = try receiver.stop()
        #expect(status == 0)
        // Hex ids (OTLP JSON) and bytes (protobuf) name the same spans: the second export is all duplicates.
        #expect(summary?.totals == IngestCounts(read: 2 * json.spans, stored: json.spans, duplicates: json.spans))
        try expectStored(json, in: receiver.db)
    }

    @Test func bodiesThatCannotBeReadAreRefusedWithoutRetry() throws {
        let receiver = try Receiver()
        defer { _ = try? receiver.stop() }
        let json = ["Content-Type": "application/json"]
        #expect(receiver.post(Data("{\"resourceSpans\": [".utf8), headers: json).0 == 400)
        #expect(receiver.post(Data("x".utf8), headers: ["Content-Type": "text/plain"])
                == (415, nil, "Content-Type text/plain is not supported (application/x-protobuf or application/json)\n"))
        #expect(receiver.post(Data("xxxx".utf8), headers: ["Content-Type": "application/x-protobuf", "Content-Encoding": "gzip"])
                == (400, nil, "the gzip body cannot be inflated: incorrect header check\n"))
        #expect(receiver.post(Data("{}".utf8), headers: json, path: "/v1/metrics").0 == 404)
        #expect(receiver.post(Data("{\"resourceSpans\": []}".utf8), headers: json) == (200, nil, "{}"))
    }

    @Test func anAddressInUseOrMalformedIsExitTwo() throws {
        let receiver = try Receiver()
        defer { _ = try? receiver.stop() }
        let taken = try CLI.run(["collect", "--listen", "127.0.0.1:\(receiver.port)", "--db", receiver.db + "-2"])
        #expect(taken.status == 2)
        #expect(taken.stderr.hasPrefix("error: cannot listen on 127.0.0.1:\(receiver.port): "), "\(taken.stderr)")
        #expect(taken.stderr.contains("Address already in use"))
        let malformed = try CLI.run(["collect", "--listen", "localhost", "--db", receiver.db + "-3"])
        #expect(malformed.status == 2)
        #expect(malformed.stderr == "error: --listen localhost is not HOST:PORT\n")
    }

    /// scripts/live/bench-collect.py, small: its figures as JSON.
    func load(_ arguments: [String]) throws -> (status: Int32, figures: [String: Any]) {
        let result = try Subprocess.run(["/usr/bin/env", "python3", Fixtures.root.appendingPathComponent("scripts/live/bench-collect.py").path,
                                         "--binary", CLI.binary, "--json", "--time-limit", "20"] + arguments)
        let figures = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
        #expect(!figures.isEmpty, "\(result.stderr)")
        return (result.status, figures)
    }

    @Test func aFullQueueAnswers503WithRetryAfterAndEverySpanIsStoredOnce() throws {
        // Another connection holds the store's write lock for a second, so the queue of one fills for certain.
        let (status, figures) = try load(["--spans", "400", "--batch", "40", "--clients", "4", "--queue", "1", "--hold-lock", "1"])
        #expect(status == 0)
        #expect(figures["spans_acknowledged"] as? Int == 400)
        #expect(figures["spans_stored"] as? Int == 400)
        #expect((figures["refusals_503_429"] as? Int ?? 0) > 0)
    }

    @Test func killNineDuringLoadLosesNoAcknowledgedSpan() throws {
        let (status, figures) = try load(["--spans", "6000", "--batch", "50", "--clients", "4", "--kill-after", "30"])
        #expect(status == 0)
        #expect(figures["killed"] as? Bool == true)
        #expect(figures["receiver_exit"] as? Int == -9)
        #expect((figures["spans_acknowledged"] as? Int ?? 0) >= 1500)
        #expect(figures["acknowledged_missing"] as? Int == 0)
    }
}
