/// Checks every number of a user's price file before any of it is used, so a hostile or
/// mistyped value is an error naming its place, never a trap or a silent zero.
///
/// Bounds: a token rate is at most $1,000,000 per million tokens (a thousand times the dearest
/// published rate) and never negative; factors (batch, service tiers) lie in 0…100; tier
/// thresholds are whole token counts up to ``TokenUsage/maximum``.
enum PriceFileCheck {
    static let maximumPerMillion = 1_000_000.0
    /// The members a model entry of CostReplay's format may have; a misspelt one would otherwise be dropped.
    static let modelKeys = ["id", "model", "provider", "aliases", "prices", "batch", "service_tiers"]
    /// genai-prices' price keys: those CostReplay prices, the audio rates it accepts but does not price, and the date.
    static let priceKeys = ["input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok", "cache_write_5m_mtok",
                            "cache_write_1h_mtok", "output_reasoning_mtok", "input_audio_mtok", "cache_audio_read_mtok",
                            "output_audio_mtok", "requests_kcount", "effective_from"]

    /// CostReplay's own format: `models[i].prices[j]` objects of genai-prices keys.
    static func ownFormat(_ root: JSONValue, path: String) throws(PriceError) {
        for (key, _) in root.members where !["format", "source", "models"].contains(key) {
            throw .invalid(path: path, reason: "unknown key '\(key.prefix(40))'; expected format, source, models"
                + ScenarioLoader.suggestion(key, ["format", "source", "models"]))
        }
        if let format = root["format"], format.string != "costreplay-prices/1" {
            throw .invalid(path: path, reason: "format \(format.json.prefix(40)) is not supported; expected \"costreplay-prices/1\"")
        }
        guard let models = root["models"], models.isArray, !models.elements.isEmpty else {
            throw .invalid(path: path, reason: "\"models\" must be a non-empty list")
        }
        for (index, model) in models.elements.enumerated() {
            let place = "models[\(index)]"
            guard model.isObject else { throw .invalid(path: path, reason: "\(place): expected an object") }
            for (key, _) in model.members where !modelKeys.contains(key) {
                throw .invalid(path: path, reason: "\(place): unknown key '\(key.prefix(40))'" + ScenarioLoader.suggestion(key, modelKeys)
                    + "; a model has \(modelKeys.joined(separator: ", "))")
            }
            guard let id = model["id"]?.string ?? model["model"]?.string, !id.trimmingSpaces.isEmpty else {
                throw .invalid(path: path, reason: "\(place): \"id\" must be a non-empty string")
            }
            if let aliases = model["aliases"], !aliases.isNull, !aliases.isArray || aliases.elements.contains(where: { $0.string == nil }) {
                throw .invalid(path: path, reason: "\(place).aliases: expected a list of names")
            }
            guard let rawPrices = model["prices"], rawPrices.isObject || (rawPrices.isArray && !rawPrices.elements.isEmpty) else {
                throw .invalid(path: path, reason: "\(place).prices: expected a price object or a non-empty list of them")
            }
            let prices = rawPrices.isObject ? [rawPrices] : rawPrices.elements
            var starts: Set<String> = []
            for (i, price) in prices.enumerated() {
                let at = "\(place).prices[\(i)]"
                guard price.isObject else { throw .invalid(path: path, reason: "\(at): expected an object") }
                for (key, _) in price.members where !priceKeys.contains(key) {
                    throw .invalid(path: path, reason: "\(at): unknown key '\(key.prefix(40))'" + ScenarioLoader.suggestion(key, priceKeys)
                        + "; a price names \(priceKeys.joined(separator: ", ")) (docs/prices.md)")
                }
                guard price.members.contains(where: { $0.0.hasSuffix("_mtok") || $0.0 == "requests_kcount" }) else {
                    throw .invalid(path: path, reason: "\(at): names no rate")
                }
                let from = price["effective_from"]?.string ?? ""
                guard starts.insert(from).inserted else {
                    throw .invalid(path: path, reason: "\(at): a second price from \(from.isEmpty ? "the beginning" : from)")
                }
                for (key, value) in price.members where key.hasSuffix("_mtok") {
                    try tieredRate(value, at: "\(at).\(key)", path: path)
                }
                if let perThousand = price["requests_kcount"] {
                    _ = try number(perThousand, at: "\(at).requests_kcount", in: 0...maximumPerMillion, path: path)
                }
            }
            if let batch = model["batch"] { try factors(batch, at: "\(place).batch", path: path) }
            for (tier, value) in model["service_tiers"]?.members ?? [] {
                try factors(value, at: "\(place).service_tiers.\(tier)", path: path)
            }
        }
    }

    /// LiteLLM's format: every `…cost…` member of a model entry is dollars per token.
    static func liteLLMFormat(_ root: JSONValue, path: String) throws(PriceError) {
        guard !root.members.isEmpty else { throw .invalid(path: path, reason: "names no models") }
        for (name, entry) in root.members where name != "sample_spec" {
            guard entry.isObject else { throw .invalid(path: path, reason: "\(name.prefix(60)): expected an object of prices") }
            // Costs per token are what CostReplay reads; other cost entries (per query, per image, nested
            // objects) are skipped by the loader but must still not be nonsense when they are numbers.
            for (key, value) in entry.members where key.contains("cost") && !value.isNull && !value.isObject && !value.isArray {
                let perToken = key.contains("per_token") || key.hasSuffix("token_cost") || key.contains("token_cost_")
                _ = try number(value, at: "\(name).\(key)", in: 0...(perToken ? maximumPerMillion / 1e6 : maximumPerMillion), path: path)
                if key.contains("_above_"), key.hasSuffix("k_tokens"), let last = key.split(separator: "_above_").last {
                    let digits = last.dropLast(8)
                    guard let thousands = Int64(digits), thousands > 0 else {
                        throw .invalid(path: path, reason: "\(name).\(key): a tier is named _above_<N>k_tokens with N > 0")
                    }
                }
            }
        }
    }

    /// A catalog feed (genai-prices' data or scripts/update-prices.py output) before it is installed: every
    /// rate anywhere in it is a number (or tiered rate) within bounds, so a bad feed never replaces a good one.
    static func feed(_ root: JSONValue, path: String) throws(PriceError) {
        func walk(_ value: JSONValue, at place: String) throws(PriceError) {
            if value.isArray {
                for (i, element) in value.elements.enumerated() { try walk(element, at: "\(place)[\(i)]") }
            } else if value.isObject {
                for (key, member) in value.members {
                    let here = place.isEmpty ? key : "\(place).\(key)"
                    if key.hasSuffix("_mtok") {
                        try tieredRate(member, at: here, path: path)
                    } else if key == "requests_kcount" {
                        if !member.isNull { _ = try number(member, at: here, in: 0...maximumPerMillion, path: path) }
                    } else {
                        try walk(member, at: here)
                    }
                }
            }
        }
        try walk(root, at: "")
    }

    static func tieredRate(_ value: JSONValue, at place: String, path: String) throws(PriceError) {
        if value.isNull { return }
        if !value.isObject {
            _ = try number(value, at: place, in: 0...maximumPerMillion, path: path)
            return
        }
        guard let base = value["base"] else { throw .invalid(path: path, reason: "\(place): a tiered rate needs \"base\"") }
        _ = try number(base, at: "\(place).base", in: 0...maximumPerMillion, path: path)
        if let tiers = value["tiers"], !tiers.isNull, !tiers.isArray {
            throw .invalid(path: path, reason: "\(place).tiers: expected a list of {start, price}")
        }
        for (i, tier) in (value["tiers"]?.elements ?? []).enumerated() {
            guard let start = tier["start"], let price = tier["price"] else {
                throw .invalid(path: path, reason: "\(place).tiers[\(i)]: a tier needs \"start\" and \"price\"")
            }
            let tokens = try number(start, at: "\(place).tiers[\(i)].start", in: 0...Double(TokenUsage.maximum), path: path)
            guard tokens.rounded() == tokens else {
                throw .invalid(path: path, reason: "\(place).tiers[\(i)].start: expected a whole number of tokens, found \(start.json.prefix(40))")
            }
            _ = try number(price, at: "\(place).tiers[\(i)].price", in: 0...maximumPerMillion, path: path)
        }
    }

    static func factors(_ value: JSONValue, at place: String, path: String) throws(PriceError) {
        for key in ["input_factor", "output_factor"] {
            if let factor = value[key] { _ = try number(factor, at: "\(place).\(key)", in: 0...100, path: path) }
        }
    }

    static func number(_ value: JSONValue, at place: String, in range: ClosedRange<Double>, path: String) throws(PriceError) -> Double {
        guard value.type != .string, value.type != .bool, let number = value.double, number.isFinite else {
            throw .invalid(path: path, reason: "\(place): expected a number, found \(value.json.prefix(40))")
        }
        guard range.contains(number) else {
            throw .invalid(path: path, reason: "\(place): \(JSONText.number(number)) is out of range \(JSONText.number(range.lowerBound))…\(JSONText.number(range.upperBound))")
        }
        return number
    }
}
