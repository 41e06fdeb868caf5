/// Signed per-block sums of a ``CapacitySweepGroup``: the group's all-miss sums, or a member's deltas.
///
/// Requests arrive in time order, so the current block (a day) builds up in scalars and reaches the dictionary when
/// the key changes, as in ``BlockTotals``. Integer sums, so the order of folding does not change a femtodollar.
struct BlockTally {
    private(set) var blocks: [Int64: BlockTotals.Sums] = [:]
    private var pendingKey: Int64?
    private var pending = BlockTotals.Sums()

    mutating func add(_ key: Int64, baseline: Int128, cost: Int128, served: Int, requests: Int) {
        if key != pendingKey {
            flush()
            pendingKey = key
        }
        pending.baseline += baseline
        pending.cost += cost
        pending.served += served
        pending.requests += requests
    }

    mutating func flush() {
        guard let key = pendingKey else { return }
        blocks[key, default: .init()].add(pending)
        pendingKey = nil
        pending = .init()
    }

    /// These sums plus `delta`'s, as the ``BlockTotals`` of one chain: a block is there when a request counts in it.
    func merged(_ delta: BlockTally) -> BlockTotals {
        var sums = blocks
        for (key, change) in delta.blocks { sums[key, default: .init()].add(change) }
        var totals = BlockTotals()
        totals.days = sums.filter { $0.value.requests > 0 }
        return totals
    }
}

extension BlockTotals.Sums {
    mutating func add(_ other: Self) {
        baseline += other.baseline
        cost += other.cost
        served += other.served
        requests += other.requests
    }
}

/// Signed sums and request counts per (model id, UTC day) of a ``CapacitySweepGroup``.
///
/// The count says whether the key exists on the per-point path, where a model's day appears once a request adds to
/// it, even at zero cost. The current day builds up in flat arrays indexed by model id, as in ``ModelDaySums``.
struct ModelDayTally {
    struct Key: Hashable {
        var model: Int32
        var day: Int64
    }

    private(set) var sums: [Key: (femtos: Int128, count: Int)] = [:]
    private var day: Int64 = .min
    private var femtos: [Int128] = []
    private var counts: [Int] = []
    private var seen: [Bool] = []
    private var touched: [Int32] = []

    mutating func add(_ model: Int32, day: Int64, femtos amount: Int128, count: Int) {
        if day != self.day {
            flush()
            self.day = day
        }
        let i = Int(model)
        if i >= femtos.count {
            femtos.append(contentsOf: repeatElement(0, count: i + 1 - femtos.count))
            counts.append(contentsOf: repeatElement(0, count: i + 1 - counts.count))
            seen.append(contentsOf: repeatElement(false, count: i + 1 - seen.count))
        }
        if !seen[i] {
            seen[i] = true
            touched.append(model)
        }
        femtos[i] += amount
        counts[i] += count
    }

    mutating func flush() {
        for model in touched {
            let i = Int(model)
            let key = Key(model: model, day: day)
            let sum = sums[key] ?? (0, 0)
            sums[key] = (sum.femtos + femtos[i], sum.count + counts[i])
            femtos[i] = 0
            counts[i] = 0
            seen[i] = false
        }
        touched.removeAll(keepingCapacity: true)
    }

    /// These sums plus `delta`'s by model name and day, keeping the keys some request counts in.
    func merged(_ delta: ModelDayTally, names: ModelNames) -> [ModelDayKey: Money] {
        var all = sums
        for (key, change) in delta.sums {
            let sum = all[key] ?? (0, 0)
            all[key] = (sum.femtos + change.femtos, sum.count + change.count)
        }
        var result: [ModelDayKey: Money] = [:]
        for (key, sum) in all where sum.count > 0 {
            result[ModelDayKey(model: names.name(key.model), day: key.day), default: .zero] += Money(femtos: sum.femtos)
        }
        return result
    }
}
