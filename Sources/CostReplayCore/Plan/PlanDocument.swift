import Foundation

/// The versioned result of `costreplay plan`: what the console, JSON and HTML renderers read.
public struct PlanDocument: Sendable, Codable, Equatable {
    public static let currentVersion = "costreplay.plan/1"
    public var version = PlanDocument.currentVersion
    public var profile: TraceProfile
    public var constraints: PlanConstraints
    /// Each lever option replayed alone.
    public var options: [OptionEvaluation]
    /// Days the search replayed (the first two weeks of a longer trace); the recommended plan is replayed on all of it.
    public var searchDays: Double
    /// Every combination replayed over the search days, feasible or not; `onFrontier` marks cost-versus-risk optima.
    public var candidates: [CandidatePlan]
    public var recommended: Recommendation
    public var selfHosting: SelfHostingVerdict?
    public var claims: [ClaimRow]
    public var catalog: CatalogInfo?
}

/// One lever option alone against the baseline.
public struct OptionEvaluation: Sendable, Codable, Equatable {
    public var option: LeverOption
    public var savings: Money
    public var savingsShare: Double
    /// Fixed costs the option adds (self-hosted servers), included in its saving.
    public var fixedCost: Money
    /// Calls served locally and spilled back to the API (self-hosting only).
    public var served: [String: Double]
    public var risk: Risk
    public var feasible: Bool
    /// Why it is infeasible, or what bounds it (one line each).
    public var notes: [String]
}

/// The risks of a lever or plan, each against its constraint.
public struct Risk: Sendable, Codable, Equatable {
    /// Expected share of all responses worse than as recorded, and its one-sided upper bound.
    public var quality = 0.0
    public var qualityUpper = 0.0
    public var slaMissesPerMonth = 0.0
    /// One-sided upper bound of a semantic cache's likely-false-hit rate among its hits.
    public var falseHitUpper: Double?

    static func + (a: Risk, b: Risk) -> Risk {
        Risk(quality: a.quality + b.quality, qualityUpper: a.qualityUpper + b.qualityUpper,
             slaMissesPerMonth: a.slaMissesPerMonth + b.slaMissesPerMonth,
             falseHitUpper: [a.falseHitUpper, b.falseHitUpper].compactMap { $0 }.max())
    }
}

/// A combination of lever options replayed together.
public struct CandidatePlan: Sendable, Codable, Equatable {
    public var label: String
    public var steps: [String]
    public var cost: Money
    public var savings: Money
    public var savingsShare: Double
    public var risk: Risk
    public var feasible: Bool
    public var onFrontier = false
}

/// The cheapest feasible plan, with its evidence.
public struct Recommendation: Sendable, Codable, Equatable {
    public var steps: [LeverOption]
    public var baselineCost: Money
    public var cost: Money
    public var savings: Money
    public var savingsShare: Double
    /// 95% day-bootstrap intervals of the saving (USD) and its share, when the trace spans two days or more.
    public var savingsInterval: [Double]?
    public var shareInterval: [Double]?
    public var monthlySavings: Double
    public var annualSavings: Double
    public var risk: Risk
    public var contributions: [Contribution]
    /// The scenario file written for `simulate`.
    public var scenarioYAML: String
}

/// One lever's part of the recommended plan's saving (waterfall order).
public struct Contribution: Sendable, Codable, Equatable {
    public var label: String
    public var lever: String
    public var savings: Money
    public var shareOfBill: Double
    /// Spend the lever can act on, and the saving as a share of it.
    public var eligibleSpend: Double
    public var shareOfEligible: Double
    /// The saving a month (the trace's months), as the recommendation states the plan's.
    public var monthlySavings: Double
    /// Why a lever in the plan shows a loss in the waterfall (it is kept for what comes after it).
    public var note: String?
}

/// Whether self-hosting pays on this traffic, and at what volume it would.
public struct SelfHostingVerdict: Sendable, Codable, Equatable {
    public var option: String
    public var included: Bool
    public var monthlyFixedCost: Double
    public var monthlyAPISpendReplaced: Double
    /// Volume of the moved traffic, as a multiple of today's, at which the servers pay for themselves.
    public var breakEvenMultiple: Double?
    public var sentence: String
}

/// One line of the claims check: a quoted range beside what this trace gives.
public struct ClaimRow: Sendable, Codable, Equatable {
    public var lever: String
    public var claim: String
    public var claimLow: Double
    public var claimHigh: Double
    /// "bill" when the claim is a share of the whole bill, "eligible" when of the spend the lever can act on.
    public var basis: String
    public var shareOfBill: Double?
    public var billInterval: [Double]?
    public var eligibleShareOfBill: Double?
    public var shareOfEligible: Double?
    public var verdict: String
    public var reason: String
}

/// Plan documents as files.
public enum PlanFile {
    public static func encode(_ plan: PlanDocument) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(plan)
    }
}
