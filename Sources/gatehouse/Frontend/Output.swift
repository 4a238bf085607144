import Foundation

/// Writes finished output in one piece, so that a failure never leaves half a report on stdout.
enum Output {
    /// Set once a reader closed stdout (`| head`): the rest is dropped, and the command still
    /// exits with its verdict.
    nonisolated(unsafe) private static var stdoutClosed = false

    /// Writes all of `bytes` to `descriptor`; the errno of the first failure, or nil.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
        bytes.withUnsafeBufferPointer { buffer -> Int32? in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if written == 0 { return EIO }
                offset += written
            }
            return nil
        }
    }

    /// A write error other than a closed pipe (a full disk, a device error) ends the command with
    /// exit 2 and a message, never a crash and never a silent success with half an answer.
    static func write(_ bytes: [UInt8]) {
        guard !stdoutClosed, let failure = writeAll(bytes, to: STDOUT_FILENO) else { return }
        if failure == EPIPE {
            stdoutClosed = true
            return
        }
        error("cannot write the output: \(String(cString: strerror(failure))). Free space or fix the destination, then run the command again.")
        Foundation.exit(2)
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

    /// Messages on stderr. If stderr itself cannot be written there is nobody left to tell, so
    /// the failure is ignored rather than allowed to kill the process.
    static func error(_ message: String) {
        _ = writeAll(Array(("gatehouse: " + message + "\n").utf8), to: STDERR_FILENO)
    }

    static func verbose(_ message: String) { error(message) }

    /// Text for stderr as it is (the pre-push hook's report), with the same care.
    static func writeStderr(_ text: String) {
        _ = writeAll(Array(text.utf8), to: STDERR_FILENO)
    }
}
