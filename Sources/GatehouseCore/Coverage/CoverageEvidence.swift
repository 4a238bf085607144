/// What all reports together say about the repository's files.
public struct CoverageEvidence: Sendable {
    public struct Lines: Sendable, Hashable {
        /// Lines some report measures.
        public var measured: LineSet
        /// Lines some report saw run at least once.
        public var covered: LineSet
    }

    /// Per repository file: several reports merge, and a line is covered if any covers it.
    public private(set) var files: [RepoPath: Lines] = [:]
    /// Report paths that matched no repository file, per report.
    public private(set) var unmapped: [(report: String, path: String)] = []
    /// Report paths that matched several repository files, per report.
    public private(set) var ambiguous: [(report: String, path: String, candidates: [RepoPath])] = []
    /// Files inside the repository's folder that git does not track (build output, dependencies).
    public private(set) var untrackedCount = 0
    /// Per report: how many of its files mapped.
    public private(set) var mappedCount: [String: Int] = [:]
    public private(set) var reports: [(file: String, format: CoverageFormat, files: Int)] = []

    public init() {}

    public init(reports: [CoverageReport], mapper: PathMapper) {
        for report in reports { add(report, mapper: mapper) }
    }

    public mutating func add(_ report: CoverageReport, mapper: PathMapper) {
        reports.append((report.file, report.format, report.files.count))
        var mapped = 0
        for file in report.files {
            switch mapper.map(file.path, sourceRoots: report.sourceRoots) {
            case .mapped(let path):
                mapped += 1
                var entry = files[path] ?? Lines(measured: LineSet(), covered: LineSet())
                var measured: [ClosedRange<Int>] = entry.measured.ranges
                var covered: [ClosedRange<Int>] = entry.covered.ranges
                for line in file.lines where line.line > 0 {
                    measured.append(line.line...line.line)
                    if line.hits > 0 { covered.append(line.line...line.line) }
                }
                entry.measured = LineSet(ranges: measured)
                entry.covered = LineSet(ranges: covered)
                files[path] = entry
            case .unmapped:
                unmapped.append((report.file, file.path))
            case .untracked:
                untrackedCount += 1
            case .ambiguous(let candidates):
                ambiguous.append((report.file, file.path, candidates))
            }
        }
        mappedCount[report.file, default: 0] += mapped
    }

    /// Measured and covered lines over every mapped file.
    public var total: (measured: Int, covered: Int) {
        files.values.reduce((0, 0)) { ($0.0 + $1.measured.count, $0.1 + $1.covered.count) }
    }
}
