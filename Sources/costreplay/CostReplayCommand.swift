import ArgumentParser
import CostReplayCore
import Foundation

@main
struct CostReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "costreplay",
        abstract: "Replay recorded LLM traffic to see what it cost and what it would cost run differently.",
        discussion: """
            Exit codes: 0 success; 1 the command ran but its check failed (an ingest that stored nothing, \
            or --strict with rejected records); 2 a usage or input error (bad option, unreadable file or database).
            Environment: COSTREPLAY_DB sets the default database (./costreplay.db); NO_COLOR turns colour off.
            """,
        subcommands: [Ingest.self, Collect.self, Cost.self, Simulate.self, Plan.self, Explain.self, Merge.self, Calibrate.self, Forecast.self, Recommend.self, Sensitivity.self, Risk.self, Baseline.self, Check.self, Report.self, Prices.self, Export.self, Synth.self, Rejects.self, Validate.self, Embed.self])

    /// Runs the command, mapping usage errors to exit code 2 as documented.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            Console.error(failure.message)
            Foundation.exit(failure.code)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                Console.error(fullMessage(for: error))
                Foundation.exit(2)
            }
            if code == .failure && !(error is ExitCode) {
                // A library error (store, output, input) that a subcommand did not map: an input error.
                Console.error("error: \(error)")
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// An error a subcommand reports with its message and exit code.
struct CommandFailure: Error {
    var message: String
    var code: Int32 = 2
}

/// Options shared by every command that reads or writes the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database (default: $COSTREPLAY_DB or ./costreplay.db).")
    var db: String?

    var path: String { db ?? ProcessInfo.processInfo.environment["COSTREPLAY_DB"] ?? "costreplay.db" }

    func openExisting() throws -> TraceStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure(message: "error: no database at \(path); run `costreplay ingest` first or pass --db")
        }
        do { return try TraceStore(existingPath: path) } catch { throw CommandFailure(message: "error: \(error)") }
    }
}

/// Price sources shared by every command that prices requests.
struct PriceOptions: ParsableArguments {
    @Option(name: .customLong("prices"), help: "Add or override prices (CostReplay or LiteLLM JSON format); repeatable.")
    var priceFiles: [String] = []
    @Flag(help: "Price a provider's request from another provider's entry when the provider has none (off: such requests are unpriced).")
    var providerFallback = false

    /// The catalog in force (installed by `prices update`, else bundled) plus --prices files; warns on
    /// standard error when it is over 60 days old or an installed catalog had to be passed over.
    func catalog() throws -> PriceCatalog {
        do {
            var (catalog, warning) = try CatalogLocation.store().catalogInForce()
            if let warning { Console.error(warning) }
            if let stale = catalog.info.ageWarning(today: try CatalogLocation.today()) { Console.error(stale) }
            for file in priceFiles { try catalog.loadUserFile(path: file) }
            catalog.allowsProviderFallback = providerFallback
            return catalog
        } catch let failure as CommandFailure { throw failure } catch { throw CommandFailure(message: "error: \(error)") }
    }
}

/// A --from/--to window on request start times (dates or ISO instants, UTC).
struct WindowOptions: ParsableArguments {
    @Option(help: "Only requests starting at or after this date or instant (UTC).") var from: String?
    @Option(help: "Only requests starting before this date or instant (UTC).") var to: String?

    func window() throws -> TraceStore.TimeWindow {
        func parse(_ text: String?, _ name: String) throws -> Int64? {
            guard let text else { return nil }
            guard let micros = Timestamp.parseISO(text) else {
                throw CommandFailure(message: "error: --\(name) \"\(text)\" is not a date (YYYY-MM-DD) or ISO 8601 instant")
            }
            return micros
        }
        let window = TraceStore.TimeWindow(from: try parse(from, "from"), to: try parse(to, "to"))
        if let start = window.from, let end = window.to, end <= start {
            throw CommandFailure(message: "error: --to \(to ?? "") is not after --from \(from ?? ""): the window holds no time")
        }
        return window
    }
}

/// Output formats of commands that print a table.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}
