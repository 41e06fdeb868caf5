import ArgumentParser
import CostReplayCore
import Foundation

struct Embed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Embed the stored prompts through an OpenAI-compatible /v1/embeddings endpoint, for semantic-cache scenarios.",
        discussion: """
            The vectors go into the store under the set name (default: the model name, with @N for --dimensions N); a \
            scenario's semantic_cache picks them with `embedding: NAME`, so two models compare in one sweep. Identical \
            texts are embedded once (cached by model and text hash across runs); each batch is committed as it arrives, \
            so a re-run after an interruption embeds only what is missing. 429 and 5xx answers are retried with backoff \
            (Retry-After honoured). The API key comes from COSTREPLAY_EMBEDDING_KEY or OPENAI_API_KEY and is never printed.

            --text: last-user (the last user message; default), conversation (the whole stored prompt), or \
            template:TEXT with {last_user}, {conversation}, {system} and {model}.

            Example:
              python3 scripts/embedding-server.py --port 8088 &
              costreplay embed --endpoint http://127.0.0.1:8088/v1 --model all-MiniLM-L6-v2
              costreplay embed --endpoint https://api.openai.com/v1 --model text-embedding-3-small --dimensions 512
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var prices: PriceOptions
    @Option(help: "API base URL (…/v1) or the full …/embeddings URL.") var endpoint: String
    @Option(help: "Embedding model name sent to the endpoint.") var model: String
    @Option(parsing: .unconditional, help: "Ask the endpoint for vectors of this length (models that support it, e.g. text-embedding-3-*).") var dimensions: Int?
    @Option(parsing: .unconditional, help: "Texts per request.") var batch = 64
    @Option(parsing: .unconditional, help: "Requests in flight at once.") var concurrency = 4
    @Option(help: "Which text to embed: last-user, conversation or template:TEXT.") var text = "last-user"
    @Option(help: "Name of the stored set (default: the model, with @N for --dimensions N).") var name: String?
    @Option(help: "Stored precision: float16 (compact) or float32.") var precision = "float16"

    func run() throws {
        guard FileManager.default.fileExists(atPath: store.path) else {
            throw CommandFailure(message: "error: no database at \(store.path); run `costreplay ingest` first or pass --db")
        }
        let catalog = try prices.catalog()
        do {
            guard let precision = VectorPrecision(rawValue: precision) else { throw EmbeddingError.usage("--precision must be float16 or float32") }
            var job = EmbedJob(name: name, model: model, dimensions: dimensions, textMode: try EmbeddingTextMode(parsing: text))
            job.batchSize = batch
            job.concurrency = concurrency
            job.precision = precision
            job.progress = { done, total in
                if Console.errorIsTerminal { Console.progress(done, total, "embedded \(done) of \(total)") }
                else if done > 0, done == total || done % max(batch, total / 10 / batch * batch) == 0 { Console.error("embedded \(done) of \(total) texts") }
            }
            let client = try OpenAIEmbeddingClient(endpoint: endpoint, model: model, dimensions: dimensions, apiKey: OpenAIEmbeddingClient.keyFromEnvironment())
            let opened = try TraceStore(path: store.path)
            let summary = try job.run(store: opened, endpoint: client)
            Console.clearProgress()
            Console.out(EmbedReport.text(summary, job: job, cost: EmbedReport.cost(tokens: summary.tokens, model: model, pricer: Pricer(catalog: catalog))))
        } catch let error as EmbeddingError {
            Console.clearProgress()
            throw CommandFailure(message: "error: \(error)")
        } catch let error as StoreError {
            throw CommandFailure(message: "error: \(error)")
        }
    }
}
