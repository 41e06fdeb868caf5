/// Which providers may be priced from another provider's entries, and the spellings traces use.
///
/// genai-prices lists the hosts it knows per provider (`fallback_model_providers` in its feed:
/// Azure hosts OpenAI, Anthropic, DeepSeek, xAI and Moonshot models; Google Vertex hosts
/// Anthropic's); those come with the catalog. CostReplay adds only hosts that bill a model at
/// the model maker's list price, each with its source. Every other cross-provider price is
/// refused unless the user passes `--provider-fallback`. The table is in docs/prices.md.
public enum ProviderHosts {
    /// Hosts beyond the catalog's own, by provider id.
    public static let additional: [String: [String]] = [
        // Amazon Bedrock bills Anthropic's Claude models at Anthropic's list prices for on-demand,
        // in-region use (aws.amazon.com/bedrock/pricing, "Anthropic" table, against
        // docs.anthropic.com/en/docs/about-claude/pricing); the catalog's own aws entries come first.
        "aws": ["anthropic"],
    ]

    /// Provider spellings seen in traces that genai-prices' own `provider_match` rules miss.
    /// LiteLLM's `azure_ai` and `azure_openai` route to Azure (docs.litellm.ai/docs/providers/azure).
    public static let aliases: [String: String] = [
        "azure_openai": "azure",
        "azure_ai": "azure",
        "azure-openai": "azure",
    ]
}
