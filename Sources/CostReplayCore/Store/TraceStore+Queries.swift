extension TraceStore {
    /// A time window on request start, in microseconds; either end may be open.
    public struct TimeWindow: Sendable, Equatable {
        public var from: Int64?
        public var to: Int64?
        public init(from: Int64? = nil, to: Int64? = nil) {
            self.from = from
            self.to = to
        }

        var sql: String {
            var parts: [String] = []
            if let from { parts.append("start_us >= \(from)") }
            if let to { parts.append("start_us < \(to)") }
            return parts.isEmpty ? "" : " WHERE " + parts.joined(separator: " AND ")
        }
    }

    /// Requests whose start lies in `window`.
    public func requestCount(in window: TimeWindow) -> Int64 {
        (try? database.scalar("SELECT count(*) FROM requests\(window.sql)")) ?? 0
    }

    /// Every tag on a request in the window (one pass over the distinct tag lists, not the requests).
    public func distinctTags(in window: TimeWindow = TimeWindow()) throws -> Set<String> {
        let statement = try database.prepare("SELECT DISTINCT tags FROM requests\(window.sql)")
        let parser = JSONParser()
        defer { withExtendedLifetime(parser) {} }  // JSONValue holds the parser unowned
        var tags: Set<String> = []
        while try statement.step() {
            if let text = statement.string(0), let value = try? parser.parse(text) { tags.formUnion(value.elements.compactMap(\.string)) }
        }
        return tags
    }

    /// Streams the pricing columns of every request in start-time order (ties by id).
    public func forEachPricingRow(in window: TimeWindow = TimeWindow(), ordered: Bool = true, _ body: (PricingRow) throws -> Void) throws {
        let statement = try database.prepare("""
            SELECT id, kind, start_us, provider, model, service_tier, is_batch, cache_hit, input_tokens, cache_read_tokens,
                   cache_write_5m_tokens, cache_write_1h_tokens, output_tokens, reasoning_tokens, billed_cost_usd,
                   user_id, tenant_id, session_id, trace_id, tags
            FROM requests\(window.sql)\(ordered ? " ORDER BY start_us, id" : "")
            """)
        let parser = JSONParser()
        defer { withExtendedLifetime(parser) {} }  // JSONValue holds the parser unowned
        while try statement.step() {
            var usage: TokenUsage?
            if let input = statement.optionalInt64(8) {
                usage = TokenUsage(input: input, output: statement.int64(12), cacheRead: statement.int64(9),
                                   cacheWrite5m: statement.int64(10), cacheWrite1h: statement.int64(11),
                                   reasoning: statement.int64(13))
                try checkStored(usage!, id: statement.string(0))
            }
            var tags: [String] = []
            if let text = statement.string(19), let value = try? parser.parse(text) { tags = value.elements.compactMap(\.string) }
            try body(PricingRow(
                id: statement.string(0) ?? "", kind: RequestKind(rawValue: statement.string(1) ?? "") ?? .other,
                pricingInput: PricingInput(model: statement.string(4), provider: statement.string(3), startMicros: statement.optionalInt64(2),
                                           usage: usage, isBatch: statement.int64(6) != 0, serviceTier: statement.string(5),
                                           cacheHit: statement.int64(7) != 0),
                billedCost: statement.optionalDouble(14).map(Money.init(dollars:)),
                userID: statement.string(15), tenantID: statement.string(16), sessionID: statement.string(17),
                traceID: statement.string(18), tags: tags))
        }
    }

    /// Streams full records (for export) in start-time order.
    public func forEachRecord(in window: TimeWindow = TimeWindow(), _ body: (TraceRecord, SourceLocation?) throws -> Void) throws {
        try forEachRecord(in: window, columns: Schema.selectColumns, order: "start_us, id") { record, source in try body(record, source) }
    }

    /// ``forEachRecord(in:_:)`` without the fields no replay reads (``Schema/replayColumns``): they come back empty.
    /// The body owns each record, so the replay keeps it without copying its fields.
    func forEachReplayRecord(in window: TimeWindow, _ body: (consuming TraceRecord) throws -> Void) throws {
        var ties = TieOrder<TraceRecord>()
        try forEachRecord(in: window, columns: Schema.replayColumns, order: "start_us") { record, _ in
            try ties.add(record, start: record.startMicros, id: \.id, body)
        }
        try ties.flush(id: \.id, body)
    }

    /// ``forEachReplayRecord(in:_:)`` as ``SweepRow``s: the columns a replay made only of capacity sweeps uses.
    func forEachSweepRow(in window: TimeWindow, _ body: (consuming SweepRow) throws -> Void) throws {
        let statement = try database.prepare("SELECT \(Schema.sweepColumns) FROM requests\(window.sql) ORDER BY start_us")
        let parser = JSONParser()
        defer { withExtendedLifetime(parser) {} }  // JSONValue holds the parser unowned
        var memos = RequestColumnMemos()
        var ties = TieOrder<SweepRow>()
        while try statement.step() {
            let row = RequestColumns.sweepRow(from: statement, parser: parser, memos: &memos)
            if let usage = row.usage { try checkStored(usage, id: row.id) }
            // The start as stored (a row without one sorts first, as in the record read).
            try ties.add(row, start: statement.optionalInt64(Schema.sweepPositions[.start]), id: \.id, body)
        }
        try ties.flush(id: \.id, body)
    }

    private func forEachRecord(in window: TimeWindow, columns: String, order: String,
                               _ body: (consuming TraceRecord, SourceLocation?) throws -> Void) throws {
        let statement = try database.prepare("SELECT \(columns) FROM requests\(window.sql) ORDER BY \(order)")
        let parser = JSONParser()
        defer { withExtendedLifetime(parser) {} }  // JSONValue holds the parser unowned
        var memos = RequestColumnMemos()
        while try statement.step() {
            let (record, source) = RequestColumns.record(from: statement, parser: parser, memos: &memos)
            if let usage = record.usage { try checkStored(usage, id: record.id) }
            try body(record, source)
        }
    }

    /// Stored counts pass the same checks as ingest; rows written by older versions or by hand may
    /// not, and would overflow sums downstream.
    func checkStored(_ usage: TokenUsage, id: String?) throws(StoreError) {
        if let problem = usage.inconsistency {
            throw StoreError.badRow(path: database.path, id: id ?? "?", reason: "\(problem.field): \(problem.reason)")
        }
    }
}

/// Puts requests that start at the same microsecond in id order, as `ORDER BY start_us, id` would: for it SQLite sends
/// every row of the window through a temporary B-tree (about 0.8 CPU s per million rows). Ids are unique; SQLite's
/// BINARY collation compares their UTF-8 bytes.
struct TieOrder<Row> {
    private var ties: [Row] = []
    /// The start of the rows in `ties`, kept apart: `ties.first` would copy a whole row.
    private var start: Int64?

    /// Adds the next row in start order, first handing on the rows before it when it starts later.
    mutating func add(_ row: consuming Row, start: Int64?, id: (Row) -> String, _ body: (consuming Row) throws -> Void) throws {
        if !ties.isEmpty, self.start != start { try flush(id: id, body) }
        self.start = start
        ties.append(row)
    }

    mutating func flush(id: (Row) -> String, _ body: (consuming Row) throws -> Void) throws {
        if ties.count > 1 { ties.sort { id($1).utf8.lexicographicallyPrecedes(id($0).utf8) } }
        while let row = ties.popLast() { try body(row) }
    }
}
