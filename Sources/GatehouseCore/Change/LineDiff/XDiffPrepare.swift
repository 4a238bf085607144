// xprepare.c: records, equivalence classes, and the pruning that precedes Myers.
//
// Memory is managed by hand (UnsafeMutablePointer) because these loops run over every line
// of every changed file; each owner frees what it allocated in deinit.

/// One side of a diff: its records (lines, newline included) and their change marks.
final class XDFile {
    let data: UnsafePointer<UInt8>?
    let recordCount: Int
    /// Record i spans bytes `starts[i] ..< starts[i + 1]`.
    let starts: UnsafeMutablePointer<Int>
    /// Record i's equivalence class: equal lines share a class (xdiff's `ha` after classifying).
    let classes: UnsafeMutablePointer<Int>
    private let changedStorage: UnsafeMutablePointer<UInt8>
    /// `changed[i]` is 1 when record i is deleted (side 1) or added (side 2). Valid from -1 to
    /// `recordCount`; both ends stay 0, as xdiff's loops rely on.
    let changed: UnsafeMutablePointer<UInt8>

    /// The records Myers works on after pruning (`rindex`), and their classes (`ha`).
    var reducedIndex: UnsafeMutablePointer<Int>?
    var reducedClasses: UnsafeMutablePointer<Int>?
    var reducedCount = 0
    /// The range left after trimming the common head and tail (`dstart`, `dend`).
    var firstDiffering = 0
    var lastDiffering: Int

    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        data = buffer.baseAddress
        var count = 0
        if let base = buffer.baseAddress, buffer.count > 0 {
            var position = 0
            while position < buffer.count {
                count += 1
                if let newline = memchr(base + position, Int32(UInt8(ascii: "\n")), buffer.count - position) {
                    position = UnsafeRawPointer(newline).assumingMemoryBound(to: UInt8.self) - base + 1
                } else {
                    position = buffer.count
                }
            }
        }
        recordCount = count
        starts = .allocate(capacity: count + 1)
        classes = .allocate(capacity: max(count, 1))
        changedStorage = .allocate(capacity: count + 2)
        changedStorage.initialize(repeating: 0, count: count + 2)
        changed = changedStorage + 1
        lastDiffering = count - 1
        starts[0] = 0
        if let base = buffer.baseAddress {
            var position = 0
            var record = 0
            while record < count {
                if let newline = memchr(base + position, Int32(UInt8(ascii: "\n")), buffer.count - position) {
                    position = UnsafeRawPointer(newline).assumingMemoryBound(to: UInt8.self) - base + 1
                } else {
                    position = buffer.count
                }
                record += 1
                starts[record] = position
            }
        }
    }

    /// The first `records` records of `other`, sharing its bytes; classes are for the caller to set.
    init(prefixOf other: XDFile, records: Int) {
        data = other.data
        recordCount = records
        starts = .allocate(capacity: records + 1)
        starts.update(from: other.starts, count: records + 1)
        classes = .allocate(capacity: max(records, 1))
        changedStorage = .allocate(capacity: records + 2)
        changedStorage.initialize(repeating: 0, count: records + 2)
        changed = changedStorage + 1
        lastDiffering = records - 1
    }

    deinit {
        starts.deallocate()
        classes.deallocate()
        changedStorage.deallocate()
        reducedIndex?.deallocate()
        reducedClasses?.deallocate()
    }

    @inline(__always) func recordStart(_ index: Int) -> UnsafePointer<UInt8> { data! + starts[index] }
    @inline(__always) func recordSize(_ index: Int) -> Int { starts[index + 1] - starts[index] }
}

/// Assigns every distinct line of both sides a class number, in order of first appearance
/// (side 1 first), and counts each class's occurrences per side (`xdlclassifier_t`).
final class XDClassifier {
    private let tableMask: Int
    private let table: UnsafeMutablePointer<Int32>
    private let capacity: Int
    private let classHash: UnsafeMutablePointer<UInt64>
    private let classStart: UnsafeMutablePointer<UnsafePointer<UInt8>?>
    private let classSize: UnsafeMutablePointer<Int>
    /// Occurrences of each class on side 1 and side 2 (`len1`, `len2`).
    let count1: UnsafeMutablePointer<Int>
    let count2: UnsafeMutablePointer<Int>
    private(set) var classCount = 0

    /// Randomised per process, so that no crafted input can make every line collide.
    private static let seed: UInt64 = UInt64.random(in: 1...UInt64.max)

    init(lines: Int) {
        capacity = max(lines, 1)
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        tableMask = size - 1
        table = .allocate(capacity: size)
        table.initialize(repeating: 0, count: size)
        classHash = .allocate(capacity: capacity)
        classStart = .allocate(capacity: capacity)
        classSize = .allocate(capacity: capacity)
        count1 = .allocate(capacity: capacity)
        count2 = .allocate(capacity: capacity)
    }

    deinit {
        table.deallocate()
        classHash.deallocate()
        classStart.deallocate()
        classSize.deallocate()
        count1.deallocate()
        count2.deallocate()
    }

    func classify(_ file: XDFile, side: Int) {
        for record in 0..<file.recordCount {
            let start = file.recordStart(record)
            let size = file.recordSize(record)
            let hash = Self.hash(start, size)
            var slot = Int(truncatingIfNeeded: hash) & tableMask
            var found = -1
            while table[slot] != 0 {
                let candidate = Int(table[slot]) - 1
                if classHash[candidate] == hash, classSize[candidate] == size,
                   size == 0 || memcmp(classStart[candidate]!, start, size) == 0 {
                    found = candidate
                    break
                }
                slot = (slot + 1) & tableMask
            }
            if found < 0 {
                found = classCount
                classCount += 1
                classHash[found] = hash
                classStart[found] = start
                classSize[found] = size
                count1[found] = 0
                count2[found] = 0
                table[slot] = Int32(truncatingIfNeeded: found + 1)
            }
            if side == 1 { count1[found] += 1 } else { count2[found] += 1 }
            file.classes[record] = found
        }
    }

    @inline(__always)
    private static func hash(_ pointer: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        var hash = seed ^ (UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15)
        let raw = UnsafeRawPointer(pointer)
        var offset = 0
        while offset + 8 <= count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 32
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < count {
            tail |= UInt64(pointer[offset]) << shift
            shift += 8
            offset += 1
        }
        hash = (hash ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return hash ^ (hash >> 29)
    }
}

/// Both sides of a diff, prepared as `xdl_prepare_env` prepares them.
final class XDEnvironment {
    let file1: XDFile
    let file2: XDFile
    /// Occurrences of each class on each side (xdiff's `len1` and `len2`), whole files counted.
    private var occurrences1: [Int]
    private var occurrences2: [Int]

    init(_ buffer1: UnsafeBufferPointer<UInt8>, _ buffer2: UnsafeBufferPointer<UInt8>, algorithm: LineDiff.Options.Algorithm) {
        file1 = XDFile(buffer1)
        file2 = XDFile(buffer2)
        let classifier = XDClassifier(lines: file1.recordCount + file2.recordCount)
        classifier.classify(file1, side: 1)
        classifier.classify(file2, side: 2)
        occurrences1 = Array(UnsafeBufferPointer(start: classifier.count1, count: classifier.classCount))
        occurrences2 = Array(UnsafeBufferPointer(start: classifier.count2, count: classifier.classCount))
        optimize(algorithm)
    }

    /// The first `records1` and `records2` records of `other`'s two sides, prepared exactly as
    /// if those bytes had been prepared on their own: classes renumbered in order of first
    /// appearance and counted over the kept records only. This is how `-U0`'s trimmed diff
    /// reuses the hashing already done for the whole files.
    init(prefixOf other: XDEnvironment, records1: Int, records2: Int, algorithm: LineDiff.Options.Algorithm) {
        file1 = XDFile(prefixOf: other.file1, records: records1)
        file2 = XDFile(prefixOf: other.file2, records: records2)
        var renumbered = [Int](repeating: -1, count: other.occurrences1.count)
        occurrences1 = []
        occurrences2 = []
        for (file, source, side) in [(file1, other.file1, 1), (file2, other.file2, 2)] {
            for record in 0..<file.recordCount {
                let original = source.classes[record]
                if renumbered[original] < 0 {
                    renumbered[original] = occurrences1.count
                    occurrences1.append(0)
                    occurrences2.append(0)
                }
                let assigned = renumbered[original]
                file.classes[record] = assigned
                if side == 1 { occurrences1[assigned] += 1 } else { occurrences2[assigned] += 1 }
            }
        }
        optimize(algorithm)
    }

    /// `xdl_optimize_ctxs`, which only the Myers family runs.
    private func optimize(_ algorithm: LineDiff.Options.Algorithm) {
        guard algorithm == .myers || algorithm == .minimal else { return }
        trimEnds()
        prune(file1, otherCounts: occurrences2)
        prune(file2, otherCounts: occurrences1)
    }

    /// `xdl_trim_ends`: the common head and tail take no part in Myers.
    private func trimEnds() {
        let limit = min(file1.recordCount, file2.recordCount)
        var head = 0
        while head < limit, file1.classes[head] == file2.classes[head] { head += 1 }
        file1.firstDiffering = head
        file2.firstDiffering = head
        var tail = 0
        let tailLimit = limit - head
        while tail < tailLimit,
              file1.classes[file1.recordCount - 1 - tail] == file2.classes[file2.recordCount - 1 - tail] {
            tail += 1
        }
        file1.lastDiffering = file1.recordCount - tail - 1
        file2.lastDiffering = file2.recordCount - tail - 1
    }

    /// `xdl_cleanup_records`, one side: lines with no match on the other side are changed for
    /// certain and leave the problem; lines with very many matches leave it when they sit among
    /// such lines.
    private func prune(_ file: XDFile, otherCounts: [Int]) {
        let first = file.firstDiffering
        let last = file.lastDiffering
        let span = max(last - first + 1, 0)
        let limit = min(xdlBogoSqrt(file.recordCount), 1024)
        // dis[]: 0 no match, 1 some matches, 2 many matches.
        let kinds = UnsafeMutablePointer<UInt8>.allocate(capacity: file.recordCount + 1)
        defer { kinds.deallocate() }
        kinds.initialize(repeating: 0, count: file.recordCount + 1)
        var index = first
        while index <= last {
            let matches = otherCounts[file.classes[index]]
            kinds[index] = matches == 0 ? 0 : (matches >= limit ? 2 : 1)
            index += 1
        }
        let reducedIndex = UnsafeMutablePointer<Int>.allocate(capacity: span + 1)
        let reducedClasses = UnsafeMutablePointer<Int>.allocate(capacity: span + 1)
        var kept = 0
        index = first
        while index <= last {
            if kinds[index] == 1 || (kinds[index] == 2 && !Self.isDiscardableMultimatch(kinds, index, first, last)) {
                reducedIndex[kept] = index
                reducedClasses[kept] = file.classes[index]
                kept += 1
            } else {
                file.changed[index] = 1
            }
            index += 1
        }
        file.reducedIndex = reducedIndex
        file.reducedClasses = reducedClasses
        file.reducedCount = kept
    }

    /// `xdl_clean_mmatch`: a line with many matches is dropped when the lines around it are
    /// mostly lines without any match.
    private static func isDiscardableMultimatch(_ kinds: UnsafeMutablePointer<UInt8>, _ index: Int, _ start: Int, _ end: Int) -> Bool {
        let window = 100
        let start = index - start > window ? index - window : start
        let end = end - index > window ? index + window : end
        var noMatchBefore = 0
        var multiBefore = 1
        var offset = 1
        while index - offset >= start {
            let kind = kinds[index - offset]
            if kind == 0 { noMatchBefore += 1 } else if kind == 2 { multiBefore += 1 } else { break }
            offset += 1
        }
        if noMatchBefore == 0 { return false }
        var noMatchAfter = 0
        var multiAfter = 1
        offset = 1
        while index + offset <= end {
            let kind = kinds[index + offset]
            if kind == 0 { noMatchAfter += 1 } else if kind == 2 { multiAfter += 1 } else { break }
            offset += 1
        }
        if noMatchAfter == 0 { return false }
        let noMatch = noMatchAfter + noMatchBefore
        let multi = multiAfter + multiBefore
        return multi * 4 < multi + noMatch
    }
}

/// `xdl_bogosqrt`: the power of two near the square root xdiff uses for its limits.
func xdlBogoSqrt(_ n: Int) -> Int {
    var value = n
    var result = 1
    while value > 0 {
        result <<= 1
        value >>= 2
    }
    return result
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
