import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What an embeddings endpoint returned for one batch: one vector per input, in input order.
public struct EmbeddingBatch: Sendable {
    public var vectors: [[Float]]
    /// `usage.prompt_tokens` of the answer, when the endpoint reports it.
    public var promptTokens: Int?
}

/// Anything that turns texts into vectors; the HTTP client in production, fakes in tests.
public protocol EmbeddingEndpoint: Sendable {
    var name: String { get }
    func embed(_ texts: [String]) async throws(EmbeddingError) -> EmbeddingBatch
}

/// An OpenAI-compatible `POST {endpoint}/embeddings` client (OpenAI, Azure OpenAI, text-embeddings-inference,
/// vLLM, Ollama, `scripts/embedding-server.py`), with retries.
///
/// 429 and 5xx answers and network failures are retried with exponential backoff (0.5 s doubling, at most 30 s),
/// or after the answer's `Retry-After` seconds when it gives them (at most 60 s). Other 4xx answers and bodies
/// that are not an embeddings response stop the run with the endpoint's own message. The API key is sent as a
/// bearer token and never appears in a message.
public struct OpenAIEmbeddingClient: EmbeddingEndpoint {
    public let url: URL
    public let model: String
    public let dimensions: Int?
    let apiKey: String?
    public var maxAttempts = 6
    /// Seconds before the first retry; doubled after each.
    public var backoff = 0.5
    public var timeout: TimeInterval = 120

    public var name: String { url.absoluteString }

    /// `endpoint` is the API base (`http://host:port/v1`) or the full `/embeddings` URL.
    public init(endpoint: String, model: String, dimensions: Int?, apiKey: String?) throws(EmbeddingError) {
        var base = endpoint
        while base.hasSuffix("/") { base.removeLast() }
        if !base.hasSuffix("/embeddings") { base += "/embeddings" }
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil else {
            throw .usage("--endpoint \"\(endpoint)\" is not an http(s) URL")
        }
        self.url = url
        self.model = model
        self.dimensions = dimensions
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The key from COSTREPLAY_EMBEDDING_KEY, else OPENAI_API_KEY.
    public static func keyFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        [environment["COSTREPLAY_EMBEDDING_KEY"], environment["OPENAI_API_KEY"]].compactMap { $0 }.first { !$0.isEmpty }
    }

    public func embed(_ texts: [String]) async throws(EmbeddingError) -> EmbeddingBatch {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let apiKey { request.setValue("Bearer " + apiKey, forHTTPHeaderField: "Authorization") }
        var body = JSONText.Object()
        body.add("model", model)
        body.add("input", raw: "[" + texts.map(JSONText.quote).joined(separator: ",") + "]")
        body.add("encoding_format", "float")
        body.add("dimensions", dimensions)
        request.httpBody = Data(body.text.utf8)
        var last = ""
        for attempt in 1...maxAttempts {
            var wait = min(30, backoff * Double(1 << (attempt - 1)))
            do {
                let (data, response) = try await URLSession.shared.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if status == 200 { return try Self.parse([UInt8](data), count: texts.count, endpoint: name) }
                last = "HTTP \(status): \(Self.message(in: [UInt8](data)))"
                guard status == 429 || status >= 500 else { throw EmbeddingError.rejected(endpoint: name, status: status, message: Self.message(in: [UInt8](data))) }
                if let after = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Retry-After").flatMap(Double.init), after >= 0 {
                    wait = min(60, after)
                }
            } catch let error as EmbeddingError {
                throw error
            } catch {
                last = "network: \(error.localizedDescription)"
            }
            if attempt < maxAttempts { try? await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
        }
        throw .gaveUp(endpoint: name, attempts: maxAttempts, last: last)
    }

    /// The `error.message` of an error body, or its first 200 bytes.
    static func message(in body: [UInt8]) -> String {
        let parser = JSONParser()
        // Values point into the parser without owning it: keep it alive until the function returns.
        defer { withExtendedLifetime(parser) {} }
        if let value = try? parser.parse(body), let text = value["error"]?["message"]?.string ?? value["error"]?.string ?? value["message"]?.string {
            return String(text.prefix(300))
        }
        return String(decoding: body.prefix(200), as: UTF8.self)
    }

    /// Reads `{"data": [{"index": i, "embedding": [...]}...], "usage": {"prompt_tokens": n}}`.
    static func parse(_ body: [UInt8], count: Int, endpoint: String) throws(EmbeddingError) -> EmbeddingBatch {
        let parser = JSONParser()
        defer { withExtendedLifetime(parser) {} }
        let root: JSONValue
        do { root = try parser.parse(body) } catch {
            throw .malformed(endpoint: endpoint, reason: "the body is not JSON (\(String(decoding: body.prefix(60), as: UTF8.self)))")
        }
        guard let data = root["data"], data.isArray else { throw .malformed(endpoint: endpoint, reason: "no \"data\" list") }
        let items = data.elements
        guard items.count == count else { throw .malformed(endpoint: endpoint, reason: "\(items.count) embeddings for \(count) inputs") }
        var vectors = [[Float]?](repeating: nil, count: count)
        for (position, item) in items.enumerated() {
            let index = item["index"]?.int64.map(Int.init) ?? position
            guard index >= 0, index < count, vectors[index] == nil else {
                throw .malformed(endpoint: endpoint, reason: "data[\(position)].index \(index) is out of range or repeated")
            }
            guard let embedding = item["embedding"], embedding.isArray, embedding.count > 0 else {
                throw .malformed(endpoint: endpoint, reason: "data[\(position)].embedding is not a list of numbers (base64 answers are not read)")
            }
            var vector: [Float] = []
            vector.reserveCapacity(embedding.count)
            for component in embedding.elements {
                guard let value = component.double ?? component.int64.map(Double.init), value.isFinite else {
                    throw .malformed(endpoint: endpoint, reason: "data[\(position)].embedding has a non-number \(component.json.prefix(20))")
                }
                vector.append(Float(value))
            }
            vectors[index] = vector
        }
        let tokens = root["usage"]?["prompt_tokens"]?.int64.map(Int.init)
        return EmbeddingBatch(vectors: vectors.map { $0! }, promptTokens: tokens)
    }
}
