import ArgumentParser
import CostReplayCore
import Foundation

/// Buffered writing to a file (through ``OutputFile``: never an input, never through a link,
/// replaced only when complete) or to standard output.
final class OutputSink {
    let file: OutputFile?
    var buffer = ""

    init(path: String?, kind: OutputKind, inputs: [String]) throws {
        guard let path else { file = nil; return }
        do { file = try OutputFile(path: path, kind: kind, inputs: inputs) } catch { throw CommandFailure(message: "error: \(error)") }
    }

    func write(_ text: String) {
        buffer += text
        if buffer.utf8.count >= 1 << 20 { flush() }
    }

    func flush() {
        if let file { file.write(buffer) } else { FileHandle.standardOutput.write(Data(buffer.utf8)) }
        buffer = ""
    }

    func close() throws {
        flush()
        do { try file?.commit() } catch { throw CommandFailure(message: "error: \(error)") }
    }
}

/// Refuses an output path before any work is done (see ``OutputFile/check(path:kind:inputs:)``).
func checkOutput(_ path: String, kind: OutputKind, inputs: [String]) throws {
    do { try OutputFile.check(path: path, kind: kind, inputs: inputs) } catch { throw CommandFailure(message: "error: \(error)") }
}

/// Writes one whole output file under ``OutputFile``'s rules, as a command failure when refused.
func writeOutput(_ text: String, to path: String, kind: OutputKind, inputs: [String]) throws {
    do { try OutputFile.write(text, to: path, kind: kind, inputs: inputs) } catch { throw CommandFailure(message: "error: \(error)") }
}

func writeOutput(_ data: Data, to path: String, kind: OutputKind, inputs: [String]) throws {
    do { try OutputFile.write(data, to: path, kind: kind, inputs: inputs) } catch { throw CommandFailure(message: "error: \(error)") }
}
