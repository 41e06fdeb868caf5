import Foundation
import Testing
import TestSupport
@testable import CostReplayCore

/// Result documents are inputs too (`report`, `forecast`, `risk`, `sensitivity`, `merge`): a document with figures no
/// replay writes is refused with the reason, not rendered.
@Suite struct ResultDocumentCheckTests {
    static func golden() throws -> ReplayResult {
        let url = Fixtures.root.appendingPathComponent("Tests/CostReplayCoreTests/Replay/Golden/levers.json")
        return try JSONDecoder().decode(ReplayResult.self, from: Data(contentsOf: url))
    }

    static func write(_ result: ReplayResult) throws -> String {
        let path = Fixtures.temporaryDirectory().appendingPathComponent("r.json").path
        try ResultFile.encode(result).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aDocumentAsWrittenReadsBack() throws {
        let result = try Self.golden()
        #expect(try ResultFile.read(path: try Self.write(result)) == result)
    }

    @Test func negativeCostsCountsAndTokensAreRefused() throws {
        var cases: [(String, (inout ReplayResult) -> Void)] = []
        cases.append(("baseline.baselineCost is negative", { $0.baseline.baselineCost = Money(dollars: -1) }))
        cases.append(("cost is negative", { $0.scenarios[0].totals.cost = Money(dollars: -0.5) }))
        cases.append(("baseline.requests is negative (-3)", { $0.baseline.requests = -3 }))
        cases.append(("scenarios[1].totals.outputTokens is negative (-1)", { $0.scenarios[1].totals.outputTokens = -1 }))
        cases.append(("comparedRequests exceeds its requests", { $0.baseline.comparedRequests = $0.baseline.requests + 1 }))
        for (reason, damage) in cases {
            var result = try Self.golden()
            damage(&result)
            let path = try Self.write(result)
            #expect(performing: { _ = try ResultFile.read(path: path) }, throws: { error in
                "\(error)".contains(reason) && "\(error)".contains(path)
            })
        }
    }
}
