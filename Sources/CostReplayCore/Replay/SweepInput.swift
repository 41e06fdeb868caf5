/// What a ``CapacitySweepGroup`` reads of a request: the replay's ``ReplayRequest``, or the plain values of a
/// ``SweepRow`` that a replay made only of capacity sweeps reads straight from the store.
protocol SweepInput {
    var kind: RequestKind { get }
    var startMicros: Int64 { get }
    var endMicros: Int64? { get }
    var usage: TokenUsage? { get }
    var spanCost: Money? { get }
    var pricingInput: PricingInput { get }
    /// The recorded model's id in the engine's ``ModelNames``.
    var recordedModelID: Int32 { get }
    /// ``ReplayEngine/responseID(_:)`` of the recorded response hash.
    var recordedResponseID: UInt64 { get }
    /// ``CacheParameters/modelHash(_:)``: the hash of the model the request is sent to.
    var cacheModelHash: UInt64 { get }
    /// ``RecordedRequest/scopeKeys`` and ``RecordedRequest/promptKeys``.
    func scopeKey(_ slot: Int) -> UInt64
    func promptKey(_ variant: Int) -> UInt64?
    /// The bootstrap block of a request when blocks are sessions: its session, else its trace, else its id, hashed.
    var sessionBlock: Int64 { get }
}

extension SweepInput {
    /// Recorded latency (end − start), when known.
    var recordedLatencyMicros: Int64? { endMicros.map { $0 - startMicros } }
}

extension ReplayRequest: SweepInput {
    var recordedModelID: Int32 { recorded.modelID }
    var recordedResponseID: UInt64 { recorded.responseID }
    var cacheModelHash: UInt64 { CacheParameters.modelHash(self) }
    func scopeKey(_ slot: Int) -> UInt64 { recorded.scopeKeys[slot] }
    func promptKey(_ variant: Int) -> UInt64? { recorded.promptKeys[variant] }
    var sessionBlock: Int64 { RecordedRequest.sessionBlock(session: sessionID, trace: traceID, id: id) }
}

/// One request as a replay made only of capacity sweeps reads it (``TraceStore/forEachSweepRow(in:_:)``): the fields a
/// sweep, the baseline and the store-health block use, with the keys computed as ``RecordedRequest`` computes them, and
/// nothing else. No record, recorded request or replay request is built, copied or released per request.
struct SweepRow: SweepInput {
    var id: String
    var kind: RequestKind
    var startMicros: Int64
    var endMicros: Int64?
    var pricingInput: PricingInput
    var billedCost: Money?
    var spanCost: Money?
    var scopeKeys: Four<UInt64>
    var promptKeys: Four<UInt64?>
    var modelHash: UInt64
    var sessionBlock: Int64
    var recordedResponseID: UInt64
    /// Set by the feed, which interns model names.
    var recordedModelID: Int32 = 0

    var usage: TokenUsage? { pricingInput.usage }
    var cacheModelHash: UInt64 { modelHash }
    func scopeKey(_ slot: Int) -> UInt64 { scopeKeys[slot] }
    func promptKey(_ variant: Int) -> UInt64? { promptKeys[variant] }
}
