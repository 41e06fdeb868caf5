/// The often-quoted savings claims beside what this trace gives, lever by lever.
///
/// Claims (as commonly quoted by vendors and blog posts): caching saves 30–50% of the bill,
/// routing 40–60%, batch APIs 50% of eligible traffic, and all together 70–80%.
public enum ClaimsCheck {
    struct Claim {
        var lever: String
        var claim: String
        var low: Double
        var high: Double
        var basis: String
        var scenario: String
    }

    static let claims = [
        Claim(lever: "caching", claim: "30–50% of the bill", low: 0.30, high: 0.50, basis: "bill", scenario: "claims: caching"),
        Claim(lever: "routing", claim: "40–60% of the bill", low: 0.40, high: 0.60, basis: "bill", scenario: "claims: routing"),
        Claim(lever: "batch", claim: "50% of eligible traffic", low: 0.50, high: 0.50, basis: "eligible", scenario: "claims: batch"),
        Claim(lever: "combined", claim: "70–80% of the bill", low: 0.70, high: 0.80, basis: "bill", scenario: "plan"),
    ]

    static func rows(result: ReplayResult, families: [String: [LeverOption]], alone: [OptionEvaluation], profile: TraceProfile) -> [ClaimRow] {
        claims.map { claim in
            guard let scenario = result.scenarios.first(where: { $0.label == claim.scenario }) else {
                return ClaimRow(lever: claim.lever, claim: claim.claim, claimLow: claim.low, claimHigh: claim.high, basis: claim.basis,
                                verdict: "n/a", reason: "the trace cannot feed this lever (\(missing(claim.lever)))")
            }
            let steps = families[claim.lever] ?? []
            let risk = steps.compactMap { step in alone.first { $0.option == step }?.risk.qualityUpper }.reduce(0, +)
            let bill = scenario.totals.baselineCost.dollars
            let tags = Set(steps.flatMap(\.eligibleTags))
            let eligible = claim.lever == "combined" || claim.lever == "caching" || tags.isEmpty
                ? profile.spend : tags.reduce(0) { $0 + profile.spendByTag[$1, default: 0] }
            let share = scenario.totals.savingsShare
            let ofEligible = eligible == 0 ? 0 : scenario.totals.savings.dollars / eligible
            let measured = claim.basis == "bill" ? share : ofEligible
            let verdict = measured < claim.low - 0.005 ? "below" : measured > claim.high + 0.005 ? "above" : "within"
            return ClaimRow(lever: claim.lever, claim: claim.claim, claimLow: claim.low, claimHigh: claim.high, basis: claim.basis,
                            shareOfBill: share, billInterval: scenario.intervals?.savingsShare,
                            eligibleShareOfBill: bill == 0 ? nil : eligible / profile.spend, shareOfEligible: ofEligible,
                            verdict: verdict, reason: reason(claim, scenario: scenario, verdict: verdict, eligible: eligible, risk: risk, profile: profile))
        }
    }

    static func missing(_ lever: String) -> String {
        switch lever {
        case "routing": return "no recorded outcomes of a cheaper model, so routing's quality cannot be measured"
        case "batch": return "no traffic tagged async"
        default: return "no usable records"
        }
    }

    static func reason(_ claim: Claim, scenario: ScenarioResult, verdict: String, eligible: Double, risk: Double, profile: TraceProfile) -> String {
        let eligibleShare = profile.spend == 0 ? 0 : eligible / profile.spend
        switch claim.lever {
        case "caching":
            let lookups = max(1, Planner.metric(scenario, ExactCache.self, .lookups) + Planner.metric(scenario, SemanticCache.self, .lookups))
            let hits = Planner.metric(scenario, ExactCache.self, .hits) + Planner.metric(scenario, SemanticCache.self, .hits)
            var text = "few repeats: \(Planner.percent(hits / lookups)) of calls hit a response cache"
            if profile.recordedCacheShare > 0.2 {
                text += "; providers already cache \(Planner.percent(profile.recordedCacheShare)) of input tokens"
            }
            return verdict == "below" ? text : "repeats and reusable prefixes are common in this traffic"
        case "routing":
            return "only \(Planner.percent(eligibleShare)) of the bill is routable with measured quality"
                + (risk > 0 ? ", at up to \(Planner.percent(risk)) of responses worse than recorded" : "")
                + (verdict == "below" ? "" : "; routing saves \(Planner.percent(eligible == 0 ? 0 : scenario.totals.savings.dollars / eligible)) of it")
        case "batch":
            return "async traffic is \(Planner.percent(eligibleShare)) of the bill; the batch discount applies to what it moves"
                + (verdict == "below" ? ", less cached-token discounts the batch rate does not stack" : "")
        default:
            return verdict == "below" ? "the levers above add up to no more than their eligible spend allows" : "as claimed"
        }
    }
}
