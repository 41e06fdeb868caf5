/// What owning or renting GPU servers costs: amortised purchase or hourly rent, power at the
/// wall (TDP × load × PUE), and operations.
///
/// Defaults are stated assumptions, not measurements: an H100 80GB at $30,000, amortised over 36
/// months; 700 W TDP; idle draw 25% of TDP; electricity $0.12/kWh; PUE 1.3; $500 a month of
/// operations per server. Every one is a scenario parameter.
public struct HardwareCosts: Sendable, Codable, Equatable {
    public var purchasePerGPU = 30_000.0
    /// When above zero, GPUs are rented at this hourly price instead of bought.
    public var rentPerGPUHour = 0.0
    public var lifetimeMonths = 36.0
    public var tdpWatts = 700.0
    public var idlePowerFraction = 0.25
    public var electricityPerKWh = 0.12
    public var pue = 1.3
    public var operationsPerServerMonth = 500.0

    public init() {}

    public static let hoursPerMonth = 730.5

    /// Fixed cost of `gpus` GPUs in `servers` servers for one month (capex or rent, and operations).
    public func monthlyFixed(servers: Int, gpus: Int) -> Double {
        let hardware = rentPerGPUHour > 0 ? rentPerGPUHour * Self.hoursPerMonth : purchasePerGPU / lifetimeMonths
        return Double(gpus) * hardware + Double(servers) * operationsPerServerMonth
    }

    /// Energy in kWh over `hours`, with the GPUs busy a `utilisation` share of the time.
    public func energyKWh(gpus: Int, hours: Double, utilisation: Double, busyPowerFraction: Double) -> Double {
        let averageFraction = utilisation * busyPowerFraction + (1 - utilisation) * idlePowerFraction
        return Double(gpus) * tdpWatts * averageFraction * hours * pue / 1000
    }

    /// The cost of running for `hours`: the month's fixed cost pro rata plus the energy.
    public func cost(servers: Int, gpus: Int, hours: Double, utilisation: Double, busyPowerFraction: Double) -> (fixed: Double, energy: Double, kWh: Double) {
        let kWh = energyKWh(gpus: gpus, hours: hours, utilisation: utilisation, busyPowerFraction: busyPowerFraction)
        return (monthlyFixed(servers: servers, gpus: gpus) * hours / Self.hoursPerMonth, kWh * electricityPerKWh, kWh)
    }
}
