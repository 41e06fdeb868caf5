import ArgumentParser
import CostReplayCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension Prices {
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
