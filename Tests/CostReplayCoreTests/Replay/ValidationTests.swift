import CostReplayCore
import Foundation
import Testing
import TestSupport

/// The validations against public data agree with independent NumPy / plain-Python computations.
@Suite struct ValidationTests {
    func python(_ script: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(.enabled(if: Fixtures.hasSharedData, Fixtures.sharedDataMissing)) func qqpHitsAndPrecisionMatchNumPy() throws {
        let folder = Fixtures.shared("gptcache-qqp")
        let rows = QQPValidation.evaluate(try QQPValidation.load(folder: folder, builtin: false), thresholds: [0.8, 0.9])
        let reference = try python("""
            import json, numpy as np
            pairs = json.load(open('\(folder)/similiar_qqp_full.first2000.json'))
            v = np.fromfile('\(folder)/first2000.minilm-l6-v2.f32le', dtype='<f4').reshape(-1, 384)
            a, b = v[0::2], v[1::2]
            sims = b @ a.T
            best, score = sims.argmax(axis=1), sims.max(axis=1)
            labels = np.array([p['label'] for p in pairs]) == 1
            out = []
            for t in (0.8, 0.9):
                hit = score >= np.float32(t)
                correct = hit & (best == np.arange(len(pairs))) & labels
                out.append(f"{hit.sum()} {correct.sum()}")
            print(",".join(out))
            """)
        // Float32 dot products summed in a different order can move a near-tie or a score at the
        // threshold by one ulp, so counts may differ by one.
        let expected = reference.split(separator: ",").map { $0.split(separator: " ").compactMap { Int($0) } }
        for (row, numbers) in zip(rows, expected) {
            #expect(abs(row.hits - numbers[0]) <= 1 && abs(row.correctHits - numbers[1]) <= 1, "ours \(row.hits)/\(row.correctHits), numpy \(numbers)")
        }
        #expect(rows[0].hitRate > rows[1].hitRate)
        #expect(rows[0].precision < rows[1].precision)
    }

    @Test(.enabled(if: Fixtures.hasSharedData, Fixtures.sharedDataMissing)) func mooncakeUnboundedHitShareMatchesAPlainPythonReplay() throws {
        let path = Fixtures.shared("mooncake-fast25/conversation_trace.jsonl")
        let (reuse, rows) = try MooncakeValidation.run(path: path, pricer: Pricer(catalog: sharedCatalog))
        let reference = try python("""
            import json
            seen, total, cached, blocks, reused = set(), 0, 0, 0, 0
            for line in open('\(path)'):
                r = json.loads(line)
                n, ids = r['input_length'], r['hash_ids']
                total += n
                k = 0
                while k < len(ids) and ids[k] in seen: k += 1
                cached += min(n, 512 * k)
                for h in ids:
                    blocks += 1
                    if h in seen: reused += 1
                seen.update(ids)
            print(total, cached, blocks, reused)
            """)
        let unbounded = try #require(rows.first)
        #expect(reference == "\(Int(unbounded.inputTokens)) \(Int(unbounded.cachedTokens)) \(reuse.blocks) \(reuse.reusedBlocks)")
        // Shorter lifetimes can only lose hits.
        #expect(rows.map(\.share) == rows.map(\.share).sorted(by: >))
    }
}

@Suite struct ThresholdRecommendationTests {
    @Test func theChosenThresholdHasTheHighestHitRateWhoseBoundHolds() {
        let candidates = [
            ThresholdRecommendation.Candidate(label: "a", threshold: 0.8, hitRate: 0.3, falseHits: 20, checkedHits: 100,
                                              upperBound: ThresholdRecommendation.upperBound(events: 20, trials: 100, confidence: 0.95)),
            ThresholdRecommendation.Candidate(label: "b", threshold: 0.9, hitRate: 0.2, falseHits: 1, checkedHits: 200,
                                              upperBound: ThresholdRecommendation.upperBound(events: 1, trials: 200, confidence: 0.95)),
            ThresholdRecommendation.Candidate(label: "c", threshold: 0.95, hitRate: 0.1, falseHits: 0, checkedHits: 0, upperBound: 1),
        ]
        let r = ThresholdRecommendation.recommend(candidates, maxFalseHitRate: 0.05, confidence: 0.95)
        #expect(r.chosen?.threshold == 0.9)
        // scipy.stats.beta.ppf(0.95, 2, 199) = 0.0234985…
        #expect(abs(candidates[1].upperBound - 0.023498470434950704) < 1e-9)
        #expect(ThresholdRecommendation.recommend(candidates, maxFalseHitRate: 0.01, confidence: 0.95).chosen == nil)
    }
}
