import Statistics

/// The product features a synthetic trace mixes, each with its own models and token shapes.
///
/// Shapes are log-normal (heavy right tails, as measured token counts are), with medians chosen to
/// resemble public traces: chat turns of ~100 user tokens over a growing history, RAG prompts of a
/// few thousand tokens, long-document summaries with a tail past 100k tokens.
struct Feature: Sendable {
    var name: String
    var weight: Double
    /// (model, provider, weight)
    var models: [(String, String, Double)]
    var systemTokens: Double
    var inputMedian: Double
    var inputSigma: Double
    var outputMedian: Double
    var outputSigma: Double
    /// Mean reasoning tokens for reasoning models (0: none).
    var reasoningMedian: Double = 0
    /// Probability that a request repeats a popular prompt exactly, and paraphrases one.
    var exactRepeat: Double
    var nearRepeat: Double
    var multiTurn = false
    var asyncEligible = false
    var operation = "chat"

    static let all: [Feature] = [
        Feature(name: "chat", weight: 0.34, models: [("claude-sonnet-4-5", "anthropic", 0.6), ("gpt-4o", "openai", 0.4)],
                systemTokens: 900, inputMedian: 90, inputSigma: 0.9, outputMedian: 260, outputSigma: 0.8,
                exactRepeat: 0.05, nearRepeat: 0.06, multiTurn: true),
        Feature(name: "rag-qa", weight: 0.20, models: [("gpt-4o-mini", "openai", 1)], systemTokens: 400,
                inputMedian: 1800, inputSigma: 0.5, outputMedian: 160, outputSigma: 0.6, exactRepeat: 0.12, nearRepeat: 0.10),
        Feature(name: "code", weight: 0.12, models: [("gpt-4o", "openai", 0.5), ("o3-mini", "openai", 0.5)],
                systemTokens: 700, inputMedian: 1200, inputSigma: 1.0, outputMedian: 420, outputSigma: 0.8,
                reasoningMedian: 900, exactRepeat: 0.02, nearRepeat: 0.03),
        Feature(name: "summarize", weight: 0.13, models: [("gpt-4o-mini", "openai", 0.7), ("gemini-2.5-flash", "google", 0.3)],
                systemTokens: 250, inputMedian: 3500, inputSigma: 1.1, outputMedian: 220, outputSigma: 0.5,
                exactRepeat: 0.03, nearRepeat: 0.0, asyncEligible: true),
        Feature(name: "classify", weight: 0.15, models: [("gpt-4o-mini", "openai", 1)], systemTokens: 300,
                inputMedian: 120, inputSigma: 0.6, outputMedian: 4, outputSigma: 0.3, exactRepeat: 0.25, nearRepeat: 0.05),
        Feature(name: "extract", weight: 0.06, models: [("claude-3-5-haiku-latest", "anthropic", 1)], systemTokens: 500,
                inputMedian: 1400, inputSigma: 0.7, outputMedian: 300, outputSigma: 0.5, exactRepeat: 0.04, nearRepeat: 0.0,
                asyncEligible: true),
    ]
}

/// Question templates for synthetic prompt text; a paraphrase swaps words for synonyms.
enum PromptText {
    static let subjects = ["my account", "the invoice", "a refund", "the API key", "my subscription", "the export",
                           "two-factor login", "the dashboard", "a webhook", "the billing address", "my password",
                           "the mobile app", "a data import", "team permissions", "the usage report", "an order"]
    static let actions = ["reset", "cancel", "update", "download", "configure", "delete", "recover", "share", "renew", "verify"]
    static let templates = ["How do I %a %s?", "What is the fastest way to %a %s?", "Can you help me %a %s?",
                            "I need to %a %s, what are the steps?", "Why can't I %a %s?"]
    static let synonyms = [("How do I", "How can I"), ("fastest", "quickest"), ("help me", "assist me to"),
                           ("what are the steps", "how does it work"), ("Why can't I", "Why am I unable to")]

    static func question(_ index: Int) -> String {
        let template = templates[index % templates.count]
        let action = actions[(index / templates.count) % actions.count]
        let subject = subjects[(index / (templates.count * actions.count)) % subjects.count]
        return template.replacing("%a", with: action).replacing("%s", with: subject)
    }

    static func paraphrase(_ text: String, variant: Int) -> String {
        var result = text
        for (from, to) in synonyms where result.contains(from) { result = result.replacing(from, with: to) }
        return variant % 2 == 0 ? result.lowercased() : result + " Thanks!"
    }

    static func filler(words: Int, random: RandomSource) -> String {
        let vocabulary = ["the", "customer", "report", "quarter", "revenue", "system", "request", "latency", "model",
                          "policy", "update", "review", "team", "project", "document", "section", "result", "data"]
        return (0..<words).map { _ in vocabulary[random.integer(below: vocabulary.count)] }.joined(separator: " ")
    }
}
