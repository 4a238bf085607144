import Foundation
import Testing

/// Golden files in Tests/Fixtures/golden.
///
/// Run with `GATEHOUSE_RECORD_GOLDEN=1` to write the files from the current output instead of
/// comparing (then read the diff before committing them).
public enum Golden {
    /// Tests/Fixtures/golden, found from this file: Tests/Support/Golden.swift.
    public static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
        .appendingPathComponent("golden")

    static var isRecording: Bool { ProcessInfo.processInfo.environment["GATEHOUSE_RECORD_GOLDEN"] == "1" }

    public static func check(_ actual: [UInt8], against name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let url = folder.appendingPathComponent(name)
        if isRecording {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(actual).write(to: url)
            return
        }
        guard let expected = FileManager.default.contents(atPath: url.path) else {
            Issue.record("missing golden file \(url.path); run with GATEHOUSE_RECORD_GOLDEN=1 to create it", sourceLocation: sourceLocation)
            return
        }
        guard actual != Array(expected) else { return }
        // Say where: the first line that differs, not two byte arrays.
        let actualLines = String(decoding: actual, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let line = Array(zip(actualLines, expectedLines)).firstIndex { $0 != $1 } ?? min(actualLines.count, expectedLines.count)
        let got = line < actualLines.count ? String(actualLines[line]) : "(end of output)"
        let wanted = line < expectedLines.count ? String(expectedLines[line]) : "(end of file)"
        Issue.record(
            "output differs from \(name) at line \(line + 1):\n  got:      \(got)\n  expected: \(wanted)\nRerun with GATEHOUSE_RECORD_GOLDEN=1 to accept the new output (and read the diff).",
            sourceLocation: sourceLocation)
    }

    public static func check(_ actual: String, against name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        try check(Array(actual.utf8), against: name, sourceLocation: sourceLocation)
    }
}
