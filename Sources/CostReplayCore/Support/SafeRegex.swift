import CRE2

/// A regular expression from a user's file, matched in time linear in the text (RE2).
///
/// Swift's `Regex` backtracks: a rule like `^(a+)+$` took 38 s on a 20-character prompt. RE2's
/// automata never backtrack; its grammar is Perl's without back-references and look-around
/// (https://github.com/google/re2/wiki/Syntax), and a pattern that needs them is refused when the
/// scenario loads.
public final class SafeRegex: @unchecked Sendable {
    // Immutable after init; RE2 objects are safe to share across threads for matching.
    let handle: OpaquePointer
    public let pattern: String

    /// Compiles `pattern`, or throws RE2's reason.
    public init(_ pattern: String, caseInsensitive: Bool = false) throws(SafeRegexError) {
        var error = [CChar](repeating: 0, count: 256)
        var text = pattern
        let compiled = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) {
                cre2_compile($0.baseAddress, $0.count, caseInsensitive ? 1 : 0, &error, error.count)
            }
        }
        guard let compiled else {
            throw SafeRegexError(pattern: pattern, reason: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        handle = compiled
        self.pattern = pattern
    }

    deinit { cre2_release(handle) }

    /// Whether the pattern matches anywhere in `text`.
    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cre2_search(handle, $0.baseAddress, $0.count) == 1 }
        }
    }
}

/// A pattern RE2 cannot compile.
public struct SafeRegexError: Error, Sendable, Equatable, CustomStringConvertible {
    public var pattern: String
    public var reason: String
    public var description: String { "invalid regular expression \"\(pattern.prefix(60))\": \(reason)" }
}
