import CostReplayCore
import Foundation
import Statistics
import Testing
import TestSupport

@Suite struct ServingSimulatorTests {
    /// Prefill 100 ms whatever the prompt, decode 10 ms per iteration.
    let flat = PerformanceModel(model: "m", hardware: "h", tensorParallel: 1, prefill: [(1, 100), (10_000, 100)],
                                decode: [(1, 10), (64, 10)], busyPowerFraction: 0.8)

    @Test func aQueueWithKnownArrivalsFinishesWhenHandComputed() {
        var simulator = ServingSimulator(model: flat, servers: 1, maxBatch: 2, maxQueue: 2)
        let first = simulator.offer(at: 0, prompt: 10, output: 3)
        let second = simulator.offer(at: 0, prompt: 10, output: 2)
        // Two already wait: the third spills to the API.
        let third = simulator.offer(at: 0, prompt: 10, output: 1)
        #expect(first && second && !third)
        simulator.drain()
        // Prefill both (0–100 ms, first tokens), decode (110: B done), decode (120: A done).
        #expect(simulator.latency.samples == [110, 120])
        #expect(simulator.timeToFirstToken.samples == [100, 100])
        #expect(simulator.spilled == 1)
        #expect(simulator.busyShare == 1)
        // Batch fill: (100 × 2 + 10 × 2 + 10 × 1) / (2 × 120).
        #expect(abs(simulator.utilisation - 230.0 / 240.0) < 1e-12)
    }

    @Test func aRequestArrivingMidIterationWaitsForTheNextOne() {
        var simulator = ServingSimulator(model: flat, servers: 1, maxBatch: 4, maxQueue: 4)
        _ = simulator.offer(at: 0, prompt: 10, output: 2)
        _ = simulator.offer(at: 50, prompt: 10, output: 1)
        simulator.drain()
        // A prefills 0–100; B, arriving at 50, prefills 100–200 and is done; A decodes 200–210.
        #expect(simulator.latency.samples == [150, 210])
    }

    @Test func requestsGoToTheLeastLoadedServer() {
        var simulator = ServingSimulator(model: flat, servers: 2, maxBatch: 1, maxQueue: 1)
        _ = simulator.offer(at: 0, prompt: 10, output: 1)
        _ = simulator.offer(at: 0, prompt: 10, output: 1)
        simulator.drain()
        // One each, in parallel.
        #expect(simulator.latency.samples == [100, 100])
    }

    /// A day of Poisson arrivals with lognormal prompts and outputs on the bundled H100 profile, three servers.
    static func busyDay(_ simulator: inout ServingSimulator) {
        let random = RandomSource(seed: 7)
        var time = 0.0
        for _ in 0..<3_000 {
            time += random.exponential(mean: 2_000)
            _ = simulator.offer(at: time, prompt: Int64(random.lognormal(mu: 7, sigma: 1)), output: Int64(random.lognormal(mu: 5, sigma: 1)))
        }
        simulator.drain()
    }

    @Test func pastTheExactLimitPercentilesStayWithinHalfAPercent() throws {
        let llama = try #require(try PerformanceModel.bundled().first { $0.model == "llama2-70b" && $0.hardware == "h100-80gb" && $0.tensorParallel == 2 })
        var exact = ServingSimulator(model: llama, servers: 3, maxBatch: 16, maxQueue: 8)
        var bucketed = ServingSimulator(model: llama, servers: 3, maxBatch: 16, maxQueue: 8, exactLatencies: 100)
        Self.busyDay(&exact)
        Self.busyDay(&bucketed)
        #expect(!exact.latency.isBucketed && bucketed.latency.isBucketed && bucketed.timeToFirstToken.isBucketed)
        #expect(exact.latency.count == bucketed.latency.count && exact.latency.count > 2_000)
        let ps = [0.5, 0.9, 0.95, 0.99]
        let pairs = [(try exact.latency.quantiles(ps), try bucketed.latency.quantiles(ps)),
                     (try exact.timeToFirstToken.quantiles(ps), try bucketed.timeToFirstToken.quantiles(ps))]
        for (truth, estimate) in pairs {
            for (t, e) in zip(truth, estimate) { #expect(abs(e / t - 1) <= QuantileSketch.relativeErrorBound, "\(t) \(e)") }
        }
        // Exact samples are the ones the percentiles come from.
        #expect(try exact.latency.quantiles(ps) == ps.map { try Summary.quantile(exact.latency.samples!, $0) })
    }

    @Test func autoProbesKeepNoLatencies() {
        var probe = ServingSimulator(model: flat, servers: 1, maxBatch: 2, maxQueue: 2, keepsLatencies: false)
        _ = probe.offer(at: 0, prompt: 10, output: 3)
        probe.drain()
        #expect(probe.latency.count == 0 && probe.tokensServed == 13)
    }

    @Test func theBundledSplitwiseProfilesLoad() throws {
        let profiles = try PerformanceModel.bundled()
        let llama = try #require(profiles.first { $0.model == "llama2-70b" && $0.hardware == "h100-80gb" && $0.tensorParallel == 2 })
        // Decode slows as the batch grows; prefill grows with the prompt.
        #expect(llama.decodeMillis(batch: 64) > llama.decodeMillis(batch: 1))
        #expect(llama.prefillMillis(8192) > llama.prefillMillis(512))
        #expect(profiles.count == 12)
    }

    @Test func hardwareCostsAddUpAsStated() {
        var costs = HardwareCosts()
        costs.purchasePerGPU = 36_000
        costs.lifetimeMonths = 36
        costs.operationsPerServerMonth = 500
        // 2 GPUs × $1,000 + $500.
        #expect(costs.monthlyFixed(servers: 1, gpus: 2) == 2500)
        // 2 × 700 W × (0.5 × 0.8 + 0.5 × 0.25) × 10 h × 1.3 / 1000.
        #expect(abs(costs.energyKWh(gpus: 2, hours: 10, utilisation: 0.5, busyPowerFraction: 0.8) - 9.555) < 1e-9)
    }

    @Test(.enabled(if: Fixtures.hasSharedData, Fixtures.sharedDataMissing)) func theAzureTraceNeedsMoreServersToStopSpilling() throws {
        let records = try LocalGPUValidation.load(path: Fixtures.shared("azure-llm-inference-2023/AzureLLMInferenceTrace_conv.csv"))
        #expect(records.count == 19_366)
        let rows = try LocalGPUValidation.run(records: records, servers: [1, 4], pricer: Pricer(catalog: sharedCatalog))
        #expect(rows[0].spilledShare > rows[1].spilledShare)
        #expect(rows[0].p95TimeToFirstTokenMs > rows[1].p95TimeToFirstTokenMs)
        #expect(rows[1].utilisation < rows[0].utilisation)
    }
}
