import Foundation
/// Cost per (model, UTC day) of one chain.
///
/// Requests arrive in time order, so the current day is summed in a flat array indexed by the interned model
/// id (``ModelNames``) and folded into `sums` when the day changes: no string is hashed per request. Models a
/// strategy renamed to (routing) have no id and are summed by name. Integer sums, so the order of folding does
/// not change a femtodollar.
struct ModelDaySums {
    private(set) var sums: [ModelDayKey: Money] = [:]
    private var day: Int64 = .min
    private var byID: [Int128] = []
    private var seen: [Bool] = []
    private var touched: [Int32] = []
    private var byName: [String: Money] = [:]

    mutating func add(_ cost: Money, model id: Int32, day: Int64, names: ModelNames) {
        if day != self.day { flush(names) ; self.day = day }
        let i = Int(id)
        if i >= byID.count {
            byID.append(contentsOf: repeatElement(0, count: i + 1 - byID.count))
            seen.append(contentsOf: repeatElement(false, count: i + 1 - seen.count))
        }
        if !seen[i] {
            seen[i] = true
            touched.append(id)
        }
        byID[i] += cost.femtos
    }

    mutating func add(_ cost: Money, model: String, day: Int64, names: ModelNames) {
        if day != self.day { flush(names) ; self.day = day }
        byName[model, default: .zero] += cost
    }

    /// Folds the current day into `sums`.
    mutating func flush(_ names: ModelNames) {
        for id in touched {
            sums[ModelDayKey(model: names.name(id), day: day), default: .zero] += Money(femtos: byID[Int(id)])
            byID[Int(id)] = 0
            seen[Int(id)] = false
        }
        touched.removeAll(keepingCapacity: true)
        for (model, cost) in byName { sums[ModelDayKey(model: model, day: day), default: .zero] += cost }
        byName.removeAll(keepingCapacity: true)
    }
}

extension ModelDaySums {
    /// Sums already folded (``CapacitySweepGroup`` builds a member's from the group's and its own).
    init(sums: [ModelDayKey: Money]) {
        self.init()
        self.sums = sums
    }
}

/// Model names interned to small ids when requests are read (ids 0 and 1 are "(served)" and "(none)").
///
/// Written by the reading thread and, for models a lever routes to, by the workers during a batch:
/// guarded by a lock, since two workers may meet a new model at once.
final class ModelNames: @unchecked Sendable {
    static let served: Int32 = 0
    static let none: Int32 = 1
    private var names = ["(served)", "(none)"]
    private var ids: [String: Int32] = ["(served)": 0, "(none)": 1]
    private let lock = NSLock()

    func id(_ model: String?) -> Int32 {
        guard let model else { return Self.none }
        lock.lock()
        defer { lock.unlock() }
        if let id = ids[model] { return id }
        let id = Int32(names.count)
        names.append(model)
        ids[model] = id
        return id
    }

    func name(_ id: Int32) -> String {
        lock.lock()
        defer { lock.unlock() }
        return names[Int(id)]
    }
}
