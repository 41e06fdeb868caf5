import Statistics

/// The CI cost-regression gate: compares a candidate's cost with a committed baseline's over the
/// same recorded days, per month, with a paired day bootstrap to tell a real increase from noise.
public enum CostGate {
    public struct Options: Sendable {
        public var maxIncreasePercent: Double?
        public var maxIncreaseUSD: Double?
        public var warnIncreasePercent: Double?
        /// Fail on the point estimate instead of the interval's lower bound.
        public var strict = false
        public var resamples = 2000
        public var seed: UInt64 = 42
        public init() {}
    }

    public enum Status: String, Sendable, Codable { case pass, warn, fail }

    public struct Group: Sendable, Codable, Equatable {
        public var group: String
        public var past: Double
        public var current: Double
        public var diff: Double
    }

    public struct Verdict: Sendable, Codable {
        public var version = "costreplay.check/1"
        public var status: Status
        public var reasons: [String]
        public var period = "month"
        public var days: Int
        public var paired: Bool
        public var past: Double
        public var current: Double
        public var diff: Double
        public var diffPercent: Double
        /// 95% interval of the monthly difference.
        public var interval: [Double]
        public var groupBy = "day"
        public var groups: [Group]
        /// Monthly cost by the model requests were finally sent to, over the compared days (when both sides have it).
        public var models: [Group]?
        /// Set when the baseline was priced with another catalog than the check.
        public var priceCatalogChange: PriceCatalogChange?
    }

    /// Per-model monthly costs over the given days (all days when `days` is empty), largest change first.
    public static func modelGroups(past: [ModelDay], current: [ModelDay], days: Set<String>) -> [Group] {
        let month = 30.436875
        // Each side's daily average: over the shared days, or over its own days when the periods differ.
        func monthly(_ rows: [ModelDay]) -> [String: Double] {
            let kept = rows.filter { days.isEmpty || days.contains($0.day) }
            let count = Double(max(days.isEmpty ? Set(kept.map(\.day)).count : days.count, 1))
            return Dictionary(kept.map { ($0.model, $0.cost.dollars / count * month) }, uniquingKeysWith: +)
        }
        let p = monthly(past), c = monthly(current)
        return Set(p.keys).union(c.keys).map { model in
            let before = p[model] ?? 0, after = c[model] ?? 0
            return Group(group: model, past: before, current: after, diff: after - before)
        }.sorted { abs($0.diff) != abs($1.diff) ? abs($0.diff) > abs($1.diff) : $0.group < $1.group }
    }

    /// Compares per-day costs; days present in both are paired, otherwise the two periods' daily
    /// means are compared with independent bootstraps.
    /// With both sides' per-model days, the verdict also carries the per-model monthly diff over the same days.
    public static func compare(past: [DailyTotal], current: [DailyTotal], options: Options,
                               pastModels: [ModelDay]? = nil, currentModels: [ModelDay]? = nil) -> Verdict {
        let pastByDay = Dictionary(past.map { ($0.day, $0.cost.dollars) }, uniquingKeysWith: +)
        let currentByDay = Dictionary(current.map { ($0.day, $0.cost.dollars) }, uniquingKeysWith: +)
        let shared = Set(pastByDay.keys).intersection(currentByDay.keys).sorted()
        let random = RandomSource(seed: options.seed)
        let month = 30.436875
        var pastMonthly: Double, currentMonthly: Double, interval: [Double], days: Int
        let paired = !shared.isEmpty
        if paired {
            days = shared.count
            let p = shared.map { pastByDay[$0]! }, c = shared.map { currentByDay[$0]! }
            pastMonthly = p.reduce(0, +) / Double(days) * month
            currentMonthly = c.reduce(0, +) / Double(days) * month
            let diffs = zip(c, p).map { $0 - $1 }
            let draws = (0..<options.resamples).map { _ in
                (0..<days).reduce(0.0) { sum, _ in sum + diffs[random.integer(below: days)] } / Double(days) * month
            }
            interval = [(try? Summary.quantile(draws, 0.025)) ?? 0, (try? Summary.quantile(draws, 0.975)) ?? 0]
        } else {
            let p = past.map { $0.cost.dollars }, c = current.map { $0.cost.dollars }
            days = c.count
            pastMonthly = p.reduce(0, +) / Double(max(p.count, 1)) * month
            currentMonthly = c.reduce(0, +) / Double(max(c.count, 1)) * month
            let draws = (0..<options.resamples).map { _ -> Double in
                guard !p.isEmpty, !c.isEmpty else { return 0 }
                let cm = (0..<c.count).reduce(0.0) { s, _ in s + c[random.integer(below: c.count)] } / Double(c.count)
                let pm = (0..<p.count).reduce(0.0) { s, _ in s + p[random.integer(below: p.count)] } / Double(p.count)
                return (cm - pm) * month
            }
            interval = [(try? Summary.quantile(draws, 0.025)) ?? 0, (try? Summary.quantile(draws, 0.975)) ?? 0]
        }
        let diff = currentMonthly - pastMonthly
        let percent = pastMonthly == 0 ? 0 : diff / pastMonthly
        var status = Status.pass
        var reasons: [String] = []
        func money(_ value: Double) -> String { MoneyFormat.human(Money(dollars: value)) }
        func pct(_ value: Double) -> String { MoneyFormat.fixed(value * 100, decimals: 1) + "%" }
        // Limits in dollars per month; a percentage limit is taken on the past month's cost.
        var limits: [(String, Double)] = []
        if let usd = options.maxIncreaseUSD { limits.append(("\(money(usd)) a month", usd)) }
        if let p = options.maxIncreasePercent { limits.append(("\(pct(p / 100)) of \(money(pastMonthly))", pastMonthly * p / 100)) }
        for (name, limit) in limits where diff > limit {
            if interval[0] > limit || options.strict {
                status = .fail
                reasons.append("cost rises \(money(diff)) a month (\(pct(percent))), over the limit of \(name)"
                               + (options.strict ? " (strict: point estimate)" : "; the whole 95% interval [\(money(interval[0])), \(money(interval[1]))] is above it"))
            } else {
                if status != .fail { status = .warn }
                reasons.append("cost rises \(money(diff)) a month (\(pct(percent))), over the limit of \(name), but the 95% interval "
                               + "[\(money(interval[0])), \(money(interval[1]))] reaches below it: not a significant increase")
            }
        }
        if let warn = options.warnIncreasePercent, status == .pass, abs(percent) * 100 > warn {
            status = .warn
            reasons.append(percent > 0 ? "cost rises \(pct(percent)), over the warning level of \(pct(warn / 100))"
                           : "cost drops \(pct(-percent)), more than the warning level of \(pct(warn / 100)): worth a look")
        }
        if reasons.isEmpty { reasons.append("cost changes \(money(diff)) a month (\(pct(percent))), within budget") }
        let groups = Array(Set(pastByDay.keys).union(currentByDay.keys)).sorted().map { day in
            Group(group: day, past: pastByDay[day] ?? 0, current: currentByDay[day] ?? 0, diff: (currentByDay[day] ?? 0) - (pastByDay[day] ?? 0))
        }
        var models: [Group]?
        if let pastModels, let currentModels {
            models = modelGroups(past: pastModels, current: currentModels, days: Set(shared))
        }
        return Verdict(status: status, reasons: reasons, days: days, paired: paired, past: pastMonthly, current: currentMonthly,
                       diff: diff, diffPercent: percent, interval: interval, groups: groups, models: models)
    }

    public static func markdown(_ v: Verdict, pastLabel: String, currentLabel: String) -> String {
        func money(_ value: Double) -> String { MoneyFormat.human(Money(dollars: value)) }
        let mark = v.status == .pass ? "✅ within budget" : v.status == .warn ? "⚠️ warning" : "❌ over budget"
        return """
            ### CostReplay cost check: \(mark)

            | | monthly cost |
            |---|---:|
            | baseline (\(pastLabel)) | \(money(v.past)) |
            | this change (\(currentLabel)) | \(money(v.current)) |
            | difference | \(money(v.diff)) (\(MoneyFormat.fixed(v.diffPercent * 100, decimals: 1))%) |
            | 95% interval of the difference | \(money(v.interval[0])) to \(money(v.interval[1])) |

            \((v.reasons + [v.priceCatalogChange?.line].compactMap { $0 }).map { "- " + $0 }.joined(separator: "\n"))

            Over \(v.days) recorded days\(v.paired ? ", the same requests replayed both ways" : " (different periods compared)"); \
            monthly = daily average × 30.44.

            """ + modelTable(v.models)
    }

    public static func modelTable(_ groups: [Group]?) -> String {
        guard let groups, !groups.isEmpty else { return "" }
        func money(_ value: Double) -> String { MoneyFormat.human(Money(dollars: value)) }
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        let shown = groups.prefix(10)
        return "\n| model | baseline / month | this change / month | difference |\n|---|---:|---:|---:|\n"
            + shown.map { "| \(cell($0.group)) | \(money($0.past)) | \(money($0.current)) | \(money($0.diff)) |" }.joined(separator: "\n")
            + (groups.count > shown.count ? "\n\n\(groups.count - shown.count) more models in the JSON diff." : "") + "\n"
    }

    public static func junit(_ v: Verdict) -> String {
        // XML text and attribute escaping is the same as HTML's.
        let escape = HTML.escape
        let failure = v.status == .fail ? "<failure message=\"\(escape(v.reasons.joined(separator: "; ")))\"/>" : ""
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="costreplay" tests="1" failures="\(v.status == .fail ? 1 : 0)">
              <testsuite name="cost-check" tests="1" failures="\(v.status == .fail ? 1 : 0)">
                <testcase classname="costreplay" name="monthly cost within budget">\(failure)<system-out>\(escape((v.reasons + [v.priceCatalogChange?.line].compactMap { $0 }).joined(separator: "\n")))</system-out></testcase>
              </testsuite>
            </testsuites>

            """
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
