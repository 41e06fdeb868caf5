/// A price per token, held as nanodollars per million tokens.
///
/// The unit makes `tokens × rate` an exact femtodollar amount (see ``Money``).
public struct TokenRate: Hashable, Sendable, Codable {
    public var nanosPerMillion: Int64

    public init(nanosPerMillion: Int64) { self.nanosPerMillion = nanosPerMillion }

    /// A rate quoted in dollars per million tokens, as price lists publish them.
    public init(dollarsPerMillion: Double) {
        self.nanosPerMillion = Int64((dollarsPerMillion * 1e9).rounded())
    }

    public var dollarsPerMillion: Double { Double(nanosPerMillion) / 1e9 }

    @inline(__always)
    public func cost(_ tokens: Int64) -> Money {
        Money(femtos: Int128(tokens) * Int128(nanosPerMillion))
    }

    /// The rate scaled by a factor such as a 50% batch discount.
    public func scaled(by factor: Double) -> TokenRate {
        TokenRate(nanosPerMillion: Int64((Double(nanosPerMillion) * factor).rounded()))
    }

    public static let zero = TokenRate(nanosPerMillion: 0)
}
