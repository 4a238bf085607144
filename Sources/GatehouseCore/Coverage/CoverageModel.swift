/// A coverage report format Gatehouse reads, by the name users write and JSON output prints
/// (`lcov`, `llvm-cov-json`). The formats are those `CoverageFormats.all` lists; each parser's
/// file declares its constant (`CoverageFormat.lcov`).
public struct CoverageFormat: RawRepresentable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    public let rawValue: String

    /// The format of that name, or nil when Gatehouse reads none by it.
    public init?(rawValue: String) {
        guard CoverageFormats.all.contains(where: { $0.name == rawValue }) else { return nil }
        self.rawValue = rawValue
    }

    init(name: String) {
        rawValue = name
    }

    public static var allCases: [CoverageFormat] { CoverageFormats.all.map { $0.format } }

    /// The formats as people name them, in the registry's order ("LCOV, …").
    public static var titles: [String] { CoverageFormats.all.map { $0.title } }

    public var description: String { rawValue }
}

/// Hit counts per line for one source file, as one report names it.
public struct FileCoverage: Sendable, Hashable {
    /// The file as the report names it: absolute, relative to a source root, or a package path.
    public var path: String
    /// Executable lines the report measures, ascending and not overlapping, with their hit counts
    /// (0 = not covered). A line appears once: repeated records for one line are summed. An entry
    /// may stand for a run of lines (`LineHits.lastLine`) where the report states a range.
    public var lines: [LineHits]

    public init(path: String, lines: [LineHits]) {
        self.path = path
        self.lines = lines
    }
}

/// The hits of one line, or of a run of consecutive lines that share them.
///
/// Formats that state ranges (a Go block's `startLine...endLine`, the lines llvm-cov's segments
/// span) keep them as one entry: a report's cost follows its bytes, never a number written in
/// it. A 310-byte Go profile of blocks `1.1,10000000.2` once expanded to 3.8 GB.
public struct LineHits: Sendable, Hashable {
    /// The run's first line.
    public var line: Int
    /// The run's last line: `line` itself for one line.
    public var lastLine: Int
    public var hits: Int
    /// The branches leaving this line, when the report has them (Cobertura conditions, LCOV
    /// `BRDA`): how many there are and how many were taken. Only on an entry of one line.
    public var branches: BranchHits?

    public init(line: Int, hits: Int, branches: BranchHits? = nil) {
        self.line = line
        self.lastLine = line
        self.hits = hits
        self.branches = branches
    }

    /// A run of lines that share one count. An empty range (`last < first`) is one line.
    public init(lines first: Int, through last: Int, hits: Int) {
        self.line = first
        self.lastLine = Swift.max(first, last)
        self.hits = hits
        self.branches = nil
    }

    public var isRun: Bool { lastLine != line }
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
public protocol CoverageParser: ReportFormat {
    /// Parses the whole report from `source` (from its first byte, whatever detection peeked at),
    /// handing each file to `emit`. The source's `displayPath` is the name used in messages.
    static func parse(_ source: InputSource, emit: CoverageEmit) throws(GatehouseError) -> ReportInfo
}

extension CoverageParser {
    public static var format: CoverageFormat { CoverageFormat(name: name) }

    /// Opens the report at `path` and parses it.
    public static func parse(path: String, displayPath: String, emit: CoverageEmit) throws(GatehouseError) -> ReportInfo {
        try parse(InputSource(path: path, displayPath: displayPath, what: "coverage report", origin: "coverage.reports, or --coverage"), emit: emit)
    }

    /// Collects the whole report, repeated paths merged (hits summed) where first seen.
    /// Holds every line of the report: for tests and small reports; `CoverageReader.read(path:displayPath:into:mapper:)`
    /// streams instead.
    public static func parse(path: String, displayPath: String) throws(GatehouseError) -> CoverageReport {
        try parse(InputSource(path: path, displayPath: displayPath, what: "coverage report", origin: "coverage.reports, or --coverage"))
    }

    /// `parse(path:displayPath:)` for a source already open.
    public static func parse(_ source: InputSource) throws(GatehouseError) -> CoverageReport {
        var builder = ReportFilesBuilder(merge: .sum)
        let info = try parse(source) { file, _ throws(GatehouseError) in
            builder.add(path: file.path, lines: file.lines, isSortedAndUnique: true)
        }
        return CoverageReport(file: source.displayPath, format: info.format, sourceRoots: info.sourceRoots, files: builder.files)
    }
}

extension FileCoverage {
    /// Sorts by line and sums repeated lines: what every parser emits.
    public static func normalized(path: String, _ raw: [LineHits]) -> FileCoverage {
        FileCoverage(path: path, lines: LineRuns.normalize(raw, .sum))
    }
}

/// Line entries made ascending and disjoint, where several records (or overlapping runs) name
/// one line: their counts combine, summed or the highest.
///
/// Entries of one line each (LCOV, the XML formats) are sorted and merged line by line. Runs
/// (Go blocks, which nest and overlap freely) are swept: the lines between two consecutive run
/// boundaries share one combined count, so the cost is O(n log n) in the number of entries,
/// whatever lines they span.
enum LineRuns {
    enum Merge {
        /// Counts of one line add up (LCOV, Go count/atomic, llvm-cov).
        case sum
        /// The highest count wins (Go set mode).
        case max
    }

    static func combine(_ a: Int, _ b: Int, _ merge: Merge) -> Int {
        switch merge {
        case .sum: Swift.min(a &+ b, Int.max / 2)
        case .max: Swift.max(a, b)
        }
    }

    static func normalize(_ entries: [LineHits], _ merge: Merge) -> [LineHits] {
        if entries.contains(where: \.isRun) { return sweep(entries, merge) }
        var sorted = entries
        sorted.sort { $0.line < $1.line }
        var out: [LineHits] = []
        out.reserveCapacity(sorted.count)
        for entry in sorted {
            if let last = out.last, last.line == entry.line {
                out[out.count - 1].hits = combine(last.hits, entry.hits, merge)
                if let branches = entry.branches { out[out.count - 1].branches = branches.merged(with: last.branches) }
            } else {
                out.append(entry)
            }
        }
        return out
    }

    /// Two ascending, disjoint lists as one.
    static func merge(_ a: [LineHits], _ b: [LineHits], _ merge: Merge) -> [LineHits] {
        if b.isEmpty { return a }
        if a.isEmpty { return b }
        if a.contains(where: \.isRun) || b.contains(where: \.isRun) { return sweep(a + b, merge) }
        var out: [LineHits] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if a[i].line < b[j].line {
                out.append(a[i]); i += 1
            } else if a[i].line > b[j].line {
                out.append(b[j]); j += 1
            } else {
                let branches = a[i].branches.map { $0.merged(with: b[j].branches) } ?? b[j].branches
                out.append(LineHits(line: a[i].line, hits: combine(a[i].hits, b[j].hits, merge), branches: branches))
                i += 1; j += 1
            }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    /// Runs that may overlap, as disjoint runs: each stretch between two consecutive boundaries
    /// (a run's first line, or the line after a run's last) takes the combined count of the runs
    /// over it; lines no run covers are left out. A line's branches split it into a run of its own.
    private static func sweep(_ entries: [LineHits], _ merge: Merge) -> [LineHits] {
        var out: [LineHits] = []
        switch merge {
        case .sum: sweepSum(entries, into: &out)
        case .max: sweepMax(entries, into: &out)
        }
        var branches: [Int: BranchHits] = [:]
        for entry in entries {
            if let hits = entry.branches { branches[entry.line] = hits.merged(with: branches[entry.line]) }
        }
        return branches.isEmpty ? out : split(out, at: branches)
    }

    /// Appends `line...last` with `hits`, joined to the previous run when it continues it with the
    /// same count.
    private static func append(_ line: Int, _ last: Int, _ hits: Int, to out: inout [LineHits]) {
        if let previous = out.last, previous.lastLine + 1 == line, previous.hits == hits, previous.branches == nil {
            out[out.count - 1].lastLine = last
        } else {
            out.append(LineHits(lines: line, through: last, hits: hits))
        }
    }

    private static func sweepSum(_ entries: [LineHits], into out: inout [LineHits]) {
        // (position, change in covering runs, count): a run adds its count at its first line
        // and takes it away after its last.
        var events: [(at: Int, runs: Int, hits: Int)] = []
        events.reserveCapacity(entries.count * 2)
        for entry in entries {
            events.append((entry.line, 1, entry.hits))
            events.append((entry.lastLine + 1, -1, entry.hits))
        }
        events.sort { $0.at < $1.at }
        var covering = 0
        var total = WideSum()
        var index = 0
        while index < events.count {
            let at = events[index].at
            while index < events.count, events[index].at == at {
                covering += events[index].runs
                if events[index].runs > 0 { total.add(events[index].hits) } else { total.subtract(events[index].hits) }
                index += 1
            }
            guard covering > 0, index < events.count else { continue }
            append(at, events[index].at - 1, total.clamped, to: &out)
        }
    }

    private static func sweepMax(_ entries: [LineHits], into out: inout [LineHits]) {
        let runs = entries.sorted { $0.line < $1.line }
        // The runs covering `position`, highest count on top; a run is dropped once the top.
        var heap = MaxHeap()
        var next = 0
        var position = Int.min
        while next < runs.count || !heap.isEmpty {
            if heap.isEmpty { position = Swift.max(position, runs[next].line) }
            while next < runs.count, runs[next].line <= position {
                heap.push(hits: runs[next].hits, last: runs[next].lastLine)
                next += 1
            }
            while let top = heap.top, top.last < position { heap.pop() }
            guard let top = heap.top else { continue }
            // The highest count holds until its run ends or another run starts.
            let end = next < runs.count ? Swift.min(top.last, runs[next].line - 1) : top.last
            append(position, end, top.hits, to: &out)
            position = end + 1
        }
    }

    /// `runs` with each line of `branches` as an entry of its own, carrying them.
    private static func split(_ runs: [LineHits], at branches: [Int: BranchHits]) -> [LineHits] {
        let lines = branches.keys.sorted()
        var out: [LineHits] = []
        out.reserveCapacity(runs.count + 2 * lines.count)
        var k = 0
        for run in runs {
            while k < lines.count, lines[k] < run.line { k += 1 }
            var from = run.line
            while k < lines.count, lines[k] <= run.lastLine {
                let line = lines[k]
                if line > from { out.append(LineHits(lines: from, through: line - 1, hits: run.hits)) }
                out.append(LineHits(line: line, hits: run.hits, branches: branches[line]))
                from = line + 1
                k += 1
            }
            if from <= run.lastLine { out.append(LineHits(lines: from, through: run.lastLine, hits: run.hits)) }
        }
        return out
    }

    /// A sum of non-negative counts that cannot overflow while counts are added and taken away:
    /// 128 bits, read saturated at `Int.max / 2` as every parser caps counts.
    private struct WideSum {
        var high = 0
        var low: UInt = 0

        mutating func add(_ value: Int) {
            let (sum, overflow) = low.addingReportingOverflow(UInt(Swift.max(value, 0)))
            low = sum
            if overflow { high += 1 }
        }

        mutating func subtract(_ value: Int) {
            let (difference, overflow) = low.subtractingReportingOverflow(UInt(Swift.max(value, 0)))
            low = difference
            if overflow { high -= 1 }
        }

        var clamped: Int { high > 0 || low > UInt(Int.max / 2) ? Int.max / 2 : Int(low) }
    }

    /// A binary max-heap of (count, last line) by count.
    private struct MaxHeap {
        private var items: [(hits: Int, last: Int)] = []

        var isEmpty: Bool { items.isEmpty }
        var top: (hits: Int, last: Int)? { items.first }

        mutating func push(hits: Int, last: Int) {
            items.append((hits, last))
            var child = items.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard items[parent].hits < items[child].hits else { break }
                items.swapAt(parent, child)
                child = parent
            }
        }

        mutating func pop() {
            guard !items.isEmpty else { return }
            items.swapAt(0, items.count - 1)
            items.removeLast()
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var largest = parent
                if left < items.count, items[left].hits > items[largest].hits { largest = left }
                if right < items.count, items[right].hits > items[largest].hits { largest = right }
                guard largest != parent else { return }
                items.swapAt(parent, largest)
                parent = largest
            }
        }
    }
}

/// Collects per-file line hits in report order, merging files that several records name.
struct ReportFilesBuilder {
    let merge: LineRuns.Merge
    private(set) var files: [FileCoverage] = []
    private var indexByPath: [String: Int] = [:]

    init(merge: LineRuns.Merge) {
        self.merge = merge
    }

    /// Adds one record's lines; `isSortedAndUnique` saves the sort when the record is in line order.
    mutating func add(path: String, lines: [LineHits], isSortedAndUnique: Bool) {
        let normalized = isSortedAndUnique ? lines : LineRuns.normalize(lines, merge)
        if let index = indexByPath[path] {
            files[index].lines = LineRuns.merge(files[index].lines, normalized, merge)
        } else {
            indexByPath[path] = files.count
            files.append(FileCoverage(path: path, lines: normalized))
        }
    }
}
