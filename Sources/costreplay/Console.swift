import CostReplayCore
import Foundation

/// Standard output and error, with colour only on a terminal and never under NO_COLOR.
enum Console {
    static let colour: Bool = isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    static let errorIsTerminal: Bool = isatty(2) == 1

    static let outIsTerminal: Bool = isatty(1) == 1

    /// Results; on a terminal, control bytes from trace text are shown escaped, never obeyed.
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((outIsTerminal ? TerminalText.sanitised(text) : text).utf8))
    }

    /// Messages for people: control bytes (which may come from a user's file) always escaped.
    static func error(_ text: String) {
        let line = text.hasSuffix("\n") ? String(text.dropLast()) : text
        FileHandle.standardError.write(Data((TerminalText.sanitised(line) + "\n").utf8))
    }

    static func bold(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

    /// A one-line progress bar on standard error, only when it is a terminal.
    static func progress(_ done: Int, _ total: Int, _ label: String) {
        guard errorIsTerminal, total > 0 else { return }
        let share = min(1, Double(done) / Double(total))
        let filled = Int(share * 30)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
        let text = "\r[\(bar)] \(Int(share * 100))% \(label.suffix(40))"
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func clearProgress() {
        guard errorIsTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
