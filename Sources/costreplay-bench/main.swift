// Benchmarks that print figures (docs/performance.md); not tests, they assert nothing.
import CostReplayCore
import Foundation

let usage = """
    usage: costreplay-bench semantic VECTORS.f32le [DIMENSION] [THRESHOLD,...] [exact|approximate] [PROBES] [RECALL_SAMPLE]
           costreplay-bench semantic-prefilled VECTORS.f32le DIMENSION THRESHOLD FILL [exact|approximate] [PROBES] [RECALL_SAMPLE]
           costreplay-bench qqp-precision QQP_FOLDER
           costreplay-bench semantic-synthetic FILL LOOKUPS THRESHOLD   (exact; seeded random 384-d vectors made in chunks)
    VECTORS=float16 in the environment holds the cache's vectors in float16 (the semantic cache's `vectors` setting).

    """
let args = Array(CommandLine.arguments.dropFirst())
guard let command = args.first, ["semantic", "semantic-prefilled", "qqp-precision", "semantic-synthetic"].contains(command), args.count >= 2 else {
    FileHandle.standardError.write(Data(usage.utf8))
    exit(2)
}

/// Wall and CPU seconds (all threads) of `body`.
func measured<T>(_ body: () -> T) -> (T, wall: Double, cpu: Double) {
    func cpu() -> Double {
        var use = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &use)
        return Double(use.ru_utime.tv_sec + use.ru_stime.tv_sec) + Double(use.ru_utime.tv_usec + use.ru_stime.tv_usec) / 1e6
    }
    let clock = ContinuousClock(), cpu0 = cpu()
    var value: T?
    let elapsed = clock.measure { value = body() }
    return (value!, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, cpu() - cpu0)
}

func peakRSSMegabytes() -> Double {
    var use = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &use)
    return Double(use.ru_maxrss) / 1024
}

if command == "qqp-precision" {
    // Hit decisions of the QQP validation (cache = text_a, queries = text_b, all-MiniLM-L6-v2) with the cache's vectors
    // in float32 and in float16: per threshold, hits, correct hits and the queries whose hit/miss or nearest changed.
    let set = try QQPValidation.load(folder: args[1], builtin: false)
    let nearest = VectorPrecision.allCases.map { precision in
        var index = VectorIndex(dimension: set.vectors[0].count, precision: precision)
        for pair in set.labels.indices { index.add(set.vectors[2 * pair]) }
        return set.labels.indices.map { index.nearest(set.vectors[2 * $0 + 1])! }
    }
    let (half, full) = (nearest[0], nearest[1])
    let largest = zip(half, full).map { abs($0.score - $1.score) }.max()!
    print("QQP first 2,000 pairs, all-MiniLM-L6-v2: float16 vs float32 cache vectors; largest score change \(largest)")
    print("threshold  hits32  hits16  correct32  correct16  decisions changed")
    for threshold in stride(from: 0.70, through: 0.991, by: 0.01).map({ Float(($0 * 100).rounded() / 100) }) {
        func counts(_ answers: [(slot: Int, score: Float)]) -> (Int, Int) {
            let hits = answers.indices.filter { answers[$0].score >= threshold }
            return (hits.count, hits.filter { answers[$0].slot == $0 && set.labels[$0] }.count)
        }
        let (h32, c32) = counts(full), (h16, c16) = counts(half)
        let changed = set.labels.indices.filter { (full[$0].score >= threshold) != (half[$0].score >= threshold)
            || (full[$0].score >= threshold && full[$0].slot != half[$0].slot) }.count
        print(String(format: "%.2f  %6d  %6d  %9d  %9d  %d", threshold, h32, h16, c32, c16, changed))
    }
    exit(0)
}

if command == "semantic-synthetic" {
    // A fill too large for a vector file in memory (10⁷ × 384): seeded uniform-random unit vectors made and cached
    // 10,000 at a time, then LOOKUPS lookups, every other one a near-duplicate (cosine ≈ 0.99) of a filled vector.
    let fill = Int(args[1])!, lookups = Int(args[2])!, threshold = Double(args[3])!, dimension = 384
    let precision = ProcessInfo.processInfo.environment["VECTORS"] ?? "float32"
    let cache = try PrefilledSemanticCache(dimension: dimension, threshold: threshold, pricer: Pricer(catalog: try PriceCatalog.builtIn()),
                                           search: ["vectors": .text(precision)])
    var state: UInt64 = 7
    func uniform() -> Float {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Float(Double((z ^ (z >> 31)) >> 11) / Double(1 << 53) * 2 - 1)
    }
    func unit(_ v: [Float]) -> [Float] { let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot(); return v.map { $0 / norm } }
    let keepEvery = max(1, fill / max(1, lookups / 2))
    var kept: [[Float]] = []
    let (_, fillWall, fillCPU) = measured {
        for start in stride(from: 0, to: fill, by: 10_000) {
            var chunk: [Float] = []
            chunk.reserveCapacity(10_000 * dimension)
            for i in start..<min(fill, start + 10_000) {
                let v = unit((0..<dimension).map { _ in uniform() })
                if i % keepEvery == 0, kept.count < lookups / 2 { kept.append(v) }
                chunk += v
            }
            cache.fill(chunk[...])
        }
    }
    var queries: [Float] = []
    for k in 0..<lookups {
        queries += k % 2 == 0 && k / 2 < kept.count ? unit(kept[k / 2].map { $0 + uniform() * 0.013 }) : unit((0..<dimension).map { _ in uniform() })
    }
    let (counts, wall, cpu) = measured { cache.lookUp(queries[...]) }
    print(String(format: "costreplay semantic cache (exact, %@) pre-filled with %d synthetic × %d: fill %.1f s (CPU %.1f s); %d lookups at %.2f: %.2f s (CPU %.2f s); hits %d; peak RSS %.0f MB",
                 precision, fill, dimension, fillWall, fillCPU, counts.lookups, threshold, wall, cpu, counts.hits, peakRSSMegabytes()))
    exit(0)
}

let dimension = args.count > 2 ? Int(args[2])! : 384
let modeAt = command == "semantic" ? 4 : 5
// Approximate mode: the semantic cache's inverted-file search, its recall of hits measured on a sample of lookups.
let approximate = args.count > modeAt && args[modeAt] == "approximate"
var search: [String: ParameterValue] = approximate ? ["search": .text("approximate")] : [:]
if approximate, args.count > modeAt + 1 { search["probes"] = .number(Double(args[modeAt + 1])!) }
if approximate, args.count > modeAt + 2 { search["recall_sample"] = .number(Double(args[modeAt + 2])!) }
let precision = ProcessInfo.processInfo.environment["VECTORS"] ?? "float32"
search["vectors"] = .text(precision)
let data = try Data(contentsOf: URL(fileURLWithPath: args[1]))
let vectors: [Float] = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
let pricer = Pricer(catalog: try PriceCatalog.builtIn())
let mode = (approximate ? "approximate" : "exact") + ", " + precision

if command == "semantic-prefilled" {
    let threshold = Double(args[3])!, fill = Int(args[4])!
    let cache = try PrefilledSemanticCache(dimension: dimension, threshold: threshold, pricer: pricer, search: search)
    let (_, fillWall, fillCPU) = measured { cache.fill(vectors[0..<fill * dimension]) }
    let (counts, wall, cpu) = measured { cache.lookUp(vectors[(fill * dimension)...]) }
    let recall = approximate ? String(format: "; recall of hits %d/%d", counts.recallFoundHits, counts.recallExactHits) : ""
    print(String(format: "costreplay semantic cache (%@) pre-filled with %d × %d: fill %.1f s (CPU %.1f s); %d lookups at %.2f: %.2f s (CPU %.2f s); hits %d%@; lists %d; peak RSS %.0f MB",
                 mode, fill, dimension, fillWall, fillCPU, counts.lookups, threshold, wall, cpu, counts.hits, recall, cache.lists, peakRSSMegabytes()))
    exit(0)
}

let thresholds = args.count > 3 ? args[3].split(separator: ",").compactMap { Double($0) } : [0.70, 0.75, 0.80, 0.85, 0.90, 0.95]
for subset in thresholds.count == 1 ? [thresholds] : [[thresholds[0]], thresholds] {
    let (outcome, seconds, _) = measured { Result { () throws(ParameterProblem) in
        try SemanticBenchmark.run(vectors: vectors, dimension: dimension, thresholds: subset, pricer: pricer, search: search)
    } }
    let rows = try outcome.get()
    let recall = approximate ? "; recall of hits " + rows.map { "\($0.recallFoundHits)/\($0.recallExactHits)" }.joined(separator: ", ") : ""
    print("costreplay semantic cache (\(mode)), \(vectors.count / dimension) queries × \(dimension) dims, \(subset.count) threshold(s): \(String(format: "%.1f", seconds)) s; hits " + rows.map { "\($0.threshold): \($0.hits)" }.joined(separator: ", ") + recall)
}
