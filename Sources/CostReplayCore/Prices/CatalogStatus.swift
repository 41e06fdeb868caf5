import Foundation

/// What `prices status` prints: the catalog in force, its age on the given day, and where it came from.
public struct CatalogStatus: Codable, Sendable {
    public var catalog: CatalogInfo
    public var ageDays: Int?
    public var stale: Bool
    public var warning: String?
    public var pricedEntries: Int
    public var providers: Int
    /// Where `prices update` installs catalogs.
    public var installFolder: String

    public init(info: CatalogInfo, today: Int64, entries: Int, providers: Int, installFolder: String) {
        catalog = info
        ageDays = info.ageDays(today: today)
        warning = info.ageWarning(today: today)
        stale = warning != nil
        pricedEntries = entries
        self.providers = providers
        self.installFolder = installFolder
    }

    public func text() -> String {
        var out = "price catalog: \(catalog.label)\n"
        out += "in force from: \(catalog.origin)\n"
        out += "data: \(catalog.source)\n"
        if let installed = catalog.installed { out += "installed: \(installed)\n" }
        out += "age: \(ageDays.map { "\($0) days" } ?? "unknown")\(stale ? " (stale)" : "")\n"
        out += "entries: \(pricedEntries) priced models from \(providers) providers\n"
        out += "updates install into: \(installFolder)\n"
        if let warning { out += warning + "\n" }
        return out
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
