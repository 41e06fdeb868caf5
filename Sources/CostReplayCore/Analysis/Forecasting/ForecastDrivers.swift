import Yams

/// A drivers file: what the business plans, which the history cannot know (docs/forecast.md, "Drivers").
///
/// Monthly requests or users per feature tag, launches, model migrations and scheduled price changes.
/// Dates are UTC days; a month's figure holds until the next month listed.
public struct ForecastDrivers: Sendable, Equatable {
    /// Planned monthly volume of one feature (requests carrying `tag`).
    public struct Feature: Sendable, Equatable {
        public var tag: String
        /// Requests a month, by month `YYYY-MM`; or users a month, turned into requests by `requestsPerUser`
        /// (given, or the trace's requests per distinct user of the tag).
        public var requests: [String: Double] = [:]
        public var users: [String: Double] = [:]
        public var requestsPerUser: Double?
        /// The line of the file that gave it (0 when built in code).
        public var line = 0

        public init(tag: String, requests: [String: Double] = [:], users: [String: Double] = [:], requestsPerUser: Double? = nil) {
            (self.tag, self.requests, self.users, self.requestsPerUser) = (tag, requests, users, requestsPerUser)
        }
    }

    /// A new feature from `day` on, costing `costPerRequest` dollars, or what requests tagged `like` cost lately.
    public struct Launch: Sendable, Equatable {
        public var name: String
        public var day: Int64
        public var requestsPerMonth: Double
        public var costPerRequest: Double?
        public var like: String?
        public var line = 0

        public init(name: String, day: Int64, requestsPerMonth: Double, costPerRequest: Double? = nil, like: String? = nil) {
            (self.name, self.day, self.requestsPerMonth, self.costPerRequest, self.like) = (name, day, requestsPerMonth, costPerRequest, like)
        }
    }

    /// From `day` on, `share` of the requests on model `from` run on model `to` (same tokens, `to`'s prices).
    public struct Migration: Sendable, Equatable {
        public var day: Int64
        public var from: String
        public var to: String
        public var share: Double
        public var line = 0

        public init(day: Int64, from: String, to: String, share: Double = 1) {
            (self.day, self.from, self.to, self.share) = (day, from, to, share)
        }
    }

    /// Per-request costs multiplied by (1 + change) from `day` on.
    public struct PriceChange: Sendable, Equatable {
        public var day: Int64
        public var change: Double

        public init(day: Int64, change: Double) { (self.day, self.change) = (day, change) }
    }

    public var features: [Feature] = []
    public var launches: [Launch] = []
    public var migrations: [Migration] = []
    public var priceChanges: [PriceChange] = []
    /// Whether prices the catalog schedules after the trace (`effective_from`) apply; on by default.
    public var catalogPrices = true
    /// The file the drivers came from, for errors found later against the trace.
    public var path = "drivers"

    public init() {}

    /// Bounds that keep every figure within what money arithmetic represents exactly: a trillion requests or
    /// users a month, a million requests a user, $10,000 a request, prices at most 100× (change ≤ 99).
    public static let maximumMonthlyVolume = 1e12
    public static let maximumRequestsPerUser = 1e6
    public static let maximumCostPerRequest = 1e4
    public static let maximumPriceChange = 99.0
    /// The largest daily cost a forecast works with ($1e12 a day), in a series or from drivers.
    public static let maximumDailyCost = 1e12
}

extension ForecastDrivers {
    public static let maximumFileSize = 1 << 20

    /// Reads and checks a drivers file; every problem names the file, line and key.
    public static func load(path: String) throws(ScenarioError) -> ForecastDrivers {
        let text: String
        do { text = try BoundedFile.text(path: path, limit: maximumFileSize, what: "drivers file") } catch {
            throw ScenarioError(file: path, line: 0, error.reason)
        }
        return try parse(text: text, path: path)
    }

    public static func parse(text: String, path: String) throws(ScenarioError) -> ForecastDrivers {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { throw ScenarioError(file: path, line: 1, "the file is empty") }
            root = node
        } catch let error as ScenarioError {
            throw error
        } catch let error as YamlError {
            throw ScenarioError(file: path, line: ScenarioLoader.yamlLine(error), "invalid YAML: \(ScenarioLoader.yamlMessage(error))")
        } catch {
            throw ScenarioError(file: path, line: 1, "invalid YAML: \(error)")
        }
        let reader = DriverReader(path: path)
        let top = try reader.mapping(root, keys: ["version", "features", "launches", "migrations", "price_changes"], what: "the drivers file")
        if let version = top["version"], version.string != "1" {
            throw ScenarioError(file: path, line: ScenarioLoader.line(version), key: "version", "this CostReplay reads drivers files of version 1")
        }
        var drivers = ForecastDrivers()
        drivers.path = path
        for node in try reader.list(top["features"]) {
            let m = try reader.mapping(node, keys: ["tag", "requests", "users", "requests_per_user"], what: "a feature")
            var feature = Feature(tag: try reader.text(m["tag"], key: "tag", in: node),
                                  requests: try reader.months(m["requests"], key: "requests", max: maximumMonthlyVolume),
                                  users: try reader.months(m["users"], key: "users", max: maximumMonthlyVolume),
                                  requestsPerUser: try m["requests_per_user"].map { n throws(ScenarioError) in
                                      try reader.number(n, key: "requests_per_user", max: maximumRequestsPerUser)
                                  })
            feature.line = ScenarioLoader.line(node)
            guard feature.requests.isEmpty != feature.users.isEmpty else {
                throw ScenarioError(file: path, line: ScenarioLoader.line(node), key: feature.tag, "a feature gives either requests or users by month")
            }
            guard !drivers.features.contains(where: { $0.tag == feature.tag }) else {
                throw ScenarioError(file: path, line: feature.line, key: "tag", "\(feature.tag) is planned twice; give each feature once")
            }
            drivers.features.append(feature)
        }
        for node in try reader.list(top["launches"]) {
            let m = try reader.mapping(node, keys: ["name", "date", "requests_per_month", "cost_per_request", "like"], what: "a launch")
            var launch = Launch(name: try reader.text(m["name"], key: "name", in: node), day: try reader.day(m["date"], key: "date", in: node),
                                requestsPerMonth: try reader.number(m["requests_per_month"], key: "requests_per_month", in: node,
                                                                    max: maximumMonthlyVolume),
                                costPerRequest: try m["cost_per_request"].map { n throws(ScenarioError) in
                                    try reader.number(n, key: "cost_per_request", max: maximumCostPerRequest)
                                },
                                like: m["like"]?.string)
            launch.line = ScenarioLoader.line(node)
            guard (launch.costPerRequest == nil) != (launch.like == nil) else {
                throw ScenarioError(file: path, line: ScenarioLoader.line(node), key: launch.name, "a launch gives either cost_per_request or like (a feature tag)")
            }
            drivers.launches.append(launch)
        }
        for node in try reader.list(top["migrations"]) {
            let m = try reader.mapping(node, keys: ["date", "from", "to", "share"], what: "a migration")
            let share = try m["share"].map { n throws(ScenarioError) in try reader.number(n, key: "share", max: 1) } ?? 1
            var migration = Migration(day: try reader.day(m["date"], key: "date", in: node), from: try reader.text(m["from"], key: "from", in: node),
                                      to: try reader.text(m["to"], key: "to", in: node), share: share)
            migration.line = ScenarioLoader.line(node)
            // Migrations add up from their dates: together they move at most all of a model's requests.
            let moved = drivers.migrations.filter { $0.from.lowercased() == migration.from.lowercased() }.map(\.share).reduce(share, +)
            guard moved <= 1 + 1e-12 else {
                throw ScenarioError(file: path, line: migration.line, key: "share",
                                    "the migrations from \(migration.from) move \(MoneyFormat.fixed(moved * 100, decimals: 0))% of its requests; together they move at most 100%")
            }
            drivers.migrations.append(migration)
        }
        if let node = top["price_changes"] {
            let m = try reader.mapping(node, keys: ["catalog", "scheduled"], what: "price_changes")
            if let flag = m["catalog"] {
                guard let value = flag.bool else { throw ScenarioError(file: path, line: ScenarioLoader.line(flag), key: "catalog", "expected true or false") }
                drivers.catalogPrices = value
            }
            for item in try reader.list(m["scheduled"]) {
                let c = try reader.mapping(item, keys: ["date", "change"], what: "a scheduled price change")
                let change = try reader.number(c["change"], key: "change", in: item, positive: false, max: maximumPriceChange)
                guard change > -1 else { throw ScenarioError(file: path, line: ScenarioLoader.line(item), key: "change", "a price change is above -1 (-0.2 is 20% cheaper)") }
                drivers.priceChanges.append(PriceChange(day: try reader.day(c["date"], key: "date", in: item), change: change))
            }
        }
        return drivers
    }
}

/// Typed reads of drivers-file nodes, each failure a ``ScenarioError`` at the node's line.
struct DriverReader {
    let path: String

    func fail(_ node: Node?, _ key: String?, _ message: String) -> ScenarioError {
        ScenarioError(file: path, line: node.map(ScenarioLoader.line) ?? 0, key: key, message)
    }

    func mapping(_ node: Node, keys: [String], what: String) throws(ScenarioError) -> [String: Node] {
        guard let mapping = node.mapping else { throw fail(node, nil, "\(what) must be a mapping") }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string, keys.contains(name) else {
                throw fail(key, key.string, "unknown key in \(what); expected \(keys.joined(separator: ", "))")
            }
            result[name] = value
        }
        return result
    }

    func list(_ node: Node?) throws(ScenarioError) -> [Node] {
        guard let node else { return [] }
        guard let items = node.sequence else { throw fail(node, nil, "expected a list") }
        return Array(items)
    }

    func text(_ node: Node?, key: String, in parent: Node) throws(ScenarioError) -> String {
        guard let value = node?.string, !value.isEmpty else { throw fail(node ?? parent, key, "'\(key)' is required") }
        return value
    }

    func number(_ node: Node?, key: String, in parent: Node? = nil, positive: Bool = true, max: Double) throws(ScenarioError) -> Double {
        guard let node else { throw fail(parent, key, "'\(key)' is required") }
        guard let value = node.string.flatMap(Double.init), value.isFinite, !positive || value >= 0, value <= max else {
            let most = MoneyFormat.grouped(MoneyFormat.fixed(max, decimals: max < 1000 ? 2 : 0))
            throw fail(node, key, positive ? "expected a number from 0 to \(most)" : "expected a number up to \(most)")
        }
        return value
    }

    func day(_ node: Node?, key: String, in parent: Node) throws(ScenarioError) -> Int64 {
        guard let text = node?.string, let day = Self.parseDay(text) else { throw fail(node ?? parent, key, "expected a date YYYY-MM-DD") }
        return day
    }

    /// `{YYYY-MM: number}` → month label → value.
    func months(_ node: Node?, key: String, max: Double) throws(ScenarioError) -> [String: Double] {
        guard let node else { return [:] }
        guard let mapping = node.mapping else { throw fail(node, key, "expected months as YYYY-MM: number") }
        var result: [String: Double] = [:]
        for (month, value) in mapping {
            guard let label = month.string, Self.parseDay(label + "-01") != nil else { throw fail(month, key, "expected a month YYYY-MM") }
            result[label] = try number(value, key: key, max: max)
        }
        return result
    }

    /// Days since the epoch of a `YYYY-MM-DD` date, or nil.
    static func parseDay(_ text: String) -> Int64? {
        let parts = text.split(separator: "-")
        guard text.count == 10, parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= Timestamp.daysIn(month: m, year: y) else { return nil }
        return Timestamp.daysFromCivil(year: y, month: m, day: d)
    }
}

extension ForecastDrivers {
    /// Days since the epoch of a `YYYY-MM-DD` date, or nil.
    public static func parseDay(_ text: String) -> Int64? { DriverReader.parseDay(text) }
}
