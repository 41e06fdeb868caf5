/// Which price catalog is in force: its data's name, version and date, and where it came from.
///
/// Every output that carries money names it, so a number can always be traced to the prices
/// behind it; ``ageWarning(today:)`` flags prices that may have gone stale.
public struct CatalogInfo: Sendable, Codable, Equatable {
    /// The data set, e.g. `genai-prices`.
    public var name: String
    /// The data's release, e.g. `0.2.3`.
    public var version: String
    /// The day the data was published, `YYYY-MM-DD`.
    public var date: String
    /// Where the catalog was loaded from: `bundled`, or the file installed by `prices update`.
    public var origin: String
    /// Where the data itself came from (package, file or URL, with its checksum).
    public var source: String
    /// When `prices update` installed it (`YYYY-MM-DD`); nil for the bundled catalog.
    public var installed: String?

    public init(name: String, version: String, date: String, origin: String, source: String, installed: String? = nil) {
        self.name = name
        self.version = version
        self.date = date
        self.origin = origin
        self.source = source
        self.installed = installed
    }

    /// Days after which a catalog is called stale: providers change prices every few weeks.
    public static let staleAfterDays = 60

    /// `genai-prices 0.2.3 (2026-11-10)`, the short form shown in footers.
    public var label: String { "\(name) \(version) (\(date))" }

    /// The line under every money table: `Prices: genai-prices 0.2.3 (2026-11-10), bundled`.
    public static func footer(_ info: CatalogInfo?) -> String {
        "Prices: " + (info.map { "\($0.label), \($0.origin)" } ?? "catalog not recorded") + "\n"
    }

    /// Whole days from the catalog's date to `today` (µs since the epoch), or nil when the date is unreadable.
    public func ageDays(today: Int64) -> Int? {
        guard let published = Timestamp.parseISO(date) else { return nil }
        return Int(Timestamp.floorDiv(today - published, 86_400_000_000))
    }

    /// A warning when the catalog is more than ``staleAfterDays`` old on `today`; the caller
    /// passes the date so replays stay free of the wall clock.
    public func ageWarning(today: Int64) -> String? {
        guard let age = ageDays(today: today), age > Self.staleAfterDays else { return nil }
        return "warning: the price catalog \(label) is \(age) days old (over \(Self.staleAfterDays)); "
            + "run `costreplay prices update` or pass --prices FILE"
    }
}
