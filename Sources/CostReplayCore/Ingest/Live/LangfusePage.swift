import Foundation

/// One page of either observations endpoint (`{"data": [...], "meta": {...}}`), checked whole before
/// anything of it is stored.
struct LangfusePage {
    var observations: Int
    /// v1's `meta.totalPages`, when the server sent it.
    var totalPages: Int?
    /// v2's `meta.cursor`, naming the next page; the last page has none.
    var nextCursor: String?

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
        nextCursor = value["meta"]?["cursor"]?.string.flatMap { $0.isEmpty ? nil : $0 }
    }
}
