extension PriceCatalog {
    /// Loads a catalog: CostReplay's envelope (`{"format": "costreplay-catalog/1", "catalog": {...},
    /// "providers": [...]}`, written by scripts/update-prices.py) or genai-prices' bare v2 feed
    /// (`[{id, provider_match, model_match, models: [...]}]`). Returns the envelope's description
    /// of the data (its `catalog` object's text fields), empty for a bare feed.
    @discardableResult
    mutating func loadGenAIPrices(bytes: [UInt8], source: String) throws(PriceError) -> [String: String] {
        let parser = JSONParser()
        defer { withExtendedLifetime(parser) {} }  // JSONValue holds the parser unowned
        let root: JSONValue
        do { root = try parser.parse(bytes) } catch {
            throw .invalid(path: source, reason: error.description)
        }
        let list = root.isObject ? root["providers"] : root
        guard let list, list.isArray else {
            throw .invalid(path: source, reason: "expected a genai-prices feed (an array of providers) or a costreplay-catalog/1 document")
        }
        var loaded: [ProviderEntry] = []
        for provider in list.elements {
            guard let id = provider["id"]?.string, provider["models"]?.isArray == true else {
                throw .invalid(path: source, reason: "providers[\(loaded.count)]: missing \"id\" or \"models\"")
            }
            var entry = ProviderEntry(
                id: id, name: provider["name"]?.string ?? id, providerMatch: MatchClause.read(provider["provider_match"]),
                modelMatch: MatchClause.read(provider["model_match"]), models: [],
                fallbacks: provider["fallback_model_providers"]?.elements.compactMap(\.string) ?? [])
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
                pricing.variants = try Self.readVariants(model["price_variants"], source: source)
                entry.models.append(pricing)
            }
            loaded.append(entry)
        }
        guard loaded.contains(where: { !$0.models.isEmpty }) else {
            throw .invalid(path: source, reason: "the catalog has no priced models")
        }
        providers.append(contentsOf: loaded)
        addSource(source)
        invalidate()
        var described: [String: String] = [:]
        for (key, value) in root.isObject ? root["catalog"]?.members ?? [] : [] { described[key] = value.string }
        return described
    }

    /// Reads `price_variants`: partial prices selected by exact request-context values.
    static func readVariants(_ value: JSONValue?, source: String) throws(PriceError) -> [PriceVariant] {
        var variants: [PriceVariant] = []
        for raw in value?.elements ?? [] {
            guard let prices = raw["prices"], let when = raw["when"], when.isObject else { continue }
            var context: [String: String] = [:]
            for (key, value) in when.members { if let text = value.string { context[key] = text } }
            let override = readOverride(prices)
            guard !context.isEmpty, !override.isEmpty else { continue }
            variants.append(PriceVariant(when: context, constraint: try readConstraint(raw["constraint"], source: source),
                                         prices: override))
        }
        return variants
    }

    /// Loads the batch / service-tier overlay derived from LiteLLM (scripts/build-rate-overlay.py).
    mutating func loadOverlay(bytes: [UInt8]) throws(PriceError) {
        let parser = JSONParser()
        defer { withExtendedLifetime(parser) {} }  // JSONValue holds the parser unowned
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
            for model in providers[index].models.indices { Self.attachOverlay(overlay, to: &providers[index].models[model]) }
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

    /// Seconds into the UTC day of `HH:MM[:SS][Z|±HH:MM]`, the feed's time-of-day format.
    static func secondOfDay(_ text: String) -> Int? {
        var clock = Substring(text)
        var offset = 0
        if clock.hasSuffix("Z") { clock = clock.dropLast() }
        if let sign = clock.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = clock[clock.index(after: sign)...].split(separator: ":").compactMap { Int($0) }
            guard zone.count == 2 else { return nil }
            offset = (zone[0] * 3600 + zone[1] * 60) * (clock[sign] == "+" ? 1 : -1)
            clock = clock[..<sign]
        }
        let parts = clock.split(separator: ":").map { Int($0) }
        guard parts.count >= 2, parts.count <= 3, !parts.contains(nil) else { return nil }
        let local = parts[0]! * 3600 + parts[1]! * 60 + (parts.count > 2 ? parts[2]! : 0)
        return ((local - offset) % 86_400 + 86_400) % 86_400
    }

    /// Reads one genai-prices `ModelPrice` (numbers or `{base, tiers}` per kind).
    static func readPriceSet(_ value: JSONValue, source: String) throws(PriceError) -> PriceSet {
        let rates = readOverride(value)
        var set = PriceSet(input: rates.input ?? TieredRate(base: .zero), output: rates.output ?? TieredRate(base: .zero))
        set.hasTokenRates = rates.input != nil || rates.output != nil
        set.isFree = value.members.isEmpty
        set.cacheRead = rates.cacheRead
        set.cacheWrite5m = rates.cacheWrite5m
        set.cacheWrite1h = rates.cacheWrite1h
        set.outputReasoning = rates.outputReasoning
        if let perThousand = value["requests_kcount"]?.double { set.perRequest = Money(dollars: perThousand / 1000) }
        return set
    }

    /// The token rates a price object names. `cache_write_mtok` is the rate of every cache write
    /// that has no TTL-specific rate (genai-prices prices the most specific unit it has, see
    /// genai_prices/decompose.py), so it stands in for the 5-minute rate here and for the 1-hour
    /// rate in ``Pricer``.
    static func readOverride(_ value: JSONValue) -> PriceOverride {
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
        var rates = PriceOverride()
        rates.input = tiered("input_mtok")
        rates.output = tiered("output_mtok")
        rates.cacheRead = tiered("cache_read_mtok")
        rates.cacheWrite5m = tiered("cache_write_5m_mtok") ?? tiered("cache_write_mtok")
        rates.cacheWrite1h = tiered("cache_write_1h_mtok")
        rates.outputReasoning = tiered("output_reasoning_mtok")
        return rates
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
