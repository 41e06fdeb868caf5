#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation
import Statistics

/// Distributions fitted to public traces by `scripts/fit-synth.py`, read from the bundled
/// `synth-calibration.json`; docs/synth.md lists each parameter and its source.
public struct SynthCalibration: Sendable, Codable {
    public var azure: Azure
    public var sharegpt: ShareGPT
    public var mooncake: Mooncake
    public var qqp: QQP
    public var routellm: RouteLLM

    public struct Azure: Sendable, Codable {
        public var contextTokens: Distribution
        public var generatedTokens: Distribution
        public var interarrival: Interarrival
        enum CodingKeys: String, CodingKey { case contextTokens = "context_tokens", generatedTokens = "generated_tokens", interarrival }
    }

    public struct Interarrival: Sendable, Codable {
        public var cv: Double
        public var gammaShape: Double
        public var normalisedQuantiles: [Double]
        enum CodingKeys: String, CodingKey { case cv, gammaShape = "gamma_shape", normalisedQuantiles = "normalised_quantiles" }
    }

    public struct ShareGPT: Sendable, Codable {
        public var turns: Turns
        public var userTokens: Distribution
        public var assistantTokens: Distribution
        enum CodingKeys: String, CodingKey { case turns, userTokens = "user_tokens", assistantTokens = "assistant_tokens" }
    }

    public struct Turns: Sendable, Codable {
        /// probabilities[k]: share of conversations with k user turns.
        public var probabilities: [Double]
    }

    public struct Mooncake: Sendable, Codable {
        /// Share of requests whose leading ≥1,024 tokens (two blocks) were seen before.
        public var reuseShare: Double
        public var reusedPrefixFraction: Distribution
        enum CodingKeys: String, CodingKey { case reuseShare = "reuse_share", reusedPrefixFraction = "reused_prefix_fraction" }
    }

    public struct QQP: Sendable, Codable {
        /// Share of lexically close question pairs that are true duplicates.
        public var duplicateShare: Double
        enum CodingKeys: String, CodingKey { case duplicateShare = "duplicate_share" }
    }

    public struct RouteLLM: Sendable, Codable {
        public var mmlu: Outcomes
        public var gsm8k: Outcomes
    }

    /// joint[weak][strong]: the probability of (weak correct = i, strong correct = j).
    public struct Outcomes: Sendable, Codable {
        public var prompts: Int
        public var joint: [[Double]]
    }

    /// An empirical distribution as 101 quantiles, sampled by inverse CDF with linear interpolation.
    public struct Distribution: Sendable, Codable {
        public var quantiles: [Double]

        public func sample(_ random: RandomSource) -> Double { value(at: random.uniform()) }

        public func value(at u: Double) -> Double {
            let position = u * Double(quantiles.count - 1)
            let low = min(quantiles.count - 2, Int(position))
            let t = position - Double(low)
            return quantiles[low] + (quantiles[low + 1] - quantiles[low]) * t
        }
    }

    /// The calibration shipped with CostReplay.
    public static let bundled: SynthCalibration = {
        do {
            let bytes = try BundledResource.bytes("synth-calibration.json")
            return try JSONDecoder().decode(SynthCalibration.self, from: Data(bytes))
        } catch {
            fatalError("the bundled synth-calibration.json is unreadable: \(error)")
        }
    }()
}
