import Foundation

/// Writes finished output in one piece, so that a failure never leaves half a report on stdout.
enum Output {
    static func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 {
                    if errno == EINTR { continue }
                    return  // stdout closed (e.g. piped into head): nothing more to say
                }
                offset += written
            }
        }
    }

    static func write(_ text: String) { write(Array(text.utf8)) }

    /// Colour only for a person at a terminal, and never when NO_COLOR is set (no-color.org).
    static var stdoutIsColorTerminal: Bool {
        isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    static var stderrIsColorTerminal: Bool {
        isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("gatehouse: " + message + "\n").utf8))
    }

    static func verbose(_ message: String) {
        FileHandle.standardError.write(Data(("gatehouse: " + message + "\n").utf8))
    }
}
