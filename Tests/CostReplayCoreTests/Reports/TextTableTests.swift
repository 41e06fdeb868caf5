import Testing
@testable import CostReplayCore

@Suite struct TextTableTests {
    static func widest(_ text: String) -> Int { text.split(separator: "\n").map(\.count).max() ?? 0 }

    @Test func aNarrowTableIsOneGrid() {
        let text = TextTable.render(header: ["model", "cost"], rows: [["gpt-4o", "$1.00"], ["total", "$1.00"]], separatorBeforeLast: true)
        #expect(text == "model    cost\n------  -----\ngpt-4o  $1.00\n------  -----\ntotal   $1.00\n")
    }

    @Test func aWideTableSplitsIntoTablesThatFitEachRepeatingTheFirstColumn() {
        let header = ["model"] + (1...12).map { "column number \($0)" }
        let rows = [["claude-sonnet-4-5"] + (1...12).map { "\($0 * 1_000_000)" }, ["total"] + (1...12).map { "\($0)" }]
        let text = TextTable.render(header: header, rows: rows, separatorBeforeLast: true)
        #expect(Self.widest(text) <= 120)
        let tables = text.components(separatedBy: "\n\n")
        #expect(tables.count >= 2)
        for table in tables {
            #expect(table.hasPrefix("model"))
            #expect(table.contains("claude-sonnet-4-5") && table.contains("total"))
        }
        // Every header and every cell appears once in all.
        for name in header.dropFirst() { #expect(text.components(separatedBy: name + " ").count + text.components(separatedBy: name + "\n").count - 2 == 1) }
        for value in rows[0].dropFirst() { #expect(text.contains(value)) }
    }

    @Test func aLongTextColumnWrapsWithinTheWidth() {
        let levers = (1...20).map { "lever_\($0) \($0).5% of input cached" }.joined(separator: ", ")
        let text = TextTable.render(header: ["scenario", "cost", "hit rate"], rows: [["all-levers", "$537.05", levers]], wrapLast: true)
        #expect(Self.widest(text) <= 120)
        let lines = text.split(separator: "\n")
        #expect(lines.count > 3)
        #expect(lines[2].hasPrefix("all-levers"))
        #expect(lines[3].hasPrefix(" "))
        // Nothing is lost: the wrapped words read back as the original text.
        let words = lines.dropFirst(2).flatMap { $0.split(separator: " ") }.filter { !["all-levers", "$537.05"].contains(String($0)) }
        #expect(words.joined(separator: " ") == levers)
    }
}
