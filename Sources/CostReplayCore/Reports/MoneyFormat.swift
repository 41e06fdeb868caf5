/// Presents money and counts for people; the only place amounts are rounded.
public enum MoneyFormat {
    /// `$1,234.56`, with more decimals for amounts under a dollar so small costs stay visible.
    public static func human(_ money: Money) -> String {
        let dollars = money.dollars
        let magnitude = abs(dollars)
        let decimals = magnitude == 0 || magnitude >= 1 ? 2 : (magnitude >= 0.01 ? 4 : 6)
        // Rounded from the femtodollars, not the `Double`, so large amounts print exactly.
        return (dollars < 0 ? "-$" : "$") + grouped(plain(money.femtos < 0 ? -money : money, decimals: decimals))
    }

    /// Fixed decimals, no grouping (for CSV and JSON-adjacent output), computed exactly.
    public static func plain(_ money: Money, decimals: Int) -> String {
        let negative = money.femtos < 0
        let magnitude = negative ? -money.femtos : money.femtos
        var scale: Int128 = 1
        for _ in 0..<(15 - decimals) { scale *= 10 }
        let rounded = (magnitude + scale / 2) / scale
        var unit: Int128 = 1
        for _ in 0..<decimals { unit *= 10 }
        let whole = rounded / unit
        let fraction = rounded % unit
        var text = String(whole)
        if decimals > 0 {
            let digits = String(fraction)
            text += "." + String(repeating: "0", count: decimals - digits.count) + digits
        }
        return (negative && rounded != 0 ? "-" : "") + text
    }

    public static func fixed(_ value: Double, decimals: Int) -> String {
        plain(Money(dollars: value), decimals: decimals)
    }

    /// Thousands separators on the integer part of a decimal string.
    public static func grouped(_ text: String) -> String {
        let parts = text.split(separator: ".", maxSplits: 1)
        var integer = String(parts[0])
        var negative = false
        if integer.hasPrefix("-") { negative = true; integer.removeFirst() }
        var out = ""
        for (index, character) in integer.enumerated() {
            if index > 0 && (integer.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (negative ? "-" : "") + out + (parts.count > 1 ? "." + parts[1] : "")
    }

    public static func count<T: BinaryInteger>(_ value: T) -> String { grouped(String(value)) }

    /// A counter held as a `Double` (strategy metrics), rounded and grouped; one beyond `Int64` or not finite is shown
    /// as it is rather than converted, which would trap.
    public static func count(_ value: Double) -> String {
        guard let whole = Int64(exactly: value.rounded(.towardZero)) else { return "\(value)" }
        return count(whole)
    }

    /// The same without grouping, for sentences that print a counter as a plain integer.
    public static func whole(_ value: Double) -> String {
        guard let whole = Int64(exactly: value.rounded(.towardZero)) else { return "\(value)" }
        return String(whole)
    }
}
