/// Substring search over ASCII text, byte by byte.
///
/// For ASCII text and an ASCII needle Foundation's `contains` (which compares composed character sequences and
/// canonical equivalents) says the same as a byte search, and costs a bridge to `NSString` per call. Callers fall back
/// to Foundation when this answers nil.
enum ASCIISearch {
    /// Whether `text` contains `needle` (with `text`'s upper-case letters folded to lower case when `foldingCase`), or
    /// nil when either is not ASCII or the needle is empty.
    static func contains(_ text: String, _ needle: String, foldingCase: Bool) -> Bool? {
        var text = text, needle = needle
        return text.withUTF8 { text in
            needle.withUTF8 { needle in
                guard !needle.isEmpty, isASCII(needle), isASCII(text) else { return nil }
                return search(text, needle, foldingCase: foldingCase)
            }
        }
    }

    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var any: UInt8 = 0
        for byte in bytes { any |= byte }
        return any < 0x80
    }

    static func search(_ text: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>, foldingCase: Bool) -> Bool {
        guard text.count >= needle.count else { return false }
        @inline(__always) func at(_ i: Int) -> UInt8 {
            let byte = text[i]
            return foldingCase && byte >= 65 && byte <= 90 ? byte + 32 : byte
        }
        let first = needle[0]
        for start in 0...(text.count - needle.count) where at(start) == first {
            var matched = 1
            while matched < needle.count && at(start + matched) == needle[matched] { matched += 1 }
            if matched == needle.count { return true }
        }
        return false
    }
}
