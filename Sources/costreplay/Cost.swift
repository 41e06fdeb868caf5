import ArgumentParser
import CostReplayCore
import Foundation

struct Cost: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-price every stored request at the rates in force when it ran.",
        discussion: """
            Where the trace carries the provider's billed cost, it is shown beside the computed cost with the gap \
            (computed minus billed, over the requests that carry both). Unpriced requests are listed, never counted as $0.

            Example:
              costreplay cost --by model
              costreplay cost --by day --format csv --from 2026-09-01 --to 2026-10-01
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var prices: PriceOptions
    @OptionGroup var window: WindowOptions
    @Option(help: "Group by \(CostGrouping.allCases.map(\.rawValue).joined(separator: "|")).") var by: CostGrouping = .model
    @Option(help: "table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        let opened = try store.openExisting()
        let calculator = CostCalculator(pricer: Pricer(catalog: try prices.catalog()))
        let report = try calculator.report(store: opened, by: by, window: try window.window())
        switch format {
        case .table: Console.out(CostReportRenderer.table(report))
        case .csv: Console.out(CostReportRenderer.csv(report))
        case .json: Console.out(try CostReportRenderer.json(report))
        }
    }
}

extension CostGrouping: ExpressibleByArgument {}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write stored requests as CostReplay's canonical JSONL (lossless; docs/trace-format.md).",
        discussion: "Example:\n  costreplay export --out trace.jsonl --from 2026-09-01")

    @OptionGroup var store: StoreOptions
    @OptionGroup var window: WindowOptions
    @Option(help: "Output file (default: standard output).") var out: String?

    func run() throws {
        let opened = try store.openExisting()
        let sink = try OutputSink(path: out, kind: .jsonl, inputs: [store.path])
        try opened.forEachRecord(in: try window.window()) { record, _ in sink.write(CanonicalEncoder.line(record) + "\n") }
        try sink.close()
    }
}

struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a realistic, seeded synthetic trace in canonical JSONL.",
        discussion: """
            Feature mix with heavy-tailed tokens, exact and near repeats, multi-turn sessions with growing history, \
            diurnal arrivals, several models; billed costs from the catalog (docs/synth.md).

            Example:
              costreplay synth --requests 1000000 --seed 7 --no-text --out bench.jsonl
            """)

    @Option(help: "Number of model calls (agent runs add a tool span after each).") var requests = 10_000
    @Option(help: "Random seed.") var seed: UInt64 = 42
    @Option(help: "First day (UTC), YYYY-MM-DD.") var start = "2026-09-01"
    @Option(help: "Days spanned.") var days = 56
    @Flag(help: "Leave prompt and response texts out (hashes stay).") var noText = false
    @Flag(help: "Short lines: no texts, message structure or latency timestamps (benchmarks).") var compact = false
    @Option(help: "Share of records with a deliberately wrong billed cost.") var mispricedShare = 0.0
    @Option(help: "Output file (default: standard output).") var out: String?
    @OptionGroup var prices: PriceOptions

    func run() throws {
        var options = SynthOptions()
        options.requests = requests
        options.seed = seed
        options.days = days
        options.withText = !noText && !compact
        options.compact = compact
        options.mispricedShare = mispricedShare
        guard let origin = Timestamp.parseISO(start) else { throw CommandFailure(message: "error: --start \"\(start)\" is not a date") }
        options.startMicros = origin
        guard requests > 0, days > 0 else { throw CommandFailure(message: "error: --requests and --days must be positive") }
        let sink = try OutputSink(path: out, kind: .jsonl, inputs: prices.priceFiles)
        TraceSynthesizer(options: options, pricer: Pricer(catalog: try prices.catalog())).generate { record in
            sink.write(CanonicalEncoder.line(record) + "\n")
        }
        try sink.close()
    }
}

/// Buffered writing to a file (through ``OutputFile``: never an input, never through a link,
/// replaced only when complete) or to standard output.
final class OutputSink {
    let file: OutputFile?
    var buffer = ""

    init(path: String?, kind: OutputKind, inputs: [String]) throws {
        guard let path else { file = nil; return }
        do { file = try OutputFile(path: path, kind: kind, inputs: inputs) } catch { throw CommandFailure(message: "error: \(error)") }
    }

    func write(_ text: String) {
        buffer += text
        if buffer.utf8.count >= 1 << 20 { flush() }
    }

    func flush() {
        if let file { file.write(buffer) } else { FileHandle.standardOutput.write(Data(buffer.utf8)) }
        buffer = ""
    }

    func close() throws {
        flush()
        do { try file?.commit() } catch { throw CommandFailure(message: "error: \(error)") }
    }
}

/// Refuses an output path before any work is done (see ``OutputFile/check(path:kind:inputs:)``).
func checkOutput(_ path: String, kind: OutputKind, inputs: [String]) throws {
    do { try OutputFile.check(path: path, kind: kind, inputs: inputs) } catch { throw CommandFailure(message: "error: \(error)") }
}

/// Writes one whole output file under ``OutputFile``'s rules, as a command failure when refused.
func writeOutput(_ text: String, to path: String, kind: OutputKind, inputs: [String]) throws {
    do { try OutputFile.write(text, to: path, kind: kind, inputs: inputs) } catch { throw CommandFailure(message: "error: \(error)") }
}

func writeOutput(_ data: Data, to path: String, kind: OutputKind, inputs: [String]) throws {
    do { try OutputFile.write(data, to: path, kind: kind, inputs: inputs) } catch { throw CommandFailure(message: "error: \(error)") }
}
