import Statistics

/// The product features a synthetic trace mixes, each with its own models and token sources.
///
/// Token counts come from the fitted public distributions (`SynthCalibration`); what is assumed
/// here (the mix, the models, repeat rates, per-feature scale of the Azure context sizes) is
/// listed as an assumption in docs/synth.md.
struct Feature: Sendable {
    enum Shape: Sendable {
        /// Multi-turn conversation: ShareGPT turns and message sizes, history grows.
        case chat
        /// System prompt, retrieved chunks (role `context`, with scores), question; Mooncake prefix reuse.
        case rag
        /// An agent run: several model calls, each followed by a tool span.
        case agent
        /// One call whose prompt size is Azure's context size times `scale`.
        case single(scale: Double)
        /// A short labelling prompt (a ShareGPT user message) with a few output tokens.
        case classify
    }

    var name: String
    /// Share of conversations or runs (not of requests).
    var weight: Double
    var shape: Shape
    /// (model, provider, weight)
    var models: [(String, String, Double)]
    var systemTokens: Int64
    /// Probability that a conversation opens with a popular prompt exactly, and with a near repeat.
    var exactRepeat: Double
    var nearRepeat: Double
    var asyncEligible = false
    /// Which public evaluation's outcomes the feature's requests carry (RouteLLM), if any.
    var outcomes: String?

    /// The model recorded outcomes are drawn for, as the weak side of a RouteLLM pair.
    static let weakModel = "gpt-4o-mini"

    static let all: [Feature] = [
        Feature(name: "chat", weight: 0.30, shape: .chat,
                models: [("claude-sonnet-4-5", "anthropic", 0.55), ("gpt-4o", "openai", 0.45)],
                systemTokens: 900, exactRepeat: 0.04, nearRepeat: 0.06),
        Feature(name: "rag-qa", weight: 0.20, shape: .rag,
                models: [("gpt-4o", "openai", 0.6), ("gemini-2.5-flash", "google", 0.4)],
                systemTokens: 400, exactRepeat: 0.10, nearRepeat: 0.12),
        Feature(name: "agent", weight: 0.07, shape: .agent,
                models: [("claude-sonnet-4-5", "anthropic", 0.6), ("gpt-4o", "openai", 0.4)],
                systemTokens: 1200, exactRepeat: 0, nearRepeat: 0, outcomes: "gsm8k"),
        Feature(name: "extract", weight: 0.10, shape: .single(scale: 1.5),
                models: [("claude-3-5-haiku-latest", "anthropic", 0.5), ("gpt-4o-mini", "openai", 0.5)],
                systemTokens: 500, exactRepeat: 0.03, nearRepeat: 0),
        Feature(name: "classify", weight: 0.20, shape: .classify, models: [("gpt-4o", "openai", 1)],
                systemTokens: 300, exactRepeat: 0.20, nearRepeat: 0.05, outcomes: "mmlu"),
        Feature(name: "summarize", weight: 0.13, shape: .single(scale: 3),
                models: [("gpt-4o", "openai", 0.6), ("claude-sonnet-4-5", "anthropic", 0.4)],
                systemTokens: 250, exactRepeat: 0.02, nearRepeat: 0, asyncEligible: true),
    ]
}

/// Question templates for synthetic prompt text; a paraphrase swaps words for synonyms, a related
/// question changes the subject (close in wording, a different answer).
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

    /// The same question reworded: the same answer.
    static func paraphrase(_ text: String, variant: Int) -> String {
        var result = text
        for (from, to) in synonyms where result.contains(from) { result = result.replacing(from, with: to) }
        return variant % 2 == 0 ? result.lowercased() : result + " Thanks!"
    }

    /// The index of a question worded like `index` but about another subject: a different answer.
    static func related(_ index: Int, variant: Int) -> Int {
        let block = templates.count * actions.count
        return (index + block * (1 + variant % (subjects.count - 1))) % (block * subjects.count)
    }

    static func filler(words: Int, random: RandomSource) -> String {
        let vocabulary = ["the", "customer", "report", "quarter", "revenue", "system", "request", "latency", "model",
                          "policy", "update", "review", "team", "project", "document", "section", "result", "data"]
        return (0..<words).map { _ in vocabulary[random.integer(below: vocabulary.count)] }.joined(separator: " ")
    }
}
