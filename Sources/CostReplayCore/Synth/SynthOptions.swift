/// Parameters of `costreplay synth`.
public struct SynthOptions: Sendable {
    /// Model calls (agent runs add a tool span after each of their calls).
    public var requests = 10_000
    public var seed: UInt64 = 42
    /// First day, microseconds since the epoch (UTC midnight).
    public var startMicros: Int64 = Timestamp.daysFromCivil(year: 2026, month: 9, day: 1) * 86_400_000_000
    public var days = 56
    /// Include prompt and response texts (larger lines; needed for semantic caching and truncation).
    public var withText = true
    /// Leave out message structure and latency timestamps (short lines, for benchmarks).
    public var compact = false
    /// Attach the provider-billed cost computed from the catalog.
    public var billed = true
    /// Share of records whose billed cost is deliberately off by 10–50%, to exercise reconciliation.
    public var mispricedShare = 0.0
    /// Users and tenants drawn with Zipf-like popularity.
    public var users = 400
    public var tenants = 12

    public init() {}
}
