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
}
