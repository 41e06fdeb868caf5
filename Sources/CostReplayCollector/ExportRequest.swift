import Foundation
import SwiftProtobuf

/// One `POST /v1/traces` body turned into OTLP JSON, the form ``OTLPDecoder`` reads.
///
/// Protobuf bodies (`application/x-protobuf`) are parsed with the code generated from the OTLP .proto files and
/// written out with protobuf's JSON mapping (ids in base64, which the decoder reads as it reads hex); JSON bodies
/// (`application/json`) are checked to be an `ExportTraceServiceRequest` and passed on as they are.
struct ExportRequest: Sendable {
    enum Encoding: Sendable { case protobuf, json }

    /// Why a body was refused: HTTP status and message.
    struct Refusal: Error, Equatable {
        var status: Int
        var message: String
    }

    var encoding: Encoding
    var json: [UInt8]
    var spans: Int

    /// Largest body accepted once inflated.
    static let inflatedLimit = 64 << 20

    init(body: [UInt8], contentType: String?, contentEncoding: String?) throws(Refusal) {
        var bytes = body
        switch contentEncoding?.lowercased().trimmingCharacters(in: .whitespaces) {
        case nil, "", "identity": break
        case "gzip", "deflate":
            do throws(Gunzip.Failure) { bytes = try Gunzip.inflate(body, limit: Self.inflatedLimit) } catch {
                switch error {
                case let .corrupt(reason): throw Refusal(status: 400, message: "the gzip body cannot be inflated: \(reason)")
                case let .tooLarge(limit): throw Refusal(status: 413, message: "the body inflates past \(limit >> 20) MiB")
                }
            }
        case let other?: throw Refusal(status: 415, message: "Content-Encoding \(other) is not supported (gzip is)")
        }
        let type = (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch type {
        case "application/x-protobuf", "application/protobuf":
            encoding = .protobuf
            let message: Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest
            do { message = try .init(serializedBytes: bytes) } catch {
                throw Refusal(status: 400, message: "the body is not an ExportTraceServiceRequest in protobuf (\(error))")
            }
            spans = message.resourceSpans.reduce(0) { $0 + $1.scopeSpans.reduce(0) { $0 + $1.spans.count } }
            do { json = try message.jsonUTF8Bytes() } catch {
                throw Refusal(status: 400, message: "the request cannot be written as JSON (\(error))")
            }
        case "application/json":
            encoding = .json
            let message: Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest
            var options = JSONDecodingOptions()
            options.ignoreUnknownFields = true
            do { message = try .init(jsonUTF8Bytes: bytes, options: options) } catch {
                throw Refusal(status: 400, message: "the body is not an ExportTraceServiceRequest in JSON (\(error))")
            }
            spans = message.resourceSpans.reduce(0) { $0 + $1.scopeSpans.reduce(0) { $0 + $1.spans.count } }
            json = bytes
        default:
            throw Refusal(status: 415, message: "Content-Type \(type.isEmpty ? "(none)" : type) is not supported "
                          + "(application/x-protobuf or application/json)")
        }
    }
}
