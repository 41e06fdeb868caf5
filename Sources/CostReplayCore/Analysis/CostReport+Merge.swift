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
            merged.total = merged.total + part.total
            for row in part.rows { rows[row.key] = rows[row.key].map { $0 + row } ?? row }
            for group in part.unpriced {
                unpriced[group.reason + "\u{0}" + group.model, default: .init(reason: group.reason, model: group.model, requests: 0)].requests += group.requests
            }
            for note in part.notes {
                notes[note.note + "\u{0}" + note.model, default: .init(note: note.note, model: note.model, requests: 0)].requests += note.requests
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
            return report
        } catch let error as DecodingError {
            throw SimulationError.unreadableResult(path: path, reason: ResultFile.describe(error))
        }
    }
}

extension CostRow {
    /// Two groups' sums added; the request description of `--by request` rows is kept from the left.
    static func + (a: CostRow, b: CostRow) -> CostRow {
        var sum = a
        sum.requests += b.requests
        sum.pricedRequests += b.pricedRequests
        sum.unpricedRequests += b.unpricedRequests
        sum.inputTokens += b.inputTokens
        sum.cacheReadTokens += b.cacheReadTokens
        sum.cacheWriteTokens += b.cacheWriteTokens
        sum.outputTokens += b.outputTokens
        sum.reasoningTokens += b.reasoningTokens
        sum.computedCost += b.computedCost
        sum.billedRequests += b.billedRequests
        sum.billedCost += b.billedCost
        sum.computedOnBilled += b.computedOnBilled
        return sum
    }
}
