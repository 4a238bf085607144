import Foundation
import Testing

@testable import GatehouseCore

/// The registries of report formats: names unique and round-tripping, and the messages derived
/// from them worded as they were written by hand before (coverage.py JSON added).
@Suite("Report format registries")
struct ReportRegistryTests {
    @Test func namesAreUniqueAndRoundTrip() {
        let coverage = CoverageFormats.all.map { $0.name }
        let lint = LintFormats.all.map { $0.name }
        #expect(Set(coverage).count == coverage.count && Set(lint).count == lint.count)
        #expect(coverage == ["lcov", "cobertura", "jacoco", "clover", "llvm-cov-json", "go-coverprofile", "coverage-py-json"])
        #expect(lint == ["sarif", "checkstyle", "eslint", "swiftlint", "rdjson"])
        #expect(CoverageFormat.allCases.map(\.rawValue) == coverage && LintFormat.allCases.map(\.rawValue) == lint)
        for parser in CoverageFormats.all { #expect(CoverageFormat(rawValue: parser.name) == parser.format) }
        for parser in LintFormats.all { #expect(LintFormat(rawValue: parser.name) == parser.format) }
        #expect(CoverageFormat(rawValue: "sarif") == nil && LintFormat(rawValue: "lcov") == nil)
        #expect(CoverageFormat.llvmCovJSON.rawValue == "llvm-cov-json" && LintFormat.rdjson.rawValue == "rdjson")
    }

    static func detectionError(_ family: String, _ bytes: [UInt8]) throws -> GatehouseError {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-registry-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = Result { () throws(GatehouseError) in
            if family == "coverage" { _ = try CoverageReader.read(path: path, displayPath: "r") } else { _ = try LintReader.read(path: path, displayPath: "r") }
        }
        guard case .failure(let error) = result else {
            Issue.record("\(family) read \(bytes.count) bytes without an error")
            return GatehouseError(.invalidReport, "", at: nil)
        }
        return error
    }

    @Test func messagesListTheRegistry() throws {
        let text = Array("hello\n".utf8), binary: [UInt8] = [0x1F, 0x8B, 0, 0]
        #expect(try Self.detectionError("coverage", text).message
            == "unrecognised coverage report format. Gatehouse reads LCOV, Cobertura, JaCoCo, Clover, llvm-cov export JSON, Go coverprofiles and coverage.py JSON reports.")
        #expect(try Self.detectionError("coverage", binary).message
            == "this is not a coverage report (it is binary). Point coverage.reports at an LCOV, Cobertura, JaCoCo, Clover, llvm-cov JSON, Go coverprofile or coverage.py JSON file.")
        #expect(try Self.detectionError("coverage", []).message == "the coverage report is empty (0 bytes). Did the test run that writes it fail?")
        #expect(try Self.detectionError("lint", text).message
            == "unrecognised lint report format. Gatehouse reads SARIF 2.1.0, Checkstyle XML, ESLint `-f json`, SwiftLint `--reporter json` and reviewdog rdjson/rdjsonl.")
        #expect(try Self.detectionError("lint", binary).message
            == "this is not a lint report (it is binary). Point Gatehouse at a SARIF, Checkstyle XML, ESLint JSON, SwiftLint JSON or reviewdog rdjson/rdjsonl report.")
        #expect(try Self.detectionError("lint", []).message
            == "the lint report is empty (0 bytes). Did the linter run, and write its report with a reporter Gatehouse reads?")
        for family in ["coverage", "lint"] {
            #expect(try Self.detectionError(family, text).location == GatehouseCore.SourceLocation(file: "r", line: 1))
            #expect(try Self.detectionError(family, []).location == GatehouseCore.SourceLocation(file: "r"))
        }
    }

    @Test func detectionSeesTheReportWithoutItsByteOrderMarkAndLeadingBlanks() {
        #expect(ReportBytes.trimmedPrefix(Array("\u{FEFF} \r\n\tSF:a".utf8)) == Array("SF:a".utf8))
        #expect(ReportBytes.trimmedPrefix(Array("  ".utf8)).isEmpty)
        #expect(ReportFamily<Int>.list(["a"], "or") == "a" && ReportFamily<Int>.list(["a", "b", "c"], "or") == "a, b or c")
    }
}
