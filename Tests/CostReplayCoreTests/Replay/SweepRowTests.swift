@testable import CostReplayCore
import Foundation
import Testing
import TestSupport

/// A replay made only of capacity sweeps reads plain rows (``SweepRow``) instead of whole records, and gives the same
/// documents.
@Suite struct SweepRowTests {
    /// The document of `yaml` over the store at `path`, read as rows and as records.
    static func bothDocuments(_ yaml: String, path: String, options configure: (inout ReplayOptions) -> Void = { _ in })
        throws -> (rows: String, records: String) {
        let file = try ScenarioLoader.parse(text: yaml, path: "rows.yaml")
        func run(rows: Bool) throws -> String {
            var options = ReplayOptions()
            configure(&options)
            options.readsSweepRows = rows
            let (result, _) = try Simulation(scenarioFile: file, pricer: Pricer(catalog: sharedCatalog), options: options)
                .run(store: try TraceStore(existingPath: path), databasePath: "rows.db")
            return String(decoding: try ResultFile.encode(result), as: UTF8.self)
        }
        return (try run(rows: true), try run(rows: false))
    }

    /// Requests keyed each way a prompt can be (text, recorded hash, message hashes, nothing), several starting at the
    /// same microsecond with ids out of order, tenants and sessions, spans with fees, and a request with no start.
    static let keyedStore: String = {
        var state: UInt64 = 29
        let random: () -> UInt64 = { state &+= 0x9e37_79b9_7f4a_7c15; return StableHash.finalise(state) }
        var records: [TraceRecord] = []
        var second = 0.0
        for i in 0..<1200 {
            if random() % 4 != 0 { second += Double(random() % 90_000) / 1000 }
            let prompt = Int(random() % 20)
            var r = Replays.request("r\(random() % 100_000)-\(i)", at: second, model: prompt % 2 == 0 ? "gpt-4o" : "claude-sonnet-4-5",
                                    duration: Double(random() % 40_000) / 1000, tenant: "t\(prompt % 3)", response: "a \(prompt) v\(random() % 2)")
            r.provider = prompt % 2 == 0 ? "openai" : "anthropic"
            switch random() % 4 {
            case 0: r.promptText = "Question  \(prompt)\nPlease"
            case 1: r.promptHash = "h\(prompt)"
            case 2: r.messages = [MessageInfo(role: "user", tokens: 10, hash: "m\(prompt)", estimated: false, score: nil)]
            default: break
            }
            r.sessionID = random() % 3 == 0 ? nil : "s\(random() % 30)"
            r.traceID = random() % 2 == 0 ? nil : "tr\(random() % 50)"
            if random() % 19 == 0 { r.billedCost = Money(dollars: 0.01) }
            records.append(r)
            if random() % 5 == 0 {
                var span = TraceRecord(id: "tool-\(i)")
                span.kind = .tool
                span.startMicros = r.startMicros
                span.endMicros = r.startMicros! + 2_000_000
                span.promptText = "lookup \(prompt)"
                if random() % 2 == 0 { span.attributes["cost_usd"] = "0.002" }
                records.append(span)
            }
        }
        var unstarted = Replays.request("no-start", at: 0, prompt: "Question  1\nPlease")
        unstarted.startMicros = nil
        unstarted.endMicros = nil
        records.append(unstarted)
        return Replays.store(records)
    }()

    static let sweeps = """
        scenarios:
          - name: global
            strategies:
              - exact_cache: {capacity: [1, 4, 16, 0], ttl: [0, 120, 3600]}
          - name: tenant
            strategies:
              - exact_cache: {capacity: [2, 8], scope: tenant, normalise: [whitespace, case], lookup_cost: 0.00001}
          - name: session
            strategies:
              - exact_cache: {capacity: [3, 30], scope: session, hit_latency_ms: 20}
        """

    @Test(arguments: [false, true])
    func rowsGiveTheDocumentOfRecords(bySession: Bool) throws {
        let (rows, records) = try Self.bothDocuments(Self.sweeps, path: Self.keyedStore) { $0.bootstrapBySession = bySession }
        #expect(rows == records)
        // The store exercises what the rows must get right.
        let result = try JSONDecoder().decode(ReplayResult.self, from: Data(rows.utf8))
        #expect(result.baseline.spans > 0 && result.baseline.baselineCost.femtos > 0)
        #expect(result.scenarios.allSatisfy { ($0.metrics["1:exact_cache"]?["no_key"] ?? 0) > 0 })
        #expect(Set(result.scenarios.map { $0.totals.servedRequests }).count > 5)
        #expect((result.store?.billedRequests ?? 0) > 0)
    }

    @Test func rowsGiveTheDocumentOfRecordsOnOtherStoresAndWindows() throws {
        var options = SynthOptions()
        options.requests = 2000
        options.seed = 8
        options.days = 3
        let synthetic = Replays.synthesizedStore(options)
        let (rows, records) = try Self.bothDocuments(Self.sweeps, path: synthetic)
        #expect(rows == records)
        let (mixedRows, mixedRecords) = try Self.bothDocuments(CapacitySweepGroupTests.sweeps, path: CapacitySweepGroupTests.mixedStore) {
            $0.window = TraceStore.TimeWindow(from: Replays.origin + 86_400_000_000, to: Replays.origin + 3 * 86_400_000_000)
        }
        #expect(mixedRows == mixedRecords)
    }

    @Test func onlyAReplayMadeOfSweepsReadsRows() throws {
        func readsRows(_ yaml: String, configure: (inout ReplayOptions) -> Void = { _ in }) throws -> Bool {
            var options = ReplayOptions()
            configure(&options)
            let plans = try ScenarioLoader.parse(text: yaml, path: "s.yaml").plans
            return ReplayEngine(plans: plans, pricer: Pricer(catalog: sharedCatalog), options: options).readsSweepRows
        }
        #expect(try readsRows(Self.sweeps))
        #expect(try !readsRows(Self.sweeps) { $0.readsSweepRows = false })
        #expect(try !readsRows(Self.sweeps) { $0.explainID = "r1" })
        #expect(try !readsRows(Self.sweeps) { $0.shard = ShardFilter(index: 0, count: 2, key: .tenant) })
        // One point that is not a sweep member needs whole requests.
        #expect(try !readsRows(Self.sweeps + """

              - name: truncated
                strategies:
                  - truncate: {mode: window_turns, keep_turns: 4}
            """))
    }
}
