import Foundation
import Testing
import TestSupport
@testable import CostReplayCore

/// `check` and `baseline create` compare only what is comparable: the same traffic, a whole trace, one named
/// scenario point, and a baseline whose daily costs a replay could have written.
@Suite(.serialized) struct CheckInputsTests {
    static let dir = Fixtures.temporaryDirectory()
    static func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// A 1,500-request store, its baseline, and a second, unrelated store.
    static let setUp: Void = {
        for (name, requests, seed) in [("s", "1500", "1"), ("other", "300", "7")] {
            _ = try! CLI.run(["synth", "--requests", requests, "--seed", seed, "--days", "14", "--out", path("\(name).jsonl")])
            _ = try! CLI.run(["ingest", path("\(name).jsonl"), "--db", path("\(name).db")])
        }
        _ = try! CLI.run(["baseline", "create", "--db", path("s.db"), "--out", path("bl.json")])
        try! "scenarios: [{name: exact, strategies: [exact_cache]}, {name: batch, strategies: [{batch_offload: {tags: [async]}}]}]"
            .write(toFile: path("two.yaml"), atomically: true, encoding: .utf8)
        try! "scenarios: [{name: e, strategies: [{exact_cache: {ttl: [1m, 1h]}}]}]".write(toFile: path("sweep.yaml"), atomically: true, encoding: .utf8)
    }()

    func check(_ arguments: [String], db: String = "s.db", baseline: String = "bl.json") throws -> CLI.Result {
        _ = Self.setUp
        return try CLI.run(["check", "--db", Self.path(db), "--baseline", Self.path(baseline)] + arguments)
    }

    func simulate(_ db: String, _ extra: [String] = [], out: String) throws {
        let result = try CLI.run(["simulate", "--db", Self.path(db), "--scenario", Self.path("two.yaml"), "--bootstrap", "0", "--out", Self.path(out)] + extra)
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func aResultOfOtherTrafficOrOfOneShardIsRefused() throws {
        _ = Self.setUp
        try simulate("other.db", out: "other")
        let other = Self.path("other/result.json")
        let foreign = try check(["--result", other, "--point", "exact"])
        #expect(foreign.status == 2)
        #expect(foreign.stderr.hasPrefix("error: \(other) replayed other traffic than the baseline \(Self.path("bl.json")): baseline.requests is "))
        #expect(foreign.stderr.contains("check compares the same requests replayed both ways"))
        // The same store replayed as a candidate is compared; a store of other traffic under --scenario is refused too.
        #expect(try check(["--scenario", Self.path("two.yaml"), "--point", "exact"], db: "other.db").status == 2)
        for index in 0..<2 { try simulate("s.db", ["--shard", "\(index)/2"], out: "shard\(index)") }
        let shard = Self.path("shard0/result.json")
        let part = try check(["--result", shard, "--point", "exact"])
        #expect(part.status == 2)
        #expect(part.stderr == "error: \(shard) holds shard 0 of 2 (inputs.shard), part of the traffic; merge every shard first (costreplay merge)\n")
        #expect(try CLI.run(["merge", shard, Self.path("shard1/result.json"), "--out", Self.path("merged")]).status == 0)
        let merged = try check(["--result", Self.path("merged/result.json"), "--point", "exact"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout.contains("within budget"))
    }

    @Test func aScenarioFileOrResultWithSeveralPointsNeedsPoint() throws {
        let two = Self.path("two.yaml")
        let several = try check(["--scenario", two])
        #expect(several.status == 2)
        #expect(several.stderr == "error: \(two) has 2 scenario points (exact, batch); choose one with --point NAME\n")
        let sweep = try check(["--scenario", Self.path("sweep.yaml")])
        #expect(sweep.stderr == "error: \(Self.path("sweep.yaml")) has 2 scenario points (e[ttl=60], e[ttl=3600]); choose one with --point NAME\n")
        let unknown = try check(["--scenario", two, "--point", "nope"])
        #expect(unknown.stderr == "error: \(two) has no scenario point nope; its points: exact, batch\n")
        let chosen = try check(["--scenario", two, "--point", "batch"])
        #expect(chosen.status == 0, "\(chosen.stderr)")
        #expect(chosen.stdout.contains("\(two) (batch)"))
        // baseline create: the same rule; the chosen point is what the baseline holds and records.
        let refused = try CLI.run(["baseline", "create", "--db", Self.path("s.db"), "--scenario", two, "--out", Self.path("b2.json")])
        #expect(refused.status == 2)
        #expect(refused.stderr == "error: \(two) has 2 scenario points (exact, batch); choose one with --point NAME\n")
        let created = try CLI.run(["baseline", "create", "--db", Self.path("s.db"), "--scenario", two, "--point", "batch", "--out", Self.path("b2.json")])
        #expect(created.status == 0, "\(created.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.path("b2.json")))) as! [String: Any]
        #expect(document["point"] as? String == "batch")
        #expect(((document["result"] as! [String: Any])["scenarios"] as! [[String: Any]]).map { $0["label"] as! String } == ["batch"])
    }

    /// Writes the baseline with its first point's daily costs edited.
    func editedBaseline(_ name: String, _ edit: (inout [[String: Any]]) -> Void) throws -> String {
        _ = Self.setUp
        var document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.path("bl.json")))) as! [String: Any]
        var result = document["result"] as! [String: Any]
        var scenarios = result["scenarios"] as! [[String: Any]]
        var daily = scenarios[0]["daily"] as! [[String: Any]]
        edit(&daily)
        scenarios[0]["daily"] = daily
        result["scenarios"] = scenarios
        document["result"] = result
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: Self.path(name)))
        return Self.path(name)
    }

    @Test func editedBaselineDailyCostsAreRefusedNamingTheField() throws {
        let cases: [(String, (inout [[String: Any]]) -> Void, String)] = [
            ("negative.json", { $0[2]["cost"] = -5.0 }, "result.scenarios[0].daily[2].cost is negative (-$5.00)"),
            ("huge.json", { $0[1]["cost"] = 1e18 }, "result.scenarios[0].daily[1].cost is $1,000,000,000,000,000,000.00, more than $1,000,000,000,000,000.00"),
            ("empty.json", { $0 = [] }, "result.scenarios[0].daily is empty: there is no day to compare"),
            ("duplicate.json", { $0[1]["day"] = $0[0]["day"] }, "result.scenarios[0].daily[1].day repeats "),
        ]
        for (name, edit, reason) in cases {
            let path = try editedBaseline(name, edit)
            let result = try check(["--scenario", Self.path("two.yaml"), "--point", "exact"], baseline: name)
            #expect(result.status == 2, "\(name)")
            #expect(result.stderr.hasPrefix("error: baseline \(path): \(reason)"), "\(result.stderr)")
        }
        // Beyond the money range: refused while decoding, with the field's path.
        let beyond = try editedBaseline("beyond.json") { $0[0]["cost"] = 1e308 }
        let result = try check(["--scenario", Self.path("two.yaml"), "--point", "exact"], baseline: "beyond.json")
        #expect(result.stderr == "error: baseline \(beyond) is not a CostReplay baseline document (result.scenarios[0].daily[0].cost: 1e+308 dollars is beyond the money range of ±$1e20)\n")
    }
}
