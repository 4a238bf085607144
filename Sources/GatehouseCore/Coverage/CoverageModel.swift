/// The coverage report formats Gatehouse reads; the format is detected from content.
public enum CoverageFormat: String, Sendable, CaseIterable {
    case lcov
    case cobertura
    case jacoco
    case clover
    /// `llvm-cov export` JSON, what `swift test --enable-code-coverage` writes.
    case llvmCovJSON = "llvm-cov-json"
    case goCoverprofile = "go-coverprofile"
}

/// Hit counts per line for one source file, as one report names it.
public struct FileCoverage: Sendable, Hashable {
    /// The file as the report names it: absolute, relative to a source root, or a package path.
    public var path: String
    /// Executable lines the report measures, ascending, with their hit counts (0 = not covered).
    /// A line appears once: repeated records for one line are summed.
    public var lines: [LineHits]

    public init(path: String, lines: [LineHits]) {
        self.path = path
        self.lines = lines
    }
}

public struct LineHits: Sendable, Hashable {
    public var line: Int
    public var hits: Int

    public init(line: Int, hits: Int) {
        self.line = line
        self.hits = hits
    }
}

/// Everything one report file says, before its paths are mapped to the repository.
public struct CoverageReport: Sendable {
    /// The report file, as named in the configuration or on the command line.
    public var file: String
    public var format: CoverageFormat
    /// Folders the report's paths are relative to (Cobertura `<sources>`); empty when none.
    public var sourceRoots: [String]
    public var files: [FileCoverage]

    public init(file: String, format: CoverageFormat, sourceRoots: [String] = [], files: [FileCoverage]) {
        self.file = file
        self.format = format
        self.sourceRoots = sourceRoots
        self.files = files
    }
}

/// Turns the bytes of one report into per-file line hits.
///
/// Parsers stream: they hold one file's lines at a time (plus what they emit), so memory stays
/// flat as reports grow. Malformed input throws a `GatehouseError` of kind `.invalidReport`
/// naming the report file and, where there is one, the line; a parser never crashes.
public protocol CoverageParser {
    static var format: CoverageFormat { get }
    /// Whether `prefix` (the first bytes of a file, up to 4 KiB) looks like this format.
    static func detect(_ prefix: [UInt8]) -> Bool
    /// Parses the whole report at `path`. `displayPath` is the name used in messages.
    static func parse(path: String, displayPath: String) throws(GatehouseError) -> CoverageReport
}

extension FileCoverage {
    /// Sorts by line and sums repeated lines: what every parser emits.
    public static func normalized(path: String, _ raw: [LineHits]) -> FileCoverage {
        var sorted = raw
        sorted.sort { $0.line < $1.line }
        var merged: [LineHits] = []
        merged.reserveCapacity(sorted.count)
        for entry in sorted {
            if let last = merged.last, last.line == entry.line {
                merged[merged.count - 1].hits = Swift.min(last.hits &+ entry.hits, Int.max / 2)
            } else {
                merged.append(entry)
            }
        }
        return FileCoverage(path: path, lines: merged)
    }
}
