import CostReplayCore
import Foundation
import Testing
import TestSupport

/// CostReplay against genai-prices 0.2.3 on the same generated trace, the expected prices
/// computed by the genai-prices package itself while the test runs.
@Suite struct GenAIPricesParityTests {
    @Test(.enabled(if: GenAIPricesReference.available,
                   "needs python3 with genai-prices 0.2.3 (scripts/setup.sh installs it; COSTREPLAY_PYTHON picks the interpreter)"))
    func atLeast99PercentOfTheRequestsGenAIPricesPricesMatchToANanodollar() throws {
        let requests = ParityTrace(catalog: sharedCatalog, seed: 20_261_110).generate(count: 2_500)
        let encoder = JSONEncoder()
        let input = Data(try requests.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }.joined().utf8)
        let expected = try #require(try GenAIPricesReference.run(input: input))
        var tally = ParityTally()
        let pricer = Pricer(catalog: sharedCatalog)
        for request in requests {
            tally.add(request, ours: pricer.price(request.pricingInput), theirs: try #require(expected[request.id]))
        }
        print(tally.summary(label: "genai-prices parity (seed 20261110, \(requests.count) requests)"))
        #expect(tally.referencePriced >= 1_500)
        #expect(tally.matchShare >= 0.99, "\(tally.mismatches.prefix(15).joined(separator: "\n"))")
    }
}

/// Counts of agreement between CostReplay and genai-prices.
struct ParityTally {
    var referencePriced = 0
    var matched = 0
    var onlyReference = 0
    var onlyOurs = 0
    var neither = 0
    var mismatches: [String] = []

    var matchShare: Double { referencePriced == 0 ? 0 : Double(matched) / Double(referencePriced) }

    mutating func add(_ request: ParityTrace.Request, ours: PricedRequest, theirs: GenAIPricesReference.Expected) {
        let reference = theirs.total.flatMap(Double.init)
        switch (ours.cost, reference) {
        case let (cost?, total?):
            referencePriced += 1
            if abs(cost.dollars - total) <= 1e-9 { matched += 1 } else {
                mismatches.append("\(request.provider ?? "-")/\(request.model) \(request.start): ours \(cost) via \(ours.pricing?.qualifiedID ?? "?"), genai-prices \(total) via \(theirs.entry ?? "?")")
            }
        case (nil, _?):
            referencePriced += 1
            onlyReference += 1
            mismatches.append("\(request.provider ?? "-")/\(request.model): unpriced (\(ours.unpricedDescription ?? "?")), genai-prices \(theirs.total ?? "") via \(theirs.entry ?? "?")")
        case (_?, nil): onlyOurs += 1
        case (nil, nil): neither += 1
        }
    }

    func summary(label: String) -> String {
        """
        \(label): \(matched) of \(referencePriced) requests genai-prices prices match to 1e-9 USD \
        (\(String(format: "%.2f", matchShare * 100))%); unpriced by CostReplay only: \(onlyReference); \
        priced by CostReplay only: \(onlyOurs); by neither: \(neither)
        """
    }
}
