import Foundation

/// An amount of US dollars, exact to a femtodollar (10⁻¹⁵ USD).
///
/// Token prices are quoted per million tokens with up to nine decimals, so a token count times
/// a rate in nanodollars per million tokens is an exact number of femtodollars: no rounding
/// happens until an amount is presented. 128 bits hold any realistic bill.
public struct Money: Hashable, Comparable, Sendable {
    /// The amount in femtodollars.
    public var femtos: Int128

    public init(femtos: Int128) { self.femtos = femtos }

    /// Converts a dollar amount to the nearest femtodollar. Values beyond ±$10²⁰ are clamped and
    /// non-finite ones become zero, so no input can trap; readers reject such values first.
    public init(dollars: Double) {
        guard dollars.isFinite else {
            self.femtos = 0
            return
        }
        let clamped = Swift.min(Swift.max(dollars, -1e20), 1e20)
        self.femtos = Int128((clamped * 1e15).rounded())
    }

    public static let zero = Money(femtos: 0)
    public static let femtosPerDollar: Int128 = 1_000_000_000_000_000

    /// The amount as a floating-point number of dollars, for statistics and presentation.
    public var dollars: Double {
        if let small = Int64(exactly: femtos) { return Double(small) / 1e15 }
        let whole = femtos / Money.femtosPerDollar
        let fraction = femtos % Money.femtosPerDollar
        return Double(whole) + Double(fraction) / 1e15
    }

    public static func + (lhs: Money, rhs: Money) -> Money { Money(femtos: lhs.femtos + rhs.femtos) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(femtos: lhs.femtos - rhs.femtos) }
    public static func += (lhs: inout Money, rhs: Money) { lhs.femtos += rhs.femtos }
    public static func -= (lhs: inout Money, rhs: Money) { lhs.femtos -= rhs.femtos }
    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.femtos < rhs.femtos }
    public static prefix func - (value: Money) -> Money { Money(femtos: -value.femtos) }
}

extension Money: Codable {
    /// Encoded as a number of dollars; documents are read by people and notebooks. Amounts a `Double` holds to the
    /// femtodollar (under 2⁵³ femtodollars, about $9) are written as before; larger ones as their exact decimal,
    /// so that summing documents (`costreplay merge`) stays exact to the femtodollar.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let value = try container.decode(Double.self)
        // Beyond ±$10²⁰ `Money(dollars:)` would clamp: a document never holds such an amount, so it is refused.
        guard abs(value) <= 1e20 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(value) dollars is beyond the money range of ±$1e20"))
        }
        let rounded = Money(dollars: value)
        // Text exact to the femtodollar is taken as written; other text (more decimals) through the Double.
        if let decimal = try? container.decode(Decimal.self), let exact = Money(exactDollars: decimal) {
            self = exact
        } else {
            self = rounded
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if femtos.magnitude < 1 << 53 {
            try container.encode(dollars)
        } else {
            try container.encode(Decimal(string: String(femtos))! / Money.decimalFemtosPerDollar)
        }
    }

    static let decimalFemtosPerDollar = Decimal(string: "1000000000000000")!

    /// The amount `decimal` dollars when it is a whole number of femtodollars within ±$10²⁰; nil otherwise.
    init?(exactDollars decimal: Decimal) {
        guard decimal.isFinite, abs(decimal) <= Decimal(string: "1e20")! else { return nil }
        var scaled = decimal * Money.decimalFemtosPerDollar
        var whole = Decimal()
        NSDecimalRound(&whole, &scaled, 0, .plain)
        guard whole == scaled, let femtos = Int128(NSDecimalNumber(decimal: whole).stringValue) else { return nil }
        self.init(femtos: femtos)
    }
}

extension Money: CustomStringConvertible {
    public var description: String { MoneyFormat.plain(self, decimals: 6) }
}
