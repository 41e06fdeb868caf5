/// The drivers turned into two numbers per forecast day: a factor on the history's daily cost and a
/// cost added beside it. A scenario's daily per-request cost is `history × scale + added` before its saving.
public struct DriverEffects: Sendable, Equatable {
    public var scale: [Double]
    public var added: [Double]
    /// What was assumed, in words, for the report.
    public var assumptions: [String]

    /// No drivers: the history alone.
    public static func none(horizon: Int) -> DriverEffects {
        DriverEffects(scale: [Double](repeating: 1, count: horizon), added: [Double](repeating: 0, count: horizon), assumptions: [])
    }

    /// Effects over the `horizon` days after `lastDay`. `priceChanges` (from the command line) apply on top of the file's.
    public static func make(_ drivers: ForecastDrivers?, basis: DriverBasis?, priceChanges: [ForecastDrivers.PriceChange],
                            lastDay: Int64, horizon: Int) throws(ScenarioError) -> DriverEffects {
        var effects = none(horizon: horizon)
        let drivers = drivers ?? ForecastDrivers()
        let changes = drivers.priceChanges + priceChanges
        let days = (1...max(horizon, 1)).prefix(horizon).map { lastDay + Int64($0) }
        var share = 0.0
        var perDay = [Double](repeating: 0, count: horizon)
        if !drivers.features.isEmpty || !drivers.launches.isEmpty || !drivers.migrations.isEmpty {
            guard let basis, basis.cost > 0 else { throw ScenarioError(file: drivers.path, line: 1, "drivers need a trace with priced requests in its last 28 days") }
            for feature in drivers.features {
                let (tagShare, daily) = try featureEffect(feature, path: drivers.path, basis: basis, days: days, effects: &effects)
                share += tagShare
                for i in perDay.indices { perDay[i] += daily[i] }
            }
            for launch in drivers.launches {
                let cost = try launchCost(launch, path: drivers.path, basis: basis)
                for (i, day) in days.enumerated() where day >= launch.day { perDay[i] += launch.requestsPerMonth / monthDays(day) * cost }
                effects.assumptions.append("launch \(launch.name) from \(Timestamp.day(launch.day * 86_400_000_000)): "
                    + "\(MoneyFormat.count(Int(launch.requestsPerMonth))) requests a month at \(MoneyFormat.fixed(cost, decimals: 6)) USD each")
            }
        }
        for (i, day) in days.enumerated() {
            var factor = 1.0
            for (index, migration) in drivers.migrations.enumerated() where day >= migration.day {
                if let basis, basis.cost > 0 { factor += migration.share * (basis.migrations[index].to - basis.migrations[index].from) / basis.cost }
            }
            for change in changes where day >= change.day { factor *= 1 + change.change }
            if let catalog = basis?.catalogPrices.last(where: { $0.day <= day }) { factor *= catalog.factor }
            effects.scale[i] = (1 - share) * factor
            effects.added[i] = perDay[i] * factor
            // Volumes × prices can pass what a forecast can add up exactly: refuse rather than overflow.
            guard effects.added[i].isFinite, effects.added[i] <= ForecastDrivers.maximumDailyCost,
                  effects.scale[i].isFinite, effects.scale[i] * (basis?.cost ?? 0) / max(basis?.days ?? 1, 1) <= ForecastDrivers.maximumDailyCost else {
                throw ScenarioError(file: drivers.path, line: 1, "the drivers make \(Timestamp.day(day * 86_400_000_000)) cost more than "
                    + "$\(MoneyFormat.grouped(MoneyFormat.fixed(ForecastDrivers.maximumDailyCost, decimals: 0))) a day; check the volumes and prices")
            }
        }
        for (index, m) in drivers.migrations.enumerated() {
            let ratio = basis.map { $0.migrations[index].from > 0 ? $0.migrations[index].to / $0.migrations[index].from : 1 } ?? 1
            effects.assumptions.append("from \(Timestamp.day(m.day * 86_400_000_000)) \(MoneyFormat.fixed(m.share * 100, decimals: 0))% of \(m.from) runs on \(m.to) "
                + "(same tokens; \(MoneyFormat.fixed(ratio, decimals: 3))× the cost)")
        }
        for change in changes {
            effects.assumptions.append("prices \(change.change < 0 ? "cut" : "raised") by \(MoneyFormat.fixed(abs(change.change) * 100, decimals: 1))% "
                + "from \(Timestamp.day(change.day * 86_400_000_000)) (scheduled)")
        }
        for catalog in basis?.catalogPrices ?? [] {
            effects.assumptions.append("catalog prices from \(Timestamp.day(catalog.day * 86_400_000_000)) make the recent requests cost "
                + "\(MoneyFormat.fixed(catalog.factor, decimals: 3))× as much")
        }
        return effects
    }

    /// A driven feature's share of the recent cost (taken out of the history) and its planned daily cost.
    static func featureEffect(_ feature: ForecastDrivers.Feature, path: String, basis: DriverBasis, days: [Int64],
                              effects: inout DriverEffects) throws(ScenarioError) -> (Double, [Double]) {
        guard let tag = basis.tags[feature.tag], tag.requests > 0 else {
            throw ScenarioError(file: path, line: feature.line, key: "tag", "no priced requests carry the tag \(feature.tag) in the last 28 days of the trace")
        }
        var perRequest = 1.0
        if !feature.users.isEmpty {
            if let given = feature.requestsPerUser { perRequest = given } else {
                guard tag.users > 0 else {
                    throw ScenarioError(file: path, line: feature.line, key: "users", "the trace has no user ids for \(feature.tag); give requests_per_user or requests")
                }
                perRequest = tag.requests / tag.users
            }
        }
        let plan = feature.requests.isEmpty ? feature.users : feature.requests
        let months = plan.keys.sorted()
        let recentDaily = tag.requests / basis.days
        let cost = tag.cost / tag.requests
        let daily = days.map { day -> Double in
            let label = monthLabel(day)
            guard let month = months.last(where: { $0 <= label }) else { return recentDaily * cost }
            return plan[month]! * perRequest / monthDays(day) * cost
        }
        effects.assumptions.append("\(feature.tag): \(MoneyFormat.fixed(tag.drivenCost / basis.cost * 100, decimals: 1))% of recent cost, "
            + "projected from the plan (" + months.map { "\($0): \(MoneyFormat.count(Int(plan[$0]!))) \(feature.requests.isEmpty ? "users" : "requests")" }.joined(separator: ", ")
            + ") at \(MoneyFormat.fixed(cost, decimals: 6)) USD a request" + (feature.users.isEmpty ? "" : ", \(MoneyFormat.fixed(perRequest, decimals: 1)) requests a user")
            + "; before its first month at the recent rate")
        return (tag.drivenCost / basis.cost, daily)
    }

    static func launchCost(_ launch: ForecastDrivers.Launch, path: String, basis: DriverBasis) throws(ScenarioError) -> Double {
        if let cost = launch.costPerRequest { return cost }
        guard let like = launch.like, let tag = basis.tags[like], tag.requests > 0 else {
            throw ScenarioError(file: path, line: launch.line, key: "like", "launch \(launch.name): no priced requests carry the tag \(launch.like ?? "") to cost it like")
        }
        return tag.cost / tag.requests
    }

    static func monthLabel(_ day: Int64) -> String {
        let (y, m, _) = Timestamp.civil(fromDays: day)
        return "\(y)-" + (m < 10 ? "0" : "") + "\(m)"
    }

    static func monthDays(_ day: Int64) -> Double {
        let (y, m, _) = Timestamp.civil(fromDays: day)
        return Double(Timestamp.daysIn(month: m, year: y))
    }
}
