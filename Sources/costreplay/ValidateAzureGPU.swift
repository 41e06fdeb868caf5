import ArgumentParser
import CostReplayCore
import Foundation

extension Validate {
    struct AzureGPU: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "azure-gpu",
            abstract: "Local GPU serving on the Azure conversation trace: utilisation, latency, spill-over, break-even.",
            discussion: """
                Example:
                  costreplay validate azure-gpu --servers 1,2,4,8
                  costreplay validate azure-gpu --gpus auto --p95 20000
                """)

        @Option(help: "The Azure trace CSV.") var trace = "../shared/data/azure-llm-inference-2023/AzureLLMInferenceTrace_conv.csv"
        @Option(help: "Server counts, comma-separated.") var servers = "1,2,4,8"
        @Option(help: "auto: find the fewest servers meeting --p95 with ≤1% spilled.") var gpus: String?
        @Option(parsing: .unconditional, help: "p95 latency target in milliseconds for --gpus auto.") var p95 = 20_000.0
        @OptionGroup var prices: PriceOptions

        func run() throws {
            let records = try LocalGPUValidation.load(path: trace)
            let pricer = Pricer(catalog: try prices.catalog())
            if gpus == "auto" {
                guard let row = try LocalGPUValidation.smallest(records: records, pricer: pricer, p95TargetMs: p95) else {
                    throw CommandFailure(message: "error: no server count up to 64 meets p95 \(Int(p95)) ms with ≤1% spilled", code: 1)
                }
                Console.out(LocalGPUValidation.table([row], requests: records.count))
                return
            }
            let counts = servers.split(separator: ",").compactMap { Int($0) }
            Console.out(LocalGPUValidation.table(try LocalGPUValidation.run(records: records, servers: counts, pricer: pricer), requests: records.count))
        }
    }
}
