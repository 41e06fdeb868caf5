import Foundation

/// The Langfuse endpoint that lists observations, and how a page of it is asked for.
///
/// Both serve the same observations under the same field names (v2 sends `input` and `output` as
/// the raw JSON text Langfuse stored, which ``LangfuseDecoder`` parses as it parses a CSV cell), so
/// an observation read through either is stored identically.
public enum LangfuseEndpoint: String, Codable, Sendable, CaseIterable {
    /// `GET /api/public/observations`: numbered pages (`page`, `limit`), every field. Deprecated by
    /// Langfuse, and the only one servers without the v2 API have.
    case v1
    /// `GET /api/public/v2/observations`: the next page named by the last one's `meta.cursor`, only the
    /// field groups asked for (`fields`), up to 1,000 a page.
    case v2

    /// The v2 field groups, as langfuse 5.0.4's client lists them (`observations.get_many`, `fields`).
    public static let fieldGroups = ["core", "basic", "time", "io", "metadata", "model", "usage", "prompt", "metrics",
                                     "trace_context"]

    /// The groups that hold what ``LangfuseDecoder`` reads: ids and times (core), name, user and session
    /// (basic), time to first token (time), the prompt and response (io: the cache, truncation and
    /// routing strategies replay prompts), metadata, the model, and usage and cost. Not prompt, metrics
    /// or trace_context: nothing reads them, and v1 sends no trace tags either.
    public static let defaultFields = ["core", "basic", "time", "io", "metadata", "model", "usage"]

    /// The groups without which a generation cannot be priced.
    public static let requiredFields = ["model", "usage"]

    /// Most observations one v2 page may hold.
    public static let maxV2Limit = 1000

    var path: String {
        switch self {
        case .v1: "api/public/observations"
        case .v2: "api/public/v2/observations"
        }
    }

    /// The URL of the window's next page: generations that started in [from, to), `limit` of them.
    func pageURL(base: URL, window: LangfuseAPISource.Window, limit: Int, fields: [String]) -> URL {
        var query = [("type", "GENERATION")]
        switch self {
        case .v1:
            query += [("page", String(window.nextPage)), ("limit", String(limit))]
        case .v2:
            query += [("fields", fields.joined(separator: ",")), ("limit", String(min(limit, Self.maxV2Limit)))]
            if let cursor = window.pageCursor { query.append(("cursor", cursor)) }
        }
        if let from = window.from { query.append(("fromStartTime", LangfuseAPISource.iso(from))) }
        query.append(("toStartTime", LangfuseAPISource.iso(window.to)))
        var parts = URLComponents(url: base.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        // Every value percent-encoded but the unreserved characters: a base64 cursor holds `+`, `/` and `=`.
        parts.percentEncodedQuery = query.map { name, value in
            name + "=" + (value.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? value)
        }.joined(separator: "&")
        return parts.url!
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
