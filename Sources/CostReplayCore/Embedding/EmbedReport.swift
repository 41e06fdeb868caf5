/// The text `costreplay embed` prints: what was embedded, what was reused, and what the embedding cost.
public enum EmbedReport {
    /// The catalog price of `tokens` input tokens of `model` today, or nil when the catalog does not list it.
    public static func cost(tokens: Double, model: String, pricer: Pricer) -> Money? {
        let million = pricer.price(PricingInput(model: model, provider: nil, startMicros: nil, usage: TokenUsage(input: 1_000_000, output: 0)))
        return million.cost.map { Money(dollars: $0.dollars * tokens / 1_000_000) }
    }

    public static func text(_ s: EmbedJob.Summary, job: EmbedJob, cost: Money?) -> String {
        let priced = cost.map { "$" + MoneyFormat.fixed($0.dollars, decimals: 4) + " at the catalog's input rate for \(job.model)" }
            ?? "not priced: \(job.model) is not in the price catalog (a local model costs no API fee; add a price with --prices)"
        return """
            embedding set "\(job.name)": \(job.model), \(s.dimension.map(String.init) ?? "?") dimensions, text \(job.textMode), stored as \(job.precision.rawValue)
            requests: \(MoneyFormat.count(s.requests)) (\(MoneyFormat.count(s.requestsWithText)) with text), distinct texts: \(MoneyFormat.count(s.uniqueTexts))
            embedded now: \(MoneyFormat.count(s.embedded)) in \(MoneyFormat.count(s.batches)) requests; already stored: \(MoneyFormat.count(s.alreadyStored))
            tokens embedded now: \(MoneyFormat.count(Int64(s.tokens.rounded()))); cost: \(priced)

            """
    }
}
