import Foundation

extension CostReport {
    /// Combines the cost reports of parts of one trace (`cost --stdin` per Spark partition) into the report of the
    /// whole: rows of one key, unpriced groups and notes are added, and everything is sorted again. Re-pricing is per
    /// request, so any split of the requests gives the unsplit report exactly.
    public static func merge(_ parts: [CostReport]) throws -> CostReport {
        guard var merged = parts.first else { throw SimulationError.mergeMismatch("no documents") }
        for part in parts.dropFirst() {
            guard part.groupBy == merged.groupBy else {
                throw SimulationError.mergeMismatch("the cost reports are grouped differently (\(merged.groupBy.rawValue), \(part.groupBy.rawValue))")
            }
            guard part.window == merged.window, part.priceSources == merged.priceSources else {
                throw SimulationError.mergeMismatch("the cost reports cover different windows or were priced with different prices")
            }
        }
        var rows: [String: CostRow] = [:]
        var unpriced: [String: UnpricedGroup] = [:]
        var notes: [String: NoteCount] = [:]
        merged.total = CostRow(key: merged.total.key)
        for part in parts {
            merged.total = try merged.total.adding(part.total)
            for row in part.rows { rows[row.key] = try rows[row.key].map { try $0.adding(row) } ?? row }
            for group in part.unpriced {
                let key = group.reason + "\u{0}" + group.model
                var sum = unpriced[key] ?? .init(reason: group.reason, model: group.model, requests: 0)
                sum.requests = try CostRow.add(sum.requests, group.requests, "unpriced requests")
                unpriced[key] = sum
            }
            for note in part.notes {
                let key = note.note + "\u{0}" + note.model
                var sum = notes[key] ?? .init(note: note.note, model: note.model, requests: 0)
                sum.requests = try CostRow.add(sum.requests, note.requests, "noted requests")
                notes[key] = sum
            }
        }
        merged.rows = sorted(Array(rows.values), by: merged.groupBy)
        merged.unpriced = sorted(Array(unpriced.values))
        merged.notes = sorted(Array(notes.values))
        return merged
    }

    /// Reads a cost report written by `cost --format json`.
    public static func read(path: String) throws -> CostReport {
        let data: Data
        do { data = Data(try BoundedFile.bytes(path: path, limit: 512 << 20, what: "cost report")) } catch {
            throw SimulationError.unreadableResult(path: path, reason: error.reason)
        }
        do {
            let report = try JSONDecoder().decode(CostReport.self, from: data)
            guard report.version == CostReport.version else {
                throw SimulationError.unreadableResult(path: path, reason: "version \(report.version), expected \(CostReport.version)")
            }
            if let problem = report.problem {
                throw SimulationError.unreadableResult(path: path, reason: "\(problem.field) \(problem.reason)")
            }
            return report
        } catch let error as DecodingError {
            throw SimulationError.unreadableResult(path: path, reason: ResultFile.describe(error))
        }
    }
}

extension CostReport {
    /// The first figure no `cost` run writes (a negative or astronomically large count, token total or amount), named by
    /// its JSON path; read documents are checked so that `merge` can neither trap nor print a clamped number.
    public var problem: ResultLimits.Problem? {
        do {
            try Self.check(total, "total")
            for (i, row) in rows.enumerated() { try Self.check(row, "rows[\(i)]") }
            for (i, group) in unpriced.enumerated() { try ResultLimits.count(group.requests, "unpriced[\(i)].requests") }
            for (i, note) in notes.enumerated() { try ResultLimits.count(note.requests, "notes[\(i)].requests") }
            return nil
        } catch {
            return error
        }
    }

    static func check(_ row: CostRow, _ path: String) throws(ResultLimits.Problem) {
        for (value, name) in [(row.requests, "requests"), (row.pricedRequests, "pricedRequests"),
                              (row.unpricedRequests, "unpricedRequests"), (row.billedRequests, "billedRequests")] {
            try ResultLimits.count(value, "\(path).\(name)")
        }
        for (value, name) in [(row.inputTokens, "inputTokens"), (row.cacheReadTokens, "cacheReadTokens"), (row.cacheWriteTokens, "cacheWriteTokens"),
                              (row.outputTokens, "outputTokens"), (row.reasoningTokens, "reasoningTokens")] {
            guard value >= 0, value <= ResultLimits.maxTokens else {
                throw ResultLimits.Problem(field: "\(path).\(name)", reason: "is \(value), outside 0…\(MoneyFormat.count(ResultLimits.maxTokens))")
            }
        }
        for (value, name) in [(row.computedCost, "computedCost"), (row.billedCost, "billedCost"), (row.computedOnBilled, "computedOnBilled")] {
            try ResultLimits.money(value, "\(path).\(name)")
        }
    }
}

extension CostRow {
    /// Two groups' sums added, refusing a sum that would overflow; the request description of `--by request` rows is
    /// kept from the left.
    func adding(_ b: CostRow) throws -> CostRow {
        var sum = self
        sum.requests = try Self.add(requests, b.requests, "requests")
        sum.pricedRequests = try Self.add(pricedRequests, b.pricedRequests, "pricedRequests")
        sum.unpricedRequests = try Self.add(unpricedRequests, b.unpricedRequests, "unpricedRequests")
        sum.inputTokens = try Self.add(inputTokens, b.inputTokens, "inputTokens")
        sum.cacheReadTokens = try Self.add(cacheReadTokens, b.cacheReadTokens, "cacheReadTokens")
        sum.cacheWriteTokens = try Self.add(cacheWriteTokens, b.cacheWriteTokens, "cacheWriteTokens")
        sum.outputTokens = try Self.add(outputTokens, b.outputTokens, "outputTokens")
        sum.reasoningTokens = try Self.add(reasoningTokens, b.reasoningTokens, "reasoningTokens")
        sum.billedRequests = try Self.add(billedRequests, b.billedRequests, "billedRequests")
        // Amounts are bounded by ResultLimits.maxDollars when read; Money holds ±$10²⁰ far beyond any number of parts.
        sum.computedCost += b.computedCost
        sum.billedCost += b.billedCost
        sum.computedOnBilled += b.computedOnBilled
        return sum
    }

    /// `a + b`, refused above what a document may hold (so the merged report can be read back).
    static func add(_ a: Int, _ b: Int, _ field: String) throws -> Int {
        try add(a, b, limit: ResultLimits.maxCount, field)
    }

    static func add(_ a: Int64, _ b: Int64, _ field: String) throws -> Int64 {
        try add(a, b, limit: ResultLimits.maxTokens, field)
    }

    static func add<T: FixedWidthInteger>(_ a: T, _ b: T, limit: T, _ field: String) throws -> T {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow, sum <= limit else {
            throw SimulationError.mergeMismatch("the parts' \(field) add up to more than a cost report may hold")
        }
        return sum
    }
}
