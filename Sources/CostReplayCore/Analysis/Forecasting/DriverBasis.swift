/// What the drivers need from the trace: the recent window's cost by feature tag and by migrated model,
/// and what the same requests would cost at prices the catalog schedules after the trace ends.
public struct DriverBasis: Sendable, Equatable {
    /// One tag's recent traffic; `drivenCost` counts each request once, under the first driven tag it carries.
    public struct Tag: Sendable, Equatable {
        public var cost: Double
        public var requests: Double
        public var users: Double
        public var drivenCost: Double

        public init(cost: Double, requests: Double, users: Double = 0, drivenCost: Double) {
            (self.cost, self.requests, self.users, self.drivenCost) = (cost, requests, users, drivenCost)
        }
    }

    /// Days in the recent window (the last 28 of the trace, or all of a shorter one).
    public var days: Double
    public var cost: Double
    public var tags: [String: Tag]
    /// Per migration (file order): the recent cost of the `from` model's requests, and at the `to` model's prices.
    public var migrations: [(from: Double, to: Double)]
    /// Scheduled catalog prices: from `day` on, the window's requests cost `factor` times as much.
    public var catalogPrices: [(day: Int64, factor: Double)]

    public init(days: Double, cost: Double, tags: [String: Tag], migrations: [(from: Double, to: Double)] = [],
                catalogPrices: [(day: Int64, factor: Double)] = []) {
        (self.days, self.cost, self.tags, self.migrations, self.catalogPrices) = (days, cost, tags, migrations, catalogPrices)
    }

    public static func == (a: DriverBasis, b: DriverBasis) -> Bool {
        a.days == b.days && a.cost == b.cost && a.tags == b.tags && a.migrations.elementsEqual(b.migrations, by: ==)
            && a.catalogPrices.elementsEqual(b.catalogPrices, by: ==)
    }

    public static let windowDays: Int64 = 28

    /// Reads the last ``windowDays`` days up to `lastDay` from the store and prices them with `pricer`;
    /// catalog price dates are looked for up to `horizonEnd` (a day).
    public static func from(store: TraceStore, pricer: Pricer, lastDay: Int64, horizonEnd: Int64, drivers: ForecastDrivers) throws -> DriverBasis {
        let firstDay = lastDay - windowDays + 1
        let window = TraceStore.TimeWindow(from: firstDay * 86_400_000_000, to: (lastDay + 1) * 86_400_000_000)
        let driven = drivers.features.map(\.tag)
        let referenced = Set(driven + drivers.launches.compactMap(\.like))
        var rows: [(input: PricingInput, cost: Double)] = []
        var tags: [String: Tag] = [:]
        var users: [String: Set<String>] = [:]
        var migrations = [(from: Double, to: Double)](repeating: (0, 0), count: drivers.migrations.count)
        var seenDays = Set<Int64>()
        try store.forEachPricingRow(in: window, ordered: true) { row in
            guard row.kind == .llm, let start = row.pricingInput.startMicros, let cost = pricer.cost(row.pricingInput)?.dollars else { return }
            seenDays.insert(Timestamp.floorDiv(start, 86_400_000_000))
            rows.append((row.pricingInput, cost))
            let first = driven.first { row.tags.contains($0) }
            for tag in referenced where row.tags.contains(tag) {
                tags[tag, default: Tag(cost: 0, requests: 0, drivenCost: 0)].cost += cost
                tags[tag]!.requests += 1
                if tag == first { tags[tag]!.drivenCost += cost }
                if let user = row.userID { users[tag, default: []].insert(user) }
            }
            for (index, migration) in drivers.migrations.enumerated() where row.pricingInput.model?.lowercased() == migration.from.lowercased() {
                var moved = row.pricingInput
                moved.model = migration.to
                guard let to = pricer.cost(moved)?.dollars else {
                    throw ScenarioError(file: drivers.path, line: migration.line, key: "to", "the price catalog has no price for migration target \(migration.to)")
                }
                migrations[index].from += cost
                migrations[index].to += to
            }
        }
        for (tag, set) in users { tags[tag]?.users = Double(set.count) }
        let total = rows.reduce(0) { $0 + $1.cost }
        var catalogPrices: [(day: Int64, factor: Double)] = []
        if drivers.catalogPrices && total > 0 {
            for day in scheduledDays(rows.map(\.input), pricer: pricer, after: lastDay, through: horizonEnd) {
                let shifted = rows.reduce(0.0) { sum, row in
                    var input = row.input
                    let start = input.startMicros ?? 0
                    input.startMicros = start + (day - Timestamp.floorDiv(start, 86_400_000_000)) * 86_400_000_000
                    return sum + (pricer.cost(input)?.dollars ?? row.cost)
                }
                catalogPrices.append((day, shifted / total))
            }
        }
        return DriverBasis(days: Double(max(seenDays.count, 1)), cost: total, tags: tags, migrations: migrations, catalogPrices: catalogPrices)
    }

    /// Days after `after` (through `through`) on which a price the window's models use starts.
    static func scheduledDays(_ inputs: [PricingInput], pricer: Pricer, after: Int64, through: Int64) -> [Int64] {
        var models: Set<String> = []
        var days: Set<Int64> = []
        for input in inputs {
            guard let model = input.model, models.insert((input.provider ?? "") + "|" + model).inserted,
                  let pricing = pricer.catalog.resolve(model: model, provider: input.provider).pricing else { continue }
            for period in pricing.periods {
                guard case .from(let start) = period.constraint else { continue }
                let day = Timestamp.floorDiv(start + 86_400_000_000 - 1, 86_400_000_000)
                if day > after && day <= through { days.insert(day) }
            }
        }
        return days.sorted()
    }
}
