/// The bootstrap blocks of one sharded scenario point, summed per block: what `merge` needs to draw the intervals of
/// the whole trace.
///
/// A day straddles shards, so per-shard intervals cannot be combined; but a day's (or a session's) sums over the
/// shards are the sums the unsharded replay would hold for it. Summing blocks by key and drawing with the same seed
/// therefore gives the unsharded intervals exactly, whichever key the trace was split by. Columns, one entry per
/// block in key order.
public struct BlockSums: Sendable, Codable, Equatable {
    /// `UTC days` or `sessions`.
    public var unit: String
    /// The seed and resample count the unsharded replay would draw with.
    public var seed: UInt64
    public var resamples: Int
    /// UTC day numbers, or session hashes.
    public var keys: [Int64]
    public var baseline: [Money]
    /// Scenario cost, with fixed costs spread over the blocks by their requests.
    public var cost: [Money]
    public var served: [Int]
    public var requests: [Int]

    /// Sums the blocks of several shards by key; nil when they disagree on unit, seed or resamples.
    static func merged(_ parts: [BlockSums]) -> BlockSums? {
        guard let first = parts.first,
              parts.allSatisfy({ $0.unit == first.unit && $0.seed == first.seed && $0.resamples == first.resamples }) else { return nil }
        var totals = BlockTotals()
        for part in parts { totals.add(part) }
        return totals.sums(unit: first.unit, seed: first.seed, resamples: first.resamples)
    }

    /// The 95% intervals the unsharded replay reports.
    var intervals: BootstrapIntervals? {
        var totals = BlockTotals()
        totals.add(self)
        return totals.intervals(resamples: resamples, seed: seed, unit: unit)
    }
}

extension BlockTotals {
    /// The block sums as a document section.
    func sums(unit: String, seed: UInt64, resamples: Int) -> BlockSums {
        let keys = days.keys.sorted()
        return BlockSums(unit: unit, seed: seed, resamples: resamples, keys: keys,
                         baseline: keys.map { Money(femtos: days[$0]!.baseline) }, cost: keys.map { Money(femtos: days[$0]!.cost) },
                         served: keys.map { days[$0]!.served }, requests: keys.map { days[$0]!.requests })
    }

    /// Adds a document's block sums, block by block.
    mutating func add(_ sums: BlockSums) {
        for (index, key) in sums.keys.enumerated() where index < sums.baseline.count && index < sums.cost.count
            && index < sums.served.count && index < sums.requests.count {
            days[key, default: Sums()].baseline += sums.baseline[index].femtos
            days[key, default: Sums()].cost += sums.cost[index].femtos
            days[key, default: Sums()].served += sums.served[index]
            days[key, default: Sums()].requests += sums.requests[index]
        }
    }
}
