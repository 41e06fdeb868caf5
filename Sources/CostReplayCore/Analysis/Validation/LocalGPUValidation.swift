/// Local serving on the Azure LLM inference trace (conversation, one hour, 19,366 requests): the
/// trace's own arrivals through N servers of Llama-2-70B, against the same model at a hosted API.
public enum LocalGPUValidation {
    public struct Row: Codable, Sendable {
        public var servers: Int
        public var gpus: Int
        public var utilisation: Double
        public var p50LatencyMs: Double
        public var p95LatencyMs: Double
        public var p95TimeToFirstTokenMs: Double
        public var spilledShare: Double
        /// Cost over the trace's span: local servers (fixed + energy) plus the API for spilled requests.
        public var scenarioCost: Double
        public var apiOnlyCost: Double
        public var monthlyFixed: Double
        /// Tokens a month at which the servers' fixed cost equals the API bill for the same tokens.
        public var breakEvenTokensPerMonth: Double
        /// Months for the API savings to repay the purchase, at this trace's volume; nil if never.
        public var monthsToBreakEven: Double?
    }

    public static let apiModel = "meta-llama/Llama-2-70b-chat-hf"

    /// The trace as requests to the hosted model.
    public static func load(path: String) throws -> [TraceRecord] {
        var records: [TraceRecord] = []
        var decoder: MappedCSVDecoder?
        try CSVReader(lines: try LineReader(path: path)).forEachRow { result in
            guard case .success(let row) = result else { return }
            guard var current = decoder else {
                decoder = try MappedCSVDecoder(format: .azure, mapping: .azure, header: row.fields, timeOrigin: 0)
                return
            }
            var output = DecodeOutput()
            try current.decode(row, fallbackID: { "azure:\(row.line)" }, into: &output)
            decoder = current
            for var record in output.records {
                record.model = apiModel
                record.provider = "together"
                records.append(record)
            }
        }
        return records.sorted { ($0.startMicros ?? 0, $0.id) < ($1.startMicros ?? 0, $1.id) }
    }

    public static func run(records: [TraceRecord], servers: [Int], pricer: Pricer, tensorParallel: Int = 2,
                           hardware: String = "h100-80gb", costs: HardwareCosts = HardwareCosts()) throws(ParameterProblem) -> [Row] {
        var plans: [ScenarioPlan] = []
        for n in servers {
            plans.append(ScenarioPlan(scenario: "local", label: "n=\(n)", steps: [try .init(type: LocalGPU.self, parameters: Parameters([
                "model": .text("llama2-70b"), "hardware": .text(hardware), "tensor_parallel": .number(Double(tensorParallel)),
                "servers": .number(Double(n)), "max_batch": .number(64), "max_queue": .number(16), "tags": .list([]), "models": .list([]), "rules": .rules([]),
                "purchase_per_gpu": .number(costs.purchasePerGPU), "rent_per_gpu_hour": .number(costs.rentPerGPUHour),
                "lifetime_months": .number(costs.lifetimeMonths), "tdp_watts": .number(costs.tdpWatts),
                "idle_power": .number(costs.idlePowerFraction), "electricity_usd_kwh": .number(costs.electricityPerKWh),
                "pue": .number(costs.pue), "ops_usd_month": .number(costs.operationsPerServerMonth),
            ]), context: ValidationContext(catalog: nil))]))
        }
        let result = ReplayEngine(plans: plans, pricer: pricer, options: ReplayOptions()).run(records: records, inputs: .init(
            database: "memory", window: .init(), seed: 0, shard: nil, scenarioFile: "validate", scenarioDigest: "", priceSources: []))
        let api = result.baseline.cost.dollars
        let tokens = Double(result.baseline.inputTokens + result.baseline.outputTokens)
        return zip(servers, result.scenarios).map { n, scenario in
            let m = scenario.metrics.values.first ?? [:]
            let hours = m[.spanHours] ?? 1
            let monthlyFixed = m[.monthlyFixedUsd] ?? 0
            let apiPerToken = tokens > 0 ? api / tokens : 0
            let monthlyAPI = api * HardwareCosts.hoursPerMonth / hours
            let monthlyLocal = scenario.totals.cost.dollars * HardwareCosts.hoursPerMonth / hours
            let capex = costs.rentPerGPUHour > 0 ? 0 : costs.purchasePerGPU * Double(n * tensorParallel)
            let monthlySaving = monthlyAPI - monthlyLocal + (costs.rentPerGPUHour > 0 ? 0 : capex / costs.lifetimeMonths)
            let local = m[.local] ?? 0, spilled = m[.spilled] ?? 0
            return Row(servers: n, gpus: n * tensorParallel, utilisation: m[.utilisation] ?? 0,
                       p50LatencyMs: m["latency_p50_ms"] ?? 0, p95LatencyMs: m["latency_p95_ms"] ?? 0,
                       p95TimeToFirstTokenMs: m["ttft_p95_ms"] ?? 0,
                       spilledShare: local + spilled > 0 ? spilled / (local + spilled) : 0,
                       scenarioCost: scenario.totals.cost.dollars, apiOnlyCost: api, monthlyFixed: monthlyFixed,
                       breakEvenTokensPerMonth: apiPerToken > 0 ? monthlyFixed / apiPerToken : .infinity,
                       monthsToBreakEven: capex > 0 && monthlySaving > 0 ? capex / monthlySaving : nil)
        }
    }

    /// The fewest servers whose p95 latency meets the target with at most 1% spilled.
    public static func smallest(records: [TraceRecord], pricer: Pricer, p95TargetMs: Double, maxServers: Int = 64) throws(ParameterProblem) -> Row? {
        var n = 1
        while n <= maxServers {
            if let row = try run(records: records, servers: [n], pricer: pricer).first, row.p95LatencyMs <= p95TargetMs, row.spilledShare <= 0.01 {
                return row
            }
            n += 1
        }
        return nil
    }

    public static func table(_ rows: [Row], requests: Int) -> String {
        "Azure LLM inference trace (conversation), \(MoneyFormat.count(requests)) requests; Llama-2-70B on H100 servers (2 GPUs each) "
            + "vs \(apiModel) at the catalog's API price\n"
            + TextTable.render(header: ["servers", "GPUs", "utilisation", "p50 ms", "p95 ms", "p95 TTFT ms", "spilled", "cost (hour)",
                                        "API only", "break-even tokens/month", "months to repay"], rows: rows.map { r in
                [String(r.servers), String(r.gpus), pct(r.utilisation), MoneyFormat.count(Int(r.p50LatencyMs)),
                 MoneyFormat.count(Int(r.p95LatencyMs)), MoneyFormat.count(Int(r.p95TimeToFirstTokenMs)), pct(r.spilledShare),
                 MoneyFormat.human(Money(dollars: r.scenarioCost)), MoneyFormat.human(Money(dollars: r.apiOnlyCost)),
                 r.breakEvenTokensPerMonth.isFinite ? MoneyFormat.count(Int64(r.breakEvenTokensPerMonth)) : "-",
                 r.monthsToBreakEven.map { MoneyFormat.fixed($0, decimals: 1) } ?? "never"]
            })
    }

    static func pct(_ value: Double) -> String { MoneyFormat.fixed(value * 100, decimals: 1) + "%" }
}
