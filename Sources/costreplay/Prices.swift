import ArgumentParser
import CostReplayCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Where the installed catalog lives and what day it is, both overridable for tests.
enum CatalogLocation {
    static func store() -> CatalogStore {
        CatalogStore(directory: CatalogStore.defaultDirectory(environment: ProcessInfo.processInfo.environment))
    }

    /// `$COSTREPLAY_TODAY` (YYYY-MM-DD) or the current UTC day; the library never reads the clock.
    static func today() throws -> Int64 {
        if let text = ProcessInfo.processInfo.environment["COSTREPLAY_TODAY"] {
            guard let micros = Timestamp.parseISO(text) else {
                throw CommandFailure(message: "error: COSTREPLAY_TODAY \"\(text)\" is not a date (YYYY-MM-DD)")
            }
            return micros
        }
        return Int64(Date().timeIntervalSince1970 * 1e6)
    }
}

struct Prices: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect and update the price catalog.", subcommands: [Show.self, Status.self, Update.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the rates that apply to a model, every tier at full precision, and where they came from.",
            discussion: "Example:\n  costreplay prices show claude-sonnet-4-5 --at 2026-03-01")

        @Argument(help: "Model name as it appears in traces.") var model: String
        @Option(help: "Provider, when the model name is ambiguous.") var provider: String?
        @Option(help: "Date or instant the rates apply to (default: latest).") var at: String?
        @Option(help: "table or json.") var format: OutputFormat = .table
        @OptionGroup var prices: PriceOptions

        func run() throws {
            let catalog = try prices.catalog()
            let resolution = catalog.resolve(model: model, provider: provider)
            guard let pricing = resolution.pricing else {
                let reason = resolution.unpriced?.rawValue ?? "model not in the price catalog"
                let nearest = resolution.nearest.map { "; nearest entry \($0) (--provider-fallback uses it)" } ?? ""
                throw CommandFailure(message: "error: no price for model '\(model)'\(provider.map { " (provider \($0))" } ?? ""): \(reason)\(nearest); add one with --prices FILE", code: 1)
            }
            var instant = Int64.max / 2
            if let at {
                guard let parsed = Timestamp.parseISO(at) else {
                    throw CommandFailure(message: "error: --at \"\(at)\" is not a date (YYYY-MM-DD) or ISO 8601 instant")
                }
                instant = parsed
            }
            let view = PriceView(pricing: pricing, at: instant, query: model, notes: resolution.notes, catalog: catalog.info)
            Console.out(format == .json ? try view.json() : view.text())
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say which price catalog is in force, its date, and where it came from.")

        @Option(help: "table or json.") var format: OutputFormat = .table

        func run() throws {
            let store = CatalogLocation.store()
            let (catalog, warning): (PriceCatalog, String?)
            do { (catalog, warning) = try store.catalogInForce() } catch { throw CommandFailure(message: "error: \(error)") }
            let status = CatalogStatus(info: catalog.info, today: try CatalogLocation.today(), entries: catalog.pricedEntryCount,
                                       providers: catalog.providerIDs.count, installFolder: store.directory)
            if let warning { Console.error(warning) }
            Console.out(format == .json ? try status.json() : status.text())
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install a newer price catalog into the user's data folder, validated, with its provenance.",
            discussion: """
                FILE or URL: a catalog written by scripts/update-prices.py, or genai-prices' v2 feed (data.json). \
                Nothing changes unless it reads as a complete catalog. Installed into $XDG_DATA_HOME/costreplay \
                (else ~/.local/share/costreplay); `costreplay prices status` shows what is in force.

                Example:
                  costreplay prices update --from price-catalog.json
                """)

        @Option(help: "A catalog file or URL (default: genai-prices' live feed).")
        var from = "https://raw.githubusercontent.com/pydantic/genai-prices/refs/heads/main/prices/new_data/v2/data.json"

        func run() throws {
            let bytes = try Self.read(from)
            let today = Timestamp.day(try CatalogLocation.today())
            let info: CatalogInfo
            do { info = try CatalogLocation.store().install(bytes: bytes, from: from, today: today) } catch {
                throw CommandFailure(message: "error: \(error); the catalog in force is unchanged")
            }
            Console.out("installed \(info.label) from \(from) into \(info.origin)\n")
        }

        static func read(_ location: String) throws -> [UInt8] {
            if location.hasPrefix("http://") || location.hasPrefix("https://") {
                guard let url = URL(string: location) else { throw CommandFailure(message: "error: bad URL \(location)") }
                do { return [UInt8](try Data(contentsOf: url)) } catch {
                    throw CommandFailure(message: "error: cannot fetch \(location): \(error.localizedDescription); the catalog in force is unchanged")
                }
            }
            guard let data = FileManager.default.contents(atPath: location) else {
                throw CommandFailure(message: "error: cannot read \(location); the catalog in force is unchanged")
            }
            return [UInt8](data)
        }
    }
}
