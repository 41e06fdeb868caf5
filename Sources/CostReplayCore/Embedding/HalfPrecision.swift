/// Vectors as little-endian float16 or float32 blobs: float16 halves the store (10 million 384-d
/// vectors in 7.7 GB) at a rounding of about 2⁻¹¹ relative per component (docs/performance.md
/// measures its effect on hit decisions).
public enum VectorPrecision: String, Sendable, CaseIterable {
    case float16, float32

    public var bytesPerComponent: Int { self == .float16 ? 2 : 4 }

    public func encode(_ vector: [Float]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(vector.count * bytesPerComponent)
        for value in vector {
            switch self {
            case .float16:
                let bits = Float16(value).bitPattern
                bytes.append(UInt8(bits & 0xff)); bytes.append(UInt8(bits >> 8))
            case .float32:
                let bits = value.bitPattern
                for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((bits >> UInt32(shift)) & 0xff)) }
            }
        }
        return bytes
    }

    public func decode(_ bytes: [UInt8]) -> [Float] {
        bytes.withUnsafeBytes { raw in
            switch self {
            case .float16:
                return (0..<bytes.count / 2).map { Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self)))) }
            case .float32:
                return (0..<bytes.count / 4).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
            }
        }
    }
}
extension VectorPrecision: ParameterChoice {}
