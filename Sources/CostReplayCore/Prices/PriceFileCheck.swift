/// Checks every number of a user's price file before any of it is used, so a hostile or
/// mistyped value is an error naming its place, never a trap or a silent zero.
///
/// Bounds: a token rate is at most $1,000,000 per million tokens (a thousand times the dearest
/// published rate) and never negative; factors (batch, service tiers) lie in 0…100; tier
/// thresholds are whole token counts up to ``TokenUsage/maximum``.
enum PriceFileCheck {
    static let maximumPerMillion = 1_000_000.0

    /// CostReplay's own format: `models[i].prices[j]` objects of genai-prices keys.
    static func ownFormat(_ root: JSONValue, path: String) throws(PriceError) {
        for (index, model) in (root["models"]?.elements ?? []).enumerated() {
            let place = "models[\(index)]"
            let prices = model["prices"].map { $0.isObject ? [$0] : $0.elements } ?? []
            for (i, price) in prices.enumerated() {
                for (key, value) in price.members where key.hasSuffix("_mtok") {
                    try tieredRate(value, at: "\(place).prices[\(i)].\(key)", path: path)
                }
                if let perThousand = price["requests_kcount"] {
                    _ = try number(perThousand, at: "\(place).prices[\(i)].requests_kcount", in: 0...maximumPerMillion, path: path)
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
        for (name, entry) in root.members where entry.isObject && name != "sample_spec" {
            for (key, value) in entry.members where key.contains("cost") && !value.isNull {
                _ = try number(value, at: "\(name).\(key)", in: 0...(maximumPerMillion / 1e6), path: path)
            }
        }
    }

    static func tieredRate(_ value: JSONValue, at place: String, path: String) throws(PriceError) {
        if value.isNull { return }
        if !value.isObject {
            _ = try number(value, at: place, in: 0...maximumPerMillion, path: path)
            return
        }
        guard let base = value["base"] else { throw .invalid(path: path, reason: "\(place): a tiered rate needs \"base\"") }
        _ = try number(base, at: "\(place).base", in: 0...maximumPerMillion, path: path)
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
