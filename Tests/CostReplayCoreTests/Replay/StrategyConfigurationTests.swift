@testable import CostReplayCore
import Testing
import TestSupport

/// Typed configurations: every strategy reads its parameters once, into typed values, and a missing or mistyped value is
/// an error naming the parameter, never a silent 0, "" or false.
@Suite struct StrategyConfigurationTests {
    static var context: ValidationContext { ValidationContext(catalog: sharedCatalog) }

    static func defaults(_ type: any ReplayStrategy.Type) -> [String: ParameterValue] {
        Dictionary(uniqueKeysWithValues: type.parameters.compactMap { spec in spec.defaultValue.map { (spec.name, $0) } })
    }

    @Test func everyStrategyConfiguresFromItsDefaults() throws {
        for type in StrategyRegistry.all {
            let step = try ScenarioPlan.Step(type: type, parameters: Parameters(Self.defaults(type)), context: Self.context)
            #expect(step.strategy == type.name)
            // The box holds the strategy's own configuration type, and builds the strategy from it.
            #expect(ObjectIdentifier(Swift.type(of: step.configured.make(StrategyContext(pricer: Pricer(catalog: sharedCatalog), seed: 1)))) == ObjectIdentifier(type))
        }
    }

    /// Every name a scenario file may give a choice parameter is a case of the strategy's enum: the spec's list and the
    /// cases cannot drift apart, and no accepted value falls back to a default.
    @Test func everyAcceptedChoiceConfigures() throws {
        var checked = 0
        for type in StrategyRegistry.all {
            for spec in type.parameters {
                guard case .choice(let allowed) = spec.kind else { continue }
                for value in allowed {
                    var values = Self.defaults(type)
                    values[spec.name] = .text(value)
                    _ = try ScenarioPlan.Step(type: type, parameters: Parameters(values), context: Self.context)
                    checked += 1
                }
                // A name outside the list is refused by the configuration too, not only by the file's checks.
                var values = Self.defaults(type)
                values[spec.name] = .text("no-such-choice")
                #expect(throws: ParameterProblem.self, "\(type.name).\(spec.name)") {
                    try ScenarioPlan.Step(type: type, parameters: Parameters(values), context: Self.context)
                }
            }
        }
        #expect(checked >= 20)
    }

    @Test func aMissingOrMistypedValueIsAnErrorNamingIt() {
        var values = Self.defaults(ExactCache.self)
        values["ttl"] = nil
        #expect(throws: ParameterProblem("ttl", "has no value (expected a number)")) {
            try ExactCache.configure(Parameters(values), context: Self.context)
        }
        values = Self.defaults(ExactCache.self)
        values["capacity"] = .text("ten")
        #expect(throws: ParameterProblem("capacity", "expected a number, found 'ten'")) {
            try ExactCache.configure(Parameters(values), context: Self.context)
        }
        values = Self.defaults(Cascade.self)
        values["tags"] = .flag(true)
        #expect(throws: ParameterProblem("tags", "expected a list, found 'true'")) {
            try Cascade.configure(Parameters(values), context: Self.context)
        }
        values = Self.defaults(Truncate.self)
        values["keep_turns"] = .number(2.5)
        #expect(throws: ParameterProblem("keep_turns", "expected a whole number, found 2.5")) {
            try Truncate.configure(Parameters(values), context: Self.context)
        }
    }

    /// Rules, priors, hours and verbosity factors are parsed once, by the same code that checks them: before, the
    /// strategy parsed them again and fell back to none (or to 1 for a factor written with spaces) on a failure.
    @Test func parsedValuesAreTheCheckedOnes() throws {
        var values = Self.defaults(ModelRouter.self)
        values["tiers"] = .table(["small": "gpt-4o-mini", "large": "gpt-4o"])
        values["rules"] = .rules([["tag": "easy", "tier": "small"], ["min_prompt_tokens": "2000", "tier": "large"]])
        values["verbosity"] = .table(["gpt-4o-mini": " 2 "])
        values["quality_priors"] = .rules([["tier": "small", "alpha": "8", "beta": "2"]])
        let router = try ModelRouter.configure(Parameters(values), context: Self.context)
        #expect(router.rules.map(\.tier) == ["small", "large"])
        #expect(router.rules[1].minTokens == 2000)
        #expect(router.verbosity == ["gpt-4o-mini": 2])
        #expect(router.priors.map(\.alpha) == [8])

        var batch = Self.defaults(BatchOffload.self)
        batch["hours"] = .text("0-6,20-24")
        #expect(try BatchOffload.configure(Parameters(batch), context: Self.context).hours == [0...5, 20...23])
        batch["hours"] = .text("6-0")
        #expect(throws: ParameterProblem.self) { try BatchOffload.configure(Parameters(batch), context: Self.context) }
    }

    @Test func aStepWithOneParameterReplacedIsConfiguredAgain() throws {
        var values = Self.defaults(LocalGPU.self)
        values["servers"] = .text("auto")
        let auto = try ScenarioPlan.Step(type: LocalGPU.self, parameters: Parameters(values), context: Self.context)
        guard case .auto = (auto.configured as? Configured<LocalGPU>)?.configuration.servers else {
            Issue.record("servers: auto was not configured as auto")
            return
        }
        let chosen = try auto.setting("servers", to: .number(3), context: Self.context)
        #expect(chosen.parameters.values["servers"] == .number(3))
        guard case .count(3) = (chosen.configured as? Configured<LocalGPU>)?.configuration.servers else {
            Issue.record("servers: 3 was not configured as 3 servers")
            return
        }
    }

    /// Sweep points that differ only in capacity share one recency stack; the grouping reads typed configurations, so
    /// normalisation lists that name the same steps in another order are one signature.
    @Test func capacitySweepsGroupByConfigurationWithoutCapacity() throws {
        func configuration(_ capacity: Int, normalise: [String], ttl: Double = 300) throws -> ExactCache.Configuration {
            var values = Self.defaults(ExactCache.self)
            values["capacity"] = .number(Double(capacity))
            values["normalise"] = .list(normalise)
            values["ttl"] = .number(ttl)
            return try ExactCache.configure(Parameters(values), context: Self.context)
        }
        let roots = [try configuration(10, normalise: ["whitespace", "case"]), try configuration(20, normalise: ["case", "whitespace"]),
                     try configuration(30, normalise: ["case"]), try configuration(40, normalise: ["whitespace", "case"], ttl: 60)]
        let shared = ExactCache.capacitySweeps(roots)
        // Normalisation order does not matter; the TTL may differ (each member keeps its own), other settings may not.
        #expect(shared.keys.sorted() == [0, 1, 3])
        #expect(shared[0].map { ObjectIdentifier($0.sweep) } == shared[1].map { ObjectIdentifier($0.sweep) })
        #expect(shared[0].map { ObjectIdentifier($0.sweep) } == shared[3].map { ObjectIdentifier($0.sweep) })
        #expect(shared[0]?.member == 0 && shared[1]?.member == 1 && shared[3]?.member == 2)
    }
}
