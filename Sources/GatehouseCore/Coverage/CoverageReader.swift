import Foundation

/// Reads a coverage report of any supported format, detected from its content.
public enum CoverageReader {
    static let parsers: [any CoverageParser.Type] = [
        LCOVParser.self, CoberturaParser.self, JaCoCoParser.self, CloverParser.self,
        LLVMCovJSONParser.self, GoCoverprofileParser.self,
    ]

    public static func read(path: String, displayPath: String? = nil) throws(GatehouseError) -> CoverageReport {
        let shown = displayPath ?? path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw GatehouseError(
                .unreadableFile, "cannot read the coverage report \(shown). Check the path (coverage.reports, or --coverage).",
                at: SourceLocation(file: shown))
        }
        let prefix = Array((try? handle.read(upToCount: 4096)) ?? Data())
        try? handle.close()
        guard !prefix.isEmpty else {
            throw GatehouseError(
                .invalidReport, "the coverage report is empty (0 bytes). Did the test run that writes it fail?",
                at: SourceLocation(file: shown))
        }
        var trimmed = prefix[...]
        if trimmed.starts(with: [0xEF, 0xBB, 0xBF]) { trimmed = trimmed.dropFirst(3) }
        while let first = trimmed.first, first == 0x20 || first == 0x09 || first == 0x0A || first == 0x0D { trimmed = trimmed.dropFirst() }
        let head = Array(trimmed)
        for parser in parsers where parser.detect(head) {
            return try parser.parse(path: path, displayPath: shown)
        }
        let binary = prefix.contains(0)
        throw GatehouseError(
            .invalidReport,
            binary
                ? "this is not a coverage report (it is binary). Point coverage.reports at an LCOV, Cobertura, JaCoCo, Clover, llvm-cov JSON or Go coverprofile file."
                : "unrecognised coverage report format. Gatehouse reads LCOV, Cobertura, JaCoCo, Clover, llvm-cov export JSON and Go coverprofiles.",
            at: SourceLocation(file: shown, line: 1))
    }
}
