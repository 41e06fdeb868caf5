import Statistics

/// Per-day sums of one chain, for bootstrap intervals that resample whole days (requests within a
/// day, or a session, are not independent, so single requests are never resampled).
public struct BlockTotals: Sendable {
    struct Sums: Sendable {
        var baseline: Int128 = 0
        var cost: Int128 = 0
        var served = 0
        var requests = 0
    }

    var days: [Int64: Sums] = [:]
    /// The block being summed: requests arrive in time order, so a day's sums build up here and reach
    /// `days` when the next day starts (``flush()`` before reading `days`).
    private var pendingKey: Int64?
    private var pending = Sums()

    /// The sums per day in day order, with `fixed` spread over the days by their requests.
    func dailyTotals(fixed: Money) -> [DailyTotal] {
        let total = days.values.reduce(0) { $0 + $1.requests }
        return days.keys.sorted().map { day in
            let sums = days[day]!
            let share = total > 0 ? fixed.femtos * Int128(sums.requests) / Int128(total) : 0
            return DailyTotal(day: Timestamp.day(day * 86_400_000_000), baseline: Money(femtos: sums.baseline),
                              cost: Money(femtos: sums.cost + share), requests: sums.requests)
        }
    }

    public init() {}

    /// Day sums given directly (for studies of the interval itself).
    public init(baseline: [Money], cost: [Money]) {
        for (index, pair) in zip(baseline, cost).enumerated() { add(day: Int64(index), baseline: pair.0, cost: pair.1, served: false) }
        flush()
    }

    mutating func add(day: Int64, baseline: Money, cost: Money, served: Bool) {
        if day != pendingKey {
            flush()
            pendingKey = day
        }
        pending.baseline += baseline.femtos
        pending.cost += cost.femtos
        pending.requests += 1
        if served { pending.served += 1 }
    }

    /// Moves the block being summed into `days`.
    mutating func flush() {
        guard let key = pendingKey else { return }
        days[key, default: Sums()].baseline += pending.baseline
        days[key, default: Sums()].cost += pending.cost
        days[key, default: Sums()].requests += pending.requests
        days[key, default: Sums()].served += pending.served
        pendingKey = nil
        pending = Sums()
    }

    /// 95% percentile intervals from `resamples` draws of the days with replacement (GSL's MT19937,
    /// seeded); nil with fewer than two days, where resampling days says nothing.
    public func intervals(resamples: Int, seed: UInt64, unit: String = "UTC days") -> BootstrapIntervals? {
        let blocks = days.keys.sorted().map { days[$0]! }
        guard blocks.count >= 2, resamples > 0 else { return nil }
        let random = RandomSource(seed: seed)
        var cost: [Double] = [], savings: [Double] = [], share: [Double] = [], served: [Double] = []
        for _ in 0..<resamples {
            var sum = Sums()
            for _ in blocks.indices {
                let block = blocks[random.integer(below: blocks.count)]
                sum.baseline += block.baseline
                sum.cost += block.cost
                sum.served += block.served
                sum.requests += block.requests
            }
            let base = Money(femtos: sum.baseline).dollars, scenario = Money(femtos: sum.cost).dollars
            cost.append(scenario)
            savings.append(base - scenario)
            share.append(base == 0 ? 0 : (base - scenario) / base)
            served.append(sum.requests == 0 ? 0 : Double(sum.served) / Double(sum.requests))
        }
        func interval(_ values: [Double]) -> [Double] {
            [(try? Summary.quantile(values, 0.025)) ?? .nan, (try? Summary.quantile(values, 0.975)) ?? .nan]
        }
        return BootstrapIntervals(method: "percentile bootstrap over whole \(unit), seed \(seed)", blocks: blocks.count,
                                  resamples: resamples, cost: interval(cost), savings: interval(savings),
                                  savingsShare: interval(share), servedShare: interval(served))
    }
}
