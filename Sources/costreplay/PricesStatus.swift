import ArgumentParser
import CostReplayCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension Prices {
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
}
