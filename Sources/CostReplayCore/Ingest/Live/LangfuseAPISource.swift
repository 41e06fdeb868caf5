import Foundation

/// Reads Langfuse generations through its public API incrementally: `GET /api/public/v2/observations`
/// when the server has it, else `GET /api/public/observations` (``LangfuseEndpoint``).
///
/// Each run reads one time window, `fromStartTime` (the end of the last window, less `overlap`:
/// observations reach the API minutes after they happen) to `toStartTime` (now, or `until`),
/// page by page, generations only. A page is decoded by ``LangfuseDecoder``, the reader of exported
/// API pages, only once its whole body has arrived and parsed, and is committed with the cursor: the
/// window, the endpoint and the next page (v1's number, v2's `meta.cursor`). A run that stops
/// part-way (a crash, an error, Ctrl-C) leaves that cursor, and the next run finishes the window,
/// through the same endpoint, before it opens a new one. Both endpoints order by start time, newest
/// first. v1 numbers pages from the newest observation, so one arriving late in the window moves
/// older ones to later pages: those are read twice and counted as duplicates, never skipped. v2's
/// cursor names the last observation read, so nothing is read twice; a late arrival newer than the
/// cursor is read by the next run's overlap, as with v1.
public struct LangfuseAPISource {
    public var host: String
    public var publicKey: String
    public var secretKey: String
    public var pageSize = 100
    public var overlapSeconds = 3600.0
    /// Start of the first window, when the store has no cursor yet (default: everything).
    public var since: Int64?
    /// End of new windows (default: now).
    public var until: Int64?
    /// The endpoint to read; nil: v2, or v1 when the server answers v2 with 404 or 501.
    public var endpoint: LangfuseEndpoint?
    /// The v2 field groups asked for.
    public var fields = LangfuseEndpoint.defaultFields
    public var retry = HTTPGetter.RetryPolicy()
    /// Waits between attempts; tests record them.
    public var sleep: (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }
    /// Called after each committed page with the pages of this run so far.
    public var afterPage: ((Int) -> Void)?
    /// Told what a person should know that is no error: the fall-back to v1.
    public var notice: ((String) -> Void)?
    var now: () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000_000) }

    public init(host: String, publicKey: String, secretKey: String) {
        self.host = host
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// The read position kept in the store's `cursors` table.
    struct Cursor: Codable, Equatable {
        /// The window being read (`from` nil: from the beginning); nil between windows.
        var window: Window?
        /// End of the last window read to its last page.
        var completedUntil: Int64?
        /// Pages read in all runs, to number them in rejections.
        var pages = 0
    }

    struct Window: Codable, Equatable {
        var from: Int64?
        var to: Int64
        /// The number of the next page: v1 asks for it, v2 names it in messages.
        var nextPage: Int
        /// nil in cursors saved before v2 was read: v1.
        var endpoint: LangfuseEndpoint?
        /// v2: the `meta.cursor` of the last page read; nil before the first page.
        var pageCursor: String?

        init(from: Int64?, to: Int64, endpoint: LangfuseEndpoint) {
            self.from = from
            self.to = to
            self.nextPage = 1
            self.endpoint = endpoint
        }

        var api: LangfuseEndpoint { endpoint ?? .v1 }
    }

    /// What one run has learnt about the server.
    struct RunState {
        var pages = 0
        /// The server answered v2 with 404 or 501 in this run.
        var noV2 = false
    }

    /// The host as shown and stored: without a user name, password, query or trailing slash.
    public var displayName: String {
        guard var parts = URLComponents(string: host) else { return host }
        parts.user = nil
        parts.password = nil
        parts.query = nil
        return (parts.string ?? host).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
    }

    /// Reads the rest of an interrupted window, then a new one, into the ingestor's store.
    public func run(store: TraceStore, ingestor: Ingestor) throws -> IngestSummary {
        guard let base = URL(string: displayName), base.scheme == "http" || base.scheme == "https" else {
            throw LiveSourceError.cannotConnect(source: host, reason: "--host must be an http:// or https:// URL")
        }
        let source = "langfuse:" + displayName
        ingestor.beginLive(source: source)
        var cursor = Cursor()
        if let saved = try store.cursor(source: source) {
            guard let decoded = try? JSONDecoder().decode(Cursor.self, from: Data(saved.utf8)) else {
                throw LiveSourceError.badCursor(source: source, position: saved)
            }
            cursor = decoded
        }
        let getter = HTTPGetter(source: displayName, headers: headers, policy: retry, sleep: sleep)
        var state = RunState()
        if let window = cursor.window {
            // Page numbers and cursors do not translate: an endpoint asked for by name reads the window again.
            if let endpoint, endpoint != window.api { cursor.window = Window(from: window.from, to: window.to, endpoint: endpoint) }
            try read(&cursor, base: base, getter, source: source, ingestor: ingestor, state: &state)
        }
        let from = cursor.completedUntil.map { $0 - Int64(overlapSeconds * 1e6) } ?? since
        let to = until ?? now()
        if let from, from >= to { return try ingestor.finishLive(source: source, format: .langfuse) }
        cursor.window = Window(from: from, to: to, endpoint: endpoint ?? (state.noV2 ? .v1 : .v2))
        try read(&cursor, base: base, getter, source: source, ingestor: ingestor, state: &state)
        return try ingestor.finishLive(source: source, format: .langfuse)
    }

    var headers: [String: String] {
        ["Authorization": "Basic " + Data("\(publicKey):\(secretKey)".utf8).base64EncodedString(),
         "Accept": "application/json", "User-Agent": "costreplay"]
    }

    /// Reads the cursor's window to its last page, committing the cursor after each page.
    func read(_ cursor: inout Cursor, base: URL, _ getter: HTTPGetter, source: String, ingestor: Ingestor,
              state: inout RunState) throws {
        guard var window = cursor.window else { return }
        var decoder = LangfuseDecoder()
        let parser = JSONParser()
        defer { withExtendedLifetime(parser) {} }  // JSONValue holds the parser unowned
        while true {
            let url = window.api.pageURL(base: base, window: window, limit: pageSize, fields: fields)
            guard let body = try fetch(url, getter, window: window) else {
                state.noV2 = true
                window = Window(from: window.from, to: window.to, endpoint: .v1)
                continue
            }
            let page = try LangfusePage(body, parser: parser, source: displayName, number: window.nextPage)
            let last = try isLast(page, of: window)
            cursor.pages += 1
            try body.withUnsafeBytes { bytes in
                try ingestor.ingestLive(json: bytes, source: source, row: cursor.pages, decoder: &decoder)
            }
            window.nextPage += 1
            window.pageCursor = page.nextCursor
            cursor.window = last ? nil : window
            if last { cursor.completedUntil = window.to }
            try ingestor.commitLive(source: source, position: String(decoding: try JSONEncoder().encode(cursor), as: UTF8.self))
            state.pages += 1
            afterPage?(state.pages)
            if last { return }
        }
    }

    /// The page's body; nil when the server cannot serve v2 and v1 may be read instead (no endpoint
    /// was named, and this is the window's first v2 request). A server without the route answers 404;
    /// one with it but without the events table behind it answers 501, "v2 APIs are currently in beta
    /// and only available on Langfuse Cloud" (langfuse/langfuse, web/src/pages/api/public/v2/observations).
    func fetch(_ url: URL, _ getter: HTTPGetter, window: Window) throws(LiveSourceError) -> Data? {
        let result = Result { () throws(LiveSourceError) in try getter.get(url) }
        switch result {
        case let .success(body): return body
        case let .failure(.http(_, status, _)) where (status == 404 || status == 501) && endpoint == nil
            && window.api == .v2 && window.pageCursor == nil:
            notice?("\(displayName) cannot serve /\(LangfuseEndpoint.v2.path) (HTTP \(status)); reading /\(LangfuseEndpoint.v1.path)")
            return nil
        case let .failure(error): throw error
        }
    }

    /// Whether the page ends its window: v1 by `totalPages` (or a short page), v2 by a missing cursor.
    func isLast(_ page: LangfusePage, of window: Window) throws(LiveSourceError) -> Bool {
        if page.observations == 0 { return true }
        switch window.api {
        case .v1:
            return page.totalPages.map { window.nextPage >= $0 } ?? (page.observations < pageSize)
        case .v2:
            guard let next = page.nextCursor else { return true }
            guard next != window.pageCursor else {
                throw .badResponse(source: displayName, reason: "page \(window.nextPage) names itself as the next page (meta.cursor)")
            }
            return false
        }
    }

    /// ISO 8601 in UTC with milliseconds, as Langfuse's own clients send times.
    static func iso(_ micros: Int64) -> String {
        let millis = micros - ((micros % 1000) + 1000) % 1000
        let text = Timestamp.iso(millis)
        guard let dot = text.firstIndex(of: ".") else { return String(text.dropLast()) + ".000Z" }
        return String(text[..<text.index(dot, offsetBy: 4)]) + "Z"
    }
}
