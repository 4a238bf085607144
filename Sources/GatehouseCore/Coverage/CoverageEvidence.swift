/// What all reports together say about the repository's files.
public struct CoverageEvidence: Sendable {
    public struct Lines: Sendable, Hashable {
        /// Lines some report measures.
        public var measured: LineSet
        /// Lines some report saw run at least once.
        public var covered: LineSet
        /// Per line, its branches, when a report has them.
        public var branches: [Int: BranchHits] = [:]
    }

    /// Per repository file: several reports merge, and a line is covered if any covers it.
    public private(set) var files: [RepoPath: Lines] = [:]
    /// Report paths that matched no repository file, per report.
    public private(set) var unmapped: [(report: String, path: String)] = []
    /// Report paths that matched several repository files, per report.
    public private(set) var ambiguous: [(report: String, path: String, candidates: [RepoPath])] = []
    /// Files inside the repository's folder that git does not track (build output, dependencies).
    public private(set) var untrackedCount = 0
    /// The first of them, per report, to name in messages (bounded: a report can hold many).
    public private(set) var untracked: [(report: String, path: String)] = []
    /// Per report: how many of its files mapped.
    public private(set) var mappedCount: [String: Int] = [:]
    public private(set) var reports: [(file: String, format: CoverageFormat, files: Int)] = []

    /// The report being read: its name, source roots, and each distinct path's mapping, so a
    /// path the report repeats is mapped (and counted) once.
    private var current: (file: String, sourceRoots: [String])?
    private var mappingByPath: [String: RepoPath?] = [:]

    public init() {}

    public init(reports: [CoverageReport], mapper: PathMapper) {
        for report in reports { add(report, mapper: mapper) }
    }

    public mutating func add(_ report: CoverageReport, mapper: PathMapper) {
        beginReport(file: report.file, format: report.format, sourceRoots: report.sourceRoots)
        for file in report.files { add(file, mapper: mapper) }
    }

    /// Starts a report: the files `add(_:mapper:)` is given next belong to it.
    public mutating func beginReport(file: String, format: CoverageFormat, sourceRoots: [String] = []) {
        current = (file, sourceRoots)
        mappingByPath.removeAll()
        reports.append((file, format, 0))
        mappedCount[file, default: 0] += 0
    }

    /// Sets the current report's source roots; paths mapped before are forgotten and mapped again.
    /// Parsers know their roots before their first file, so this is called before any `add`.
    public mutating func setSourceRoots(_ sourceRoots: [String]) {
        guard let report = current, report.sourceRoots != sourceRoots else { return }
        current = (report.file, sourceRoots)
        mappingByPath.removeAll()
    }

    /// Merges one file's lines (ascending, as parsers emit them) into the current report's evidence.
    /// The same path may come many times: it is mapped and counted once, its lines merged.
    public mutating func add(_ file: FileCoverage, mapper: PathMapper) {
        if current == nil { beginReport(file: "", format: .lcov) }
        let report = current!
        let target: RepoPath?
        if let known = mappingByPath[file.path] {
            target = known
        } else {
            reports[reports.count - 1].files += 1
            switch mapper.map(file.path, sourceRoots: report.sourceRoots) {
            case .mapped(let path):
                target = path
                mappedCount[report.file, default: 0] += 1
            case .unmapped:
                target = nil
                unmapped.append((report.file, file.path))
            case .untracked:
                target = nil
                untrackedCount += 1
                if untracked.count < 100 { untracked.append((report.file, file.path)) }
            case .ambiguous(let candidates):
                target = nil
                ambiguous.append((report.file, file.path, candidates))
            }
            mappingByPath[file.path] = .some(target)
        }
        guard let target else { return }
        let (measured, covered) = Self.lineSets(file.lines)
        var branches: [Int: BranchHits] = [:]
        // Most reports carry no branches: the first branch found starts the pass from there.
        if let first = file.lines.firstIndex(where: { $0.branches != nil }) {
            for entry in file.lines[first...] where entry.line > 0 {
                if let hits = entry.branches, hits.total > 0 { branches[entry.line] = hits.merged(with: branches[entry.line]) }
            }
        }
        if var entry = files[target] {
            files[target] = nil  // unique storage: the union below reuses no shared buffer
            entry.measured.formUnion(measured)
            entry.covered.formUnion(covered)
            for (line, hits) in branches { entry.branches[line] = hits.merged(with: entry.branches[line]) }
            files[target] = entry
        } else {
            files[target] = Lines(measured: measured, covered: covered, branches: branches)
        }
    }

    /// Measured and covered ranges of ascending entries (lines or runs of lines): a counting
    /// pass, then a pass that fills arrays of exactly that capacity (the evidence is kept to the
    /// end; no growth slack). A run is one range, whatever its length.
    static func lineSets(_ lines: [LineHits]) -> (measured: LineSet, covered: LineSet) {
        var measuredCount = 0, coveredCount = 0
        var lastMeasured = Int.min, lastCovered = Int.min
        for entry in lines where entry.lastLine > 0 {
            let first = Swift.max(entry.line, 1)
            if first <= lastMeasured {
                // Not as parsers emit (out of order or overlapping), but accepted: normalize first.
                return lineSets(LineRuns.normalize(lines, .sum))
            }
            if first > lastMeasured &+ 1 { measuredCount += 1 }
            lastMeasured = entry.lastLine
            if entry.hits > 0 {
                if first > lastCovered &+ 1 { coveredCount += 1 }
                lastCovered = entry.lastLine
            }
        }
        var measured: [ClosedRange<Int>] = []
        var covered: [ClosedRange<Int>] = []
        measured.reserveCapacity(measuredCount)
        covered.reserveCapacity(coveredCount)
        var measuredLow = 0, measuredHigh = -1
        var coveredLow = 0, coveredHigh = -1
        lines.withUnsafeBufferPointer { buffer in
            for entry in buffer where entry.lastLine > 0 {
                let first = Swift.max(entry.line, 1), last = entry.lastLine
                if first > measuredHigh + 1 {
                    if measuredHigh >= measuredLow { measured.append(measuredLow...measuredHigh) }
                    measuredLow = first
                }
                measuredHigh = last
                guard entry.hits > 0 else { continue }
                if first > coveredHigh + 1 {
                    if coveredHigh >= coveredLow { covered.append(coveredLow...coveredHigh) }
                    coveredLow = first
                }
                coveredHigh = last
            }
        }
        if measuredHigh >= measuredLow { measured.append(measuredLow...measuredHigh) }
        if coveredHigh >= coveredLow { covered.append(coveredLow...coveredHigh) }
        return (LineSet(normalizedRanges: measured), LineSet(normalizedRanges: covered))
    }

    /// Measured and covered lines over every mapped file.
    public var total: (measured: Int, covered: Int) {
        files.values.reduce((0, 0)) { ($0.0 + $1.measured.count, $0.1 + $1.covered.count) }
    }

    /// Branches over every file: how many, and how many taken.
    public var branchTotal: (total: Int, covered: Int) {
        var total = 0, covered = 0
        for lines in files.values {
            for hits in lines.branches.values {
                total += hits.total
                covered += hits.covered
            }
        }
        return (total, covered)
    }
}
