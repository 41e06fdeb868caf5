@testable import CostReplayCore
import Foundation
import Testing
import TestSupport

/// The built-in embedder hashes feature bytes in place; its vectors must stay bit for bit those of the first version,
/// which built one string per feature, or every semantic-cache figure would move.
@Suite struct EmbedderTests {
    /// Texts that reach every branch: empty, separators only, one-letter words, upper case, digits, non-ASCII words,
    /// a word starting with a combining mark (which "<" joins into one character), emoji with joiners, CR LF.
    static let edgeCases = [
        "", " ", "a", "A b", "ab", "Hello, World!", "x1 y22 z333", "naïve café déjà-vu", "\u{301}accent first",
        "e\u{301}e\u{301}", "👩‍👩‍👧 family 👍🏽", "line one\r\nline two", "中文 文本 混合 text", "İstanbul ŞEHİR", "a-b_c.d",
        "   spaced   out   ", "tab\tseparated\twords", String(repeating: "long ", count: 200),
    ]

    @Test func edgeCasesMatchTheStringVersion() {
        let embedder = HashingEmbedder()
        for text in Self.edgeCases {
            #expect(embedder.embed(text) == embedder.embedByStrings(text), "\(text.debugDescription)")
        }
    }

    @Test func randomTextsMatchTheStringVersion() {
        let alphabet = Array("abcXYZ019 ,.-_\n\u{301}éß中👍🏽İ")
        var random = SplitMix(11)
        let embedder = HashingEmbedder(dimension: 64)
        for _ in 0..<2_000 {
            let text = String((0..<Int(random.next() % 41)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            #expect(embedder.embed(text) == embedder.embedByStrings(text), "\(text.debugDescription)")
        }
    }

    @Test(.enabled(if: Fixtures.hasSharedData, Fixtures.sharedDataMissing))
    func quoraQuestionsMatchTheStringVersion() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.shared("gptcache-qqp/similiar_qqp_full.first2000.json")))
        let pairs = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let texts = pairs.flatMap { [$0["text_a"], $0["text_b"]].compactMap { $0 as? String } }
        #expect(texts.count == 4_000)
        let embedder = HashingEmbedder()
        var differing = 0
        for text in texts where embedder.embed(text) != embedder.embedByStrings(text) { differing += 1 }
        #expect(differing == 0)
    }
}
