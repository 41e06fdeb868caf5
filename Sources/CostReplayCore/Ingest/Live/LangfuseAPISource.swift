import Foundation

/// Reads Langfuse generations through its public API, `GET /api/public/observations`, incrementally.
///
/// Each run reads one time window, `fromStartTime` (the end of the last window, less `overlap`:
/// the v1 API serves observations minutes after they happen) to `toStartTime` (now, or `until`),
/// page by page (`page`, `limit`, `type=GENERATION`). A page is decoded by ``LangfuseDecoder``,
/// the reader of exported API pages, only once its whole body has arrived and parsed, and is
/// committed with the cursor: the window and the next page. A run that stops part-way (a crash,
/// an error, Ctrl-C) leaves that cursor, and the next run finishes the window before it opens a
/// new one. Pages count from the newest observation (the API orders by start time, descending),
/// so one arriving late in the window moves older ones to later pages: those are read twice and
/// counted as duplicates, never skipped.
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
    public var retry = HTTPGetter.RetryPolicy()
    /// Waits between attempts; tests record them.
    public var sleep: (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }
    /// Called after each committed page with the pages of this run so far.
    public var afterPage: ((Int) -> Void)?
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
        var nextPage: Int
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
        var pagesThisRun = 0
        if cursor.window != nil { try read(&cursor, base: base, getter, source: source, ingestor: ingestor, pages: &pagesThisRun) }
        let from = cursor.completedUntil.map { $0 - Int64(overlapSeconds * 1e6) } ?? since
        let to = until ?? now()
        if let from, from >= to { return try ingestor.finishLive(source: source, format: .langfuse) }
        cursor.window = Window(from: from, to: to, nextPage: 1)
        try read(&cursor, base: base, getter, source: source, ingestor: ingestor, pages: &pagesThisRun)
        return try ingestor.finishLive(source: source, format: .langfuse)
    }

    var headers: [String: String] {
        ["Authorization": "Basic " + Data("\(publicKey):\(secretKey)".utf8).base64EncodedString(),
         "Accept": "application/json", "User-Agent": "costreplay"]
    }

    /// Reads the cursor's window to its last page, committing the cursor after each page.
    func read(_ cursor: inout Cursor, base: URL, _ getter: HTTPGetter, source: String, ingestor: Ingestor,
              pages: inout Int) throws {
        guard var window = cursor.window else { return }
        var decoder = LangfuseDecoder()
        let parser = JSONParser()
        while true {
            let body = try getter.get(pageURL(base, window))
            let page = try LangfusePage(body, parser: parser, source: displayName, number: window.nextPage)
            cursor.pages += 1
            try body.withUnsafeBytes { bytes in
                try ingestor.ingestLive(json: bytes, source: source, row: cursor.pages, decoder: &decoder)
            }
            let last = page.observations == 0 || page.totalPages.map { window.nextPage >= $0 } ?? (page.observations < pageSize)
            window.nextPage += 1
            cursor.window = last ? nil : window
            if last { cursor.completedUntil = window.to }
            try ingestor.commitLive(source: source, position: String(decoding: try JSONEncoder().encode(cursor), as: UTF8.self))
            pages += 1
            afterPage?(pages)
            if last { return }
        }
    }

    func pageURL(_ base: URL, _ window: Window) -> URL {
        var parts = URLComponents(url: base.appendingPathComponent("api/public/observations"), resolvingAgainstBaseURL: false)!
        var query = [URLQueryItem(name: "type", value: "GENERATION"), URLQueryItem(name: "page", value: String(window.nextPage)),
                     URLQueryItem(name: "limit", value: String(pageSize))]
        if let from = window.from { query.append(URLQueryItem(name: "fromStartTime", value: Self.iso(from))) }
        query.append(URLQueryItem(name: "toStartTime", value: Self.iso(window.to)))
        parts.queryItems = query
        // `+` in a time zone would read as a space; the times are UTC (`Z`), but be safe.
        parts.percentEncodedQuery = parts.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return parts.url!
    }

    /// ISO 8601 in UTC with milliseconds, as Langfuse's own clients send times.
    static func iso(_ micros: Int64) -> String {
        let millis = micros - ((micros % 1000) + 1000) % 1000
        let text = Timestamp.iso(millis)
        guard let dot = text.firstIndex(of: ".") else { return String(text.dropLast()) + ".000Z" }
        return String(text[..<text.index(dot, offsetBy: 4)]) + "Z"
    }
}

/// One page of `GET /api/public/observations` (`ObservationsViews`: `data` and `meta`), checked whole before
/// anything of it is stored.
struct LangfusePage {
    var observations: Int
    /// `meta.totalPages`, when the server sent it.
    var totalPages: Int?

    init(_ body: Data, parser: JSONParser, source: String, number: Int) throws(LiveSourceError) {
        let parsed = body.withUnsafeBytes { bytes in Result { () throws(JSONSyntaxError) in try parser.parse(bytes) } }
        guard case let .success(value) = parsed else {
            let reason = if case let .failure(error) = parsed { error.description } else { "" }
            throw .badResponse(source: source, reason: "page \(number) is not complete JSON (\(body.count) bytes; \(reason))")
        }
        guard let data = value["data"], data.isArray else {
            throw .badResponse(source: source, reason: "page \(number) has no \"data\" array")
        }
        observations = data.elements.count
        totalPages = value["meta"]?["totalPages"]?.int64.map { Int($0) }
    }
}
