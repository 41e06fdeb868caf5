import CostReplayCore
import Foundation
import Testing
import TestSupport

@Suite struct ModelRouterTests {
    typealias R = Replays

    static let scenario = """
        scenarios:
          - name: route
            strategies:
              - model_router:
                  tiers: {small: gpt-4o-mini, frontier: claude-sonnet-4-5}
                  rules:
                    - {tag: "feature:classify", tier: small}
                    - {has_code: "true", tier: frontier}
                    - {max_prompt_tokens: "500", tier: small}
                  default_tier: keep
                  verbosity: {gpt-4o-mini: "1.2"}
        """

    @Test func theFirstMatchingRuleWinsAndRequestsArePricedAtTheirNewModel() throws {
        var a = R.request("a", at: 0, input: 1000, output: 100)
        a.tags = ["feature:classify"]
        let b = R.request("b", at: 1, prompt: "Fix this:\n```python\nprint(1)\n```", input: 2000, output: 100)
        let c = R.request("c", at: 2, input: 300, output: 10)
        let d = R.request("d", at: 3, input: 1000, output: 100)
        let (result, ledgers) = try R.run([a, b, c, d], scenario: Self.scenario)
        // a → mini, output ×1.2: 1,000 × 0.15 + 120 × 0.6; b → Sonnet: 2,000 × 3 + 100 × 15;
        // c → mini: 300 × 0.15 + 12 × 0.6; d kept on gpt-4o: 1,000 × 2.5 + 100 × 10.
        #expect(result.scenarios[0].totals.cost == usd("0.000222") + usd("0.0075") + usd("0.0000522") + usd("0.0035"))
        let m = R.metrics(result)
        #expect(m["tier:small"] == 2)
        #expect(m["tier:frontier"] == 1)
        #expect(m["tier:keep"] == 1)
        #expect(ledgers.isEmpty)
    }

    @Test func anUnknownRuleConditionIsAScenarioError() {
        #expect(throws: ScenarioError(file: "s.yaml", line: 1, key: "colour", "unknown key in rules; known: tag, operation, user, tenant, model, min_prompt_tokens, max_prompt_tokens, keyword, regex, has_code, tier")) {
            _ = try ScenarioLoader.parse(text: "scenarios: [{name: a, strategies: [{model_router: {rules: [{colour: red, tier: small}]}}]}]", path: "s.yaml")
        }
    }
}

@Suite struct BatchOffloadTests {
    typealias R = Replays

    @Test func taggedRequestsPayTheBatchRateAndInteractiveOnesDoNot() throws {
        var a = R.request("a", at: 0, input: 1000, output: 100)
        a.tags = ["async"]
        var b = R.request("b", at: 1, input: 1000, output: 100)
        b.tags = ["async", "interactive"]
        let (result, _) = try R.run([a, b], scenario: "scenarios: [{name: s, strategies: [batch_offload]}]")
        // gpt-4o batch is half price: 0.0035 / 2 + 0.0035.
        #expect(result.scenarios[0].totals.cost == usd("0.00525"))
        #expect(R.metrics(result)["deferred"] == 1)
    }

    @Test func anHourWindowLimitsOffloading() throws {
        var night = R.request("n", at: 3 * 3600, input: 1000, output: 100)
        night.tags = ["async"]
        var day = R.request("d", at: 12 * 3600, input: 1000, output: 100)
        day.tags = ["async"]
        let (result, _) = try R.run([night, day], scenario: "scenarios: [{name: s, strategies: [{batch_offload: {hours: \"0-6\"}}]}]")
        #expect(R.metrics(result)["deferred"] == 1)
    }

    @Test func theSLARiskMatchesSciPysLogNormal() throws {
        var a = R.request("a", at: 0)
        a.tags = ["async"]
        let (result, _) = try R.run([a], scenario: "scenarios: [{name: s, strategies: [{batch_offload: {deadline: 4h, median_completion: 1h, sigma: 0.8}}]}]")
        let ours = try #require(R.metrics(result)["miss_probability"])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "from scipy.stats import lognorm; print(repr(float(lognorm.sf(4.0, s=0.8, scale=1.0))))"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let reference = try #require(Double(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(abs(ours - reference) < 1e-12)
        #expect(R.metrics(result)["expected_sla_misses"] == ours)
    }

    @Test func tagsThatNoRequestCarriesAreNamedNotASilentZero() throws {
        var a = R.request("a", at: 0, input: 1000, output: 100)
        a.tags = ["async"]
        let (missed, _) = try R.run([a], scenario: "scenarios: [{name: s, strategies: [{batch_offload: {tags: [5, nightly]}}]}]")
        #expect(missed.scenarios[0].totals.cost == missed.baseline.cost)
        #expect(missed.diagnostics.contains("batch_offload: no request in the replayed window carries any of its tags (5, nightly), so it changed nothing"))
        let (hit, _) = try R.run([a], scenario: "scenarios: [{name: s, strategies: [{batch_offload: {tags: [async]}}]}]")
        #expect(!hit.diagnostics.contains { $0.contains("carries any of its tags") })
    }

    @Test func modelsWithoutABatchRateStayAtTheStandardRate() throws {
        var a = R.request("a", at: 0, model: "mistral-large-latest")
        a.tags = ["async"]
        let (result, _) = try R.run([a], scenario: "scenarios: [{name: s, strategies: [batch_offload]}]")
        #expect(R.metrics(result)["no_batch_rate"] == 1)
        #expect(result.scenarios[0].totals.cost == result.baseline.cost)
    }
}

@Suite struct RoutingQualityTests {
    @Test func recordedOutcomesGiveTheExactQualityOfRoutedTraffic() throws {
        func prompt(_ id: String, _ tag: String, weak: Double, strong: Double) -> TraceRecord {
            var r = Replays.request(id, at: Double(id.count), model: "gpt-4o")
            r.tags = [tag]
            r.quality = ["correct:gpt-4o-mini": weak, "correct:gpt-4o": strong]
            return r
        }
        let records = [prompt("a", "easy", weak: 1, strong: 1), prompt("bb", "easy", weak: 0, strong: 1), prompt("ccc", "hard", weak: 0, strong: 1)]
        let (result, _) = try Replays.run(records, scenario: """
            scenarios: [{name: r, strategies: [{model_router: {tiers: {small: gpt-4o-mini}, rules: [{tag: easy, tier: small}]}}]}]
            """)
        // a and b go to mini (1 + 0 correct), c stays on gpt-4o (correct).
        #expect(Replays.metrics(result)["outcomes"] == 3)
        #expect(Replays.metrics(result)["correct"] == 2)
    }
}

@Suite struct RouteLLMValidationTests {
    @Test(.enabled(if: Fixtures.hasSharedData, Fixtures.sharedDataMissing)) func accuraciesAndTheOracleMatchAPlainPythonCount() throws {
        let folder = Fixtures.shared("routellm-evals")
        let items = try RouteLLMValidation.load(folder: folder, benchmark: "gsm8k", pricer: Pricer(catalog: sharedCatalog),
                                                at: Timestamp.parseISO("2026-09-01")!)
        let report = RouteLLMValidation.evaluate(items, benchmark: "gsm8k", seed: 1)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import csv
            rows = list(csv.DictReader(open('\(folder)/evals/gsm8k/gsm8k_responses.csv')))
            w = sum(r['mistralai/Mixtral-8x7B-Instruct-v0.1'] == 'True' for r in rows)
            s = sum(r['gpt-4-1106-preview'] == 'True' for r in rows)
            need = sum(r['mistralai/Mixtral-8x7B-Instruct-v0.1'] != 'True' and r['gpt-4-1106-preview'] == 'True' for r in rows)
            print(len(rows), w, s, need)
            """]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let numbers = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ")
            .compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(numbers.count == 4)
        #expect(report.prompts == numbers[0])
        #expect(abs(report.weakAccuracy - Double(numbers[1]) / Double(numbers[0])) < 1e-12)
        #expect(abs(report.strongAccuracy - Double(numbers[2]) / Double(numbers[0])) < 1e-12)
        // The oracle sends the prompts only GPT-4 answers first, so it reaches GPT-4's accuracy after
        // (strong − weak correct) of them: the prompts only Mixtral answers are a bonus beyond PGR 1.
        let oracle = try #require(report.routers.first { $0.router == "oracle" })
        let needed = Double(numbers[2] - numbers[1]) / Double(numbers[0])
        #expect(numbers[3] >= numbers[2] - numbers[1])
        let firstFull = try #require(oracle.curve.first { $0.pgr >= 1 - 1e-9 })
        #expect(abs(firstFull.strongShare - (needed * 100).rounded(.up) / 100) <= 0.011)
        // Random routing's APGR is about one half.
        #expect(abs(report.routers.first { $0.router == "random" }!.apgr - 0.5) < 0.05)
    }
}

@Suite struct CascadeTests {
    typealias R = Replays

    func scored(_ id: String, at second: Double, score: Double, cheapCorrect: Double = 1, strongCorrect: Double = 1) -> TraceRecord {
        var r = R.request(id, at: second, model: "gpt-4o", input: 1000, output: 100)
        r.quality = ["score:gpt-4o-mini": score, "correct:gpt-4o-mini": cheapCorrect, "correct:gpt-4o": strongCorrect]
        return r
    }

    @Test func anEscalatedRequestPaysForBothCalls() throws {
        let records = [scored("low", at: 0, score: 0.3), scored("high", at: 1, score: 0.8)]
        let (result, _) = try R.run(records, scenario: "scenarios: [{name: c, strategies: [{cascade: {cheap: gpt-4o-mini, strong: gpt-4o, threshold: 0.5}}]}]")
        // low: mini (1,000 × 0.15 + 100 × 0.6) + gpt-4o (1,000 × 2.5 + 100 × 10); high: mini only.
        #expect(result.scenarios[0].totals.cost == usd("0.00021") + usd("0.0035") + usd("0.00021"))
        #expect(R.metrics(result)["escalated"] == 1)
    }

    @Test func anOutcomeCascadeEscalatesExactlyTheCheapModelsMistakes() throws {
        let records = [scored("a", at: 0, score: 0, cheapCorrect: 0, strongCorrect: 1), scored("b", at: 1, score: 0, cheapCorrect: 1, strongCorrect: 0)]
        let (result, _) = try R.run(records, scenario: "scenarios: [{name: c, strategies: [{cascade: {escalate_on: outcome}}]}]")
        #expect(R.metrics(result)["escalated"] == 1)
        #expect(R.metrics(result)["correct"] == 2)
    }

    @Test(arguments: [(0.0, 0.0), (1.0, 3.0)])
    func probabilityZeroAndOneAreNeverAndAlways(probability: Double, escalated: Double) throws {
        let records = (0..<3).map { scored("r\($0)", at: Double($0), score: 0) }
        let (result, _) = try R.run(records, scenario: "scenarios: [{name: c, strategies: [{cascade: {escalate_on: probability, probability: \(probability)}}]}]")
        #expect(R.metrics(result)["escalated", default: 0] == escalated)
    }

    @Test func calibrationHitsATargetShareAndATargetQuality() throws {
        let samples = (0..<100).map { i in
            CascadeCalibration.Sample(score: Double(i) / 100, cheapCorrect: i < 20 ? 0 : 1, strongCorrect: 1)
        }
        let share = try CascadeCalibration.forShare(samples, share: 0.3)
        #expect(abs(share.escalatedShare - 0.3) <= 0.011)
        // Cheap is wrong on the 20 lowest scores: escalating those reaches 100% of the strong quality.
        let quality = try #require(CascadeCalibration.forQuality(samples, target: 1.0))
        #expect(quality.escalatedShare == 0.2)
        #expect(quality.quality == 1)
    }
}

@Suite struct QualityPriorTests {
    @Test func priorsGiveTheExpectedQualityOfEachRoutedTier() throws {
        var easy = Replays.request("a", at: 0)
        easy.tags = ["feature:classify"]
        let hard = Replays.request("b", at: 1)
        let (result, _) = try Replays.run([easy, hard], scenario: """
            scenarios:
              - name: r
                strategies:
                  - model_router:
                      tiers: {small: gpt-4o-mini}
                      rules: [{tag: "feature:classify", tier: small}]
                      quality_priors:
                        - {tier: small, tag: "feature:classify", alpha: "18", beta: "2"}
                        - {tier: keep, alpha: "9", beta: "1"}
            """)
        // 18 / 20 for the routed request, 9 / 10 for the kept one.
        #expect(Replays.metrics(result)["expected_correct"] == 1.8)
        #expect(Replays.metrics(result)["prior_requests"] == 2)
    }
}

@Suite struct CascadeCurveTests {
    @Test func theCurveRunsFromTheCheapToTheStrongModel() throws {
        let samples = (0..<100).map { i in
            CascadeCalibration.Sample(score: Double(i), cheapCorrect: i < 30 ? 0 : 1, strongCorrect: 1)
        }
        let (points, pgr, apgr) = try #require(try CascadeCalibration.curve(samples))
        #expect(points.first?.quality == 0.7)
        #expect(points.last?.quality == 1)
        #expect(pgr.first == 0 && pgr.last == 1)
        // The low scores are exactly the cheap model's mistakes, so gains come early: APGR well above one half.
        #expect(apgr > 0.8)
    }
}
