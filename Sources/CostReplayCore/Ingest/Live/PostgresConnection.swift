import CLibPQ
import Foundation

/// A read-only connection to PostgreSQL through libpq, PostgreSQL's own client library.
///
/// The URL is handed to libpq as it is, so everything libpq understands works (URL or key=value
/// conninfo, `sslmode`, a Unix socket host); the password comes from the URL, `PGPASSWORD` or a
/// `.pgpass` file, which libpq reads itself. Every transaction is read-only on the server's side
/// (`default_transaction_read_only`), so CostReplay cannot change the database it reads.
final class PostgresConnection {
    let handle: OpaquePointer
    /// The URL without its password, for messages and the store.
    let displayName: String

    init(url: String, connectTimeoutSeconds: Int = 10) throws(LiveSourceError) {
        displayName = PostgresURL.redacted(url)
        let keys = ["dbname", "application_name", "options", "connect_timeout"]
        let values = [url, "costreplay", "-c default_transaction_read_only=on", String(connectTimeoutSeconds)]
        let connection = Self.withCStrings(keys) { keyPointers in
            Self.withCStrings(values) { valuePointers in PQconnectdbParams(keyPointers, valuePointers, 1) }
        }
        guard let connection else { throw .cannotConnect(source: displayName, reason: "out of memory") }
        handle = connection
        // deinit closes the handle, on this path too.
        if PQstatus(handle) != CONNECTION_OK { throw .cannotConnect(source: displayName, reason: lastError) }
    }

    deinit { PQfinish(handle) }

    /// libpq's last message, on one line.
    var lastError: String {
        Self.oneLine(PQerrorMessage(handle).map { String(cString: $0) } ?? "unknown error")
    }

    var isBroken: Bool { PQstatus(handle) == CONNECTION_BAD }

    /// Reconnects with the same parameters after the server dropped the connection.
    func reset() -> Bool {
        PQreset(handle)
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Runs one statement with text parameters and returns its rows of text columns.
    func query(_ sql: String, _ parameters: [String?]) throws(LiveSourceError) -> PostgresRows {
        let result = Self.withOptionalCStrings(parameters) { pointers in
            PQexecParams(handle, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        guard let result else { throw .queryFailed(source: displayName, reason: lastError) }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            let message = PQresultErrorMessage(result).map { String(cString: $0) } ?? lastError
            PQclear(result)
            throw .queryFailed(source: displayName, reason: Self.oneLine(message))
        }
        return PostgresRows(result: result)
    }

    /// libpq's messages span lines ("connection to server ... failed: FATAL:  ..."); one line for the console.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .joined(separator: "; ")
    }

    static func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        withOptionalCStrings(strings.map(Optional.some), body)
    }

    static func withOptionalCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let copies = strings.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        return body(copies.map { $0.map { UnsafePointer($0) } } + [nil])
    }
}

/// The rows of one query result; columns are read as bytes, valid until the rows are released.
final class PostgresRows {
    let result: OpaquePointer

    init(result: OpaquePointer) { self.result = result }
    deinit { PQclear(result) }

    var count: Int { Int(PQntuples(result)) }

    func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(result, Int32(row), Int32(column)) == 1 }

    func text(_ row: Int, _ column: Int) -> String? {
        isNull(row, column) ? nil : String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    func withBytes<R>(_ row: Int, _ column: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let pointer = PQgetvalue(result, Int32(row), Int32(column))
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        return try body(UnsafeRawBufferPointer(start: pointer, count: length))
    }
}
