/// A fast, stable 64-bit hash (FNV-1a with a SplitMix64 finaliser) for content ids and prompt
/// hashes. Stable across runs and machines, unlike `Hasher`.
public enum StableHash {
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for byte in bytes {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return finalise(h)
    }

    public static func hash(_ text: String, seed: UInt64 = 0) -> UInt64 {
        finalise(unfinalised(text, seed: seed))
    }

    /// FNV-1a of the text's UTF-8 bytes before the finaliser, for callers that hash bytes they do not hold as a string.
    static func unfinalised(_ text: String, seed: UInt64 = 0) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        var text = text
        text.withUTF8 { for byte in $0 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 } }
        return h
    }

    /// The hash of `prefix + text`, without building the concatenation.
    public static func hash(_ text: String, prefix: StaticString) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        prefix.withUTF8Buffer { for byte in $0 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 } }
        var text = text
        text.withUTF8 { for byte in $0 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 } }
        return finalise(h)
    }

    public static func hex(_ text: String) -> String { hex(hash(text)) }

    public static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    public static func finalise(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
