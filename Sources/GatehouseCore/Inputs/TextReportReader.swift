import Foundation

/// Byte helpers and bounds shared by the report readers (text coverage reports, the JSON scanner).
enum ReportBytes {
    /// Above this a value has more digits than a count can sensibly have: `* 10` would overflow.
    static let maxDigitsValue = (Int.max - 9) / 10
    /// The largest count a parser emits, as `FileCoverage.normalized` caps sums.
    static let saturatedCount = Int.max / 2
    /// Line numbers above this are refused where a report states ranges of lines (Go blocks,
    /// llvm-cov segments): no source file is this long, and the counts of measured lines summed
    /// over a report's files stay far from overflowing.
    static let maxRangeLine = 10_000_000

    static func startAfterByteOrderMark(_ bytes: [UInt8]) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    static func droppingByteOrderMark(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF else { return line }
        return UnsafeBufferPointer(rebasing: line[3...])
    }

    /// `prefix` without a UTF-8 byte order mark and leading white space: what a format's
    /// `detect` sees.
    static func trimmedPrefix(_ prefix: [UInt8]) -> [UInt8] {
        var trimmed = prefix[...]
        if trimmed.starts(with: [0xEF, 0xBB, 0xBF]) { trimmed = trimmed.dropFirst(3) }
        while let first = trimmed.first, isBlank(first) { trimmed = trimmed.dropFirst() }
        return Array(trimmed)
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    static func equals(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, _ literal: StaticString) -> Bool {
        guard end - start == literal.utf8CodeUnitCount else { return false }
        return memcmp(start, literal.utf8Start, literal.utf8CodeUnitCount) == 0
    }

}


/// Reads a report file in large chunks into one buffer that it owns.
///
/// `base[start..<end]` holds bytes read and not yet consumed; `fill()` moves them to the front
/// and reads more. Line readers use `nextLine()`; the JSON scanner moves `start` itself.
///
/// A reader can also hold a whole input already in memory (a lint report, one line of JSON
/// lines): it then never refills, so a position in it stays valid and the JSON scanner can
/// come back to one (`JSONScanner.Mark`).
final class TextReportReader {
    static let defaultChunkSize = 1 << 20
    /// A line longer than this is not a coverage record: a binary file, most likely.
    static let maxLineLength = 16 << 20

    let displayPath: String
    /// Where the bytes come from: the one open descriptor detection read from too; nil when the
    /// reader was given all of its bytes.
    private let source: InputSource?
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    private let chunkSize: Int
    /// The first unconsumed byte.
    var start = 0
    /// The end of the bytes read.
    private(set) var end = 0
    private(set) var atEndOfFile = false
    /// The file offset of `base[0]`.
    private(set) var offsetOfBase = 0
    /// The number of the line `nextLine()` returned last (1-based).
    private(set) var lineNumber = 0

    init(source: InputSource, chunkSize: Int = TextReportReader.defaultChunkSize) {
        self.source = source
        displayPath = source.displayPath
        self.chunkSize = Swift.max(chunkSize, 16)
        capacity = self.chunkSize
        base = .allocate(capacity: capacity)
    }

    /// A reader over the rest of `input`, read whole into its buffer at once (no copy of it is
    /// made), refused past `limit` bytes as `InputSource.readAll` refuses (`advice` says what to do).
    init(wholeOf input: InputSource, limit: Int, advice: String) throws(GatehouseError) {
        source = nil
        displayPath = input.displayPath
        if let size = input.regularFileSize, size > limit { throw input.tooLarge(limit, advice) }
        capacity = Swift.max((input.regularFileSize ?? Self.defaultChunkSize) + 1, 16)
        chunkSize = capacity
        base = .allocate(capacity: capacity)
        atEndOfFile = true
        while true {
            if end == capacity { grow() }
            let count = try input.read(into: base + end, count: capacity - end)
            if count == 0 { return }
            end += count
            guard end <= limit else { throw input.tooLarge(limit, advice) }
        }
    }

    /// A reader over `bytes`, all of them in its buffer from the start. `offset` is the file
    /// offset of the first byte, for messages (a line of a JSON lines report).
    init(bytes: [UInt8], displayPath: String, offset: Int = 0) {
        source = nil
        self.displayPath = displayPath
        capacity = Swift.max(bytes.count, 16)
        chunkSize = capacity
        base = .allocate(capacity: capacity)
        bytes.withUnsafeBufferPointer { buffer in
            if let address = buffer.baseAddress { base.update(from: address, count: buffer.count) }
        }
        end = bytes.count
        atEndOfFile = true
        offsetOfBase = offset
    }

    deinit {
        base.deallocate()
    }

    /// All of the input is in the buffer, which is never refilled: `start` may be moved back.
    var holdsWholeInput: Bool { source == nil }

    /// The bytes not consumed yet, for `body` only: a refill or the reader's end frees them.
    func withUnreadBytes<Result, Failure: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result) throws(Failure) -> Result {
        try body(UnsafeBufferPointer(start: base + start, count: end - start))
    }

    /// The file offset of `start`.
    var offset: Int { offsetOfBase + start }

    func error(_ message: String, line: Int?, column: Int? = nil) -> GatehouseError {
        GatehouseError(.invalidReport, message, at: SourceLocation(file: displayPath, line: line, column: column))
    }

    /// Throws when the file has no bytes at all.
    func requireContent(what: String) throws(GatehouseError) {
        if end == start, try !fill() {
            throw error("the \(what) report is empty (0 bytes). Check that the tests ran with coverage enabled and wrote the report.", line: 1)
        }
    }

    /// Keeps the unconsumed bytes, moved to the front of the buffer, and reads more after them.
    /// Returns false, changing nothing, at the end of the file.
    func fill() throws(GatehouseError) -> Bool {
        if atEndOfFile { return false }
        if start > 0 {
            let kept = end - start
            if kept > 0 { memmove(base, base + start, kept) }
            offsetOfBase += start
            end = kept
            start = 0
        }
        guard let source else {
            atEndOfFile = true
            return false
        }
        if end == capacity { grow() }
        let count = try source.read(into: base + end, count: capacity - end)
        if count == 0 {
            atEndOfFile = true
            return false
        }
        end += count
        return true
    }

    private func grow() {
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
        grown.update(from: base, count: end)
        base.deallocate()
        base = grown
        capacity *= 2
    }

    /// All the complete lines in the buffer, through its last LF, reading more when it has none;
    /// valid until the next call. A last line without an LF gets one. Nil at the end of the file.
    func nextLines() throws(GatehouseError) -> UnsafeBufferPointer<UInt8>? {
        var searchFrom = start
        while true {
            var index = end
            while index > searchFrom, base[index - 1] != 0x0A { index -= 1 }
            if index > searchFrom {
                let lines = UnsafeBufferPointer(start: UnsafePointer(base + start), count: index - start)
                start = index
                return lines
            }
            let scanned = end - start
            if scanned >= Self.maxLineLength {
                throw error(
                    "a line is longer than \(Self.maxLineLength >> 20) MiB: this is not a text coverage report. Check the report's path and format.",
                    line: nil)
            }
            guard try fill() else {
                guard start < end else { return nil }
                if end == capacity { grow() }
                base[end] = 0x0A
                end += 1
                let lines = UnsafeBufferPointer(start: UnsafePointer(base + start), count: end - start)
                start = end
                return lines
            }
            searchFrom = start + scanned
        }
    }

    /// The next line, without its LF; valid until the next call. Nil at the end of the file.
    func nextLine() throws(GatehouseError) -> UnsafeBufferPointer<UInt8>? {
        var searchFrom = start
        while true {
            if searchFrom < end, let found = memchr(base + searchFrom, 0x0A, end - searchFrom) {
                let newline = found.assumingMemoryBound(to: UInt8.self) - base
                let line = UnsafeBufferPointer(start: UnsafePointer(base + start), count: newline - start)
                start = newline + 1
                lineNumber += 1
                return line
            }
            let scanned = end - start
            if scanned >= Self.maxLineLength {
                throw error(
                    "line is longer than \(Self.maxLineLength >> 20) MiB: this is not a text coverage report. Check the report's path and format.",
                    line: lineNumber + 1)
            }
            guard try fill() else {
                guard start < end else { return nil }
                let line = UnsafeBufferPointer(start: UnsafePointer(base + start), count: end - start)
                start = end
                lineNumber += 1
                return line
            }
            searchFrom = start + scanned
        }
    }
}
