/// Text made safe for a terminal: control characters from users' files shown, not obeyed.
public enum TerminalText {
    /// Replaces C0 and C1 control characters and DEL (ESC, BEL, CR, backspace, …) by a visible
    /// `\u{…}` escape; keeps newlines and tabs, which tables and messages use themselves.
    public static func sanitised(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value == 10 || value == 9 { return false }
        return value < 32 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
    }
}
