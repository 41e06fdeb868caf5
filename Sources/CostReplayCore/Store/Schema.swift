/// The store's tables, created or migrated when a database is opened.
///
/// One row per request or structural span in `requests`; rejected input in `rejects` so
/// nothing a user gave is lost; one row per ingested file in `sources`; the read position of
/// each live source in `cursors`.
enum Schema {
    static let version = 1

    static let statements = [
        """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS requests (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL,
            kind TEXT NOT NULL,
            format TEXT NOT NULL,
            source_file TEXT,
            source_line INTEGER,
            trace_id TEXT, parent_id TEXT, session_id TEXT, user_id TEXT, tenant_id TEXT,
            name TEXT, operation TEXT, tags TEXT,
            start_us INTEGER, end_us INTEGER, first_token_us INTEGER,
            provider TEXT, model TEXT, request_model TEXT, service_tier TEXT,
            is_batch INTEGER NOT NULL DEFAULT 0,
            input_tokens INTEGER, cache_read_tokens INTEGER, cache_write_5m_tokens INTEGER,
            cache_write_1h_tokens INTEGER, output_tokens INTEGER, reasoning_tokens INTEGER,
            billed_cost_usd REAL, billed_cost_source TEXT,
            prompt_text TEXT, response_text TEXT, prompt_hash TEXT, response_hash TEXT,
            messages TEXT, prefix_hashes BLOB, prefix_block_tokens INTEGER, embedding BLOB,
            quality TEXT, attributes TEXT, cache_hit INTEGER NOT NULL DEFAULT 0
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS rejects (
            source_file TEXT NOT NULL, line INTEGER NOT NULL, item INTEGER NOT NULL DEFAULT 0,
            field TEXT, reason TEXT NOT NULL, raw TEXT,
            PRIMARY KEY (source_file, line, item)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS sources (
            path TEXT PRIMARY KEY, format TEXT NOT NULL, records_read INTEGER NOT NULL,
            stored INTEGER NOT NULL, rejected INTEGER NOT NULL, duplicates INTEGER NOT NULL
        )
        """,
        // Where each live source (a database table, an API) was read up to; moved in the same
        // transaction as the records it covers, so a crash never skips or repeats a page.
        """
        CREATE TABLE IF NOT EXISTS cursors (source TEXT PRIMARY KEY, position TEXT NOT NULL)
        """,
    ] + embeddingStatements

    /// Embeddings made by `costreplay embed`: vectors keyed by (model key, text hash), so an identical text is
    /// embedded once whatever request it came from; each named set maps requests to text hashes.
    static let embeddingStatements = [
        """
        CREATE TABLE IF NOT EXISTS embedding_sets (
            name TEXT PRIMARY KEY, model TEXT NOT NULL, model_key TEXT NOT NULL, endpoint TEXT NOT NULL,
            dimension INTEGER, text_mode TEXT NOT NULL, precision TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS embedding_vectors (
            model_key TEXT NOT NULL, text_hash TEXT NOT NULL, dimension INTEGER NOT NULL, tokens REAL NOT NULL,
            vector BLOB NOT NULL, PRIMARY KEY (model_key, text_hash)
        ) WITHOUT ROWID
        """,
        """
        CREATE TABLE IF NOT EXISTS request_embeddings (
            name TEXT NOT NULL, request_id TEXT NOT NULL, text_hash TEXT NOT NULL, PRIMARY KEY (name, request_id)
        ) WITHOUT ROWID
        """,
    ]

    /// What makes ids unique and re-ingest idempotent (`INSERT OR IGNORE`); stores made before it keep the column
    /// constraint's automatic index, `sqlite_autoindex_requests_1`, which does the same. A store has it before any
    /// row is written incrementally (``TraceStore/ensureUniqueIDs()``). A bulk load finds repeats with ``SeenIDs``
    /// instead and leaves the index to the first incremental writer: once the load's decoding no longer bound it,
    /// the index's insert a row was the writer's largest cost after SQLite's own row insert (session 11), and its
    /// sorted build at the end a tenth of the load (session 13, docs/performance.md).
    static let uniqueID = "CREATE UNIQUE INDEX IF NOT EXISTS requests_id ON requests(id)"

    /// Indexes built after every ingest; reads in start order and time windows use them.
    static let indexes = [
        "CREATE INDEX IF NOT EXISTS requests_start ON requests(start_us)",
        // An index on trace_id, which no query reads, cost 0.45 s of every million-row load until `ingest4`:
        // stores made before lose it at their next ingest.
        "DROP INDEX IF EXISTS requests_trace",
    ]

    /// The columns of `requests` a record fills, in ``TraceField`` order: the order ``RequestRows`` encodes them,
    /// ``RequestColumns`` reads them and the insert binds them.
    static let requestColumns = TraceField.allCases.map(\.column)

    /// The insert ``RequestRows`` binds, one parameter per column of ``requestColumns``.
    static let insertRequest = "INSERT OR IGNORE INTO requests (\(selectColumns)) VALUES ("
        + Array(repeating: "?", count: requestColumns.count).joined(separator: ",") + ")"

    /// A plain insert of `count` rows in one statement (a bulk load, which has no unique index to ignore by).
    static func insertRequests(count: Int) -> String {
        let row = "(" + Array(repeating: "?", count: requestColumns.count).joined(separator: ",") + ")"
        return "INSERT INTO requests (\(selectColumns)) VALUES " + Array(repeating: row, count: count).joined(separator: ",")
    }

    /// Columns read back into a full ``TraceRecord``, in ``RequestColumns`` order.
    static let selectColumns = requestColumns.joined(separator: ", ")

    /// The fields ``RequestColumns/sweepRow(from:parser:memos:)`` reads, at the positions of ``sweepPositions``.
    static let sweepFields: [TraceField] = [
        .id, .kind, .start, .end, .sessionID, .traceID, .userID, .tenantID, .provider, .model, .serviceTier, .batch, .cacheHit,
        .inputTokens, .cacheReadTokens, .cacheWrite5mTokens, .cacheWrite1hTokens, .outputTokens, .reasoningTokens, .billedCost,
        .prompt, .promptHash, .responseHash, .messages, .attributes,
    ]
    static let sweepColumns = sweepFields.map(\.column).joined(separator: ", ")
    static let sweepPositions = FieldPositions(sweepFields)

    /// ``selectColumns`` with NULL in place of the columns no replay reads (format, source, first token, requested
    /// model, billing source, response text), so ``RequestColumns`` reads both by the same positions.
    static let replayColumns = TraceField.allCases.map {
        [.format, .sourceFile, .sourceLine, .firstToken, .requestModel, .billedCostSource, .response].contains($0) ? "NULL" : $0.column
    }.joined(separator: ", ")
}
