import Foundation

/// `llvm-cov export` JSON, what `swift test --enable-code-coverage` writes (and Rust's and
/// clang's source-based coverage, exported).
///
/// `{"type": "llvm.coverage.json.export", "version", "data": [{"files": [{"filename", "segments",
/// ...}], "functions", "totals"}]}`. The document is scanned as bytes, in 1 MiB chunks: only each
/// file's `filename` and `segments` are materialized; everything else (`branches`,
/// `mcdc_records`, `expansions`, `summary`, `functions`, `totals`, and members a later version
/// adds) is skipped without being built. `type` is checked wherever it comes (llvm-cov writes
/// the keys in order, so after `data`).
///
/// Per-line counts come from the segments exactly as llvm-cov's own `LineCoverageStats` derives
/// them (llvm/lib/ProfileData/Coverage/CoverageMapping.cpp, LLVM 19 and later, which includes
/// the LLVM 21 of Swift 6.3), so they match `llvm-cov show` and `llvm-cov export -format=lcov`:
/// see `lineHits(_:into:)`.
public enum LLVMCovJSONParser: CoverageParser {
    public static let name = "llvm-cov-json"
    public static let title = "llvm-cov JSON"
    public static let listed = "llvm-cov export JSON"
    static let exportType = Array("llvm.coverage.json.export".utf8)
    static let wording = JSONScanner.Wording(
        writer: "llvm-cov export", document: "llvm-cov export JSON", advice: "Write the export again with llvm-cov export")

    /// A `{` first, and either the export type in the prefix or, as llvm-cov writes `type` after
    /// `data`, `"data": [` and `"files": [` in it.
    public static func detect(_ prefix: [UInt8]) -> Bool {
        var index = ReportBytes.startAfterByteOrderMark(prefix)
        while index < prefix.count, ReportBytes.isBlank(prefix[index]) { index += 1 }
        guard index < prefix.count, prefix[index] == UInt8(ascii: "{") else { return false }
        let body = prefix[index...]
        if contains(body, exportType) { return true }
        return containsArrayMember(body, Array("\"data\"".utf8)) && containsArrayMember(body, Array("\"files\"".utf8))
    }

    public static func parse(_ source: InputSource, emit: CoverageEmit) throws(GatehouseError) -> ReportInfo {
        let reader = TextReportReader(source: source)
        try reader.requireContent(what: "llvm-cov JSON")
        var scanner = JSONScanner(reader: reader, wording: wording)
        try scanner.skipByteOrderMark()
        try parseRoot(&scanner, emit)
        return info
    }

    // MARK: Walking the document

    private static let typeKey = Array("type".utf8)
    private static let dataKey = Array("data".utf8)
    private static let filesKey = Array("files".utf8)
    private static let filenameKey = Array("filename".utf8)
    private static let segmentsKey = Array("segments".utf8)

    private static let info = ReportInfo(format: .llvmCovJSON)

    private static func parseRoot(_ scanner: inout JSONScanner, _ emit: CoverageEmit) throws(GatehouseError) {
        var key: [UInt8] = []
        var sawType = false, sawData = false
        var more = try scanner.openObject(what: "the document")
        while more {
            try scanner.readKey(into: &key)
            if key == typeKey {
                var value: [UInt8] = []
                try scanner.readString(into: &value, what: "\"type\"")
                guard value == exportType else {
                    throw scanner.error(
                        "\"type\" is \"\(InputText.token(bytes: value))\", not \"llvm.coverage.json.export\": "
                            + "this is not an llvm-cov export. Write it with llvm-cov export (or swift test --enable-code-coverage)")
                }
                sawType = true
            } else if key == dataKey {
                sawData = true
                var moreData = try scanner.openArray(what: "\"data\"")
                while moreData {
                    try parseExport(&scanner, emit)
                    moreData = try scanner.nextElement()
                }
            } else {
                try scanner.skipValue()
            }
            more = try scanner.nextMember()
        }
        try scanner.expectEnd()
        guard sawType else {
            throw scanner.error(
                "the document has no \"type\": \"llvm.coverage.json.export\", so it is not an llvm-cov export. "
                    + "Write it with llvm-cov export (or swift test --enable-code-coverage)")
        }
        guard sawData else {
            throw scanner.error("the llvm-cov export has no \"data\" array. Write it again with llvm-cov export")
        }
    }

    /// One element of `data`: an object whose `files` are read.
    private static func parseExport(_ scanner: inout JSONScanner, _ emit: CoverageEmit) throws(GatehouseError) {
        var key: [UInt8] = []
        var more = try scanner.openObject(what: "an element of \"data\"")
        while more {
            try scanner.readKey(into: &key)
            if key == filesKey {
                var segments: [Segment] = []
                var lines: [LineHits] = []
                var moreFiles = try scanner.openArray(what: "\"files\"")
                while moreFiles {
                    try parseFile(&scanner, emit, &segments, &lines)
                    moreFiles = try scanner.nextElement()
                }
            } else {
                try scanner.skipValue()
            }
            more = try scanner.nextMember()
        }
    }

    private static func parseFile(
        _ scanner: inout JSONScanner, _ emit: CoverageEmit, _ segments: inout [Segment], _ lines: inout [LineHits]
    ) throws(GatehouseError) {
        var key: [UInt8] = []
        var filename: [UInt8]?
        var sawSegments = false
        segments.removeAll(keepingCapacity: true)
        let objectLine = scanner.line, objectColumn = scanner.column
        var more = try scanner.openObject(what: "an element of \"files\"")
        while more {
            try scanner.readKey(into: &key)
            if key == filenameKey {
                var name: [UInt8] = []
                try scanner.readString(into: &name, what: "\"filename\"")
                filename = name
            } else if key == segmentsKey {
                // A second list would be appended to the first, out of line order (found by fuzzing).
                guard !sawSegments else {
                    throw scanner.reader.error(
                        "an element of \"files\" has \"segments\" twice. Write the export again with llvm-cov export",
                        line: scanner.line, column: scanner.column)
                }
                sawSegments = true
                try parseSegments(&scanner, &segments)
            } else {
                try scanner.skipValue()
            }
            more = try scanner.nextMember()
        }
        guard let filename, !filename.isEmpty else {
            throw scanner.reader.error(
                "an element of \"files\" has no \"filename\". Write the export again with llvm-cov export",
                line: objectLine, column: objectColumn)
        }
        lines.removeAll(keepingCapacity: true)
        lineHits(segments, into: &lines)
        // Each file object is emitted as soon as it is read; its lines are ascending and unique.
        try emit(FileCoverage(path: String(decoding: filename, as: UTF8.self), lines: lines), info)
    }

    /// `[[line, column, count, hasCount, isRegionEntry, isGapRegion], ...]`, in line order. Exports
    /// older than LLVM 7 have no isGapRegion; a later version's extra fields are skipped.
    private static func parseSegments(_ scanner: inout JSONScanner, _ segments: inout [Segment]) throws(GatehouseError) {
        var more = try scanner.openArray(what: "\"segments\"")
        var previousLine = 0
        while more {
            let segmentLine = scanner.line, segmentColumn = scanner.column
            var fields = try scanner.openArray(what: "a segment")
            var segment = Segment(line: 0, count: 0, hasCount: false, isRegionEntry: false, isGapRegion: false)
            var index = 0
            while fields {
                switch index {
                case 0: segment.line = try scanner.readInteger(what: "a segment's line")
                case 1: _ = try scanner.readInteger(what: "a segment's column")
                case 2: segment.count = Swift.max(0, try scanner.readInteger(what: "a segment's count"))
                case 3: segment.hasCount = try scanner.readFlag(what: "a segment's hasCount")
                case 4: segment.isRegionEntry = try scanner.readFlag(what: "a segment's isRegionEntry")
                case 5: segment.isGapRegion = try scanner.readFlag(what: "a segment's isGapRegion")
                default: try scanner.skipValue()
                }
                index += 1
                fields = try scanner.nextElement()
            }
            guard index >= 5 else {
                throw scanner.reader.error(
                    "a segment has \(index) fields; expected [line, column, count, hasCount, isRegionEntry, isGapRegion]. "
                        + "Write the export again with llvm-cov export",
                    line: segmentLine, column: segmentColumn)
            }
            guard segment.line >= 1, segment.line <= ReportBytes.maxRangeLine else {
                throw scanner.reader.error(
                    "a segment's line \(segment.line) is out of range (1...\(ReportBytes.maxRangeLine)). Write the export again with llvm-cov export",
                    line: segmentLine, column: segmentColumn)
            }
            guard segment.line >= previousLine else {
                throw scanner.reader.error(
                    "segments are out of order: line \(segment.line) follows line \(previousLine). llvm-cov writes them in source order; "
                        + "write the export again with llvm-cov export",
                    line: segmentLine, column: segmentColumn)
            }
            previousLine = segment.line
            segments.append(segment)
            more = try scanner.nextElement()
        }
    }

    // MARK: Line counts from segments

    struct Segment {
        var line: Int
        var count: Int
        var hasCount: Bool
        var isRegionEntry: Bool
        var isGapRegion: Bool
    }

    /// Per-line counts as llvm-cov's `LineCoverageIterator` and `LineCoverageStats` compute them.
    ///
    /// Lines are walked in order from the first segment's line to the last's. The *wrapped*
    /// segment is the last segment of the nearest earlier line that has segments. A segment
    /// *starts a region* when it has a count, is a region entry and is not a gap region. A line is
    /// mapped (executable) unless its first segment is a region entry without a count (skipped
    /// code), and then only when the wrapped segment has a count or a region starts on it; it is
    /// also mapped whenever any of its segments is a region entry with a count, a gap region
    /// included (LLVM 19+). Its count is the wrapped segment's count (0 without one), raised to
    /// the highest count of the regions that start on it. So a line whose only segments are gap
    /// regions is mapped, and takes the wrapped segment's count, not the gap's. A line with no
    /// segments is mapped, with the wrapped count, when the wrapped segment has a count.
    static func lineHits(_ segments: [Segment], into lines: inout [LineHits]) {
        var wrapped: Segment?
        var previousLine = 0
        var i = 0
        while i < segments.count {
            let line = segments[i].line
            if let wrapped, wrapped.hasCount, previousLine + 1 < line {
                // Lines between two lines with segments: inside the wrapped segment's region, one
                // run however many lines the segments' numbers skip.
                let hits = Swift.min(wrapped.count, ReportBytes.saturatedCount)
                lines.append(LineHits(lines: previousLine + 1, through: line - 1, hits: hits))
            }
            var regionStarts = 0
            var highestStart = 0
            var anyEntryWithCount = false
            var j = i
            while j < segments.count, segments[j].line == line {
                let segment = segments[j]
                if segment.hasCount, segment.isRegionEntry {
                    anyEntryWithCount = true
                    if !segment.isGapRegion {
                        regionStarts += 1
                        highestStart = Swift.max(highestStart, segment.count)
                    }
                }
                j += 1
            }
            let first = segments[i]
            let startOfSkippedRegion = !first.hasCount && first.isRegionEntry
            let mapped = (!startOfSkippedRegion && ((wrapped?.hasCount ?? false) || regionStarts > 0)) || anyEntryWithCount
            if mapped {
                var hits = wrapped?.count ?? 0
                if regionStarts > 0 { hits = Swift.max(hits, highestStart) }
                lines.append(LineHits(line: line, hits: Swift.min(hits, ReportBytes.saturatedCount)))
            }
            wrapped = segments[j - 1]
            previousLine = line
            i = j
        }
    }

    // MARK: Detection helpers

    private static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        firstIndex(of: needle, in: haystack, from: haystack.startIndex) != nil
    }

    private static func firstIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>, from start: Int) -> Int? {
        guard let first = needle.first, haystack.endIndex - start >= needle.count else { return nil }
        var index = start
        while index <= haystack.endIndex - needle.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// `needle` (a quoted key) followed by optional blanks, `:`, optional blanks and `[`.
    private static func containsArrayMember(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        var from = haystack.startIndex
        while let found = firstIndex(of: needle, in: haystack, from: from) {
            var index = found + needle.count
            while index < haystack.endIndex, ReportBytes.isBlank(haystack[index]) { index += 1 }
            if index < haystack.endIndex, haystack[index] == UInt8(ascii: ":") {
                index += 1
                while index < haystack.endIndex, ReportBytes.isBlank(haystack[index]) { index += 1 }
                if index < haystack.endIndex, haystack[index] == UInt8(ascii: "[") { return true }
            }
            from = found + 1
        }
        return false
    }
}

extension CoverageFormat {
    public static let llvmCovJSON = CoverageFormat(name: "llvm-cov-json")
}
