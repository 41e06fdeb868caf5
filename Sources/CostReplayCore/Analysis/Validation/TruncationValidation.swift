import Foundation
import Statistics

/// The truncation quality proxy on real multi-turn conversations (ShareGPT format).
///
/// Every assistant turn with history is one request. A sliding window keeps the last `k` messages
/// of its history. The request is **affected** when its recorded response uses words that only the
/// dropped messages contained: at least `minWords` distinct content words (5+ letters, not common
/// words) that appear in the dropped messages and nowhere in the kept ones. The affected share comes
/// with an exact (Clopper–Pearson) 95% interval. It is a proxy: a response can reuse a word by
/// chance (over-count) or depend on dropped content without repeating it (under-count).
public enum TruncationValidation {
    public struct Conversation: Sendable {
        public var turns: [(role: String, text: String)]
        public init(turns: [(role: String, text: String)]) { self.turns = turns }
    }

    public struct Row: Codable, Sendable, Equatable {
        public var keepMessages: Int
        public var requests: Int
        public var truncated: Int
        public var affected: Int
        public var affectedShare: Double
        public var lower: Double
        public var upper: Double
        public var inputTokens: Int64
        public var inputTokensRemoved: Int64
    }

    public static func load(folder: String) throws -> [Conversation] {
        let parser = JSONParser()
        defer { withExtendedLifetime(parser) {} }  // JSONValue holds the parser unowned
        var result: [Conversation] = []
        for name in try DirectoryListing.files(in: folder, suffix: ".json") {
            let bytes = try LineReader(path: folder + "/" + name).readAll()
            guard let root = try? parser.parse(bytes), let turns = root["conversations"], turns.isArray else { continue }
            result.append(Conversation(turns: turns.elements.compactMap { turn in
                guard let from = turn["from"]?.string, let value = turn["value"]?.string else { return nil }
                return (from == "gpt" ? "assistant" : "user", value)
            }))
        }
        return result
    }

    static let common: Set<String> = ["about", "after", "again", "their", "there", "these", "those", "which", "would", "could",
                                      "should", "where", "while", "other", "being", "because", "before", "please", "thank",
                                      "thanks", "sorry", "using", "example", "following", "however", "within", "without"]

    static func contentWords(_ text: String) -> Set<String> {
        Set(HashingEmbedder.words(text).filter { $0.count >= 5 && !common.contains($0) && $0.contains(where: \.isLetter) })
    }

    public static func evaluate(_ conversations: [Conversation], keep: [Int], minWords: Int = 3) -> [Row] {
        keep.map { k in
            var row = Row(keepMessages: k, requests: 0, truncated: 0, affected: 0, affectedShare: 0, lower: 0, upper: 1,
                          inputTokens: 0, inputTokensRemoved: 0)
            for conversation in conversations {
                for (index, turn) in conversation.turns.enumerated() where turn.role == "assistant" && index > 0 {
                    let history = Array(conversation.turns[..<index])
                    row.requests += 1
                    row.inputTokens += history.reduce(0) { $0 + Normalise.estimateTokens($1.text) }
                    guard history.count > k else { continue }
                    let dropped = history.dropLast(k), kept = history.suffix(k)
                    row.truncated += 1
                    row.inputTokensRemoved += dropped.reduce(0) { $0 + Normalise.estimateTokens($1.text) }
                    let onlyDropped = dropped.reduce(into: Set<String>()) { $0.formUnion(contentWords($1.text)) }
                        .subtracting(kept.reduce(into: Set<String>()) { $0.formUnion(contentWords($1.text)) })
                    if contentWords(turn.text).intersection(onlyDropped).count >= minWords { row.affected += 1 }
                }
            }
            row.affectedShare = row.requests == 0 ? 0 : Double(row.affected) / Double(row.requests)
            (row.lower, row.upper) = Intervals.clopperPearson(successes: row.affected, trials: row.requests)
            return row
        }
    }

    public static func table(_ rows: [Row], conversations: Int) -> String {
        "\(MoneyFormat.count(conversations)) conversations; a request is affected when its response uses ≥ 3 content words only the dropped messages had\n"
            + TextTable.render(header: ["window (messages)", "requests", "truncated", "input tokens removed", "affected", "95% interval"],
                               rows: rows.map { r in
                [String(r.keepMessages), MoneyFormat.count(r.requests), MoneyFormat.count(r.truncated),
                 MoneyFormat.fixed(Double(r.inputTokensRemoved) / Double(max(r.inputTokens, 1)) * 100, decimals: 1) + "%",
                 MoneyFormat.fixed(r.affectedShare * 100, decimals: 1) + "%",
                 MoneyFormat.fixed(r.lower * 100, decimals: 1) + "–" + MoneyFormat.fixed(r.upper * 100, decimals: 1) + "%"]
            })
    }
}
