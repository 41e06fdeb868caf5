import Foundation

/// The user's installed price catalog, in the XDG data folder (`$XDG_DATA_HOME/costreplay`, else
/// `~/.local/share/costreplay`), and which catalog is in force.
///
/// `install` writes the validated data under a content-addressed name, then switches by renaming
/// a small pointer file (`price-catalog.json`: provenance plus the data file's name and digest)
/// over the old one: a reader sees the old catalog or the new one, never half of either, and a
/// file that fails validation is never written.
public struct CatalogStore: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// `$XDG_DATA_HOME/costreplay`, else `$HOME/.local/share/costreplay` (XDG Base Directory spec).
    public static func defaultDirectory(environment: [String: String]) -> String {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/costreplay" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share/costreplay"
    }

    var pointerPath: String { directory + "/price-catalog.json" }

    /// What the pointer file records.
    struct Pointer: Codable {
        var format = "costreplay-installed-catalog/1"
        var info: CatalogInfo
        var dataFile: String
        var digest: String
    }

    /// The installed catalog when there is one, else the bundled one; the warning says why an
    /// installed catalog that cannot be read was passed over.
    public func catalogInForce() throws(PriceError) -> (PriceCatalog, warning: String?) {
        guard FileManager.default.fileExists(atPath: pointerPath) else { return (try PriceCatalog.builtIn(), nil) }
        do {
            return (try loadInstalled(), nil)
        } catch {
            return (try PriceCatalog.builtIn(), "warning: the installed price catalog (\(pointerPath)) cannot be used (\(error)); using the bundled one")
        }
    }

    func loadInstalled() throws(PriceError) -> PriceCatalog {
        let pointer: Pointer
        do { pointer = try JSONDecoder().decode(Pointer.self, from: Data(contentsOf: URL(fileURLWithPath: pointerPath))) } catch {
            throw .invalid(path: pointerPath, reason: "not a CostReplay catalog pointer")
        }
        let path = directory + "/" + pointer.dataFile
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path, reason: "missing") }
        let bytes = [UInt8](data)
        guard Self.digest(bytes) == pointer.digest else { throw .invalid(path: path, reason: "content does not match its recorded digest") }
        var catalog = try PriceCatalog.load(bytes: bytes, origin: path, installed: pointer.info.installed)
        catalog.info = pointer.info
        return catalog
    }

    /// Validates `bytes` as a catalog and makes it the one in force; on any error nothing changes.
    /// `from` is the file or URL it came from; `today` (`YYYY-MM-DD`) is recorded as the install
    /// day and stands as the data's date when the data does not carry one (a bare genai-prices feed).
    @discardableResult
    public func install(bytes: [UInt8], from: String, today: String) throws(PriceError) -> CatalogInfo {
        let parser = JSONParser()
        try withExtendedLifetime(parser) { () throws(PriceError) in
            let root: JSONValue
            do { root = try parser.parse(bytes) } catch let error as JSONSyntaxError { throw .invalid(path: from, reason: error.located(in: bytes)) } catch { throw .invalid(path: from, reason: "\(error)") }
            try PriceFileCheck.feed(root, path: from)
        }
        let catalog = try PriceCatalog.load(bytes: bytes, origin: from, installed: today)
        let digest = Self.digest(bytes)
        var info = catalog.info
        if info.version == "unversioned" { info.version = String(digest.prefix(12)) }
        info.origin = pointerPath
        info.source = "\(from) (digest \(digest))" + (info.source == from ? "" : "; \(info.source)")
        info.installed = today
        let dataFile = "price-data-\(digest).json"
        let pointer = Pointer(info: info, dataFile: dataFile, digest: digest)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Self.writeAtomically(Data(bytes), to: directory + "/" + dataFile)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try Self.writeAtomically(try encoder.encode(pointer), to: pointerPath)
        } catch {
            throw .unreadable(path: directory, reason: "cannot install the catalog: \(error)")
        }
        removeStaleData(keeping: dataFile)
        return info
    }

    /// Data files no pointer refers to any more.
    func removeStaleData(keeping current: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix("price-data-") && name != current {
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }

    /// Writes to a temporary file in the same folder, then renames it over `path` (atomic on POSIX).
    static func writeAtomically(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        try data.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw PriceError.unreadable(path: path, reason: "rename failed (errno \(errno))")
        }
    }

    /// Content digest guarding against a truncated or edited data file.
    static func digest(_ bytes: [UInt8]) -> String {
        StableHash.hex(bytes.withUnsafeBytes { StableHash.hash($0) })
    }
}
