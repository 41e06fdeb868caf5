/// A daily cost series read from a small CSV file (`day,cost` with a header), for forecasting a series
/// given directly (`forecast --series`), as the benchmark does. Days missing inside the span count as zero.
extension DailySeries {
    public static let maximumSeriesFileSize = 16 << 20

    public static func read(csv path: String) throws(ScenarioError) -> DailySeries {
        let text: String
        do { text = try BoundedFile.text(path: path, limit: maximumSeriesFileSize, what: "series file") } catch {
            throw ScenarioError(file: path, line: 0, error.reason)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        while lines.last?.isEmpty == true { lines.removeLast() }
        let header = lines.first?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? []
        guard header.count >= 2, ["day", "date"].contains(header[0]), header[1] == "cost" || header[1] == "cost_usd" else {
            throw ScenarioError(file: path, line: 1, "expected a header 'day,cost'")
        }
        var cost: [Int64: Double] = [:]
        for (index, line) in lines.enumerated().dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 2, let day = DriverReader.parseDay(fields[0]) else {
                throw ScenarioError(file: path, line: index + 1, key: "day", "expected a date YYYY-MM-DD")
            }
            guard let value = Double(fields[1]), value.isFinite, value >= 0, value <= ForecastDrivers.maximumDailyCost else {
                throw ScenarioError(file: path, line: index + 1, key: "cost",
                                    "expected a cost from 0 to \(MoneyFormat.grouped(MoneyFormat.fixed(ForecastDrivers.maximumDailyCost, decimals: 0))) dollars a day, got '\(fields[1])'")
            }
            guard cost.updateValue(value, forKey: day) == nil else { throw ScenarioError(file: path, line: index + 1, key: "day", "\(fields[0]) appears twice") }
        }
        guard let first = cost.keys.min(), let last = cost.keys.max() else { throw ScenarioError(file: path, line: 2, "the series has no days") }
        guard last - first < 20 * 366 else { throw ScenarioError(file: path, line: 0, "the series spans more than 20 years") }
        let days = Array(first...last)
        return DailySeries(days: days, cost: days.map { cost[$0] ?? 0 }, requests: days.map { _ in 0 })
    }
}

import Foundation
