extension PriceCatalog {
    /// Loads the genai-prices v2 feed (`[{id, provider_match, model_match, models: [...]}]`).
    func loadGenAIPrices(bytes: [UInt8], source: String) throws(PriceError) {
        let parser = JSONParser()
        let root: JSONValue
        do { root = try parser.parse(bytes) } catch {
            throw .invalid(path: source, reason: error.description)
        }
        guard root.isArray else { throw .invalid(path: source, reason: "expected an array of providers") }
        for provider in root.elements {
            let id = provider["id"]?.string ?? ""
            var entry = ProviderEntry(
                id: id, name: provider["name"]?.string ?? id, providerMatch: MatchClause.read(provider["provider_match"]),
                modelMatch: MatchClause.read(provider["model_match"]), models: [])
            let url = provider["pricing_urls"]?.elements.first?.string
            for model in provider["models"]?.elements ?? [] {
                guard let modelID = model["id"]?.string else { continue }
                let periods = try Self.readPeriods(model["prices"], source: source)
                guard !periods.isEmpty else { continue }
                var pricing = ModelPricing(
                    provider: id, id: modelID, name: model["name"]?.string, match: MatchClause.read(model["match"]),
                    periods: periods, contextWindow: model["context_window"]?.int64.map(Int.init),
                    source: source + (url.map { "; provider page \($0)" } ?? ""))
                pricing.batch = ProviderPolicy.batchFactors(provider: id)
                entry.models.append(pricing)
            }
            providers.append(entry)
        }
        addSource(source)
        invalidate()
    }

    /// Loads the batch / service-tier overlay derived from LiteLLM (scripts/build-rate-overlay.py).
    func loadOverlay(bytes: [UInt8]) throws(PriceError) {
        let parser = JSONParser()
        let root: JSONValue
        do { root = try parser.parse(bytes) } catch {
            throw .invalid(path: "rate-overlay.json", reason: error.description)
        }
        let source = root["source"]?.string ?? "rate overlay"
        for model in root["models"]?.elements ?? [] {
            guard let name = model["model"]?.string?.lowercased(), let input = model["input_mtok"]?.double,
                  let output = model["output_mtok"]?.double, input > 0, output > 0 else { continue }
            var entry = OverlayEntry(batch: nil, tiers: [:])
            func factors(_ key: StaticString) -> RateFactors? {
                guard let tier = model[key], let i = tier["input_mtok"]?.double, let o = tier["output_mtok"]?.double else { return nil }
                return RateFactors(input: i / input, output: o / output, source: source)
            }
            entry.batch = factors("batch")
            entry.tiers["priority"] = factors("priority")
            entry.tiers["flex"] = factors("flex")
            overlay[name] = entry
        }
        for index in providers.indices {
            for model in providers[index].models.indices { attachOverlay(&providers[index].models[model]) }
        }
        addSource(source + " (batch and service-tier rates)")
        invalidate()
    }

    /// Reads `prices`: one price object, or a list of conditional prices.
    static func readPeriods(_ value: JSONValue?, source: String) throws(PriceError) -> [PricePeriod] {
        guard let value else { return [] }
        if value.isObject { return [PricePeriod(constraint: .always, prices: try readPriceSet(value, source: source))] }
        var periods: [PricePeriod] = []
        for conditional in value.elements {
            guard let prices = conditional["prices"] else { continue }
            periods.append(PricePeriod(constraint: try readConstraint(conditional["constraint"], source: source),
                                       prices: try readPriceSet(prices, source: source)))
        }
        return periods
    }

    static func readConstraint(_ value: JSONValue?, source: String) throws(PriceError) -> PriceConstraint {
        guard let value, value.isObject else { return .always }
        if let text = value["start_date"]?.string ?? value["effective_from"]?.string {
            guard let micros = Timestamp.parseISO(text) else { throw .invalid(path: source, reason: "bad start_date \(text)") }
            return .from(micros)
        }
        if let start = value["start_time"]?.string, let end = value["end_time"]?.string,
           let s = secondOfDay(start), let e = secondOfDay(end) {
            return .timeOfDay(start: s, end: e)
        }
        return .always
    }

    static func secondOfDay(_ text: String) -> Int? {
        let parts = text.filter { $0 != "Z" }.split(separator: ":").compactMap { Int($0) }
        guard parts.count >= 2 else { return nil }
        return parts[0] * 3600 + parts[1] * 60 + (parts.count > 2 ? parts[2] : 0)
    }

    /// Reads one genai-prices `ModelPrice` (numbers or `{base, tiers}` per kind).
    static func readPriceSet(_ value: JSONValue, source: String) throws(PriceError) -> PriceSet {
        func tiered(_ key: StaticString) -> TieredRate? {
            guard let v = value[key], !v.isNull else { return nil }
            if let number = v.double { return TieredRate(base: TokenRate(dollarsPerMillion: number)) }
            guard let base = v["base"]?.double else { return nil }
            let tiers = (v["tiers"]?.elements ?? []).compactMap { tier -> TieredRate.Tier? in
                guard let start = tier["start"]?.int64, let price = tier["price"]?.double else { return nil }
                return TieredRate.Tier(aboveInputTokens: start, rate: TokenRate(dollarsPerMillion: price))
            }
            return TieredRate(base: TokenRate(dollarsPerMillion: base), tiers: tiers)
        }
        let input = tiered("input_mtok") ?? tiered("input_text_mtok") ?? TieredRate(base: .zero)
        let output = tiered("output_mtok") ?? tiered("output_text_mtok") ?? TieredRate(base: .zero)
        var set = PriceSet(input: input, output: output)
        set.cacheRead = tiered("cache_read_mtok") ?? tiered("cache_text_read_mtok")
        set.cacheWrite5m = tiered("cache_write_5m_mtok") ?? tiered("cache_write_mtok") ?? tiered("cache_text_write_mtok")
        set.cacheWrite1h = tiered("cache_write_1h_mtok") ?? tiered("cache_text_write_1h_mtok")
        set.outputReasoning = tiered("output_reasoning_mtok")
        if let perThousand = value["requests_kcount"]?.double { set.perRequest = Money(dollars: perThousand / 1000) }
        return set
    }
}

/// Provider rules that price lists do not carry.
enum ProviderPolicy {
    /// Batch discounts published by the providers, used where the overlay has no per-model rate:
    /// OpenAI Batch API, 50% off input and output (platform.openai.com/docs/guides/batch);
    /// Anthropic Message Batches, 50% of standard prices (docs.anthropic.com, batch processing);
    /// Google Gemini Batch Mode, 50% of the standard cost (ai.google.dev/gemini-api/docs/batch-mode).
    static func batchFactors(provider: String) -> RateFactors? {
        switch provider {
        case "openai", "azure":
            return RateFactors(input: 0.5, output: 0.5, source: "OpenAI Batch API: 50% discount")
        case "anthropic", "aws":
            return RateFactors(input: 0.5, output: 0.5, source: "Anthropic Message Batches: 50% of standard prices")
        case "google":
            return RateFactors(input: 0.5, output: 0.5, source: "Gemini Batch Mode: 50% of the standard cost")
        default:
            return nil
        }
    }
}
