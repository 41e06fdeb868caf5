/// The dimensions `costreplay cost --by` groups by.
public enum CostGrouping: String, CaseIterable, Sendable, Codable {
    case model, provider, day, week, month, user, tenant, tag, session, trace, request

    /// The group keys of one request; a request with several tags belongs to each tag's group.
    func keys(_ row: PricingRow) -> [String] {
        let none = "(none)"
        switch self {
        case .model: return [row.pricingInput.model ?? none]
        case .provider: return [row.pricingInput.provider ?? none]
        case .day: return [row.pricingInput.startMicros.map(Timestamp.day) ?? none]
        case .week: return [row.pricingInput.startMicros.map(Self.weekStart) ?? none]
        case .month: return [row.pricingInput.startMicros.map { String(Timestamp.day($0).prefix(7)) } ?? none]
        case .user: return [row.userID ?? none]
        case .tenant: return [row.tenantID ?? none]
        case .tag: return row.tags.isEmpty ? [none] : row.tags
        case .session: return [row.sessionID ?? none]
        case .trace: return [row.traceID ?? row.id]
        case .request: return [row.id]
        }
    }

    /// The Monday starting the ISO week holding `micros`, as `YYYY-MM-DD`.
    static func weekStart(_ micros: Int64) -> String {
        let days = Timestamp.floorDiv(micros, 86_400_000_000)
        // 1970-01-01 was a Thursday: (days + 3) mod 7 is 0 on Mondays.
        let offset = ((days + 3) % 7 + 7) % 7
        return Timestamp.day((days - offset) * 86_400_000_000)
    }
}

/// The columns of a stored request that pricing and grouping read.
public struct PricingRow: Sendable {
    public var id: String
    public var kind: RequestKind
    /// What the price depends on: model, provider, start, usage, batch, service tier, cache hit.
    public var pricingInput: PricingInput
    public var billedCost: Money?
    public var userID: String?
    public var tenantID: String?
    public var sessionID: String?
    public var traceID: String?
    public var tags: [String]
}
