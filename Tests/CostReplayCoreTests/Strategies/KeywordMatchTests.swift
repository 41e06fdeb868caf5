@testable import CostReplayCore
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
}
