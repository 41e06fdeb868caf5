import ArgumentParser
import CostReplayCore
import Foundation

struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a realistic, seeded synthetic trace in canonical JSONL.",
        discussion: """
            Feature mix with heavy-tailed tokens, exact and near repeats, multi-turn sessions with growing history, \
            diurnal arrivals, several models; billed costs from the catalog (docs/synth.md).

            Example:
              costreplay synth --requests 1000000 --seed 7 --no-text --out bench.jsonl
            """)

    @Option(parsing: .unconditional, help: "Number of model calls (agent runs add a tool span after each).") var requests = 10_000
    @Option(parsing: .unconditional, help: "Random seed.") var seed: UInt64 = 42
    @Option(help: "First day (UTC), YYYY-MM-DD.") var start = "2026-09-01"
    @Option(parsing: .unconditional, help: "Days spanned.") var days = 56
    @Flag(help: "Leave prompt and response texts out (hashes stay).") var noText = false
    @Flag(help: "Short lines: no texts, message structure or latency timestamps (benchmarks).") var compact = false
    @Option(parsing: .unconditional, help: "Share of records with a deliberately wrong billed cost.") var mispricedShare = 0.0
    @Option(help: "Output file (default: standard output).") var out: String?
    @OptionGroup var prices: PriceOptions

    static let maximumRequests = 20_000_000

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
        // The generator holds every call's arrival in memory (about 100 bytes each) before it writes.
        guard requests <= Self.maximumRequests, days <= 3_660 else {
            throw CommandFailure(message: "error: --requests is at most 20,000,000 and --days at most 3,660 (ten years); "
                + "for more, generate parts with different --seed and --start and ingest them together")
        }
        let sink = try OutputSink(path: out, kind: .jsonl, inputs: prices.priceFiles)
        TraceSynthesizer(options: options, pricer: Pricer(catalog: try prices.catalog())).generate { record in
            sink.write(CanonicalEncoder.line(record) + "\n")
        }
        try sink.close()
    }
}
