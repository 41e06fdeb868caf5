/// The report's first section when a plan was searched: what to do, what it saves, the risk, then
/// the claims check and the frontier; the replay evidence follows.
extension HTMLReport {
    static func recommendation(_ plan: PlanDocument) -> String {
        let e = HTML.escape, p = Planner.percent, d = Planner.dollars
        let r = plan.recommended
        var out = "<section class=\"plan\"><h2>Recommended plan</h2><ol class=\"todo\">"
        out += r.steps.map { "<li>\(e($0.label))</li>" }.joined() + "</ol>"
        var saving = "<p class=\"headline\">Saves <strong>\(e(d(r.monthlySavings))) a month</strong>, "
            + "<strong>\(e(d(r.annualSavings))) a year</strong>: \(e(p(r.savingsShare))) of the bill"
        if let share = r.shareInterval, share.count == 2 { saving += " (95% interval \(e(p(share[0]))) to \(e(p(share[1]))))" }
        out += saving + ".</p>"
        out += "<p>Risk: up to \(e(p(r.risk.qualityUpper))) of responses worse than recorded (bound \(e(p(plan.constraints.maxQualityRisk)))); "
            + "\(e(Planner.number(r.risk.slaMissesPerMonth))) expected batch deadline misses a month (bound "
            + "\(e(Planner.number(plan.constraints.maxSLAMissesPerMonth))))"
            + (r.risk.falseHitUpper.map { "; semantic false hits up to \(e(p($0))) of hits (bound \(e(p(plan.constraints.maxFalseHitRate))))" } ?? "")
            + ", each at \(e(p(plan.constraints.confidence))) confidence. Measured on \(MoneyFormat.count(plan.profile.requests)) calls "
            + "over \(e(Planner.number(plan.profile.days))) days costing \(e(d(plan.profile.spend))).</p>"
        if let hosting = plan.selfHosting { out += "<p>\(e(hosting.sentence))</p>" }
        out += "<h3>Each lever's part</h3>" + HTML.table(
            ["lever, in order", "saving", "a month", "share of bill", "eligible spend", "share of eligible spend"],
            r.contributions.map { [$0.label, d($0.savings.dollars), d($0.monthlySavings), p($0.shareOfBill), d($0.eligibleSpend), p($0.shareOfEligible)] },
            numeric: [1, 2, 3, 4, 5])
        for note in r.contributions.compactMap(\.note) + [Planner.marginalSentence(r.contributions)].compactMap({ $0 }) {
            out += "<p class=\"muted\">\(e(note)).</p>"
        }
        out += "<h3>The claims, checked on this traffic</h3>" + HTML.table(
            ["lever", "often quoted", "this traffic (share of bill)", "95% interval", "share of eligible spend", "verdict", "why"],
            plan.claims.map { row in
                [row.lever, row.claim, row.shareOfBill.map(p) ?? "n/a",
                 row.billInterval.map { $0.count == 2 ? "\(p($0[0]))–\(p($0[1]))" : "" } ?? "",
                 row.shareOfEligible.map(p) ?? "n/a", row.verdict, row.reason]
            }, numeric: [2, 3, 4])
        out += "<h3>Cost against quality risk</h3><p class=\"muted\">Every combination replayed over the first "
            + "\(e(Planner.number(plan.searchDays))) days (the search window); ★ marks the frontier (no other plan "
            + "is both cheaper and less risky), ✗ a plan outside the bounds, never recommended.</p>" + HTML.table(
            ["", "plan", "cost", "saving", "quality risk up to"],
            plan.candidates.sorted { $0.cost < $1.cost }.map { c in
                [(c.onFrontier ? "★" : "") + (c.feasible ? "" : "✗"), c.label, d(c.cost.dollars), p(c.savingsShare), p(c.risk.qualityUpper)]
            }, numeric: [2, 3, 4])
        return out + "</section>"
    }
}
