/// What the stored trace can feed: the facts `PlanSpace.defaults` chooses levers from.
public struct TraceProfile: Sendable, Codable, Equatable {
    public var requests: Int
    public var days: Double
    /// First call, microseconds since the epoch.
    public var firstMicros: Int64
    /// Computed (catalog) spend of the whole trace and per tag, USD.
    public var spend: Double
    public var spendByTag: [String: Double]
    public var requestsByTag: [String: Int]
    /// Per tag, the models with recorded outcomes (`correct:<model>`).
    public var outcomeModels: [String: [String]]
    public var withText: Int
    public var withMessages: Int
    public var sessions: Int
    public var toolSpans: Int
    /// Share of input tokens read from a provider cache as recorded.
    public var recordedCacheShare: Double

    /// Months the trace spans (30.44 days each), for monthly figures.
    public var months: Double { max(days, 1) / 30.44 }
}

extension TraceProfile {
    /// Reads the profile from a store with SQLite's JSON functions; spend comes from the cost report.
    public static func read(store: TraceStore, pricer: Pricer) throws -> TraceProfile {
        let db = store.database
        func int(_ sql: String) throws -> Int { Int(try db.scalar(sql) ?? 0) }
        let report = try CostCalculator(pricer: pricer).report(store: store, by: .tag, window: .init())
        var spendByTag: [String: Double] = [:], requestsByTag: [String: Int] = [:]
        for row in report.rows where row.key != "(none)" {
            spendByTag[row.key] = row.computedCost.dollars
            requestsByTag[row.key] = row.requests
        }
        var outcomes: [String: Set<String>] = [:]
        let statement = try db.prepare("""
            SELECT DISTINCT t.value, q.key FROM requests, json_each(requests.tags) t, json_each(requests.quality) q
            WHERE requests.kind = 'llm' AND requests.quality IS NOT NULL AND json_valid(requests.tags) AND json_valid(requests.quality)
            """)
        while try statement.step() {
            guard let tag = statement.string(0), let key = statement.string(1), key.hasPrefix("correct:") else { continue }
            outcomes[tag, default: []].insert(String(key.dropFirst("correct:".count)))
        }
        let span = try db.prepare("SELECT min(start_us), max(start_us) FROM requests WHERE kind = 'llm'")
        _ = try span.step()
        let days = Double(span.int64(1) - span.int64(0)) / 86_400e6
        let tokens = try db.prepare("SELECT coalesce(sum(input_tokens), 0), coalesce(sum(cache_read_tokens), 0) FROM requests WHERE kind = 'llm'")
        _ = try tokens.step()
        let input = tokens.double(0)
        return TraceProfile(
            requests: try int("SELECT count(*) FROM requests WHERE kind = 'llm'"), days: days, firstMicros: span.int64(0),
            spend: report.total.computedCost.dollars, spendByTag: spendByTag, requestsByTag: requestsByTag,
            outcomeModels: outcomes.mapValues { $0.sorted() },
            withText: try int("SELECT count(*) FROM requests WHERE kind = 'llm' AND prompt_text IS NOT NULL"),
            withMessages: try int("SELECT count(*) FROM requests WHERE kind = 'llm' AND messages IS NOT NULL"),
            sessions: try int("SELECT count(DISTINCT session_id) FROM requests WHERE session_id IS NOT NULL"),
            toolSpans: try int("SELECT count(*) FROM requests WHERE kind IN ('tool', 'retrieval')"),
            recordedCacheShare: input == 0 ? 0 : tokens.double(1) / input)
    }
}
