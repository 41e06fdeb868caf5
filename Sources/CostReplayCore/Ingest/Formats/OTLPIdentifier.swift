import Foundation

/// Trace and span ids in one spelling: lowercase hex.
///
/// The OTLP JSON encoding (the collector's file exporter, the OTel SDKs' JSON exporters) writes ids
/// as hex, but protobuf's canonical JSON mapping (`protojson`, `json_format.MessageToJson`) writes
/// the same `bytes` fields as base64. Without normalising, one span exported both ways is stored
/// twice under two ids. Hex ids are 16 (span) or 32 (trace) characters; their base64 forms are 12
/// and 24 characters, so the two cannot be mistaken for each other.
enum OTLPIdentifier {
    /// The id as lowercase hex; any other text (a non-standard id) is kept as it is.
    static func normalised(_ value: JSONValue?) -> String? {
        guard let text = FieldReading.identifier(value) else { return nil }
        if isHex(text) { return text.lowercased() }
        if text.utf8.count == 12 || text.utf8.count == 24, let bytes = Data(base64Encoded: text),
           bytes.count == 8 || bytes.count == 16 {
            return bytes.map { String(format: "%02x", $0) }.joined()
        }
        return text
    }

    static func isHex(_ text: String) -> Bool {
        (text.utf8.count == 16 || text.utf8.count == 32) && text.utf8.allSatisfy { byte in
            (48...57).contains(byte) || (97...102).contains(byte) || (65...70).contains(byte)
        }
    }
}
