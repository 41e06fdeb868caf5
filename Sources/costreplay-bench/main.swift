// Benchmarks that print figures (docs/performance.md); not tests, they assert nothing.
import CostReplayCore
import Foundation

let arguments = CommandLine.arguments.dropFirst()
guard arguments.first == "semantic", arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: costreplay-bench semantic VECTORS.f32le [DIMENSION] [THRESHOLD,...] [exact|approximate] [PROBES] [RECALL_SAMPLE]\n".utf8))
    exit(2)
}
let args = Array(arguments)
let dimension = args.count > 2 ? Int(args[2])! : 384
let thresholds = args.count > 3 ? args[3].split(separator: ",").compactMap { Double($0) } : [0.70, 0.75, 0.80, 0.85, 0.90, 0.95]
// Approximate mode: the semantic cache's inverted-file search, its recall of hits measured on a sample of lookups.
let approximate = args.count > 4 && args[4] == "approximate"
var search: [String: ParameterValue] = approximate ? ["search": .text("approximate")] : [:]
if approximate, args.count > 5 { search["probes"] = .number(Double(args[5])!) }
if approximate, args.count > 6 { search["recall_sample"] = .number(Double(args[6])!) }
let data = try Data(contentsOf: URL(fileURLWithPath: args[1]))
let vectors: [Float] = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
let pricer = Pricer(catalog: try PriceCatalog.builtIn())
for subset in thresholds.count == 1 ? [thresholds] : [[thresholds[0]], thresholds] {
    let clock = ContinuousClock()
    var rows: [SemanticBenchmark.Row] = []
    let elapsed = clock.measure { rows = SemanticBenchmark.run(vectors: vectors, dimension: dimension, thresholds: subset, pricer: pricer, search: search) }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let recall = approximate ? "; recall of hits " + rows.map { "\($0.recallFoundHits)/\($0.recallExactHits)" }.joined(separator: ", ") : ""
    print("costreplay semantic cache (\(approximate ? "approximate" : "exact")), \(vectors.count / dimension) queries × \(dimension) dims, \(subset.count) threshold(s): \(String(format: "%.1f", seconds)) s; hits " + rows.map { "\($0.threshold): \($0.hits)" }.joined(separator: ", ") + recall)
}
