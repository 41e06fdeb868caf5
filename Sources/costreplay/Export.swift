import ArgumentParser
import CostReplayCore
import Foundation

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
