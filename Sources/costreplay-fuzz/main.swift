// libFuzzer entry point for CostReplay's readers, scenario loader and price-file loader.
//
// Build and run (docs/reliability.md; scripts/fuzz.sh does both):
//   swift build -c release --sanitize=fuzzer --sanitize=address --product costreplay-fuzz --scratch-path .build-fuzz
//   FUZZ_TARGET=canonical .build-fuzz/release/costreplay-fuzz CORPUS_DIR -max_total_time=60
// FUZZ_TARGET names the input: one of the trace formats (canonical, otlp, litellm, langfuse,
// openai-batch, openai-chat, mooncake, azure, burstgpt, csv-mapped), scenario or prices.
// Without the fuzzer flags this builds as a plain program that does nothing.
import CostReplayCore
import Foundation

let fuzzTarget = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? "canonical"
let fuzzFile = "/dev/shm/costreplay-fuzz-\(getpid())"
let fuzzCatalog = try! PriceCatalog.builtIn()
let fuzzScenario = """
    scenarios:
      - name: all
        strategies:
          - exact_cache: {ttl: 1h}
          - prefix_cache: {}
          - model_router: {tiers: {small: gpt-4o-mini}, rules: [{max_prompt_tokens: 500, tier: small}]}
          - truncate: {mode: summarise, keep_turns: 2}
          - batch_offload: {tags: [async]}
    """
let fuzzScenarioFile = try! ScenarioLoader.parse(text: fuzzScenario, path: "fuzz.yaml")

/// Ingests the bytes as one trace file, then prices and replays what was stored: every path a
/// user's file takes, so an overflow downstream of a reader is found too.
func fuzzIngest(_ bytes: UnsafeRawBufferPointer, format: TraceFormat?, mapping: String?) {
    _ = FileManager.default.createFile(atPath: fuzzFile, contents: Data(bytes))
    guard let store = try? TraceStore(path: ":memory:") else { return }
    var options = IngestOptions()
    options.format = format
    options.mappingPath = mapping
    options.defaultModel = "gpt-4o"
    guard let ingestor = try? Ingestor(store: store, options: options),
          let summary = try? ingestor.ingest(paths: [fuzzFile]) else { return }
    // The summary must reconcile whatever the input.
    let totals = summary.totals
    precondition(totals.read == totals.stored + totals.duplicates + totals.rejected + totals.merged, "counts do not reconcile: \(totals)")
    if format == .canonical { compareWithRecordPath(store: store, summary: summary, options: options) }
    guard totals.stored > 0 else { return }
    let pricer = Pricer(catalog: fuzzCatalog)
    _ = try? CostCalculator(pricer: pricer).report(store: store, by: .model, window: .init())
    var replay = ReplayOptions()
    replay.bootstrapResamples = 0
    _ = try? Simulation(scenarioFile: fuzzScenarioFile, pricer: pricer, options: replay).run(store: store, databasePath: ":memory:")
}

/// Canonical records written straight from JSON into rows must store, count and reject exactly what the record path
/// does (`IngestOptions.rowsFromJSON`): the same input ingested both ways.
func compareWithRecordPath(store: TraceStore, summary: IngestSummary, options: IngestOptions) {
    var viaRecords = options
    viaRecords.rowsFromJSON = false
    guard let other = try? TraceStore(path: ":memory:"), let ingestor = try? Ingestor(store: other, options: viaRecords),
          let otherSummary = try? ingestor.ingest(paths: [fuzzFile]) else { return }
    precondition(summary.totals == otherSummary.totals, "counts differ: \(summary.totals) against \(otherSummary.totals)")
    func stored(_ store: TraceStore) -> [TraceRecord] {
        var records: [TraceRecord] = []
        try? store.forEachRecord { record, source in
            var record = record
            record.attributes["(source)"] = source?.description  // compared with the record
            records.append(record)
        }
        return records
    }
    precondition(stored(store) == stored(other), "stored records differ")
    let rejections = { (store: TraceStore) in ((try? store.rejections()) ?? []).map { "\($0) | \($0.raw ?? "")" } }
    precondition(rejections(store) == rejections(other), "rejections differ")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    switch fuzzTarget {
    case "scenario":
        let text = String(decoding: bytes, as: UTF8.self)
        _ = try? ScenarioLoader.parse(text: text, path: "fuzz.yaml", maxPoints: 50, catalog: fuzzCatalog)
    case "prices":
        _ = FileManager.default.createFile(atPath: fuzzFile, contents: Data(bytes))
        var catalog = PriceCatalog()
        if (try? catalog.loadUserFile(path: fuzzFile)) != nil {
            _ = catalog.find(model: "gpt-4o", provider: nil)
        }
    case "csv-mapped":
        fuzzIngest(bytes, format: .csv, mapping: ProcessInfo.processInfo.environment["FUZZ_MAPPING"])
    default:
        fuzzIngest(bytes, format: TraceFormat(rawValue: fuzzTarget), mapping: nil)
    }
    return 0
}
