import CostReplayCore
import Foundation
import Testing
import TestSupport

/// `simulate --stdin` / `cost --stdin` and the merge of parts split elsewhere (docs/spark.md).
@Suite struct StdinReplayTests {
    /// A synthetic trace in a store, and the same records as canonical JSONL in the store's order (`export`).
    static let sample: (db: String, lines: String) = {
        var options = SynthOptions()
        options.requests = 3000
        options.seed = 9
        options.days = 4
        options.withText = false
        let db = Replays.synthesizedStore(options)
        var lines = ""
        try! TraceStore(existingPath: db).forEachRecord { record, _ in lines += CanonicalEncoder.line(record) + "\n" }
        return (db, lines)
    }()

    static let sessionLevers = """
        scenarios:
          - {name: exact, strategies: [{exact_cache: {ttl: 1h, scope: session}}]}
          - {name: both, strategies: [{exact_cache: {ttl: 1h, scope: session}}, {prefix_cache: {ttl: 5m, scope: session}}]}
        """

    static func simulation(_ options: ReplayOptions = ReplayOptions()) throws -> Simulation {
        Simulation(scenarioFile: try ScenarioLoader.parse(text: sessionLevers, path: "t.yaml"), pricer: Pricer(catalog: sharedCatalog),
                   options: options)
    }

    /// A stream over `text` as standard input would deliver it.
    static func stream(_ text: String, window: TraceStore.TimeWindow = .init()) -> CanonicalStream {
        let path = Fixtures.write(text, name: "in.jsonl")
        return CanonicalStream(descriptor: open(path, O_RDONLY), name: "(standard input)", window: window)
    }

    @Test func aStreamedReplayGivesTheStoreDocumentButForTheDatabaseName() throws {
        let fromStore = try Self.simulation().run(store: try TraceStore(existingPath: Self.sample.db), databasePath: "t.db").0
        var fromStream = try Self.simulation().run(stream: Self.stream(Self.sample.lines))
        #expect(fromStream.inputs.database == "(standard input)")
        fromStream.inputs.database = "t.db"
        #expect(try ResultFile.encode(fromStream) == ResultFile.encode(fromStore))
    }

    @Test func aStreamedCostReportIsTheStoreReport() throws {
        let calculator = CostCalculator(pricer: Pricer(catalog: sharedCatalog))
        let fromStore = try calculator.report(store: try TraceStore(existingPath: Self.sample.db), by: .day, window: .init())
        let fromStream = try calculator.report(source: Self.stream(Self.sample.lines).source, by: .day, window: .init())
        #expect(try CostReportRenderer.json(fromStream) == CostReportRenderer.json(fromStore))
    }

    @Test func aLineOutOfOrderStopsTheStreamNamingIt() throws {
        let lines = Self.sample.lines.split(separator: "\n").prefix(3)
        let swapped = [lines[1], lines[0], lines[2]].joined(separator: "\n") + "\n"
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(throws: CanonicalStreamError.self) { try Self.simulation().run(stream: Self.stream(swapped)) }
        do { _ = try Self.simulation().run(stream: Self.stream(swapped)) } catch {
            #expect("\(error)".hasPrefix("(standard input):2: record '\(first["id"]!)' (start "))
            #expect("\(error)".hasSuffix("comes before the record of line 1 in start order; a stream must be sorted by start, then id (as `costreplay export` writes it)"))
        }
    }

    @Test func badLinesAreRejectedCountedAndTheRestReplayed() throws {
        let lines = Self.sample.lines.split(separator: "\n").map(String.init)
        let text = ([lines[0], "{not json", "{\"id\": \"x\", \"input_tokens\": -3, \"output_tokens\": 1}", lines[0]] + lines[1...])
            .joined(separator: "\n") + "\n"
        let stream = Self.stream(text)
        let result = try Self.simulation().run(stream: stream)
        #expect(stream.counts.rejected == 2)
        #expect(stream.counts.duplicates == 1)
        #expect(stream.counts.read == lines.count + 3)
        #expect(stream.sampleRejections.map(\.location.line) == [2, 3])
        #expect(result.store?.rejectedRecords == 2)
        let whole = try Self.simulation().run(store: try TraceStore(existingPath: Self.sample.db), databasePath: "t.db").0
        #expect(result.scenarios.map(\.totals) == whole.scenarios.map(\.totals))
    }

    @Test func anEmptyStreamIsRefusedButAnEmptyPartIsAZeroDocument() throws {
        #expect(throws: SimulationError.emptyStream("(standard input)", read: 0, rejected: 0, windowed: false)) {
            try Self.simulation().run(stream: Self.stream(""))
        }
        var options = ReplayOptions()
        options.shard = ShardFilter(index: 1, count: 4, key: .session, filters: false)
        let part = try Self.simulation(options).run(stream: Self.stream(""))
        #expect(part.baseline.requests == 0)
        #expect(part.inputs.shard?.indices == [1])
        #expect(part.inputs.shard?.count == 4)
        #expect(part.inputs.shard?.presplit == true)
    }

    @Test func partsSplitBySessionMergeToTheWholeDocumentIntervalsIncluded() throws {
        let whole = try Self.simulation().run(store: try TraceStore(existingPath: Self.sample.db), databasePath: "t.db").0
        // Split as Spark does: by session with its own hash (requests without a session together), each part in order.
        var parts = Array(repeating: "", count: 3)
        for line in Self.sample.lines.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let key = object["session_id"] as? String ?? ""
            parts[Int(key.utf8.reduce(UInt32(7)) { $0 &* 31 &+ UInt32($1) } % 3)] += line + "\n"
        }
        let documents = try parts.enumerated().map { index, text in
            var options = ReplayOptions()
            options.shard = ShardFilter(index: index, count: 3, key: .session, filters: false)
            let encoded = try ResultFile.encode(try Self.simulation(options).run(stream: Self.stream(text)))
            return try JSONDecoder().decode(ReplayResult.self, from: encoded)
        }
        let merged = try ResultFile.merge(documents)
        #expect(merged.baseline == whole.baseline)
        #expect(merged.store == whole.store)
        #expect(merged.diagnostics == whole.diagnostics)
        for (a, b) in zip(merged.scenarios, whole.scenarios) {
            #expect(a.exactWhenSharded)
            #expect(a.totals == b.totals)
            #expect(a.waterfall == b.waterfall)
            #expect(a.alone == b.alone)
            #expect(a.daily == b.daily)
            #expect(a.byModel == b.byModel)
            #expect(a.byModelDaily == b.byModelDaily)
            #expect(a.intervals != nil)
            #expect(a.intervals == b.intervals)
            #expect(a.blocks == nil)
        }
    }

    @Test func partsOfDifferentSplitsAreNotMerged() throws {
        var presplit = ReplayOptions()
        presplit.shard = ShardFilter(index: 0, count: 2, key: .session, filters: false)
        var sharded = ReplayOptions()
        sharded.shard = ShardFilter(index: 1, count: 2, key: .session)
        let a = try Self.simulation(presplit).run(stream: Self.stream(""))
        let b = try Self.simulation(sharded).run(store: try TraceStore(existingPath: Self.sample.db), databasePath: "t.db").0
        #expect(throws: SimulationError.mergeMismatch("only shards of one --shard I/N run (or parts of one --part I/N split) can be merged")) {
            try ResultFile.merge([a, b])
        }
    }

    @Test func moneyBeyondWhatADoubleHoldsRoundTripsToTheFemtodollar() throws {
        struct Box: Codable, Equatable { var amount: Money }
        for femtos: Int128 in [123_456_789_012_345_678_901, -98_765_432_109_876_543, 9_007_199_254_740_993, 1, 300_000_000_000_000] {
            let data = try JSONEncoder().encode(Box(amount: Money(femtos: femtos)))
            #expect(try JSONDecoder().decode(Box.self, from: data) == Box(amount: Money(femtos: femtos)))
        }
        #expect(String(decoding: try JSONEncoder().encode(Box(amount: Money(femtos: 300_000_000_000_000))), as: UTF8.self) == #"{"amount":0.3}"#)
        #expect(String(decoding: try JSONEncoder().encode(Box(amount: Money(femtos: 123_456_789_012_345_678_901))), as: UTF8.self)
                == #"{"amount":123456.789012345678901}"#)
    }

    @Test func theCommandReadsStandardInputAndRefusesAPartWithoutIt() throws {
        let scenario = Fixtures.write(Self.sessionLevers, name: "s.yaml")
        let viaStdin = try Subprocess.run([CLI.binary, "simulate", "--stdin", "--scenario", scenario, "--format", "json"], input: Self.sample.lines)
        #expect(viaStdin.status == 0)
        let viaStore = try Subprocess.run([CLI.binary, "simulate", "--db", Self.sample.db, "--scenario", scenario, "--format", "json"])
        func withoutDatabase(_ text: String) -> String { text.split(separator: "\n").filter { !$0.contains("\"database\" :") }.joined(separator: "\n") }
        #expect(withoutDatabase(viaStdin.stdout) == withoutDatabase(viaStore.stdout))
        let noStdin = try Subprocess.run([CLI.binary, "simulate", "--part", "0/2", "--scenario", scenario])
        #expect(noStdin.status == 2)
        #expect(noStdin.stderr == "error: --part needs --stdin and excludes --shard\n")
        let badPart = try Subprocess.run([CLI.binary, "simulate", "--stdin", "--part", "2/2", "--scenario", scenario], input: "")
        #expect(badPart.stderr == "error: --part \"2/2\" must be I/N with 0 ≤ I < N\n")
    }
}
