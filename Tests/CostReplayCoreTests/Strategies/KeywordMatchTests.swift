@testable import CostReplayCore
import Foundation
import Testing

/// The router's keyword rule searches ASCII prompts byte by byte; it must say what lowercasing the prompt and searching
/// it says, for every prompt.
@Suite struct KeywordMatchTests {
    @Test func agreesWithLowercasingThePrompt() {
        let prompts = ["", "Refund my ORDER please", "refund", "REFUN", "no match here", "Kelvin \u{212A}ey", "İSTANBUL trip",
                       "café REFUND", "re\u{301}fund", "x refund", "refundrefund", "ReFuNd!", "\r\nrefund\r\n"]
        let keywords = ["refund", "key", "i̇stanbul", "é", "r", "d!", " x", "refundrefund", "fund\r", ""]
        for prompt in prompts {
            for keyword in keywords.map({ $0.lowercased() }) {
                #expect(ModelRouter.containsLowercased(prompt, keyword) == prompt.lowercased().contains(keyword),
                        "\(prompt.debugDescription) \(keyword.debugDescription)")
            }
        }
        var random = SplitMix(5)
        let alphabet = Array("aAbBzZ09 .\u{212A}k")
        func text(_ length: Int) -> String {
            String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
        }
        for _ in 0..<3_000 {
            let prompt = text(Int(random.next() % 30)), keyword = text(1 + Int(random.next() % 3)).lowercased()
            #expect(ModelRouter.containsLowercased(prompt, keyword) == prompt.lowercased().contains(keyword),
                    "\(prompt.debugDescription) \(keyword.debugDescription)")
        }
    }

    /// The first version: Foundation's search for each sign.
    static func looksLikeCodeByFoundation(_ text: String) -> Bool {
        text.contains("```") || ModelRouter.codeSigns.filter { text.contains($0) }.count >= 2
    }

    @Test func codeDetectionAgreesWithFoundation() {
        let texts = ["def f():\n    return 1", "```swift\nlet x = 1\n```", "import os", "class A {\n};", "plain prose, nothing else",
                     "x => y; f();", "}\u{37E} {\n", "\u{1FEF}\u{1FEF}\u{1FEF}", "def\u{301} return\u{301} ", "#include <a>\r\n{\n"]
        for text in texts {
            #expect(ModelRouter.looksLikeCode(text) == Self.looksLikeCodeByFoundation(text), "\(text.debugDescription)")
        }
        var random = SplitMix(9)
        let pieces = ["def ", "return ", "{", "\n", "}", ";", "(", ")", "=>", "`", "a", " ", "\u{37E}", "\u{301}", "é", "\r\n"]
        for _ in 0..<3_000 {
            let text = (0..<Int(random.next() % 12)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            #expect(ModelRouter.looksLikeCode(text) == Self.looksLikeCodeByFoundation(text), "\(text.debugDescription)")
        }
    }
}
