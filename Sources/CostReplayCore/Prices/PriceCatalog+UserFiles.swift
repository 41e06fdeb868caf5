extension PriceCatalog {
    /// Adds or overrides models from a `--prices` file: CostReplay's own format
    /// (`{"format": "costreplay-prices/1", "models": [...]}`, docs/prices.md) or LiteLLM's
    /// `model_prices_and_context_window.json` (an object keyed by model name).
    public mutating func loadUserFile(path: String) throws(PriceError) {
        let bytes: [UInt8]
        do { bytes = try LineReader(path: path).readAll(limit: 64 << 20) } catch {
            throw .unreadable(path: path, reason: PriceCatalog.reason(error))
        }
        let parser = JSONParser()
        defer { withExtendedLifetime(parser) {} }  // JSONValue holds the parser unowned
        let root: JSONValue
        do { root = try parser.parse(bytes) } catch {
            throw .invalid(path: path, reason: error.located(in: bytes))
        }
        guard root.isObject else { throw .invalid(path: path, reason: "expected a JSON object") }
        var added: [ModelPricing]
        if root["models"] != nil || root["format"] != nil {
            try PriceFileCheck.ownFormat(root, path: path)
            added = try readOwnFormat(root, path: path)
        } else {
            try PriceFileCheck.liteLLMFormat(root, path: path)
            added = try readLiteLLMFormat(root, path: path)
        }
        userModels = added + userModels
        addSource("\(path) (\(added.count) models)")
        invalidate()
    }

    func readOwnFormat(_ root: JSONValue, path: String) throws(PriceError) -> [ModelPricing] {
        let source = root["source"]?.string.map { "\(path): \($0)" } ?? path
        guard let models = root["models"], models.isArray else { throw .invalid(path: path, reason: "\"models\" must be an array") }
        var result: [ModelPricing] = []
        for (index, model) in models.elements.enumerated() {
            guard let id = model["id"]?.string ?? model["model"]?.string else {
                throw .invalid(path: path, reason: "models[\(index)]: missing \"id\"")
            }
            let names = [id] + (model["aliases"]?.elements.compactMap(\.string) ?? [])
            var periods: [PricePeriod] = []
            let rawPrices = model["prices"].map { $0.isObject ? [$0] : $0.elements } ?? []
            for (i, raw) in rawPrices.enumerated() {
                var constraint = PriceConstraint.always
                if let from = raw["effective_from"]?.string {
                    guard let micros = Timestamp.parseISO(from) else {
                        throw .invalid(path: path, reason: "models[\(index)].prices[\(i)]: bad effective_from \(from)")
                    }
                    constraint = .from(micros)
                }
                periods.append(PricePeriod(constraint: constraint, prices: try Self.readPriceSet(raw, source: path)))
            }
            periods.sort { Self.order($0.constraint) < Self.order($1.constraint) }
            guard !periods.isEmpty else { throw .invalid(path: path, reason: "models[\(index)] (\(id)): no prices") }
            var pricing = ModelPricing(provider: model["provider"]?.string?.lowercased() ?? "", id: id, name: nil,
                                       match: .or(names.map { .equals($0.lowercased()) }), periods: periods,
                                       contextWindow: nil, source: source)
            pricing.batch = readFactors(model["batch"], source: source) ?? ProviderPolicy.batchFactors(provider: pricing.provider)
            for (tier, value) in model["service_tiers"]?.members ?? [] {
                pricing.serviceTiers[tier] = readFactors(value, source: source)
            }
            result.append(pricing)
        }
        return result
    }

    func readFactors(_ value: JSONValue?, source: String) -> RateFactors? {
        guard let value, let input = value["input_factor"]?.double else { return nil }
        return RateFactors(input: input, output: value["output_factor"]?.double ?? input, source: source)
    }

    static func order(_ constraint: PriceConstraint) -> Int64 {
        if case .from(let micros) = constraint { return micros }
        return Int64.min
    }

    /// LiteLLM's per-token costs, scaled to per-million; `_above_Nk_tokens` keys become tiers.
    func readLiteLLMFormat(_ root: JSONValue, path: String) throws(PriceError) -> [ModelPricing] {
        var result: [ModelPricing] = []
        for (name, entry) in root.members where entry.isObject && name != "sample_spec" {
            if entry.members.isEmpty { throw PriceError.invalid(path: path, reason: "entry '\(name.prefix(60))' is empty; give input_cost_per_token and output_cost_per_token") }
            // Entries priced otherwise (per character, per image) are left to the catalog.
            guard let input = entry["input_cost_per_token"]?.double, let output = entry["output_cost_per_token"]?.double else {
                continue
            }
            func rate(_ key: String) -> TokenRate? { entry[key]?.double.map { TokenRate(dollarsPerMillion: $0 * 1e6) } }
            func tiered(_ key: String, base: TokenRate) -> TieredRate {
                var tiers: [TieredRate.Tier] = []
                for (member, value) in entry.members where member.hasPrefix(key + "_above_") && member.hasSuffix("k_tokens") {
                    let digits = member.dropFirst(key.count + 7).dropLast(8)
                    if let thousands = Int64(digits), let price = value.double {
                        tiers.append(.init(aboveInputTokens: thousands * 1000, rate: TokenRate(dollarsPerMillion: price * 1e6)))
                    }
                }
                return TieredRate(base: base, tiers: tiers)
            }
            var set = PriceSet(input: tiered("input_cost_per_token", base: TokenRate(dollarsPerMillion: input * 1e6)),
                               output: tiered("output_cost_per_token", base: TokenRate(dollarsPerMillion: output * 1e6)))
            set.cacheRead = rate("cache_read_input_token_cost").map { tiered("cache_read_input_token_cost", base: $0) }
            set.cacheWrite5m = rate("cache_creation_input_token_cost").map { TieredRate(base: $0) }
            set.cacheWrite1h = rate("cache_creation_input_token_cost_above_1hr").map { TieredRate(base: $0) }
            set.outputReasoning = rate("output_cost_per_reasoning_token").map { TieredRate(base: $0) }
            let provider = entry["litellm_provider"]?.string?.lowercased() ?? ""
            var pricing = ModelPricing(provider: provider, id: name, name: nil, match: .equals(name.lowercased()),
                                       periods: [PricePeriod(constraint: .always, prices: set)], contextWindow: nil,
                                       source: "\(path) (LiteLLM format)")
            if let bi = entry["input_cost_per_token_batches"]?.double, let bo = entry["output_cost_per_token_batches"]?.double,
               input > 0, output > 0 {
                pricing.batch = RateFactors(input: bi / input, output: bo / output, source: path)
            } else {
                pricing.batch = ProviderPolicy.batchFactors(provider: provider)
            }
            for tier in ["priority", "flex"] {
                if let ti = entry["input_cost_per_token_\(tier)"]?.double, let to = entry["output_cost_per_token_\(tier)"]?.double,
                   input > 0, output > 0 {
                    pricing.serviceTiers[tier] = RateFactors(input: ti / input, output: to / output, source: path)
                }
            }
            result.append(pricing)
        }
        guard !result.isEmpty else {
            throw PriceError.invalid(path: path, reason: "no entry has both input_cost_per_token and output_cost_per_token (LiteLLM format)")
        }
        return result.sorted { $0.id < $1.id }
    }

    static func reason(_ error: any Error) -> String {
        if let ingest = error as? IngestError, case .unreadable(_, let reason) = ingest { return reason }
        return "\(error)"
    }
}
