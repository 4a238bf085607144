import Foundation

/// Reads a coverage report of any supported format, detected from its content.
public enum CoverageReader {
    static var parsers: [any CoverageParser.Type] { CoverageFormats.all }

    /// Opens a report named in the configuration or on the command line.
    public static func open(path: String, displayPath: String? = nil) throws(GatehouseError) -> InputSource {
        try InputSource(path: path, displayPath: displayPath, what: "coverage report", origin: "coverage.reports, or --coverage")
    }

    /// Reads the whole report into memory, repeated paths merged (hits summed). For tests and
    /// small reports: `read(path:displayPath:into:mapper:)` streams instead.
    public static func read(path: String, displayPath: String? = nil) throws(GatehouseError) -> CoverageReport {
        let source = try open(path: path, displayPath: displayPath)
        return try detect(source).parse(source)
    }

    /// Streams the report into `evidence`: each file's lines are merged into it as the parser reads
    /// them and dropped, so the report's lines are never all in memory. The report is opened once
    /// and read once, front to back: detection and parsing share the descriptor, so a pipe
    /// (`--coverage /dev/stdin`, `<(...)`) works.
    public static func read(
        path: String, displayPath: String? = nil, into evidence: inout CoverageEvidence, mapper: PathMapper
    ) throws(GatehouseError) {
        let source = try open(path: path, displayPath: displayPath)
        let parser = try detect(source)
        evidence.beginReport(file: source.displayPath, format: parser.format)
        var roots: [String] = []
        let info = try parser.parse(source) { file, info throws(GatehouseError) in
            if info.sourceRoots != roots {
                roots = info.sourceRoots
                evidence.setSourceRoots(roots)
            }
            evidence.add(file, mapper: mapper)
        }
        evidence.setSourceRoots(info.sourceRoots)
    }

    /// The parser for the report, from its first 4 KiB (read ahead: the parser still reads them).
    static func detect(_ source: InputSource) throws(GatehouseError) -> any CoverageParser.Type {
        try CoverageFormats.family.detect(source)
    }
}
