import ArgumentParser
import CostReplayCore
import Foundation

/// `--stdin`, shared by `simulate` and `cost`: canonical JSONL from standard input instead of the store.
struct StdinOptions: ParsableArguments {
    @Flag(help: "Read canonical JSONL (docs/trace-format.md) from standard input instead of --db, sorted by start then id as `costreplay export` writes it; nothing is stored.")
    var stdin = false

    /// The stream over standard input, or nil without --stdin.
    func stream(window: TraceStore.TimeWindow) -> CanonicalStream? {
        stdin ? CanonicalStream(window: window) : nil
    }

    /// Runs `body`, mapping a stream out of order to an input error, then reports the lines rejected on the way.
    static func reading<T>(_ stream: CanonicalStream, _ body: () throws -> T) throws -> T {
        let value: T
        do { value = try body() } catch let error as CanonicalStreamError {
            throw CommandFailure(message: "error: \(error)")
        }
        report(stream)
        return value
    }

    /// Rejected lines on standard error, as `ingest` shows them: a count and the first few with line and reason.
    static func report(_ stream: CanonicalStream) {
        let counts = stream.counts
        guard counts.rejected > 0 || counts.duplicates > 0 else { return }
        var lines = ["\(stream.name): \(counts.read) records read, \(counts.stored) used, \(counts.duplicates) duplicates, \(counts.rejected) rejected"]
        lines += stream.sampleRejections.prefix(5).map { "  \($0)" }
        if counts.rejected > 5 { lines.append("  … and \(counts.rejected - 5) more") }
        Console.error(lines.joined(separator: "\n"))
    }
}

extension ReplayArguments {
    /// `I/N` of --shard or --part, checked.
    static func parseShard(_ text: String, option: String) throws -> (index: Int, count: Int) {
        let parts = text.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 2, parts[1] > 0, parts[0] >= 0, parts[0] < parts[1] else {
            throw CommandFailure(message: "error: --\(option) \"\(text)\" must be I/N with 0 ≤ I < N")
        }
        return (parts[0], parts[1])
    }
}
