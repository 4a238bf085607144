import Foundation

/// LCOV tracefiles, as geninfo/lcov 1.x and 2.x, coverage.py, llvm-cov, jest and others write them.
///
/// Only `DA:<line>,<count>[,<checksum>]` records give line hits; `SF:` starts a file's record and
/// `end_of_record` ends it. Every other directive (`TN`, `VER`, `FN`, `FNDA`, `FNL`, `FNA`, `FNF`,
/// `FNH`, `BRDA`, `BRF`, `BRH`, `MCDC`, `MCF`, `MCH`, `LF`, `LH`, and any a later LCOV adds) is read
/// past without being looked at. Repeated `DA` lines for one line in one record are summed; each
/// record is emitted at its `end_of_record`, so several records for the same file (one per test
/// name) are emitted separately and the consumer sums or merges them. A negative count (a known gcov
/// bug with unsynchronised counters) reads as 0, not covered. A `DA` line 0 names no source
/// line and is skipped. A last record without `end_of_record` is kept.
///
/// The file is read in 1 MiB chunks and scanned as bytes: no `String` per line.
public enum LCOVParser: CoverageParser {
    public static let name = "lcov"
    public static let title = "LCOV"
    public static let listed = "LCOV"

    /// The first non-blank line starts with `TN:` or `SF:`.
    public static func detect(_ prefix: [UInt8]) -> Bool {
        var index = ReportBytes.startAfterByteOrderMark(prefix)
        while index < prefix.count, ReportBytes.isBlank(prefix[index]) { index += 1 }
        guard index + 3 <= prefix.count, prefix[index + 2] == UInt8(ascii: ":") else { return false }
        let (first, second) = (prefix[index], prefix[index + 1])
        return (first == UInt8(ascii: "T") && second == UInt8(ascii: "N"))
            || (first == UInt8(ascii: "S") && second == UInt8(ascii: "F"))
    }

    public static func parse(_ source: InputSource, emit: CoverageEmit) throws(GatehouseError) -> ReportInfo {
        let reader = TextReportReader(source: source)
        try reader.requireContent(what: "LCOV")
        var record = RecordState()
        var lineNumber = 0
        // Each region ends with an LF, so scans within one line need no bounds checks: the LF
        // stops them. The common `DA:<line>,<count>` LF is parsed inline; the rest by `other`.
        while let region = try reader.nextLines() {
            var p = region.baseAddress!
            let regionEnd = p + region.count
            while p < regionEnd {
                lineNumber += 1
                if p[0] == UInt8(ascii: "D"), p[1] == UInt8(ascii: "A"), p[2] == UInt8(ascii: ":"), record.path != nil {
                    var q = p + 3
                    var number = 0
                    var digits = 0
                    while case let digit = q.pointee &- 0x30, digit < 10, digits < 18 {
                        number = number &* 10 &+ Int(digit)
                        q += 1
                        digits += 1
                    }
                    if digits > 0, q.pointee == UInt8(ascii: ",") {
                        q += 1
                        var hits = 0
                        digits = 0
                        while case let digit = q.pointee &- 0x30, digit < 10, digits < 18 {
                            hits = hits &* 10 &+ Int(digit)
                            q += 1
                            digits += 1
                        }
                        if digits > 0, q.pointee == 0x0A {
                            if number > 0 { record.append(number, hits) }
                            p = q + 1
                            continue
                        }
                    }
                }
                let newline = UnsafePointer(memchr(p, 0x0A, regionEnd - p)!.assumingMemoryBound(to: UInt8.self))
                try other(p, newline, lineNumber, &record, reader, emit)
                p = newline + 1
            }
        }
        try record.finish(emit)
        return info
    }

    /// Any line but the plainest `DA` records: blanks, CR, checksums, other directives.
    private static func other(
        _ start: UnsafePointer<UInt8>, _ lineEnd: UnsafePointer<UInt8>, _ lineNumber: Int, _ record: inout RecordState,
        _ reader: TextReportReader, _ emit: CoverageEmit
    ) throws(GatehouseError) {
        var p = start
        var end = lineEnd
        if lineNumber == 1, end - p >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { p += 3 }
        // Leading and trailing blanks: no tool writes them, but an edited file may have them.
        while p < end, p.pointee == 0x20 || p.pointee == 0x09 { p += 1 }
        while end > p, end[-1] == 0x20 || end[-1] == 0x09 || end[-1] == 0x0D { end -= 1 }
        if p == end { return }
        let count = end - p
        if count >= 3, p[0] == UInt8(ascii: "D"), p[1] == UInt8(ascii: "A"), p[2] == UInt8(ascii: ":") {
            guard record.path != nil else {
                throw reader.error(
                    "a DA record comes before any SF record, so it names no file. "
                        + "Each file's records must follow its SF:<path> line; regenerate the report.",
                    line: lineNumber)
            }
            let (number, hits) = parseDA(p + 3, end)
            guard number >= 0 else {
                throw reader.error(
                    "malformed DA record: expected DA:<line>,<count>[,<checksum>] "
                        + "with a non-negative line number and a whole-number count. Regenerate the LCOV report.",
                    line: lineNumber)
            }
            if number > 0 { record.append(number, hits) }
        } else if count > 5, ReportBytes.equals(p, p + 5, "BRDA:"), record.path != nil {
            // BRDA:<line>,<block>,<branch>,<taken>: one exit of a branch; taken "-" when the line
            // never ran. A malformed one is skipped: line coverage does not depend on it.
            let fields = UnsafeBufferPointer(start: p + 5, count: count - 5).split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            if fields.count >= 4, let line = Int(String(decoding: fields[0], as: UTF8.self)), line > 0 {
                let taken = String(decoding: fields[fields.count - 1], as: UTF8.self)
                let hit = (Int(taken) ?? 0) > 0
                let before = record.branches[line] ?? BranchHits(covered: 0, total: 0)
                if before.total < 1_000_000 {
                    record.branches[line] = BranchHits(covered: before.covered + (hit ? 1 : 0), total: before.total + 1)
                }
            }
        } else if count >= 3, p[0] == UInt8(ascii: "S"), p[1] == UInt8(ascii: "F"), p[2] == UInt8(ascii: ":") {
            try record.finish(emit)  // a missing end_of_record: the new SF starts the next record all the same
            guard count > 3 else {
                throw reader.error("an SF record names no file. Regenerate the LCOV report.", line: lineNumber)
            }
            record.path = String(decoding: UnsafeBufferPointer(start: p + 3, count: count - 3), as: UTF8.self)
        } else if count == 13, ReportBytes.equals(p, end, "end_of_record") {
            try record.finish(emit)
        } else if !isDirective(p, end) {
            throw reader.error(
                "the line is not an LCOV record: expected <KEY>:<value> or end_of_record. "
                    + "Check that the file is an uncompressed LCOV tracefile.",
                line: lineNumber)
        }
    }

    private static let info = ReportInfo(format: .lcov)

    /// The record being read: one file's lines at a time, emitted at its end.
    private struct RecordState {
        var path: String?
        let lines = LineHitsBuffer()
        /// BRDA exits per line, joined to the line's DA record at the end.
        var branches: [Int: BranchHits] = [:]
        var isSorted = true
        var lastLine = 0

        @inline(__always)
        mutating func append(_ line: Int, _ hits: Int) {
            if line <= lastLine { isSorted = false }
            lastLine = line
            lines.append(line, hits)
        }

        mutating func finish(_ emit: CoverageEmit) throws(GatehouseError) {
            guard let path else { return }
            self.path = nil
            var array = lines.array()
            if !branches.isEmpty {
                for index in array.indices { array[index].branches = branches[array[index].line] }
                branches.removeAll()
            }
            let file = isSorted ? FileCoverage(path: path, lines: array) : FileCoverage.normalized(path: path, array)
            lines.removeAll()
            isSorted = true
            lastLine = 0
            try emit(file, LCOVParser.info)
        }
    }

    /// `<line>,<count>[,<checksum>]` after `DA:`; a line of -1 when malformed.
    @inline(__always)
    private static func parseDA(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> (Int, Int) {
        var p = start
        var number = 0
        while p < end {
            let digit = p.pointee &- 0x30
            if digit >= 10 { break }
            if number > ReportBytes.maxDigitsValue { return (-1, 0) }  // a line number that large is garbage
            number = number &* 10 &+ Int(digit)
            p += 1
        }
        guard p > start, p < end, p.pointee == UInt8(ascii: ",") else { return (-1, 0) }
        p += 1
        var negative = false
        if p < end, p.pointee == UInt8(ascii: "-") {
            negative = true
            p += 1
        }
        let countStart = p
        var hits = 0
        while p < end {
            let digit = p.pointee &- 0x30
            if digit >= 10 { break }
            hits = hits > ReportBytes.maxDigitsValue ? ReportBytes.saturatedCount : hits &* 10 &+ Int(digit)
            p += 1
        }
        // After the count: the end, or a comma and the checksum, which is not checked.
        guard p > countStart, p == end || p.pointee == UInt8(ascii: ",") else { return (-1, 0) }
        return (number, negative ? 0 : Swift.min(hits, ReportBytes.saturatedCount))
    }

    /// `#` comments and `<KEY>:<anything>` with a key of letters, digits and `_`.
    private static func isDirective(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Bool {
        if start.pointee == UInt8(ascii: "#") { return true }
        var p = start
        while p < end {
            let byte = p.pointee
            if byte == UInt8(ascii: ":") { return p > start }
            let isKey = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
            if !isKey { return false }
            p += 1
        }
        return false
    }
}

// MARK: - LCOV's hot path

/// A growable list of line hits without the checks of `Array.append`: the LCOV hot path.
final class LineHitsBuffer {
    private var base: UnsafeMutablePointer<LineHits>
    private var capacity = 1024
    private(set) var count = 0

    init() {
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inline(__always)
    func append(_ line: Int, _ hits: Int) {
        if count == capacity { grow() }
        (base + count).initialize(to: LineHits(line: line, hits: hits))
        count += 1
    }

    private func grow() {
        let grown = UnsafeMutablePointer<LineHits>.allocate(capacity: capacity * 2)
        grown.moveInitialize(from: base, count: count)
        base.deallocate()
        base = grown
        capacity *= 2
    }

    func array() -> [LineHits] { Array(UnsafeBufferPointer(start: base, count: count)) }

    func removeAll() {
        base.deinitialize(count: count)
        count = 0
    }
}

extension CoverageFormat {
    public static let lcov = CoverageFormat(name: "lcov")
}
