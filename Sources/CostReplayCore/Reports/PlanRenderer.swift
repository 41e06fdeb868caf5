/// The console view of a plan document: the recommendation, each lever's part, self-hosting, the
/// claims check and the frontier, each table within 120 columns (full detail: `--format json`).
public enum PlanRenderer {
    public static func table(_ plan: PlanDocument) -> String {
        let r = plan.recommended
        let p = Planner.percent, d = Planner.dollars
        var out = "Recommended plan: " + r.steps.map(\.label).joined(separator: "; ") + ".\n"
        out += "Saves \(d(r.monthlySavings)) a month, \(d(r.annualSavings)) a year: \(p(r.savingsShare)) of the bill"
        if let share = r.shareInterval, share.count == 2 { out += " [95% interval \(p(share[0])) to \(p(share[1]))]" }
        out += ".\nRisk: up to \(p(r.risk.qualityUpper)) of responses worse than recorded (bound \(p(plan.constraints.maxQualityRisk))), "
            + "\(Planner.number(r.risk.slaMissesPerMonth)) expected deadline misses a month (bound \(Planner.number(plan.constraints.maxSLAMissesPerMonth)))"
            + (r.risk.falseHitUpper.map { ", semantic false hits up to \(p($0)) of hits (bound \(p(plan.constraints.maxFalseHitRate)))" } ?? "")
            + ", at \(p(plan.constraints.confidence)) confidence.\n"
        out = wrap(out) + "\n"
        out += TextTable.render(
            header: ["lever (in order)", "saving", "a month", "share of bill", "eligible spend", "share of eligible"],
            rows: r.contributions.map {
                [clip($0.label, 44), d($0.savings.dollars), d($0.monthlySavings), p($0.shareOfBill), d($0.eligibleSpend), p($0.shareOfEligible)]
            } + [["total", d(r.savings.dollars), d(r.monthlySavings), p(r.savingsShare), d(r.baselineCost.dollars), p(r.savingsShare)]],
            separatorBeforeLast: true)
        for note in r.contributions.compactMap(\.note) { out += wrap("Note: " + note + ".\n") }
        if let marginal = Planner.marginalSentence(r.contributions) { out += wrap(marginal + ".\n") }
        if let hosting = plan.selfHosting { out += "\n" + wrap(hosting.sentence + "\n") }
        out += "\nClaims check (what this traffic gives against what is often quoted):\n"
        out += TextTable.render(
            header: ["lever", "claim", "this trace", "95% interval", "of eligible", "verdict"],
            rows: plan.claims.map { row in
                [row.lever, row.claim, row.shareOfBill.map(p) ?? "n/a",
                 row.billInterval.map { $0.count == 2 ? "\(p($0[0]))–\(p($0[1]))" : "" } ?? "", row.shareOfEligible.map(p) ?? "n/a", row.verdict]
            })
        for row in plan.claims { out += clip("  \(row.lever): \(row.reason)", 120) + "\n" }
        out += "\nCost against quality risk over the \(Planner.number(plan.searchDays)) days searched (frontier *, outside the bounds ✗):\n"
        out += TextTable.render(
            header: ["", "plan", "cost", "saving", "quality risk ≤"],
            rows: plan.candidates.sorted { $0.cost < $1.cost }.prefix(12).map { candidate in
                [(candidate.onFrontier ? "*" : " ") + (candidate.feasible ? " " : "✗"), clip(candidate.label, 62), d(candidate.cost.dollars),
                 p(candidate.savingsShare), p(candidate.risk.qualityUpper)]
            })
        out += CatalogInfo.footer(plan.catalog)
        return out
    }

    /// Wraps prose at word boundaries so that no line passes `width` columns.
    static func wrap(_ text: String, width: Int = TextTable.maxWidth) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            TextTable.wrap(String(line), width: width).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    static func clip(_ text: String, _ width: Int) -> String { text.count <= width ? text : String(text.prefix(width - 1)) + "…" }
}
