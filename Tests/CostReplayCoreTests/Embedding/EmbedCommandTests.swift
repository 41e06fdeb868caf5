import CostReplayCore
import Foundation
import Testing
import TestSupport

/// `costreplay embed` against a scripted local endpoint: batching, retries, bad answers, resuming after a kill.
@Suite(.serialized, .enabled(if: FakeEmbeddingServer.unavailable == nil, Comment(rawValue: FakeEmbeddingServer.unavailable ?? "")))
struct EmbedCommandTests {
    /// A store of `texts.count` chat requests whose last user message is `texts[i]`, one second apart.
    func store(_ texts: [String]) throws -> String {
        let lines = texts.enumerated().map { index, text in
            var r = TraceRecord(id: "r\(index)")
            r.model = "gpt-4o-mini"
            r.provider = "openai"
            r.startMicros = Timestamp.parseISO("2026-03-01")! + Int64(index) * 1_000_000
            r.usage = TokenUsage(input: 100, output: 50)
            r.promptText = "system: You are terse.\nuser: \(text)"
            r.responseHash = "answer-\(text.count % 3)"
            return CanonicalEncoder.line(r) + "\n"
        }.joined()
        let db = Fixtures.temporaryDirectory().appendingPathComponent("e.db").path
        let ingest = try CLI.run(["ingest", Fixtures.write(lines), "--db", db])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        return db
    }

    func embed(_ db: String, _ server: FakeEmbeddingServer, _ extra: [String] = [], environment: [String: String] = [:]) throws -> CLI.Result {
        try CLI.run(["embed", "--db", db, "--endpoint", server.url, "--model", "fake-embed", "--concurrency", "1"] + extra, environment: environment)
    }

    static let questions = ["how do I reset my password", "what is the refund policy", "how do I reset my password",
                            "where is my order", "cancel my subscription", "what is the refund policy", "talk to a human",
                            "change my email address", "how do I reset my password", "update billing details"]

    @Test func eachDistinctTextIsEmbeddedOnceInBatchesOfTheGivenSize() throws {
        let db = try store(Self.questions)
        let server = try FakeEmbeddingServer()
        let result = try embed(db, server, ["--batch", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        let requests = server.requests
        #expect(requests.map(\.texts.count) == [3, 3, 1])
        #expect(Set(requests.flatMap(\.texts)) == Set(Self.questions))
        #expect(requests.flatMap(\.texts).count == 7)
        #expect(result.stdout.contains("requests: 10 (10 with text), distinct texts: 7"))
        #expect(result.stdout.contains("embedded now: 7 in 3 requests; already stored: 0"))
        let stored = try StoredEmbeddings(store: TraceStore(existingPath: db), name: "fake-embed")
        #expect(stored.count == 10)
        #expect(stored.dimension == 8)
        #expect(stored.embedding(of: "r0")!.vector == stored.embedding(of: "r2")!.vector)
        #expect(stored.embedding(of: "r0")!.vector != stored.embedding(of: "r1")!.vector)
    }

    @Test func aTooManyRequestsAnswerIsRetriedAfterItsRetryAfterSeconds() throws {
        let db = try store(Array(Self.questions.prefix(4)))
        let server = try FakeEmbeddingServer(["--fail", "1:429:1"])
        let result = try embed(db, server)
        #expect(result.status == 0, "\(result.stderr)")
        let requests = server.requests
        try #require(requests.map(\.status) == [429, 200])
        #expect(requests[1].time - requests[0].time >= 0.95)
        #expect(requests[1].texts == requests[0].texts)
    }

    @Test func aServerErrorIsRetriedWithBackoff() throws {
        let db = try store(Array(Self.questions.prefix(4)))
        let server = try FakeEmbeddingServer(["--fail", "1:500", "--fail", "2:503"])
        let result = try embed(db, server)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(server.requests.map(\.status) == [500, 503, 200])
        #expect(result.stdout.contains("embedded now: 3 in 1 requests"))
    }

    @Test func aMalformedBodyStopsTheRunWithAClearError() throws {
        let db = try store(Array(Self.questions.prefix(4)))
        let server = try FakeEmbeddingServer(["--malformed", "1"])
        let result = try embed(db, server)
        #expect(result.status == 2)
        #expect(result.stderr == "error: \(server.url)/embeddings returned a malformed embeddings response: the body is not JSON (<html>gateway says hello</html>)\n")
    }

    @Test func aVectorOfTheWrongLengthIsADimensionMismatch() throws {
        let db = try store(Self.questions)
        let server = try FakeEmbeddingServer(["--wrong-dimension", "2"])
        let result = try embed(db, server, ["--batch", "3"])
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").last == "error: dimension mismatch: \(server.url)/embeddings returned a 9-dimensional vector where the vectors already stored for fake-embed has 8")
        // The first batch (3 texts, asked by 6 of the requests) was committed before the bad one arrived.
        #expect(try StoredEmbeddings(store: TraceStore(existingPath: db), name: "fake-embed").count == 6)
    }

    @Test func askedDimensionsThatDifferFromTheStoredOnesAreRefused() throws {
        let db = try store(Self.questions)
        let server = try FakeEmbeddingServer(["--dimension", "6"])
        let result = try embed(db, server, ["--dimensions", "5"])
        #expect(result.status == 2)
        #expect(result.stderr == "error: dimension mismatch: \(server.url)/embeddings returned a 6-dimensional vector where --dimensions has 5\n")
    }

    @Test func aRunKilledMidwayResumesWithOnlyTheMissingTexts() throws {
        let texts = (0..<10).map { "question number \($0)" }
        let db = try store(texts)
        let stuck = try FakeEmbeddingServer(["--hang-after", "2"])
        let process = try CLI.start(["embed", "--db", db, "--endpoint", stuck.url, "--model", "fake-embed", "--batch", "2", "--concurrency", "1"])
        for _ in 0..<200 where stuck.requests.count < 3 { usleep(50_000) }
        #expect(stuck.requests.count == 3)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let server = try FakeEmbeddingServer()
        let result = try embed(db, server, ["--batch", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let committed = Set(stuck.requests.prefix(2).flatMap(\.texts))
        #expect(committed.count == 4)
        #expect(Set(server.requests.flatMap(\.texts)) == Set(texts).subtracting(committed))
        #expect(result.stdout.contains("embedded now: 6 in 3 requests; already stored: 4"))
        #expect(try StoredEmbeddings(store: TraceStore(existingPath: db), name: "fake-embed").count == 10)
    }

    @Test func theAPIKeyIsSentAsABearerTokenAndNeverPrinted() throws {
        let db = try store(Array(Self.questions.prefix(2)))
        let server = try FakeEmbeddingServer(["--require-key", "right-key"])
        let result = try embed(db, server, environment: ["COSTREPLAY_EMBEDDING_KEY": "sk-wrong-secret-123"])
        #expect(result.status == 2)
        #expect(result.stderr == "error: \(server.url)/embeddings refused the request (HTTP 401): Incorrect API key provided\n")
        #expect(!(result.stdout + result.stderr).contains("sk-wrong-secret-123"))
        #expect(server.requests.first?.authorization == "Bearer sk-wrong-secret-123")
        let good = try embed(db, server, environment: ["COSTREPLAY_EMBEDDING_KEY": "", "OPENAI_API_KEY": "right-key"])
        #expect(good.status == 0, "\(good.stderr)")
    }

    @Test func twoEmbeddingModelsCompareInOneSweepWithTheirEmbeddingCost() throws {
        let db = try store(Self.questions)
        let server = try FakeEmbeddingServer()
        #expect(try CLI.run(["embed", "--db", db, "--endpoint", server.url, "--model", "text-embedding-3-small", "--text", "conversation"]).status == 0)
        #expect(try embed(db, server).status == 0)
        let scenario = Fixtures.write("""
            scenarios:
              - name: semantic
                strategies:
                  - semantic_cache: {threshold: 0.99, ttl: 0, embedding: [text-embedding-3-small, fake-embed]}
            """, name: "s.yaml")
        let result = try CLI.run(["simulate", "--db", db, "--scenario", scenario, "--format", "json", "--bootstrap", "0"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try JSONDecoder().decode(ReplayResult.self, from: Data(result.stdout.utf8))
        #expect(document.scenarios.count == 2)
        let metrics = document.scenarios.map { $0.metrics.first { $0.key.hasSuffix("semantic_cache") }!.value }
        // Identical texts (3 repeats of one question, 2 of another) are the only hits at 0.99 with either model.
        #expect(metrics.map { $0["hits"] ?? 0 } == [3, 3])
        // text-embedding-3-small: $0.02 per million tokens in the catalog; the fake counts words (system line included).
        let tokens = try #require(metrics[0]["embedding_tokens"])
        #expect(abs(metrics[0]["embedding_cost_usd"]! - tokens * 0.02 / 1e6) < 1e-12)
        #expect(metrics[1]["embedding_cost_usd"] == nil)
        #expect(document.diagnostics.contains { $0.contains("the embedding model of its stored vectors has no catalog price") })
    }

    @Test func aScenarioNamingAnUnknownSetSaysWhichSetsExist() throws {
        let db = try store(Array(Self.questions.prefix(2)))
        let server = try FakeEmbeddingServer()
        #expect(try embed(db, server).status == 0)
        let scenario = Fixtures.write("scenarios:\n  - name: s\n    strategies:\n      - semantic_cache: {embedding: nope}\n", name: "s.yaml")
        let result = try CLI.run(["simulate", "--db", db, "--scenario", scenario])
        #expect(result.status == 2)
        #expect(result.stderr == "error: \(scenario):4: 'embedding': no stored embeddings named \"nope\" (the store has: fake-embed)\n")
    }
}
