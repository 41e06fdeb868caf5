import Foundation
import Statistics
import Testing
import TestSupport
@testable import CostReplayCore

/// The generator against the public traces it is fitted to: per feature, a two-sample
/// Kolmogorov–Smirnov statistic between the synthetic trace and the public data, bounded by 0.05
/// (the largest gap between the two CDFs: five percentage points anywhere in the distribution).
@Suite struct SynthCalibrationTests {
    static let bound = 0.05

    static let records: [TraceRecord] = {
        var options = SynthOptions()
        options.requests = 40_000
        options.seed = 42
        options.withText = false
        var records: [TraceRecord] = []
        TraceSynthesizer(options: options, pricer: Pricer(catalog: sharedCatalog)).generate { records.append($0) }
        return records
    }()

    static func feature(_ name: String) -> [TraceRecord] { records.filter { $0.kind == .llm && $0.tags.contains("feature:\(name)") } }

    static func azure() throws -> (context: [Double], generated: [Double], gaps: [Double]) {
        let text = try String(contentsOfFile: Fixtures.shared("azure-llm-inference-2023/AzureLLMInferenceTrace_conv.csv"), encoding: .utf8)
        var context: [Double] = [], generated: [Double] = [], times: [Double] = []
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ",")
            context.append(Double(fields[1])!)
            generated.append(Double(fields[2])!)
            times.append(Double(Timestamp.parseISO(String(fields[0].prefix(26)).replacing(" ", with: "T") + "Z")!) / 1e6)
        }
        times.sort()
        let gaps = zip(times.dropFirst(), times).map { $0 - $1 }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        return (context, generated, gaps.map { $0 / mean })
    }

    static func shareGPT() throws -> (turns: [Double], user: [Double], assistant: [Double]) {
        let folder = Fixtures.shared("sharegpt92k-sample/sampled_enriched_data")
        var turns: [Double] = [], user: [Double] = [], assistant: [Double] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where name.hasSuffix(".json") {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
            guard let messages = (object as? [String: Any])?["conversations"] as? [[String: Any]] else { continue }
            let tokens = { (who: String) in messages.filter { $0["from"] as? String == who }.map { Double(max(1, ($0["value"] as? String ?? "").count / 4)) } }
            let human = tokens("human")
            guard !human.isEmpty else { continue }
            turns.append(Double(human.count))
            user += human
            assistant += tokens("gpt")
        }
        return (turns, user, assistant)
    }

    func expectClose(_ synthetic: [Double], _ public: [Double], _ what: String) throws {
        let ks = try TwoSampleKS(synthetic, `public`)
        print("KS \(what): D = \(String(format: "%.4f", ks.statistic)) (n = \(synthetic.count), m = \(`public`.count))")
        #expect(ks.statistic <= Self.bound, "\(what): D = \(ks.statistic)")
    }

    @Test(.enabled(if: Fixtures.hasSharedData, Fixtures.sharedDataMissing))
    func tokenSizesFollowAzureAndShareGPT() throws {
        let (context, generated, _) = try Self.azure()
        let (_, user, assistant) = try Self.shareGPT()
        let chat = Self.feature("chat")
        try expectClose(chat.map { Double($0.messages.last { $0.role == "user" }!.tokens) }, user, "chat user message tokens vs ShareGPT")
        try expectClose(chat.map { Double($0.usage!.output) }, assistant, "chat output tokens vs ShareGPT")
        try expectClose(Self.feature("rag-qa").map { Double($0.usage!.input) }, context, "RAG prompt tokens vs Azure context")
        let outputs = ["rag-qa", "extract", "summarize", "agent"].flatMap(Self.feature).map { Double($0.usage!.output) }
        try expectClose(outputs, generated, "non-chat output tokens vs Azure generated")
    }

    @Test(.enabled(if: Fixtures.hasSharedData, Fixtures.sharedDataMissing))
    func sessionLengthsFollowShareGPT() throws {
        let (turns, _, _) = try Self.shareGPT()
        var perSession: [String: Int] = [:]
        for record in Self.feature("chat") { perSession[record.sessionID ?? record.id, default: 0] += 1 }
        try expectClose(perSession.values.map(Double.init), turns, "chat turns per conversation vs ShareGPT")
    }

    @Test(.enabled(if: Fixtures.hasSharedData, Fixtures.sharedDataMissing))
    func arrivalBurstinessFollowsAzure() throws {
        let (_, _, gaps) = try Self.azure()
        // Conversation starts of interactive features, gaps within each hour divided by that hour's mean gap.
        let starts = Self.records.filter { $0.kind == .llm && !$0.tags.contains("async") && ($0.sessionID == nil || $0.id == Self.first[$0.sessionID!]) }
            .map { $0.startMicros! }.sorted()
        var byHour: [Int64: [Double]] = [:]
        for (a, b) in zip(starts, starts.dropFirst()) where a / 3_600_000_000 == b / 3_600_000_000 {
            byHour[a / 3_600_000_000, default: []].append(Double(b - a))
        }
        let normalised = byHour.values.filter { $0.count >= 20 }.flatMap { hour in hour.map { $0 / (hour.reduce(0, +) / Double(hour.count)) } }
        try expectClose(normalised, gaps, "inter-arrival gaps / hourly mean vs Azure")
    }

    static let first: [String: String] = {
        var first: [String: String] = [:]
        for record in records where record.kind == .llm { if let session = record.sessionID, first[session] == nil { first[session] = record.id } }
        return first
    }()

    @Test func classificationOutcomesMatchRouteLLMsMMLUAccuracies() throws {
        let labelled = Self.feature("classify")
        let strong = labelled.map { $0.quality["correct:gpt-4o"]! }.reduce(0, +) / Double(labelled.count)
        let weak = labelled.map { $0.quality["correct:gpt-4o-mini"]! }.reduce(0, +) / Double(labelled.count)
        // MMLU: GPT-4 80.6%, Mixtral 68.1% (RouteLLM); three standard errors of a binomial share.
        let se = (0.25 / Double(labelled.count)).squareRoot()
        #expect(abs(strong - 0.806) < 3 * se, "strong \(strong)")
        #expect(abs(weak - 0.681) < 3 * se, "weak \(weak)")
    }

    @Test func twoSampleKSIsZeroForOneSampleAndOneForDisjointSamples() throws {
        #expect(try TwoSampleKS([1, 2, 3], [3, 2, 1]).statistic == 0)
        #expect(try TwoSampleKS([1, 2], [5, 6, 7]).statistic == 1)
        #expect(abs(try TwoSampleKS([1, 2, 3, 4], [3, 4, 5, 6]).statistic - 0.5) < 1e-12)
        #expect(abs(try TwoSampleKS(Array(repeating: 0, count: 100), Array(repeating: 0, count: 100)).criticalValue(alpha: 0.05) - 0.19206) < 1e-4)
    }
}
