import Foundation
import Testing
import TestSupport
@testable import CostReplayCore

/// `costreplay plan` on traces built so that the best plan is known: heavy traffic on one feature
/// makes a self-hosted server pay and light traffic does not; a cheap model that gets 30% of
/// answers wrong is never routed to under a 1% quality bound.
@Suite struct PlannerTests {
    /// Calls of claude-opus-4-1 (4,000 in, 1,000 out: $0.135 each) spread evenly over three days;
    /// every `repeatEvery`-th call repeats an earlier prompt exactly; outcomes recorded when `wrongShare` is set.
    static func store(calls: Int, repeatEvery: Int = 0, wrongShare: Double? = nil) throws -> (TraceStore, String) {
        let start = Timestamp.daysFromCivil(year: 2026, month: 9, day: 1) * 86_400_000_000
        var lines = ""
        for index in 0..<calls {
            var record = TraceRecord(id: "r\(index)")
            record.startMicros = start + Int64(index) * (3 * 86_400_000_000 / Int64(calls))
            record.endMicros = record.startMicros! + 2_000_000
            record.model = "claude-opus-4-1"
            record.provider = "anthropic"
            record.tags = ["feature:bulk"]
            record.tenantID = "t"
            let prompt = repeatEvery > 0 && index % repeatEvery == 1 ? "question \(index - 1)" : "question \(index)"
            record.promptText = prompt
            record.responseText = "answer to " + prompt
            record.usage = TokenUsage(input: 4000, output: 1000)
            if let wrongShare {
                record.quality["correct:claude-opus-4-1"] = 1
                record.quality["correct:gpt-4o-mini"] = Double(index % 100) < wrongShare * 100 ? 0 : 1
            }
            lines += CanonicalEncoder.line(record) + "\n"
        }
        let path = try Fixtures.ingest([Fixtures.write(lines)]).0.database.path
        return (try TraceStore(existingPath: path), path)
    }

    static let exact = LeverOption(lever: "caching", strategy: "exact_cache", label: "exact cache", step: "{exact_cache: {ttl: 1d}}")
    static let server = LeverOption(lever: "self-hosting", strategy: "local_gpu", label: "one server for bulk",
                                    step: "{local_gpu: {tags: [\"feature:bulk\"], servers: 1}}", eligibleTags: ["feature:bulk"])
    static let route = PlanSpace.routing(["feature:bulk"])

    func plan(_ store: (TraceStore, String), _ options: [LeverOption], maxQualityRisk: Double = 0.01) throws -> PlanDocument {
        var constraints = PlanConstraints()
        constraints.maxQualityRisk = maxQualityRisk
        var replay = ReplayOptions()
        replay.bootstrapResamples = 50
        return try Planner(pricer: Pricer(catalog: sharedCatalog), constraints: constraints, options: replay,
                           space: PlanSpace(options: options)).run(store: store.0, databasePath: store.1).0
    }

    @Test func heavyTrafficOnOneFeatureMakesASelfHostedServerPayAndItIsRecommended() throws {
        let document = try plan(try Self.store(calls: 6000, repeatEvery: 4), [Self.exact, Self.server])
        #expect(document.recommended.steps.map(\.strategy) == ["exact_cache", "local_gpu"])
        let hosting = try #require(document.selfHosting)
        #expect(hosting.included)
        #expect(hosting.monthlyAPISpendReplaced > hosting.monthlyFixedCost)
        #expect(document.recommended.savings > .zero)
        // Each lever's monthly saving adds up to the plan's; neither lever is marginal here.
        let monthly = document.recommended.contributions.map(\.monthlySavings).reduce(0, +)
        #expect(abs(monthly - document.recommended.monthlySavings) < 0.01)
        #expect(Planner.marginalSentence(document.recommended.contributions) == nil)
    }

    @Test func aLeverSavingUnderOnePercentOfTheBillIsCalledMarginalUnlessItIsKeptForTheNext() {
        func lever(_ label: String, _ share: Double, note: String? = nil) -> Contribution {
            Contribution(label: label, lever: "caching", savings: Money(dollars: share * 100), shareOfBill: share,
                         eligibleSpend: 100, shareOfEligible: share, monthlySavings: share * 50, note: note)
        }
        let sentence = Planner.marginalSentence([lever("exact cache", 0.004), lever("truncate", -0.06, note: "kept"),
                                                 lever("batch", 0.07)])
        #expect(sentence == "Marginal: exact cache ($0.20 a month, 0.40%) saves under 1.0% of the bill; adopt only where cheap to run")
        #expect(Planner.marginalSentence([lever("batch", 0.07)]) == nil)
    }

    @Test func lightTrafficLeavesSelfHostingOutAndSaysAtWhatVolumeItWouldPay() throws {
        let document = try plan(try Self.store(calls: 300, repeatEvery: 4), [Self.exact, Self.server])
        #expect(document.recommended.steps.map(\.strategy) == ["exact_cache"])
        let hosting = try #require(document.selfHosting)
        #expect(!hosting.included)
        let multiple = try #require(hosting.breakEvenMultiple)
        // Fixed cost over replaced API spend: the volume multiple at which the two are equal.
        #expect(abs(multiple - hosting.monthlyFixedCost / hosting.monthlyAPISpendReplaced) < 1e-9)
        #expect(multiple > 1)
        #expect(hosting.sentence.contains("does not pay"))
        // A quarter of the calls repeat a prompt: the exact cache saves about a quarter of the bill.
        #expect(abs(document.recommended.savingsShare - 0.25) < 0.02)
    }

    /// 600 calls over 30 days; prompts repeat only after day 20, so the default search (the first 14 days)
    /// finds nothing to save and a search over the whole trace finds the exact cache.
    @Test func aSearchOverTheWholeTraceFindsWhatItsFirstWeeksHide() throws {
        let start = Timestamp.daysFromCivil(year: 2026, month: 9, day: 1) * 86_400_000_000
        var lines = ""
        for index in 0..<600 {
            var record = TraceRecord(id: "r\(index)")
            record.startMicros = start + Int64(index) * (30 * 86_400_000_000 / 600)
            record.endMicros = record.startMicros! + 2_000_000
            record.model = "claude-opus-4-1"
            record.provider = "anthropic"
            record.tenantID = "t"
            let prompt = index >= 400 && index % 2 == 1 ? "question \(index - 1)" : "question \(index)"
            record.promptText = prompt
            record.responseText = "answer to " + prompt
            record.usage = TokenUsage(input: 4000, output: 1000)
            lines += CanonicalEncoder.line(record) + "\n"
        }
        let path = try Fixtures.ingest([Fixtures.write(lines)]).0.database.path
        let store = try TraceStore(existingPath: path)
        var replay = ReplayOptions()
        replay.bootstrapResamples = 50
        func planner(_ days: Int?) -> Planner {
            Planner(pricer: Pricer(catalog: sharedCatalog), constraints: PlanConstraints(), options: replay,
                    space: PlanSpace(options: [Self.exact]), searchDays: days)
        }
        #expect(throws: PlanError.nothingSaves) { try planner(Planner.defaultSearchDays).run(store: store, databasePath: path) }
        let whole = try planner(nil).run(store: store, databasePath: path).0
        #expect(whole.recommended.steps.map(\.strategy) == ["exact_cache"])
        #expect(whole.searchDays > 29 && whole.searchDays < 31)
        // 100 of the 600 calls repeat a prompt cached within the day: a sixth of the bill.
        #expect(abs(whole.recommended.savingsShare - 1.0 / 6) < 0.01)
    }

    /// Found by a probe: with a loose false-hit bound the semantic cache becomes feasible and every combination the
    /// search tries breaks the quality bound together; options that keep the bounds alone still make a plan.
    @Test func whenEveryCombinationBreaksABoundFeasibleOptionsStillMakeAPlan() throws {
        var synth = SynthOptions()
        synth.requests = 2000
        synth.seed = 1
        let path = Replays.synthesizedStore(synth)
        var constraints = PlanConstraints()
        constraints.maxFalseHitRate = 0.95
        var replay = ReplayOptions()
        replay.bootstrapResamples = 50
        let document = try Planner(pricer: Pricer(catalog: sharedCatalog), constraints: constraints, options: replay)
            .run(store: try TraceStore(existingPath: path), databasePath: path).0
        #expect(document.candidates.allSatisfy { !$0.feasible })
        #expect(!document.recommended.steps.isEmpty)
        #expect(document.recommended.savings > .zero)
        #expect(document.recommended.risk.qualityUpper <= constraints.maxQualityRisk)
        #expect(document.recommended.risk.slaMissesPerMonth <= constraints.maxSLAMissesPerMonth)
    }

    @Test func aRoutePastTheQualityBoundIsNeverRecommendedAndOneWithinItIs() throws {
        let store = try Self.store(calls: 600, repeatEvery: 4, wrongShare: 0.3)
        let strict = try plan(store, [Self.exact, Self.route], maxQualityRisk: 0.01)
        #expect(!strict.recommended.steps.contains { $0.strategy == "model_router" })
        let routing = try #require(strict.options.first { $0.option.strategy == "model_router" })
        #expect(!routing.feasible)
        #expect(abs(routing.risk.quality - 0.3) < 0.02)
        #expect(strict.candidates.filter { $0.steps.contains(Self.route.label) }.allSatisfy { !$0.feasible })
        let loose = try plan(store, [Self.exact, Self.route], maxQualityRisk: 0.5)
        #expect(loose.recommended.steps.contains { $0.strategy == "model_router" })
    }
}

@Suite struct PlanRendererTests {
    @Test func theConsolePlanFitsOneHundredAndTwentyColumnsAndItsScenarioFileLoads() throws {
        let store = try PlannerTests.store(calls: 300, repeatEvery: 4)
        var replay = ReplayOptions()
        replay.bootstrapResamples = 50
        let document = try Planner(pricer: Pricer(catalog: sharedCatalog), constraints: PlanConstraints(), options: replay,
                                   space: PlanSpace(options: [PlannerTests.exact, PlannerTests.server])).run(store: store.0, databasePath: store.1).0
        let text = PlanRenderer.table(document)
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 120 })
        #expect(text.contains("Self-hosting does not pay here"))
        let file = try ScenarioLoader.parse(text: document.recommended.scenarioYAML, path: "plan.yaml", catalog: sharedCatalog)
        #expect(file.plans.map(\.label) == ["recommended"])
    }
}
