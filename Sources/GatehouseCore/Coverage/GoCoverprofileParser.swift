import Foundation

/// Go coverage profiles, as `go test -coverprofile` writes them.
///
/// The first line is `mode: set|count|atomic`; each line after it is one block,
/// `importpath/file.go:startLine.startCol,endLine.endCol numStatements count`. A block covers the
/// lines startLine...endLine. A line's hits are the highest count of the blocks on it in set
/// mode and the sum in count and atomic modes; a block with no statements measures no line.
/// Repeated blocks (profiles of several test binaries run with `-coverpkg`, or concatenated
/// profiles) merge the same way: OR in set mode, sum otherwise. A repeated `mode:` line, as
/// concatenated profiles have, is accepted when it names the same mode.
///
/// Lines are parsed from the end, as Go's own parser does, so a file name may hold `:` and spaces.
public enum GoCoverprofileParser: CoverageParser {
    public static let name = "go-coverprofile"
    public static let title = "Go coverprofile"
    public static let listed = "Go coverprofiles"

    public static func detect(_ prefix: [UInt8]) -> Bool {
        let start = ReportBytes.startAfterByteOrderMark(prefix)
        return prefix[start...].starts(with: "mode: ".utf8)
    }

    /// One file's blocks can be spread over the whole profile (`go test ./...` writes one package
    /// after another, but merged profiles interleave), so each file's blocks are collected, as
    /// runs of lines, and merged once per the profile's mode at the end: memory grows with the
    /// number of blocks, never with the lines a block claims, and interleaved files cost no
    /// repeated merging.
    public static func parse(_ source: InputSource, emit: CoverageEmit) throws(GatehouseError) -> ReportInfo {
        let reader = TextReportReader(source: source)
        try reader.requireContent(what: "Go coverage")
        var mode: LineRuns.Merge?
        var modeName: [UInt8] = []
        // Each file's blocks in the order files first appear; the name of the last block read
        // saves a lookup for the usual run of blocks of one file.
        var files: [(path: String, blocks: [LineHits])] = []
        var indexByName: [[UInt8]: Int] = [:]
        var runName: [UInt8] = []
        var runIndex = -1

        var first = true
        while let rawLine = try reader.nextLine() {
            var line = rawLine
            if first {
                first = false
                line = ReportBytes.droppingByteOrderMark(line)
            }
            guard let start = line.baseAddress else {
                if mode == nil { throw missingMode(reader, line: reader.lineNumber, found: "an empty line") }
                continue
            }
            var end = start + line.count
            while end > start, end[-1] == 0x0D || end[-1] == 0x20 || end[-1] == 0x09 { end -= 1 }
            if end == start {
                if mode == nil { throw missingMode(reader, line: reader.lineNumber, found: "an empty line") }
                continue
            }
            if end - start >= 6, memcmp(start, "mode: ", 6) == 0 {
                let name = Array(UnsafeBufferPointer(start: start + 6, count: end - start - 6))
                if mode != nil {
                    guard name == modeName else {
                        throw reader.error(
                            "a second mode line names mode '\(InputText.token(bytes: name))', but the profile began in mode "
                                + "'\(InputText.token(bytes: modeName))'. Merge profiles of one mode only (go test -covermode).",
                            line: reader.lineNumber)
                    }
                    continue
                }
                switch String(decoding: name, as: UTF8.self) {
                case "set": mode = .max
                case "count", "atomic": mode = .sum
                default:
                    throw reader.error(
                        "unknown coverage mode '\(InputText.token(bytes: UnsafeBufferPointer(start: start + 6, count: end - start - 6)))': expected set, count or atomic. "
                            + "Write the profile with go test -coverprofile.",
                        line: reader.lineNumber)
                }
                modeName = name
                continue
            }
            guard mode != nil else {
                throw missingMode(reader, line: reader.lineNumber, found: "another line")
            }
            guard let block = parseBlock(start, end) else {
                throw reader.error(
                    "malformed block: expected <file>:<startLine>.<startCol>,<endLine>.<endCol> "
                        + "<numStatements> <count> with startLine ≤ endLine ≤ \(ReportBytes.maxRangeLine). Regenerate the profile with go test -coverprofile.",
                    line: reader.lineNumber)
            }
            let name = UnsafeBufferPointer(start: start, count: block.nameLength)
            if runIndex < 0 || !runName.elementsEqual(name) {
                runName.removeAll(keepingCapacity: true)
                runName.append(contentsOf: name)
                if let known = indexByName[runName] {
                    runIndex = known
                } else {
                    runIndex = files.count
                    indexByName[runName] = runIndex
                    files.append((String(decoding: runName, as: UTF8.self), []))
                }
            }
            guard block.statements > 0 else { continue }
            files[runIndex].blocks.append(LineHits(lines: block.startLine, through: block.endLine, hits: block.count))
        }
        guard let mode else { throw missingMode(reader, line: 1, found: "nothing") }
        let info = ReportInfo(format: .goCoverprofile)
        for index in files.indices {
            let blocks = files[index].blocks
            files[index].blocks = []
            try emit(FileCoverage(path: files[index].path, lines: LineRuns.normalize(blocks, mode)), info)
        }
        return info
    }

    private static func missingMode(_ reader: TextReportReader, line: Int, found: String) -> GatehouseError {
        reader.error(
            "a Go coverage profile starts with 'mode: set', 'mode: count' or 'mode: atomic', but line \(line) is \(found). "
                + "Write the profile with go test -coverprofile.",
            line: line)
    }

    private struct Block {
        var nameLength: Int
        var startLine: Int
        var endLine: Int
        var statements: Int
        var count: Int
    }

    /// `<name>:<l>.<c>,<l>.<c> <statements> <count>`, read from the end; nil when malformed.
    private static func parseBlock(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Block? {
        var p = end
        // Reads the decimal number that ends at `p`, moving `p` to its first digit.
        func numberBackwards(saturating: Bool) -> Int? {
            var digits = 0
            while p > start, p[-1] &- 0x30 < 10 { p -= 1; digits += 1 }
            guard digits > 0 else { return nil }
            if digits > 18 { return saturating ? ReportBytes.saturatedCount : nil }
            var value = 0
            for i in 0..<digits { value = value * 10 + Int(p[i] &- 0x30) }
            return Swift.min(value, ReportBytes.saturatedCount)
        }
        func expect(_ byte: UInt8) -> Bool {
            guard p > start, p[-1] == byte else { return false }
            p -= 1
            return true
        }
        guard let count = numberBackwards(saturating: true), expect(0x20),
            let statements = numberBackwards(saturating: false), expect(0x20),
            let endColumn = numberBackwards(saturating: false), expect(UInt8(ascii: ".")),
            let endLine = numberBackwards(saturating: false), expect(UInt8(ascii: ",")),
            let startColumn = numberBackwards(saturating: false), expect(UInt8(ascii: ".")),
            let startLine = numberBackwards(saturating: false), expect(UInt8(ascii: ":")),
            p > start
        else { return nil }
        _ = (endColumn, startColumn)
        guard startLine >= 1, startLine <= endLine, endLine <= ReportBytes.maxRangeLine else { return nil }
        return Block(nameLength: p - start, startLine: startLine, endLine: endLine, statements: statements, count: count)
    }
}

extension CoverageFormat {
    public static let goCoverprofile = CoverageFormat(name: "go-coverprofile")
}
