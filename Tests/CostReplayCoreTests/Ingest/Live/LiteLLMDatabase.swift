import Foundation
import TestSupport

/// A PostgreSQL server holding LiteLLM's SpendLogs table as the LiteLLM proxy creates and fills it,
/// and a read-only login for CostReplay.
final class LiteLLMDatabase {
    let server: PostgresServer
    static let readerPassword = "reader-Secret-42"

    init() throws {
        server = try PostgresServer()
        try server.psql("""
            CREATE ROLE litellm LOGIN PASSWORD 'litellm-owner';
            CREATE DATABASE litellm OWNER litellm;
            CREATE ROLE costreplay LOGIN PASSWORD '\(Self.readerPassword)';
            """)
        let schema = try String(contentsOfFile: Fixtures.upstream("litellm/spendlogs-schema.sql"), encoding: .utf8)
        try server.psql("SET ROLE litellm;\n" + schema + "\nGRANT SELECT ON \"LiteLLM_SpendLogs\" TO costreplay;", database: "litellm")
    }

    var url: String { server.url(user: "costreplay", database: "litellm") }
    var environment: [String: String] { ["PGPASSWORD": Self.readerPassword, "PGPASSFILE": "/nonexistent"] }

    /// Inserts the rows LiteLLM's `get_logging_payload` built (traces/fixtures/upstream/litellm) the way
    /// the proxy's Prisma client writes them: JSON fields as JSONB values, times as UTC `timestamp(3)`.
    /// `shift` moves every start and end later, `suffix` makes new request ids of the same calls.
    func insertFixtureRows(shiftSeconds: Int = 0, suffix: String = "") throws {
        let rows = try String(contentsOfFile: Fixtures.upstream("litellm/litellm-spendlogs.json"), encoding: .utf8)
        let shift = "interval '\(shiftSeconds) seconds'"
        try server.psql("""
            INSERT INTO "LiteLLM_SpendLogs"
            SELECT (jsonb_populate_record(NULL::"LiteLLM_SpendLogs",
                r - 'metadata' - 'messages' - 'response' - 'proxy_server_request' - 'request_tags' || jsonb_build_object(
                    'request_id', (r->>'request_id') || '\(suffix)',
                    'metadata', (r->>'metadata')::jsonb, 'messages', (r->>'messages')::jsonb,
                    'response', (r->>'response')::jsonb, 'proxy_server_request', (r->>'proxy_server_request')::jsonb,
                    'request_tags', (r->>'request_tags')::jsonb,
                    'startTime', ((r->>'startTime')::timestamptz AT TIME ZONE 'UTC') + \(shift),
                    'endTime', ((r->>'endTime')::timestamptz AT TIME ZONE 'UTC') + \(shift),
                    'completionStartTime', ((r->>'completionStartTime')::timestamptz AT TIME ZONE 'UTC') + \(shift),
                    'created_at', now(), 'updated_at', now()))).*
            FROM jsonb_array_elements($fixture$\(rows)$fixture$::jsonb) r;
            """, database: "litellm")
    }

    /// `count` plain OpenAI rows one second apart from `start`, ids `bulk-0001`…
    func insertBulkRows(_ count: Int, start: String = "2026-11-01 00:00:00", prefix: String = "bulk") throws {
        try server.psql("""
            INSERT INTO "LiteLLM_SpendLogs" (request_id, call_type, spend, total_tokens, prompt_tokens, completion_tokens,
                "startTime", "endTime", model, custom_llm_provider, cache_hit, metadata)
            SELECT '\(prefix)-' || lpad(g::text, 4, '0'), 'acompletion', 0.00021, 1100, 1000, 100,
                timestamp '\(start)' + g * interval '1 second', timestamp '\(start)' + g * interval '1 second' + interval '800 milliseconds',
                'gpt-4o-mini', 'openai', 'None',
                '{"usage_object": {"prompt_tokens": 1000, "completion_tokens": 100, "prompt_tokens_details": {"cached_tokens": 0}}}'
            FROM generate_series(1, \(count)) g;
            """, database: "litellm")
    }

    /// Ends CostReplay's session from the server's side, as a restart or a network failure would.
    @discardableResult
    func dropReaderConnections() throws -> String {
        try server.psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'costreplay'")
    }
}
