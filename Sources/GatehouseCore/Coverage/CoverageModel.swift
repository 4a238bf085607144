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
    /// The branches leaving this line, when the report has them (Cobertura conditions, LCOV
    /// `BRDA`): how many there are and how many were taken.
    public var branches: BranchHits?

    public init(line: Int, hits: Int, branches: BranchHits? = nil) {
        self.line = line
        self.hits = hits
        self.branches = branches
    }
}

/// A line's branches: `total` exits, `covered` of them taken at least once.
public struct BranchHits: Sendable, Hashable {
    public var covered: Int
    public var total: Int

    public init(covered: Int, total: Int) {
        self.total = Swift.max(total, 0)
        self.covered = Swift.min(Swift.max(covered, 0), self.total)
    }

    /// Two reports (or two records) of the same line: the more complete count of exits, and a
    /// branch taken in either is taken.
    public func merged(with other: BranchHits?) -> BranchHits {
        guard let other else { return self }
        return BranchHits(covered: Swift.max(covered, other.covered), total: Swift.max(total, other.total))
    }

    public var isPartial: Bool { covered < total }
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

/// What a report says besides its files' lines.
public struct ReportInfo: Sendable, Hashable {
    public var format: CoverageFormat
    /// Folders the report's paths are relative to (Cobertura `<sources>`); empty when none.
    public var sourceRoots: [String]

    public init(format: CoverageFormat, sourceRoots: [String] = []) {
        self.format = format
        self.sourceRoots = sourceRoots
    }
}

/// Receives one source file's lines as soon as a parser has read them. The `ReportInfo` is what
/// the parser knows so far; its `sourceRoots` are final by the first call (Cobertura reads
/// `<sources>` before the first class: see `CoberturaParser`).
public typealias CoverageEmit = (_ file: FileCoverage, _ info: ReportInfo) throws(GatehouseError) -> Void

/// Turns the bytes of one report into per-file line hits, streamed.
///
/// Parsers stream: they hold one file's lines at a time and hand each file to `emit` as soon as
/// its record is complete, so memory stays flat as reports grow (Go coverprofiles are the
/// exception: one file's blocks can be spread over the whole profile, so that parser emits at
/// the end). Within one emission the lines are ascending and unique (`FileCoverage.normalized`);
/// the same path may be emitted several times (repeated LCOV records, several Cobertura classes
/// for one file), and the consumer merges. Malformed input throws a `GatehouseError` of kind
/// `.invalidReport` naming the report file and, where there is one, the line; a parser never crashes.
public protocol CoverageParser {
    static var format: CoverageFormat { get }
    /// Whether `prefix` (the first bytes of a file, up to 4 KiB) looks like this format.
    static func detect(_ prefix: [UInt8]) -> Bool
    /// Parses the whole report at `path`, handing each file to `emit`. `displayPath` is the name
    /// used in messages.
    static func parse(path: String, displayPath: String, emit: CoverageEmit) throws(GatehouseError) -> ReportInfo
}

extension CoverageParser {
    /// Collects the whole report, repeated paths merged (hits summed) where first seen.
    /// Holds every line of the report: for tests and small reports; `CoverageReader.read(path:displayPath:into:mapper:)`
    /// streams instead.
    public static func parse(path: String, displayPath: String) throws(GatehouseError) -> CoverageReport {
        var builder = ReportFilesBuilder(merge: .sum)
        let info = try parse(path: path, displayPath: displayPath) { file, _ throws(GatehouseError) in
            builder.add(path: file.path, lines: file.lines, isSortedAndUnique: true)
        }
        return CoverageReport(file: displayPath, format: info.format, sourceRoots: info.sourceRoots, files: builder.files)
    }
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
                if let branches = entry.branches { merged[merged.count - 1].branches = branches.merged(with: last.branches) }
            } else {
                merged.append(entry)
            }
        }
        return FileCoverage(path: path, lines: merged)
    }
}
