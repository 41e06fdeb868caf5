import ArgumentParser
import CostReplayCore
import Foundation

struct Plan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search lever combinations for the cheapest plan within quality, deadline and false-hit bounds.",
        discussion: """
            Replays every lever the stored trace can feed alone, then combinations of the best feasible settings, and \
            recommends the cheapest plan within the bounds: its saving a month and a year with a 95% interval, each \
            lever's part of the bill and of the spend it can act on, whether self-hosting pays (and at what volume it \
            would), the claims check and the cost-versus-quality-risk frontier. --out writes plan.yaml (the plan as a \
            scenario file), plan.json and the plan's result.json; --html writes the report that leads with the plan.

            Example:
              costreplay plan --db reports/sample.db --out reports/sample-plan --html reports/sample-plan.html
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var prices: PriceOptions
    @Option(parsing: .unconditional, help: "Upper bound on the share of responses worse than recorded.") var maxQualityRisk = 0.01
    @Option(parsing: .unconditional, help: "Upper bound on expected batch deadline misses a month.") var maxSlaMisses = 10.0
    @Option(parsing: .unconditional, help: "Upper bound on a semantic cache's false-hit rate among its hits.") var maxFalseHit = 0.05
    @Option(parsing: .unconditional, help: "Confidence of the one-sided bounds.") var confidence = 0.95
    @Option(parsing: .unconditional, help: "Random seed; the same seed gives the same plan.") var seed: UInt64 = 42
    @Option(help: "Directory for plan.yaml, plan.json and the plan's result.json.") var out: String?
    @Option(help: "Also write the HTML report that leads with the plan here.") var html: String?
    @Option(help: "table or json.") var format: OutputFormat = .table
    @Option(help: "Days from the trace's start that the search replays; 0 searches the whole trace. The recommended plan is always replayed on all of it.")
    var searchDays = Planner.defaultSearchDays

    func validate() throws {
        guard searchDays >= 0 else { throw ValidationError("--search-days must be 0 (the whole trace) or a number of days") }
        guard (0...1).contains(maxQualityRisk) else { throw ValidationError("--max-quality-risk is a share from 0 to 1") }
        guard maxSlaMisses.isFinite, maxSlaMisses >= 0 else { throw ValidationError("--max-sla-misses is a number of misses a month, 0 or more") }
        guard (0...1).contains(maxFalseHit) else { throw ValidationError("--max-false-hit is a share from 0 to 1") }
        guard (0.5..<1).contains(confidence) else { throw ValidationError("--confidence must be at least 0.5 and below 1") }
    }

    func run() throws {
        let inputs = [store.path] + prices.priceFiles
        if let html { try checkOutput(html, kind: .html, inputs: inputs) }
        if let out { try ResultWriter.check(out, inputs: inputs) }
        var constraints = PlanConstraints()
        constraints.maxQualityRisk = maxQualityRisk
        constraints.maxSLAMissesPerMonth = maxSlaMisses
        constraints.maxFalseHitRate = maxFalseHit
        constraints.confidence = confidence
        var options = ReplayOptions()
        options.seed = seed
        let catalog = try prices.catalog()
        let opened = try store.openExisting()
        let (plan, result): (PlanDocument, ReplayResult)
        do {
            (plan, result) = try Planner(pricer: Pricer(catalog: catalog), constraints: constraints, options: options,
                                         searchDays: searchDays == 0 ? nil : searchDays)
                .run(store: opened, databasePath: store.path)
        } catch let error as PlanError {
            throw CommandFailure(message: "error: \(error)", code: 1)
        } catch let error as SimulationError {
            throw CommandFailure(message: "error: \(error)")
        }
        if let out {
            try ResultWriter.write(result, to: out, inputs: inputs)
            try writeOutput(plan.recommended.scenarioYAML, to: out + "/plan.yaml", kind: .markdown, inputs: inputs)
            try writeOutput(PlanFile.encode(plan), to: out + "/plan.json", kind: .json, inputs: inputs)
        }
        if let html { try writeOutput(HTMLReport.render(result, plan: plan), to: html, kind: .html, inputs: inputs) }
        Console.out(format == .json ? String(decoding: try PlanFile.encode(plan), as: UTF8.self) + "\n" : PlanRenderer.table(plan))
    }
}
