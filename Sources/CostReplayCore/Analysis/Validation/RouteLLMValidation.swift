import Statistics

/// Routing on RouteLLM's evaluation data: per-prompt correctness of GPT-4 (gpt-4-1106-preview, the
/// strong model) and Mixtral-8x7B (the weak one) on MMLU and GSM8K, priced with the catalog.
///
/// Each router gives every prompt a score; sending the highest-scoring k% to the strong model for
/// k = 0…100 traces a cost–quality curve. Metrics as RouteLLM defines them: PGR(k) = (accuracy(k) −
/// weak accuracy) / (strong accuracy − weak accuracy); APGR = the mean PGR over k; CPT(x%) = the
/// smallest share of strong calls whose PGR reaches x%. Tokens: prompt ≈ bytes / 4; outputs from
/// the recorded responses (GSM8K) or 4 tokens for an MMLU answer letter.
public enum RouteLLMValidation {
    public struct Item: Sendable {
        public var prompt: String
        public var weakCorrect: Bool
        public var strongCorrect: Bool
        public var weakCost: Money
        public var strongCost: Money
        public var inputTokens: Int64
    }

    public struct Point: Codable, Sendable, Equatable {
        public var strongShare: Double
        public var accuracy: Double
        public var cost: Double
        public var pgr: Double
    }

    public struct RouterResult: Codable, Sendable {
        public var router: String
        public var apgr: Double
        public var cpt50: Double?
        public var cpt80: Double?
        /// The cheapest point reaching 95% of the strong model's accuracy.
        public var at95: Point?
        public var savingAt95: Double?
        public var curve: [Point]
    }

    public struct Report: Codable, Sendable {
        public var benchmark: String
        public var prompts: Int
        public var weakAccuracy: Double
        public var strongAccuracy: Double
        public var weakCost: Double
        public var strongCost: Double
        public var routers: [RouterResult]
    }

    public static let weakModel = "mistralai/Mixtral-8x7B-Instruct-v0.1"
    public static let strongModel = "gpt-4-1106-preview"

    /// Reads `evals/mmlu/responses/*.csv` or `evals/gsm8k/gsm8k_responses.csv`.
    public static func load(folder: String, benchmark: String, pricer: Pricer, at date: Int64) throws -> [Item] {
        let files: [String]
        if benchmark == "gsm8k" {
            files = [folder + "/evals/gsm8k/gsm8k_responses.csv"]
        } else {
            let directory = folder + "/evals/mmlu/responses"
            files = try DirectoryListing.files(in: directory, suffix: ".csv").map { directory + "/" + $0 }
        }
        var items: [Item] = []
        for file in files {
            var header: [String] = []
            try CSVReader(lines: try LineReader(path: file)).forEachRow { result in
                guard case .success(let row) = result else { return }
                if header.isEmpty { header = row.fields; return }
                let fields = CSVHeader.dictionary(header: header, row: row.fields)
                guard let prompt = fields["prompt"], let weak = fields[weakModel], let strong = fields[strongModel] else { return }
                let input = Normalise.estimateTokens(prompt)
                let weakOut = fields[weakModel + "_response"].map(Normalise.estimateTokens) ?? 4
                let strongOut = fields[strongModel + "_response"].map(Normalise.estimateTokens) ?? 4
                func cost(_ model: String, _ output: Int64) -> Money {
                    pricer.price(PricingInput(model: model, provider: nil, startMicros: date, usage: TokenUsage(input: input, output: output))).cost ?? .zero
                }
                items.append(Item(prompt: prompt, weakCorrect: weak == "True", strongCorrect: strong == "True",
                                  weakCost: cost(weakModel, weakOut), strongCost: cost(strongModel, strongOut), inputTokens: input))
            }
        }
        return items
    }

    /// Words that suggest a prompt needs the strong model, for the rule router.
    static let keywords = ["calculate", "compute", "solve", "how many", "how much", "what is the value", "prove", "derive", "percent", "total"]

    public static func evaluate(_ items: [Item], benchmark: String, seed: UInt64) -> Report {
        let weakAccuracy = Double(items.filter(\.weakCorrect).count) / Double(items.count)
        let strongAccuracy = Double(items.filter(\.strongCorrect).count) / Double(items.count)
        let random = RandomSource(seed: seed)
        let routers: [(String, [Double])] = [
            // Needs the strong model exactly when only the strong model is right.
            ("oracle", items.map { !$0.weakCorrect && $0.strongCorrect ? 1 : 0 }),
            ("random", items.map { _ in random.uniform() }),
            // Longer prompts, and prompts with a calculation keyword, go to the strong model first.
            ("length-or-keyword rule", items.map { item in
                let text = item.prompt.lowercased()
                let keyword = keywords.contains { text.contains($0) } ? 1e6 : 0
                return keyword + Double(item.inputTokens)
            }),
        ]
        let results = routers.map { name, scores in
            curve(name, items: items, scores: scores, weakAccuracy: weakAccuracy, strongAccuracy: strongAccuracy)
        }
        return Report(benchmark: benchmark, prompts: items.count, weakAccuracy: weakAccuracy, strongAccuracy: strongAccuracy,
                      weakCost: items.reduce(Money.zero) { $0 + $1.weakCost }.dollars,
                      strongCost: items.reduce(Money.zero) { $0 + $1.strongCost }.dollars, routers: results)
    }

    static func curve(_ name: String, items: [Item], scores: [Double], weakAccuracy: Double, strongAccuracy: Double) -> RouterResult {
        // Highest score first; ties by position so the curve is deterministic.
        let order = items.indices.sorted { (scores[$0], -$0) > (scores[$1], -$1) }
        let strongTotal = items.reduce(Money.zero) { $0 + $1.strongCost }
        var points: [Point] = []
        for percent in 0...100 {
            let strongCount = Int((Double(items.count) * Double(percent) / 100).rounded())
            var correct = 0
            var cost = Money.zero
            for (rank, index) in order.enumerated() {
                let item = items[index]
                if rank < strongCount {
                    correct += item.strongCorrect ? 1 : 0
                    cost += item.strongCost
                } else {
                    correct += item.weakCorrect ? 1 : 0
                    cost += item.weakCost
                }
            }
            let accuracy = Double(correct) / Double(items.count)
            let pgr = strongAccuracy == weakAccuracy ? 1 : (accuracy - weakAccuracy) / (strongAccuracy - weakAccuracy)
            points.append(Point(strongShare: Double(percent) / 100, accuracy: accuracy, cost: cost.dollars, pgr: pgr))
        }
        let apgr = points.map(\.pgr).reduce(0, +) / Double(points.count)
        let target = 0.95 * strongAccuracy
        let at95 = points.filter { $0.accuracy >= target }.min { $0.cost < $1.cost }
        return RouterResult(router: name, apgr: apgr,
                            cpt50: points.first { $0.pgr >= 0.5 }?.strongShare, cpt80: points.first { $0.pgr >= 0.8 }?.strongShare,
                            at95: at95, savingAt95: at95.map { 1 - $0.cost / strongTotal.dollars }, curve: points)
    }

    public static func table(_ report: Report) -> String {
        var text = "\(report.benchmark): \(MoneyFormat.count(report.prompts)) prompts; Mixtral-8x7B accuracy \(pct(report.weakAccuracy)), "
            + "GPT-4 \(pct(report.strongAccuracy)); all-Mixtral \(MoneyFormat.human(Money(dollars: report.weakCost))), "
            + "all-GPT-4 \(MoneyFormat.human(Money(dollars: report.strongCost))) at catalog prices\n"
        text += TextTable.render(header: ["router", "APGR", "CPT(50%)", "CPT(80%)", "GPT-4 calls at 95%", "accuracy", "cost", "saving vs all-GPT-4"],
                                 rows: report.routers.map { r in
            [r.router, MoneyFormat.fixed(r.apgr, decimals: 3), r.cpt50.map(pct) ?? "-", r.cpt80.map(pct) ?? "-",
             r.at95.map { pct($0.strongShare) } ?? "-", r.at95.map { pct($0.accuracy) } ?? "-",
             r.at95.map { MoneyFormat.human(Money(dollars: $0.cost)) } ?? "-", r.savingAt95.map(pct) ?? "-"]
        })
        return text
    }

    static func pct(_ value: Double) -> String { MoneyFormat.fixed(value * 100, decimals: 1) + "%" }
}
