import Statistics

/// Self-hosting on local GPUs: eligible requests are served by N model servers simulated on the
/// trace's own arrivals (``ServingSimulator``, continuous batching, Splitwise-measured speeds);
/// when every server's queue is full a request spills over to the cloud API as recorded.
///
/// Locally served requests cost nothing per call; the servers' fixed cost over the replayed span
/// (amortised purchase or rent, operations) and their energy are added to the scenario's cost
/// (``HardwareCosts``). Utilisation, latency percentiles and spill-over are reported.
public struct LocalGPU: ReplayStrategy {
    public static let name = "local_gpu"
    public static let summary = "serve eligible traffic on self-hosted GPU servers with spill-over to the API"
    public static let parameters: [ParameterSpec] = [
        ParameterSpec("model", .text, default: .text("llama2-70b"), "Splitwise model profile: llama2-70b or bloom-176b"),
        ParameterSpec("hardware", .text, default: .text("h100-80gb"), "Splitwise hardware: a100-80gb, h100-80gb, h100-80gb-pcap"),
        ParameterSpec("tensor_parallel", .number(min: 1, max: 16, integer: true), default: .number(2), "GPUs per server"),
        ParameterSpec("servers", .number(min: 1, max: 10_000, integer: true), default: .number(1),
                      "model servers, or auto: the count that saves most on this trace (none when none pays; docs/scenarios.md)",
                      acceptsAuto: true),
        ParameterSpec("max_batch", .number(min: 1, max: 1024, integer: true), default: .number(64), "requests decoded together"),
        ParameterSpec("max_queue", .number(min: 0, max: 100_000, integer: true), default: .number(16), "waiting requests per server before spilling"),
        ParameterSpec("tags", .texts, default: .list([]), "only requests with one of these tags; empty: all"),
        ParameterSpec("models", .texts, default: .list([]), "only requests recorded on these models; empty: all"),
        ParameterSpec("rules", .rules(keys: ModelRouter.conditions), default: .rules([]),
                      "eligible when any rule matches (conditions as in model_router); empty: all"),
        ParameterSpec("purchase_per_gpu", .number(min: 0, max: 1e7, integer: false), default: .number(30_000), "USD"),
        ParameterSpec("rent_per_gpu_hour", .number(min: 0, max: 1000, integer: false), default: .number(0), "USD; above 0 rents instead of buying"),
        ParameterSpec("lifetime_months", .number(min: 1, max: 240, integer: false), default: .number(36), "amortisation period"),
        ParameterSpec("tdp_watts", .number(min: 1, max: 10_000, integer: false), default: .number(700), "per GPU"),
        ParameterSpec("idle_power", .number(min: 0, max: 1, integer: false), default: .number(0.25), "idle draw, share of TDP"),
        ParameterSpec("electricity_usd_kwh", .number(min: 0, max: 10, integer: false), default: .number(0.12), "USD per kWh"),
        ParameterSpec("pue", .number(min: 1, max: 5, integer: false), default: .number(1.3), "power usage effectiveness"),
        ParameterSpec("ops_usd_month", .number(min: 0, max: 1e7, integer: false), default: .number(500), "operations per server per month"),
    ]

    var simulator: ServingSimulator?
    /// `servers: auto`, first pass: one simulator per candidate count, serving nothing, with the API cost each would avoid.
    var probes: [(simulator: ServingSimulator, avoided: Money)] = []
    let costs: HardwareCosts
    let tensorParallel: Int
    let tags: Set<String>
    let models: Set<String>
    let rules: [ModelRouter.Rule]
    var counters = MetricCounts()
    var firstStart: Int64?
    var lastStart: Int64 = 0
    var apiCostAvoided = Money.zero
    public private(set) var fixedCost = Money.zero
    let pricer: Pricer

    /// How many servers a step runs.
    enum Servers: Sendable {
        case count(Int)
        /// Every candidate count is tried on the traffic first (``Simulation``), then the best replaces this.
        case auto
    }

    /// What a scenario step sets, with the measured profile it names.
    public struct Configuration: Sendable {
        var profile: PerformanceModel
        var servers: Servers
        var maxBatch: Int
        var maxQueue: Int
        var costs: HardwareCosts
        var tags: Set<String>
        var models: Set<String>
        var rules: [ModelRouter.Rule]
    }

    public static func configure(_ p: Parameters, context: ValidationContext) throws(ParameterProblem) -> Configuration {
        let rules = try ModelRouter.parseRules(try p.rules("rules"))
        let model = try p.text("model"), hardware = try p.text("hardware"), tensorParallel = try p.int("tensor_parallel")
        let profiles: [PerformanceModel]
        do { profiles = try PerformanceModel.bundled() } catch {
            throw ParameterProblem("model", "the bundled serving profiles cannot be read: \(error)")
        }
        guard let profile = profiles.first(where: { $0.model == model && $0.hardware == hardware && $0.tensorParallel == tensorParallel }) else {
            let known = Set(profiles.map { "\($0.model) on \($0.hardware) ×\($0.tensorParallel)" }).sorted()
            // Blame the key that no measured profile has, hardware first (a model is measured on several).
            let key = !profiles.contains(where: { $0.hardware == hardware }) ? "hardware"
                : !profiles.contains(where: { $0.model == model }) ? "model" : "tensor_parallel"
            throw ParameterProblem(key, "no measured profile for \(model) on \(hardware) with tensor_parallel \(tensorParallel); measured: \(known.joined(separator: ", "))")
        }
        var costs = HardwareCosts()
        costs.purchasePerGPU = try p.number("purchase_per_gpu")
        costs.rentPerGPUHour = try p.number("rent_per_gpu_hour")
        costs.lifetimeMonths = try p.number("lifetime_months")
        costs.tdpWatts = try p.number("tdp_watts")
        costs.idlePowerFraction = try p.number("idle_power")
        costs.electricityPerKWh = try p.number("electricity_usd_kwh")
        costs.pue = try p.number("pue")
        costs.operationsPerServerMonth = try p.number("ops_usd_month")
        let servers: Servers = p.values["servers"] == .text("auto") ? .auto : .count(try p.int("servers"))
        return Configuration(profile: profile, servers: servers, maxBatch: try p.int("max_batch"), maxQueue: try p.int("max_queue"),
                             costs: costs, tags: Set(try p.list("tags")), models: Set(try p.list("models")), rules: rules)
    }

    public init(_ c: Configuration, context: StrategyContext) {
        tensorParallel = c.profile.tensorParallel
        switch c.servers {
        case .auto:
            probes = Self.autoCandidates.map {
                (ServingSimulator(model: c.profile, servers: $0, maxBatch: c.maxBatch, maxQueue: c.maxQueue, keepsLatencies: false), Money.zero)
            }
        case .count(let servers) where servers > 0:
            simulator = ServingSimulator(model: c.profile, servers: servers, maxBatch: c.maxBatch, maxQueue: c.maxQueue)
        case .count:
            break
        }
        costs = c.costs
        tags = c.tags
        models = c.models
        rules = c.rules
        pricer = context.pricer
    }

    public static func exactWhenSharded(by key: ShardKey, configuration: Configuration) -> Bool { false }

    public var metrics: MetricCounts { counters }

    /// Server counts tried by `servers: auto`.
    public static let autoCandidates = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64]

    public mutating func apply(_ request: inout ReplayRequest, ledger: inout Ledger) {
        guard request.served == nil, request.kind == .llm, let usage = request.usage, simulator != nil || !probes.isEmpty else { return }
        guard tags.isEmpty || request.tags.contains(where: tags.contains) else { return }
        guard models.isEmpty || request.model.map(models.contains) == true else { return }
        guard rules.isEmpty || rules.contains(where: { ModelRouter.matches($0, request) }) else { return }
        if firstStart == nil { firstStart = request.startMicros }
        lastStart = request.startMicros
        if !probes.isEmpty {
            let cost = pricer.cost(request.pricingInput) ?? .zero
            for index in probes.indices where probes[index].simulator.offer(at: Double(request.startMicros) / 1000, prompt: usage.input, output: usage.output) {
                probes[index].avoided += cost
            }
            return
        }
        let local = simulator!.offer(at: Double(request.startMicros) / 1000, prompt: usage.input, output: usage.output)
        counters.add(local ? .local : .spilled)
        guard local else {
            ledger.note(Self.name, "spilled", "every local queue was full")
            return
        }
        apiCostAvoided += pricer.cost(request.pricingInput) ?? .zero
        request.served = .init(strategy: Self.name, cost: .zero, latencyMicros: request.latencyMicros ?? 0)
        ledger.note(Self.name, "served locally", "queued on the least-loaded server")
    }

    /// Drains the servers and prices them over the replayed span.
    public mutating func finish() {
        if simulator == nil && probes.isEmpty { counters[.servers] = 0 }
        if !probes.isEmpty { return finishProbes() }
        guard var simulator, let firstStart else { return }
        simulator.drain()
        self.simulator = simulator
        let (hours, gpus, fixed, energy, kWh) = serverCost(simulator, firstStart: firstStart)
        fixedCost = Money(dollars: fixed + energy)
        counters[.servers] = Double(simulator.serverCount)
        counters[.gpus] = Double(gpus)
        counters[.utilisation] = simulator.utilisation
        counters[.busyShare] = simulator.busyShare
        counters[.spanHours] = hours
        counters[.fixedCostUsd] = fixed
        counters[.energyCostUsd] = energy
        counters[.energyKwh] = kWh
        counters[.monthlyFixedUsd] = costs.monthlyFixed(servers: simulator.serverCount, gpus: gpus)
        counters[.apiCostAvoidedUsd] = apiCostAvoided.dollars
        counters[.tokensServed] = Double(simulator.tokensServed)
        if simulator.tokensServed > 0 {
            counters[.localUsdPerMtok] = (fixed + energy) / Double(simulator.tokensServed) * 1e6
            // Break-even: the monthly token volume whose API bill equals the servers' monthly fixed cost,
            // at the API price of the traffic served here.
            let apiPerToken = apiCostAvoided.dollars / Double(simulator.tokensServed)
            let monthlyFixed = costs.monthlyFixed(servers: simulator.serverCount, gpus: gpus)
            if apiPerToken > 0 { counters[.breakEvenTokensPerMonth] = monthlyFixed / apiPerToken }
            let monthlyAPI = apiCostAvoided.dollars * HardwareCosts.hoursPerMonth / max(hours, 1e-9)
            let monthlyEnergy = energy * HardwareCosts.hoursPerMonth / max(hours, 1e-9)
            let capex = costs.rentPerGPUHour > 0 ? 0 : costs.purchasePerGPU * Double(gpus)
            let monthlyOpex = Double(simulator.serverCount) * costs.operationsPerServerMonth + monthlyEnergy
                + (costs.rentPerGPUHour > 0 ? costs.rentPerGPUHour * HardwareCosts.hoursPerMonth * Double(gpus) : 0)
            if capex > 0 && monthlyAPI > monthlyOpex { counters[.monthsToBreakEven] = capex / (monthlyAPI - monthlyOpex) }
        }
        reportPercentiles(simulator)
    }

    /// P50, P95 and P99 of latency and time to first token; past the sketch's exact limit they are read from buckets
    /// (within 0.5%), and `binned_latencies` says so (the document's diagnostics name it).
    mutating func reportPercentiles(_ simulator: ServingSimulator) {
        let ps = [0.5, 0.95, 0.99]
        for (sketch, metrics) in [(simulator.latency, [Metric.latencyP50Ms, .latencyP95Ms, .latencyP99Ms]),
                                  (simulator.timeToFirstToken, [.ttftP50Ms, .ttftP95Ms, .ttftP99Ms])] where sketch.count > 0 {
            let values = (try? sketch.quantiles(ps)) ?? [0, 0, 0]
            for (metric, value) in zip(metrics, values) { counters[metric] = value }
        }
        if simulator.latency.isBucketed { counters[.binnedLatencies] = Double(simulator.latency.count) }
    }

    /// Hours of the replayed span, GPUs, and the servers' fixed and energy cost over it.
    func serverCost(_ simulator: ServingSimulator, firstStart: Int64) -> (hours: Double, gpus: Int, fixed: Double, energy: Double, kWh: Double) {
        let hours = max(simulator.spanMillis, Double(lastStart - firstStart) / 1000) / 3_600_000
        let gpus = simulator.serverCount * tensorParallel
        let (fixed, energy, kWh) = costs.cost(servers: simulator.serverCount, gpus: gpus, hours: hours,
                                              utilisation: simulator.busyShare, busyPowerFraction: simulator.model.busyPowerFraction)
        return (hours, gpus, fixed, energy, kWh)
    }

    /// `servers: auto`, first pass: the net saving of each candidate count (API cost avoided less the servers'
    /// cost), as `auto_net_usd:N`, and the best count as `auto_servers` (0 when no count saves anything).
    mutating func finishProbes() {
        var best = (servers: 0, net: 0.0)
        for index in probes.indices {
            probes[index].simulator.drain()
            let net: Double
            if let firstStart {
                let cost = serverCost(probes[index].simulator, firstStart: firstStart)
                net = probes[index].avoided.dollars - cost.fixed - cost.energy
            } else {
                net = 0
            }
            let servers = probes[index].simulator.serverCount
            counters.named["auto_net_usd:\(servers)"] = net
            if net > best.net { best = (servers, net) }
        }
        counters[.autoServers] = Double(best.servers)
    }
}
