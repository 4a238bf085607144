import Foundation

/// Reads a coverage report of any supported format, detected from its content.
public enum CoverageReader {
    static var parsers: [any CoverageParser.Type] {
        [LCOVParser.self, CoberturaParser.self, JaCoCoParser.self, CloverParser.self, LLVMCovJSONParser.self, GoCoverprofileParser.self]
    }

    /// Reads the whole report into memory, repeated paths merged (hits summed). For tests and
    /// small reports: `read(path:displayPath:into:mapper:)` streams instead.
    public static func read(path: String, displayPath: String? = nil) throws(GatehouseError) -> CoverageReport {
        let shown = displayPath ?? path
        let parser = try detect(path: path, displayPath: shown)
        return try parser.parse(path: path, displayPath: shown)
    }

    /// Streams the report into `evidence`: each file's lines are merged into it as the parser reads
    /// them and dropped, so the report's lines are never all in memory.
    public static func read(
        path: String, displayPath: String? = nil, into evidence: inout CoverageEvidence, mapper: PathMapper
    ) throws(GatehouseError) {
        let shown = displayPath ?? path
        let parser = try detect(path: path, displayPath: shown)
        evidence.beginReport(file: shown, format: parser.format)
        var roots: [String] = []
        let info = try parser.parse(path: path, displayPath: shown) { file, info throws(GatehouseError) in
            if info.sourceRoots != roots {
                roots = info.sourceRoots
                evidence.setSourceRoots(roots)
            }
            evidence.add(file, mapper: mapper)
        }
        evidence.setSourceRoots(info.sourceRoots)
    }

    /// The parser for the report at `path`, from its first bytes.
    static func detect(path: String, displayPath shown: String) throws(GatehouseError) -> any CoverageParser.Type {
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
            return parser
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
