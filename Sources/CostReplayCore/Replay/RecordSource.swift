/// Where a replay's records come from: the store, or a canonical JSONL stream (`simulate --stdin`).
///
/// A source calls its body once per record, in start order with ties by id, and never holds the
/// trace in memory; the engine sees nothing else of it.
public struct RecordSource {
    /// Calls the body with every record of the source, in order.
    public let forEach: ((TraceRecord) throws -> Void) throws -> Void

    public init(forEach: @escaping ((TraceRecord) throws -> Void) throws -> Void) {
        self.forEach = forEach
    }

    /// The stored requests starting in `window`, without the fields no replay reads (``Schema/replayColumns``).
    public static func store(_ store: TraceStore, window: TraceStore.TimeWindow) -> RecordSource {
        RecordSource { body in try store.forEachReplayRecord(in: window, body) }
    }
}
