import ArgumentParser
import CostReplayCore
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fail a build on a real cost regression against the committed baseline.",
        discussion: """
            The candidate is a scenario file (a new model map, cache or routing setting, or a prompt_change), a result \
            document, or a new trace window. Fails (exit 1) only when the lower bound of the 95% interval of the monthly \
            increase is over a limit (--strict: when the point estimate is); an increase over a limit that is not \
            significant, or a change beyond --warn-increase either way, warns (exit 0). Exit 2: usage or input error.

            Example:
              costreplay check --baseline .costreplay/baseline.json --scenario scenarios/candidate.yaml --max-increase 5 --markdown comment.md
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var prices: PriceOptions
    @Option(help: "The committed baseline document.") var baseline: String
    @Option(help: "Candidate scenario file, replayed over the stored traffic.") var scenario: String?
    @Option(help: "Candidate result document of the baseline's traffic (a whole trace: merge shards first).") var result: String?
    @Option(help: "The candidate's scenario point, by label, when --scenario or --result has several.") var point: String?
    @Option(help: "Candidate trace: a new window of traffic, compared as recorded.") var trace: String?
    @Option(parsing: .unconditional, help: "Fail above this monthly increase, in percent.") var maxIncrease: Double?
    @Option(parsing: .unconditional, help: "Fail above this monthly increase, in dollars.") var maxIncreaseUsd: Double?
    @Option(parsing: .unconditional, help: "Warn above this monthly change either way, in percent.") var warnIncrease: Double?
    @Option(help: "The period the limits apply to.") var period: GatePeriod = .month
    @Flag(help: "Fail on the point estimate instead of the interval's lower bound.") var strict = false
    @Option(help: "Write a markdown summary (pull-request comment, step summary).") var markdown: String?
    @Option(help: "Write the JSON diff.") var json: String?
    @Option(help: "Write JUnit XML.") var junit: String?
    @Flag(help: "When the price catalog changed since the baseline, compare as recorded instead of replaying the baseline at the new prices.")
    var asRecordedPrices = false

    func validate() throws {
        for (name, value) in [("--max-increase", maxIncrease), ("--max-increase-usd", maxIncreaseUsd), ("--warn-increase", warnIncrease)] {
            if let value, !value.isFinite || abs(value) > 1e12 { throw ValidationError("\(name) must be a finite number, found \(value)") }
        }
    }

    func run() throws {
        guard [scenario, result, trace].compactMap({ $0 }).count == 1 else {
            throw CommandFailure(message: "error: give exactly one of --scenario, --result and --trace")
        }
        guard point == nil || trace == nil else { throw CommandFailure(message: "error: --point chooses a point of --scenario or --result, not of --trace") }
        var base = try BaselineDocument.read(baseline)
        let recorded = base.result
        let catalog = try prices.catalog()
        let candidate: ReplayResult
        var label = "candidate"
        if let result {
            do { candidate = try GateReplay.only(point, of: try ResultFile.read(path: result), source: result) } catch let error as SimulationError {
                throw CommandFailure(message: "error: \(error)")
            }
            label = result + (point.map { " (\($0))" } ?? "")
            try sameTraffic(candidate, source: result, as: recorded)
        } else if let trace {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("costreplay-check-\(ProcessInfo.processInfo.processIdentifier)")
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("candidate.db").path
            let temporary: TraceStore
            do {
                temporary = try TraceStore(path: path)
                let summary = try Ingestor(store: temporary, options: IngestOptions()).ingest(paths: [trace])
                guard summary.totals.stored > 0 else { throw CommandFailure(message: "error: nothing could be read from \(trace)") }
            } catch let failure as CommandFailure { throw failure } catch { throw CommandFailure(message: "error: \(error)") }
            candidate = try GateReplay.run(store: temporary, path: path, file: try GateReplay.load(scenario: nil, point: nil, catalog: catalog), catalog: catalog)
            label = trace
        } else {
            let file = try GateReplay.load(scenario: scenario, point: point, catalog: catalog)
            candidate = try GateReplay.run(store: try store.openExisting(), path: store.path, file: file, catalog: catalog)
            label = scenario! + (point.map { " (\($0))" } ?? "")
            try sameTraffic(candidate, source: "the store \(store.path)", as: recorded)
        }
        let priceChange = try samePrices(&base, catalog: catalog)
        guard let current = candidate.scenarios.first?.daily, let past = base.result.scenarios.first?.daily else {
            throw CommandFailure(message: "error: the candidate has no daily costs")
        }
        var options = CostGate.Options()
        options.maxIncreasePercent = maxIncrease
        options.maxIncreaseUSD = maxIncreaseUsd
        options.warnIncreasePercent = warnIncrease
        options.strict = strict
        var verdict = CostGate.compare(past: past, current: current, options: options, pastModels: base.result.scenarios.first?.byModelDaily,
                                       currentModels: candidate.scenarios.first?.byModelDaily)
        verdict.priceCatalogChange = priceChange
        let text = CostGate.markdown(verdict, pastLabel: base.result.scenarios.first?.label ?? "baseline", currentLabel: label)
        let inputs = [baseline, store.path] + [scenario, result, trace].compactMap { $0 } + prices.priceFiles
        if let markdown { try writeOutput(text, to: markdown, kind: .markdown, inputs: inputs) }
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try writeOutput(try encoder.encode(verdict), to: json, kind: .json, inputs: inputs)
        }
        if let junit { try writeOutput(CostGate.junit(verdict), to: junit, kind: .xml, inputs: inputs) }
        Console.out(text + CatalogInfo.footer(catalog.info))
        if verdict.status == .fail { throw CommandFailure(message: "cost check failed", code: 1) }
    }
}

extension Check {
    /// Refuses a candidate (or a repriced baseline) replayed over other requests than the baseline's.
    func sameTraffic(_ candidate: ReplayResult, source: String, as recorded: ReplayResult) throws {
        do { try GateInputs.sameTraffic(candidate, in: source, as: recorded, of: baseline) } catch { throw CommandFailure(message: "error: \(error)") }
    }

    /// When the catalog differs from the baseline's, replays the baseline configuration over the
    /// stored traffic at the check's prices (unless --as-recorded-prices) and describes the change.
    func samePrices(_ base: inout BaselineDocument, catalog: PriceCatalog) throws -> PriceCatalogChange? {
        guard base.pricesDigest != GateReplay.digest(catalog) else { return nil }
        let recorded = base.result.scenarios.first?.daily ?? []
        var change = PriceCatalogChange(from: base.catalog?.label ?? "an unversioned catalog (digest \(base.pricesDigest))",
                                        to: catalog.info.label, baselineAtRecordedPrices: 0, baselineAtCurrentPrices: nil,
                                        comparedAtSamePrices: false)
        var repriced: ReplayResult?
        let asRecorded = base.scenario == nil && base.result.inputs.scenarioFile == "(as recorded)"
        if !asRecordedPrices, asRecorded || base.scenario != nil, FileManager.default.fileExists(atPath: store.path) {
            var file: ScenarioFile
            do { file = try ScenarioLoader.parse(text: base.scenario ?? GateReplay.asRecorded, path: base.result.inputs.scenarioFile) } catch {
                throw CommandFailure(message: "error: the baseline's scenario: \(error)")
            }
            // Baselines written before `point` was recorded hold the text's first point.
            file = try GateReplay.only(base.point ?? file.plans.first?.label, of: file, source: "the baseline's scenario")
            let replayed = try GateReplay.run(store: try store.openExisting(), path: store.path, file: file, catalog: catalog)
            try sameTraffic(replayed, source: "the store \(store.path) (replaying the baseline at the new prices)", as: base.result)
            repriced = replayed
        }
        let now = repriced?.scenarios.first?.daily
        let shift = CostGate.compare(past: recorded, current: now ?? recorded, options: CostGate.Options())
        change.baselineAtRecordedPrices = shift.past
        if let repriced, now != nil {
            change.baselineAtCurrentPrices = shift.current
            change.comparedAtSamePrices = true
            base.result = repriced
        }
        return change
    }
}

/// The periods `check` limits apply to (a month is 30 days of the window's daily run rate).
enum GatePeriod: String, ExpressibleByArgument, CaseIterable {
    case month
}
