/// A price per token, held as nanodollars per million tokens.
///
/// The unit makes `tokens × rate` an exact femtodollar amount (see ``Money``).
public struct TokenRate: Hashable, Sendable, Codable {
    public var nanosPerMillion: Int64

    public init(nanosPerMillion: Int64) { self.nanosPerMillion = nanosPerMillion }

    /// A rate quoted in dollars per million tokens, as price lists publish them.
    /// Non-finite rates become zero and rates beyond ±$10⁹ per million tokens are clamped, so no
    /// input can trap here; price files are checked against far tighter bounds first.
    public init(dollarsPerMillion: Double) {
        self.nanosPerMillion = Self.clamped(dollarsPerMillion * 1e9)
    }

    public var dollarsPerMillion: Double { Double(nanosPerMillion) / 1e9 }

    @inline(__always)
    public func cost(_ tokens: Int64) -> Money {
        Money(femtos: Int128(tokens) * Int128(nanosPerMillion))
    }

    /// The rate scaled by a factor such as a 50% batch discount.
    public func scaled(by factor: Double) -> TokenRate {
        TokenRate(nanosPerMillion: Self.clamped(Double(nanosPerMillion) * factor))
    }

    static func clamped(_ nanos: Double) -> Int64 {
        guard nanos.isFinite else { return 0 }
        return Int64(Swift.min(Swift.max(nanos, -1e18), 1e18).rounded())
    }

    public static let zero = TokenRate(nanosPerMillion: 0)
}
