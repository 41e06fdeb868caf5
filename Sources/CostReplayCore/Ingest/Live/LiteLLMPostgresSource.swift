import Foundation

/// Reads LiteLLM's `LiteLLM_SpendLogs` table from PostgreSQL, incrementally.
///
/// Rows are read in (`startTime`, `request_id`) order, the order of LiteLLM's own index
/// `LiteLLM_SpendLogs_startTime_request_id_idx`, a page at a time; each page is decoded by
/// ``LiteLLMDecoder`` (the reader of SpendLogs exports) and committed with the watermark, the
/// last row's (`startTime`, `request_id`). LiteLLM writes a row when a call ends, through a
/// batching queue, so a row can arrive with a `startTime` before the watermark: each run reads
/// again from `overlap` before the watermark, and the store's unique ids keep those rows once.
/// Column set: LiteLLM 1.110.2 (schema.prisma; migrations of litellm-proxy-extras 0.4.110); every
/// column present is read, so older and newer releases work too.
public struct LiteLLMPostgresSource {
    public var url: String
    public var pageSize = 1000
    /// How far before the watermark each run reads again, in seconds.
    public var overlapSeconds = 3600.0
    /// Waits before each reconnection attempt after the server dropped the connection.
    public var retryDelays: [Double] = [1, 2, 4]
    /// Called after each committed page with the rows of this run so far (tests drop connections here).
    public var afterPage: ((Int) -> Void)?

    public init(url: String) { self.url = url }

    /// Where the last run stopped: the last row's start (PostgreSQL text) and id, and rows read in all runs.
    struct Watermark: Codable, Equatable {
        var startTime: String
        var requestID: String
        var rows: Int
    }

    static let query = """
        SELECT (to_jsonb(l) - 'proxy_server_request' - 'api_key' || jsonb_build_object(
                    'startTime', to_char(l."startTime", 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                    'endTime', to_char(l."endTime", 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                    'completionStartTime', to_char(l."completionStartTime", 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))::text,
               to_char(l."startTime", 'YYYY-MM-DD HH24:MI:SS.US'), l.request_id
        FROM "LiteLLM_SpendLogs" l
        WHERE (l."startTime", l.request_id) > ($1::timestamp - make_interval(secs => $2::float8), $3)
        ORDER BY l."startTime", l.request_id
        LIMIT $4
        """

    /// Reads every row after the saved watermark into the ingestor's store; returns this run's summary.
    public func run(store: TraceStore, ingestor: Ingestor) throws -> IngestSummary {
        let connection = try PostgresConnection(url: url)
        let source = "litellm-postgres:" + connection.displayName
        ingestor.beginLive(source: source)
        let saved = try store.cursor(source: source)
        var mark = Watermark(startTime: "-infinity", requestID: "", rows: 0)
        if let saved {
            guard let decoded = try? JSONDecoder().decode(Watermark.self, from: Data(saved.utf8)) else {
                throw LiveSourceError.badCursor(source: source, position: saved)
            }
            mark = decoded
        }
        var decoder = LiteLLMDecoder()
        var position = (start: mark.startTime, id: saved == nil || overlapSeconds == 0 ? mark.requestID : "",
                        overlap: saved == nil ? 0 : overlapSeconds)
        var rowsThisRun = 0
        while true {
            let rows = try page(connection, source: source, position, rowsThisRun: rowsThisRun)
            if rows.count == 0 { break }
            for index in 0..<rows.count {
                try rows.withBytes(index, 0) { bytes in
                    try ingestor.ingestLive(json: bytes, source: source, row: mark.rows + index + 1, decoder: &decoder)
                }
            }
            let lastStart = rows.text(rows.count - 1, 1) ?? mark.startTime, lastID = rows.text(rows.count - 1, 2) ?? ""
            mark = Watermark(startTime: lastStart, requestID: lastID, rows: mark.rows + rows.count)
            try ingestor.commitLive(source: source, position: String(decoding: try JSONEncoder().encode(mark), as: UTF8.self))
            rowsThisRun += rows.count
            afterPage?(rowsThisRun)
            if rows.count < pageSize { break }
            position = (start: lastStart, id: lastID, overlap: 0)
        }
        return try ingestor.finishLive(source: source, format: .litellm)
    }

    /// One page after `position`; reconnects after a dropped connection and asks again.
    func page(_ connection: PostgresConnection, source: String, _ position: (start: String, id: String, overlap: Double),
              rowsThisRun: Int) throws(LiveSourceError) -> PostgresRows {
        let parameters = [position.start, String(position.overlap), position.id, String(pageSize)]
        var delays = retryDelays[...]
        while true {
            do {
                return try connection.query(Self.query, parameters)
            } catch {
                guard connection.isBroken else { throw error }
                guard let delay = delays.popFirst() else {
                    throw .connectionLost(source: connection.displayName, rowsStored: rowsThisRun, reason: connection.lastError)
                }
                Thread.sleep(forTimeInterval: delay)
                _ = connection.reset()
            }
        }
    }
}
