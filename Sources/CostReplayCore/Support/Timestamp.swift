/// Parsing and formatting of instants as microseconds since the Unix epoch (UTC).
///
/// Hand-written because traces carry many shapes (ISO 8601 with 0–9 fractional digits, a space
/// instead of `T`, offsets, epoch numbers in s/ms/µs/ns) and Foundation's formatters are slow
/// and reject several of them.
public enum Timestamp {
    /// Parses `2024-05-01T12:00:00.123Z`, `2023-11-16 18:15:46.6805900`, `2024-05-01` and
    /// offsets like `+02:00`; a time without a zone is taken as UTC.
    public static func parseISO(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parseISO(bytes: UnsafeRawBufferPointer($0)) }
    }

    public static func parseISO(bytes: UnsafeRawBufferPointer) -> Int64? {
        var index = 0
        let count = bytes.count
        func digits(_ n: Int) -> Int? {
            guard index + n <= count else { return nil }
            var value = 0
            for _ in 0..<n {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
                index += 1
            }
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), expect(45), let month = digits(2), expect(45), let day = digits(2),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        var seconds = daysFromCivil(year: year, month: month, day: day) * 86_400
        var micros: Int64 = 0
        if index < count, bytes[index] == 84 || bytes[index] == 116 || bytes[index] == 32 {
            index += 1
            guard let hour = digits(2), expect(58), let minute = digits(2), hour < 24, minute < 60 else { return nil }
            var second = 0
            if expect(58) {
                guard let s = digits(2), s <= 60 else { return nil }
                second = s
            }
            seconds += Int64(hour * 3600 + minute * 60 + second)
            if index < count, bytes[index] == 46 || bytes[index] == 44 {
                index += 1
                var scale: Int64 = 100_000
                var any = false
                while index < count, bytes[index] >= 48, bytes[index] <= 57 {
                    micros += Int64(bytes[index] - 48) * scale
                    scale /= 10
                    index += 1
                    any = true
                }
                guard any else { return nil }
            }
        }
        if index < count {
            let sign = bytes[index]
            if sign == 90 || sign == 122 {
                index += 1
            } else if sign == 43 || sign == 45 {
                index += 1
                guard let hh = digits(2), hh <= 23 else { return nil }
                _ = expect(58)
                let mm = digits(2) ?? 0
                guard mm <= 59 else { return nil }
                let offset = Int64(hh * 3600 + mm * 60)
                seconds += sign == 43 ? -offset : offset
            }
        }
        guard index == count, year >= 1 else { return nil }
        return seconds * 1_000_000 + micros
    }

    /// The first instant CostReplay stores: 0001-01-01T00:00:00Z.
    public static let earliest: Int64 = -62_135_596_800_000_000
    /// The last instant CostReplay stores: 9999-12-31T23:59:59.999999Z.
    public static let latest: Int64 = 253_402_300_799_999_999

    /// Interprets an epoch number by its magnitude: seconds, milliseconds, microseconds or nanoseconds.
    /// Nil for negative, non-finite or out-of-range numbers (after year 9999).
    public static func fromEpoch(_ value: Double) -> Int64? {
        guard value.isFinite, value >= 0 else { return nil }
        switch value {
        case ..<1e11: return micros(value, scale: 1e6)
        case ..<1e14: return micros(value, scale: 1e3)
        case ..<1e17: return micros(value, scale: 1)
        default: return micros(value, scale: 1e-3)
        }
    }

    /// `value × scale` microseconds, rounded; nil unless finite and between ``earliest`` and ``latest``.
    /// The range check comes before the conversion, which would trap on out-of-range doubles.
    public static func micros(_ value: Double, scale: Double) -> Int64? {
        let scaled = (value * scale).rounded()
        guard scaled.isFinite, scaled >= Double(earliest), scaled <= Double(latest) else { return nil }
        return Int64(scaled)
    }

    /// 28–31: the days of a month of the proleptic Gregorian calendar.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int64(era * 146_097 + doe - 719_468)
    }

    public static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    public static func iso(_ micros: Int64) -> String {
        let seconds = floorDiv(micros, 1_000_000)
        let fraction = micros - seconds * 1_000_000
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let date = civil(fromDays: days)
        return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))T"
            + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
            + (fraction == 0 ? "" : ".\(pad(Int(fraction), 6))") + "Z"
    }

    /// `YYYY-MM-DD` of the UTC day holding `micros`.
    public static func day(_ micros: Int64) -> String {
        let date = civil(fromDays: floorDiv(micros, 86_400_000_000))
        return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))"
    }

    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
