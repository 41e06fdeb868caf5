import CostReplayCore
import Testing
import TestSupport

@Suite struct MoneyTests {
    @Test func tokenCostsAreExactFemtodollars() {
        // 1 token at $0.075 per million is $7.5e-8 = 75,000,000 femtodollars.
        #expect(TokenRate(dollarsPerMillion: 0.075).cost(1).femtos == 75_000_000)
        #expect(TokenRate(dollarsPerMillion: 2.5).cost(1_000_000) == usd("2.5"))
    }

    @Test func sumsDoNotDrift() {
        var total = Money.zero
        for _ in 0..<1_000_000 { total += TokenRate(dollarsPerMillion: 0.15).cost(7) }
        #expect(total == usd("1.05"))
    }

    @Test(arguments: [("1234.5", "$1,234.50"), ("0.0123", "$0.0123"), ("0.000345", "$0.000345"), ("-2", "-$2.00"), ("0", "$0.00")])
    func amountsArePresentedForPeople(amount: String, text: String) {
        #expect(MoneyFormat.human(usd(amount)) == text)
    }

    @Test func plainFormattingRoundsHalfUp() {
        #expect(MoneyFormat.plain(usd("0.0049999"), decimals: 2) == "0.00")
        #expect(MoneyFormat.plain(usd("0.005"), decimals: 2) == "0.01")
        #expect(MoneyFormat.plain(usd("-1.25"), decimals: 1) == "-1.3")
    }
}

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2026-09-01T10:00:00Z", Int64(1_788_256_800_000_000)),
        ("2026-09-01 10:00:00", Int64(1_788_256_800_000_000)),
        ("2026-09-01T12:00:00+02:00", Int64(1_788_256_800_000_000)),
        ("2023-11-16 18:15:46.6805900", Int64(1_700_158_546_680_590)),
        ("2026-09-01", Int64(1_788_220_800_000_000)),
    ])
    func isoShapesParse(text: String, micros: Int64) {
        #expect(Timestamp.parseISO(text) == micros)
    }

    @Test func badDatesAreRejected() {
        #expect(Timestamp.parseISO("2026-13-01") == nil)
        #expect(Timestamp.parseISO("yesterday") == nil)
        #expect(Timestamp.parseISO("2026-09-01T10:00:00Zjunk") == nil)
    }

    @Test func epochNumbersAreReadByMagnitude() {
        #expect(Timestamp.fromEpoch(1_788_256_800) == 1_788_256_800_000_000)
        #expect(Timestamp.fromEpoch(1_788_256_800_000) == 1_788_256_800_000_000)
        #expect(Timestamp.fromEpoch(1_788_256_800_000_000_000) == 1_788_256_800_000_000)
    }

    @Test func formattingRoundTrips() {
        #expect(Timestamp.iso(1_700_158_546_680_590) == "2023-11-16T18:15:46.680590Z")
        #expect(Timestamp.parseISO(Timestamp.iso(-1)) == -1)
    }
}
