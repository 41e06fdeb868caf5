/// Model resolution, in genai-prices' order (genai_prices/data_snapshot.py `find_provider_model`,
/// types.py `Provider.find_model`) with CostReplay's rule that nothing is guessed silently.
///
/// 1. A user price file wins. 2. The named provider is found by id, then by its `provider_match`.
/// 3. Its models are tried in feed order (a dated name listed as its own entry resolves to it,
///    since entries for dated names come before the undated alias's prefix rule), then the models
///    of the providers it hosts, one step, then the same with a compact date (`-20251211`)
///    rewritten as `-2025-12-11`. 4. Without a provider, the first provider whose `model_match`
///    claims the name is used; a `provider/model` or `provider:model` prefix names the provider.
/// A match that is not one of the entry's listed names is priced with a note naming the entry.
/// Anything else is refused with the nearest entry named, unless `--provider-fallback` is set.
extension PriceCatalog {
    func resolveUncached(model: String, provider: String?) -> ModelResolution {
        if let hit = userModels.first(where: { ($0.provider.isEmpty || provider == nil || $0.provider == provider) && $0.match.matches(model) }) {
            return .found(hit)
        }
        var model = model
        var provider = provider?.trimmingCharacters(in: .whitespaces)
        // LiteLLM names the real provider in the model: "litellm" + "anthropic/claude-…" (data_snapshot.py).
        if provider == "litellm", let (prefix, rest) = Self.splitPrefix(model), providerEntry(prefix) != nil {
            provider = prefix
            model = rest
        }
        guard let provider else { return resolveWithoutProvider(model) }
        guard let entry = providerEntry(provider) else {
            return fallback(model, reason: .unknownProvider)
        }
        if let (pricing, host) = find(model, in: entry) {
            if host != nil { return .found(pricing, notes: [.hostedEntry(host: entry.id, entry: pricing.qualifiedID)], own: false) }
            return .found(pricing, notes: looseNote(model, pricing))
        }
        return fallback(model, reason: .providerLacksModel)
    }

    /// No provider recorded: the provider whose `model_match` claims the name, then a `provider/`
    /// prefix of the name, else any entry, with a note.
    func resolveWithoutProvider(_ model: String) -> ModelResolution {
        if let entry = providers.first(where: { $0.modelMatch.matches(model) }), let (pricing, host) = find(model, in: entry) {
            return .found(pricing, notes: looseNote(model, pricing), own: host == nil)
        }
        if let (prefix, rest) = Self.splitPrefix(model), providerEntry(prefix) != nil {
            return resolveUncached(model: rest, provider: prefix)
        }
        guard let pricing = anyEntry(model) else { return .refused(.unknownModel, nearest: nil) }
        return .found(pricing, notes: [.inferredProvider(entry: pricing.qualifiedID)], own: false)
    }

    /// Another provider's entry, only when the user allowed it; otherwise a refusal naming it.
    func fallback(_ model: String, reason: UnpricedReason) -> ModelResolution {
        let nearest = anyEntry(model)
        guard allowsProviderFallback, let nearest else { return .refused(nearest == nil ? .unknownModel : reason, nearest: nearest) }
        return .found(nearest, notes: [.providerFallback(entry: nearest.qualifiedID)], own: false)
    }

    /// A model of `entry`, or of a provider it hosts (then with that host's id); compact dates retried.
    /// CostReplay's own hosts (``ProviderHosts/additional``) come after all of genai-prices' steps.
    func find(_ model: String, in entry: ProviderEntry) -> (ModelPricing, String?)? {
        let names = [model, Self.dashedDate(model)].compactMap { $0 }
        for name in names {
            if let hit = entry.models.first(where: { $0.match.matches(name) }) { return (hit, nil) }
            if let hit = firstModel(name, of: entry.fallbacks) { return (hit, entry.id) }
        }
        for name in names {
            if let hit = firstModel(name, of: ProviderHosts.additional[entry.id] ?? []) { return (hit, entry.id) }
        }
        return nil
    }

    /// The first model matching `name` among the listed providers, in list order.
    func firstModel(_ name: String, of ids: [String]) -> ModelPricing? {
        for id in ids {
            if let other = providers.first(where: { $0.id == id }), let hit = other.models.first(where: { $0.match.matches(name) }) {
                return hit
            }
        }
        return nil
    }

    /// The first entry of any provider that matches: providers whose `model_match` claims the name
    /// first, then model makers, then providers that host others' models (Azure lists OpenAI's
    /// models too, at its own prices), each in feed order.
    func anyEntry(_ model: String) -> ModelPricing? {
        let names = [model, Self.dashedDate(model)].compactMap { $0 }
        let tiers: [(ProviderEntry) -> Bool] = [{ $0.modelMatch.matches(model) }, { $0.fallbacks.isEmpty }, { _ in true }]
        for tier in tiers {
            for name in names {
                for entry in providers where tier(entry) {
                    if let hit = entry.models.first(where: { $0.match.matches(name) }) { return hit }
                }
            }
        }
        return nil
    }

    /// genai-prices `find_provider_by_id`: an exact id first, then the first `provider_match`.
    func providerEntry(_ provider: String) -> ProviderEntry? {
        let id = ProviderHosts.aliases[provider] ?? provider
        return providers.first(where: { $0.id == id }) ?? providers.first(where: { $0.providerMatch.matches(id) })
    }

    func looseNote(_ model: String, _ pricing: ModelPricing) -> [PricingNote] {
        pricing.match.listsExactly(model) || pricing.id.lowercased() == model ? [] : [.looseMatch(entry: pricing.qualifiedID)]
    }

    /// `openai/gpt-4o` or `openai:gpt-4o` as (provider, model).
    static func splitPrefix(_ model: String) -> (String, String)? {
        guard let index = model.firstIndex(where: { $0 == "/" || $0 == ":" }) else { return nil }
        let rest = String(model[model.index(after: index)...])
        return rest.isEmpty ? nil : (String(model[..<index]), rest)
    }

    /// `gpt-5.2-20251211` as `gpt-5.2-2025-12-11` (genai-prices `_normalize_compact_dated_ref`), or nil when unchanged.
    static func dashedDate(_ model: String) -> String? {
        let bytes = Array(model.utf8)
        var out: [UInt8] = []
        var index = 0
        var changed = false
        while index < bytes.count {
            let end = index + 9
            if bytes[index] == UInt8(ascii: "-"), end <= bytes.count, bytes[index + 1..<end].allSatisfy({ $0 >= 48 && $0 <= 57 }),
               end == bytes.count || bytes[end] == UInt8(ascii: "-") || bytes[end] == UInt8(ascii: ":"),
               let digits = Int(String(decoding: bytes[index + 1..<end], as: UTF8.self)), Self.isDate(digits) {
                out += Array("-\(digits / 10000)-\(Self.two(digits / 100 % 100))-\(Self.two(digits % 100))".utf8)
                index = end
                changed = true
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return changed ? String(decoding: out, as: UTF8.self) : nil
    }

    /// A real calendar day `20YYMMDD`, as genai-prices' `date(year, month, day)` check.
    static func isDate(_ digits: Int) -> Bool {
        let year = digits / 10000, month = digits / 100 % 100, day = digits % 100
        guard (2000...2099).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
