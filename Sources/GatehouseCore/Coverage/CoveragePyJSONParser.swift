import Foundation

/// coverage.py's JSON report (`coverage json`), formats 2 and 3.
///
/// `{"meta": {"format": 3, "version", "branch_coverage", ...}, "files": {"<path>": {"executed_lines",
/// "missing_lines", "excluded_lines", "executed_branches", "missing_branches", "summary",
/// "functions", "classes", ...}}, "totals": {...}}`. The paths are as coverage.py names them,
/// relative to the folder it ran in (or absolute for files outside it), so they are matched to
/// the repository as Cobertura paths are without `<sources>`. The document is scanned as bytes
/// with the shared `JSONScanner`, one file object at a time: each file is emitted as soon as it
/// is read. Only the four lists of lines and arcs are read; `summary`, `functions`, `classes`,
/// `contexts`, `totals` and members a later version adds are skipped without being built.
///
/// coverage.py records whether a line ran, not how often: an executed line counts 1, a missing
/// one 0, and excluded lines are not measured. With `--branch`, a line's branches are its arcs
/// in `executed_branches` and `missing_branches` (`[from, to]`, `to` negative for an exit from
/// the code object): as many exits as arcs leave the line, covered as many as ran, which is
/// what coverage.py's own Cobertura `condition-coverage` and `coverage report` count.
public enum CoveragePyJSONParser: CoverageParser {
    public static let name = "coverage-py-json"
    public static let title = "coverage.py JSON"
    public static let listed = "coverage.py JSON reports"
    static let wording = JSONScanner.Wording(
        writer: "coverage.py JSON report", document: "coverage.py JSON", advice: "Write the report again with coverage json")

    /// A `{` whose first member is `"meta": {`, and coverage.py's `branch_coverage` flag in the
    /// prefix (coverage.py writes `meta` first, and the flag in it, in every format).
    public static func detect(_ prefix: [UInt8]) -> Bool {
        var index = ReportBytes.startAfterByteOrderMark(prefix)
        func skipBlank() { while index < prefix.count, ReportBytes.isBlank(prefix[index]) { index += 1 } }
        func take(_ literal: String) -> Bool {
            let bytes = Array(literal.utf8)
            guard prefix.count - index >= bytes.count, prefix[index..<(index + bytes.count)].elementsEqual(bytes) else { return false }
            index += bytes.count
            return true
        }
        skipBlank()
        guard take("{") else { return false }
        skipBlank()
        guard take("\"meta\"") else { return false }
        skipBlank()
        guard take(":") else { return false }
        skipBlank()
        guard take("{") else { return false }
        let flag = Array("\"branch_coverage\"".utf8)
        // A prefix that ends within the flag's length of the `{` cannot hold it (and would make
        // an empty range run backwards).
        guard prefix.count - index >= flag.count else { return false }
        return (index...(prefix.count - flag.count)).contains { prefix[$0..<($0 + flag.count)].elementsEqual(flag) }
    }

    public static func parse(_ source: InputSource, emit: CoverageEmit) throws(GatehouseError) -> ReportInfo {
        let reader = TextReportReader(source: source)
        try reader.requireContent(what: "coverage.py JSON")
        var scanner = JSONScanner(reader: reader, wording: wording)
        try scanner.skipByteOrderMark()
        try parseRoot(&scanner, emit)
        return info
    }

    private static let info = ReportInfo(format: .coveragePyJSON)
    private static let metaKey = Array("meta".utf8)
    private static let formatKey = Array("format".utf8)
    private static let filesKey = Array("files".utf8)
    /// The members of a file object that are read; every other one is skipped.
    private enum Member: CaseIterable {
        case executedLines, missingLines, executedBranches, missingBranches

        var key: String {
            switch self {
            case .executedLines: "executed_lines"
            case .missingLines: "missing_lines"
            case .executedBranches: "executed_branches"
            case .missingBranches: "missing_branches"
            }
        }
    }

    private static let members: [([UInt8], Member)] = Member.allCases.map { (Array($0.key.utf8), $0) }

    private static func parseRoot(_ scanner: inout JSONScanner, _ emit: CoverageEmit) throws(GatehouseError) {
        var key: [UInt8] = []
        var sawFiles = false
        var more = try scanner.openObject(what: "the document")
        while more {
            try scanner.readKey(into: &key)
            if key == metaKey {
                try parseMeta(&scanner)
            } else if key == filesKey {
                guard !sawFiles else {
                    throw scanner.error("the document has \"files\" twice. Write the report again with coverage json")
                }
                sawFiles = true
                var file = FileState()
                var path: [UInt8] = []
                var moreFiles = try scanner.openObject(what: "\"files\"")
                while moreFiles {
                    let pathLine = scanner.line, pathColumn = scanner.column
                    try scanner.readKey(into: &path)
                    guard !path.isEmpty else {
                        throw scanner.reader.error(
                            "a member of \"files\" has an empty path. Write the report again with coverage json", line: pathLine, column: pathColumn)
                    }
                    try parseFile(&scanner, &file)
                    // Each file object is emitted as soon as it is read.
                    try emit(file.coverage(path: String(decoding: path, as: UTF8.self)), info)
                    moreFiles = try scanner.nextMember()
                }
            } else {
                try scanner.skipValue()
            }
            more = try scanner.nextMember()
        }
        try scanner.expectEnd()
        guard sawFiles else {
            throw scanner.error("the coverage.py JSON report has no \"files\" object. Write it again with coverage json")
        }
    }

    /// `meta`: only `format` is read, and must be one Gatehouse knows (2 or 3) when present
    /// (coverage.py before 5.x wrote none, with the same file members).
    private static func parseMeta(_ scanner: inout JSONScanner) throws(GatehouseError) {
        var key: [UInt8] = []
        var more = try scanner.openObject(what: "\"meta\"")
        while more {
            try scanner.readKey(into: &key)
            if key == formatKey {
                let line = scanner.line, column = scanner.column
                let format = try scanner.readInteger(what: "\"meta\".\"format\"")
                guard format == 2 || format == 3 else {
                    throw scanner.reader.error(
                        "\"meta\".\"format\" is \(format), a coverage.py JSON format Gatehouse does not read (it reads 2 and 3). "
                            + "Write the report with coverage.py 7, or tell the Gatehouse maintainers which coverage.py wrote it",
                        line: line, column: column)
                }
            } else {
                try scanner.skipValue()
            }
            more = try scanner.nextMember()
        }
    }

    /// The most lines and arcs one file may list: a line is listed once (executed or missing) and
    /// has a few arcs, and no source file has more than `ReportBytes.maxRangeLine` lines. Without
    /// it a list repeating `1,` would hold 32 bytes of memory for every 2 bytes of report.
    static let maxEntriesPerFile = ReportBytes.maxRangeLine

    /// One file's lines and arcs, reused from file to file to keep its storage.
    private struct FileState {
        var lines: [LineHits] = []
        /// Per line with arcs: (arcs that ran, arcs).
        var branches: [Int: (covered: Int, total: Int)] = [:]
        /// Lines and arcs read for this file, against `maxEntriesPerFile`.
        var entries = 0

        mutating func reset() {
            lines.removeAll(keepingCapacity: true)
            branches.removeAll(keepingCapacity: true)
            entries = 0
        }

        mutating func count(_ scanner: JSONScanner) throws(GatehouseError) {
            entries += 1
            guard entries <= CoveragePyJSONParser.maxEntriesPerFile else {
                throw scanner.error(
                    "a file lists more than \(CoveragePyJSONParser.maxEntriesPerFile) lines and arcs, more than any source file has. "
                        + "The report is corrupt; write it again with coverage json")
            }
        }

        /// The lines ascending and unique, each line with arcs carrying them. Arcs from a line
        /// that is not measured (coverage.py never writes one) are dropped.
        func coverage(path: String) -> FileCoverage {
            var file = FileCoverage.normalized(path: path, lines)
            if !branches.isEmpty {
                for index in file.lines.indices {
                    if let arcs = branches[file.lines[index].line] {
                        file.lines[index].branches = BranchHits(covered: arcs.covered, total: arcs.total)
                    }
                }
            }
            return file
        }
    }

    private static func parseFile(_ scanner: inout JSONScanner, _ file: inout FileState) throws(GatehouseError) {
        file.reset()
        var key: [UInt8] = []
        var seen: Set<String> = []
        var more = try scanner.openObject(what: "a member of \"files\"")
        while more {
            let keyLine = scanner.line, keyColumn = scanner.column
            try scanner.readKey(into: &key)
            if let member = members.first(where: { $0.0 == key })?.1 {
                // A second list would be read as more of the first: refused, as llvm-cov's
                // "segments" twice is.
                guard seen.insert(member.key).inserted else {
                    throw scanner.reader.error(
                        "a file has \"\(member.key)\" twice. Write the report again with coverage json", line: keyLine, column: keyColumn)
                }
                switch member {
                case .executedLines: try parseLines(&scanner, member.key, hits: 1, into: &file)
                case .missingLines: try parseLines(&scanner, member.key, hits: 0, into: &file)
                case .executedBranches: try parseArcs(&scanner, member.key, taken: true, into: &file)
                case .missingBranches: try parseArcs(&scanner, member.key, taken: false, into: &file)
                }
            } else {
                try scanner.skipValue()
            }
            more = try scanner.nextMember()
        }
    }

    /// A source line: a whole number from 1 to `ReportBytes.maxRangeLine`.
    private static func readLine(_ scanner: inout JSONScanner, _ what: String) throws(GatehouseError) -> Int {
        let line = scanner.line, column = scanner.column
        let value = try scanner.readInteger(what: what)
        guard value >= 1, value <= ReportBytes.maxRangeLine else {
            throw scanner.reader.error(
                "\(what) \(value) is out of range (1...\(ReportBytes.maxRangeLine)). Write the report again with coverage json",
                line: line, column: column)
        }
        return value
    }

    private static func parseLines(_ scanner: inout JSONScanner, _ key: String, hits: Int, into file: inout FileState) throws(GatehouseError) {
        var more = try scanner.openArray(what: "\"\(key)\"")
        while more {
            try file.count(scanner)
            file.lines.append(LineHits(line: try readLine(&scanner, "a line of \"\(key)\""), hits: hits))
            more = try scanner.nextElement()
        }
    }

    /// `[[from, to], ...]`: each arc counts as an exit of `from`, taken or not.
    private static func parseArcs(
        _ scanner: inout JSONScanner, _ key: String, taken: Bool, into file: inout FileState
    ) throws(GatehouseError) {
        var more = try scanner.openArray(what: "\"\(key)\"")
        while more {
            try file.count(scanner)
            let arcLine = scanner.line, arcColumn = scanner.column
            var fields = try scanner.openArray(what: "an arc of \"\(key)\"")
            var count = 0
            var from = 0
            while fields {
                if count == 0 {
                    from = try readLine(&scanner, "an arc's line")
                } else {
                    // The destination: a line, or minus the first line of the code object the arc leaves.
                    _ = try scanner.readInteger(what: "an arc's destination")
                }
                count += 1
                guard count <= 2 else {
                    throw scanner.reader.error(
                        "an arc of \"\(key)\" has more than 2 numbers; expected [from, to]. Write the report again with coverage json",
                        line: arcLine, column: arcColumn)
                }
                fields = try scanner.nextElement()
            }
            guard count == 2 else {
                throw scanner.reader.error(
                    "an arc of \"\(key)\" has \(count) numbers; expected [from, to]. Write the report again with coverage json",
                    line: arcLine, column: arcColumn)
            }
            var arcs = file.branches[from] ?? (0, 0)
            arcs.total += 1
            if taken { arcs.covered += 1 }
            file.branches[from] = arcs
            more = try scanner.nextElement()
        }
    }
}

extension CoverageFormat {
    public static let coveragePyJSON = CoverageFormat(name: "coverage-py-json")
}
