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
        #expect(
            String(decoding: actual, as: UTF8.self) == String(decoding: expected, as: UTF8.self),
            "output differs from \(name)", sourceLocation: sourceLocation)
        // Byte for byte, too: the string comparison above treats canonically equivalent text as equal.
        #expect(actual == Array(expected), "bytes differ from \(name)", sourceLocation: sourceLocation)
    }

    public static func check(_ actual: String, against name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        try check(Array(actual.utf8), against: name, sourceLocation: sourceLocation)
    }
}
