import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Blocking HTTP GETs with retries: 429 waits as long as `Retry-After` says (capped), 5xx and
/// transport failures (a refused or dropped connection, a body cut short of its `Content-Length`)
/// wait with exponential backoff; other statuses, and 501 (Not Implemented: asking again cannot
/// help), fail at once.
///
/// Foundation's `URLSession` (libcurl underneath on Linux) is enough for a paged read and adds no
/// dependency; the ingest pipeline is synchronous, so each request is awaited on a semaphore.
public struct HTTPGetter {
    /// How long to wait between attempts.
    public struct RetryPolicy {
        /// Attempts in all, the first one included.
        public var attempts: Int
        /// The first backoff after a 5xx or transport failure; doubles each time.
        public var baseDelay: Double
        /// No single wait is longer than this, `Retry-After` included.
        public var maxDelay: Double

        public init(attempts: Int = 6, baseDelay: Double = 1, maxDelay: Double = 60) {
            self.attempts = attempts
            self.baseDelay = baseDelay
            self.maxDelay = maxDelay
        }
    }

    var source: String
    var headers: [String: String]
    var policy = RetryPolicy()
    var timeout = 60.0
    /// Waits; tests record them.
    var sleep: (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }

    /// The body of a 200 answer to `url`, after the retries the policy allows.
    func get(_ url: URL) throws(LiveSourceError) -> Data {
        var failures = 0
        while true {
            let (outcome, retryAfter) = once(url)
            let reason: String
            switch outcome {
            case let .success(data): return data
            case let .failure(failure):
                guard let retryReason = failure.retryReason else { throw failure.error }
                reason = retryReason
            }
            failures += 1
            guard failures < policy.attempts else {
                throw .gaveUp(source: source, attempts: failures, reason: reason)
            }
            let backoff = policy.baseDelay * pow(2, Double(failures - 1))
            sleep(min(policy.maxDelay, retryAfter ?? backoff))
        }
    }

    struct Failure: Error {
        var error: LiveSourceError
        /// Why another attempt may succeed, in a few words; nil when it cannot.
        var retryReason: String?
    }

    /// One attempt: the body of a 200, or why not and whether to try again; and the server's `Retry-After`.
    func once(_ url: URL) -> (Result<Data, Failure>, Double?) {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let box = ResponseBox()
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            box.set(data, response as? HTTPURLResponse, error)
        }
        task.resume()
        let (data, response, error) = box.wait()
        if let error {
            let reason = Self.describe(error)
            return (.failure(Failure(error: .badResponse(source: source, reason: reason), retryReason: reason)), nil)
        }
        guard let response else {
            return (.failure(Failure(error: .badResponse(source: source, reason: "no HTTP response"), retryReason: "no HTTP response")), nil)
        }
        let body = data ?? Data()
        let status = response.statusCode
        if status == 200 { return (.success(body), nil) }
        let failure = LiveSourceError.http(source: source, status: status, body: String(decoding: body.prefix(400), as: UTF8.self))
        let retryAfter = response.value(forHTTPHeaderField: "Retry-After").flatMap(Self.seconds)
        let retryable = status == 429 || (status >= 500 && status != 501)
        return (.failure(Failure(error: failure, retryReason: retryable ? "last answer HTTP \(status)" : nil)),
                status == 429 ? retryAfter : nil)
    }

    /// `Retry-After` as seconds from now: a number of seconds or an HTTP date.
    static func seconds(_ header: String) -> Double? {
        let text = header.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text).map { max(0, $0.timeIntervalSinceNow) }
    }

    static func describe(_ error: Error) -> String {
        guard let url = error as? URLError else { return "\(error)" }
        // libcurl's "transfer closed with N bytes remaining to read" arrives as an unknown URLError on Linux.
        if url.code == .networkConnectionLost || url.localizedDescription.hasPrefix("transfer closed") {
            return "the connection closed before the whole response arrived"
        }
        switch url.code {
        case .cannotConnectToHost: return "connection refused"
        case .timedOut: return "timed out"
        default: return url.localizedDescription
        }
    }
}

/// Hands a URLSession completion to the waiting thread.
private final class ResponseBox: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var value: (Data?, HTTPURLResponse?, Error?) = (nil, nil, nil)

    func set(_ data: Data?, _ response: HTTPURLResponse?, _ error: Error?) {
        value = (data, response, error)
        done.signal()
    }

    func wait() -> (Data?, HTTPURLResponse?, Error?) {
        done.wait()
        return value
    }
}
