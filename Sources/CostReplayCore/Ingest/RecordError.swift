/// Why one source record could not be turned into a ``TraceRecord``: the field and the reason.
///
/// Readers throw it for one record; the pipeline turns it into a ``Rejection`` with the file and
/// line, keeps the raw text, and goes on with the next record.
public struct RecordError: Error, Sendable, Equatable {
    public var field: String?
    public var reason: String

    public init(field: String? = nil, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public static func missing(_ field: String) -> RecordError {
        RecordError(field: field, "required field is missing")
    }
}
