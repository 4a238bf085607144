// xhistogram.c: histogram diff (JGit's algorithm as git ported it), which anchors on the
// common run whose lines occur least often, and falls back to Myers where every common line is
// too frequent.

extension XDEnvironment {
    func histogram() throws(LineDiff.Failure) {
        // The left part of each split is its own region and the right part continues; both are
        // independent, so a work list replaces the recursion.
        var regions = [Region(line1: 1, count1: file1.recordCount, line2: 1, count2: file2.recordCount)]
        while var region = regions.popLast() {
            while true {
                if region.count1 <= 0 && region.count2 <= 0 { break }
                if region.count1 == 0 || region.count2 == 0 {
                    markChanged(region)
                    break
                }
                var index = HistogramIndex(self, region)
                guard let found = index.findLongestCommonRun() else { throw .histogramGaveUp }
                if found == .fallBack {
                    fallBackToMyers(region)
                    break
                }
                let lcs = index.best
                if lcs.begin1 == 0 && lcs.begin2 == 0 {
                    markChanged(region)
                    break
                }
                regions.append(Region(
                    line1: region.line1, count1: lcs.begin1 - region.line1,
                    line2: region.line2, count2: lcs.begin2 - region.line2))
                let end1 = region.line1 + region.count1 - 1
                let end2 = region.line2 + region.count2 - 1
                region = Region(line1: lcs.end1 + 1, count1: end1 - lcs.end1, line2: lcs.end2 + 1, count2: end2 - lcs.end2)
            }
        }
    }
}

/// xhistogram.c's `struct histindex` for one region: side 1's lines by class, with how often
/// each occurs, and the best common run found so far.
private struct HistogramIndex {
    struct Record {
        var pointer: Int
        var count: Int
        var next: Int
    }

    struct Run {
        var begin1 = 0
        var end1 = 0
        var begin2 = 0
        var end2 = 0
    }

    enum Outcome { case found, fallBack }

    static let maxChainLength = 64

    let environment: XDEnvironment
    let region: XDEnvironment.Region
    let tableBits: Int
    /// Chain heads per hash bucket (record index, or -1).
    var buckets: [Int]
    var records: [Record] = []
    /// Per side-1 line of the region: its record, and the next line of the same class.
    var lineRecord: [Int]
    var nextLine: [Int]
    var lowestCount = HistogramIndex.maxChainLength + 1
    var hasCommon = false
    var best = Run()

    init(_ environment: XDEnvironment, _ region: XDEnvironment.Region) {
        self.environment = environment
        self.region = region
        tableBits = Self.hashBits(region.count1)
        buckets = [Int](repeating: -1, count: 1 << tableBits)
        lineRecord = [Int](repeating: -1, count: region.count1)
        nextLine = [Int](repeating: 0, count: region.count1)
    }

    /// `xdl_hashbits`.
    static func hashBits(_ size: Int) -> Int {
        var value = 1
        var bits = 0
        while value < size && bits < 32 {
            value <<= 1
            bits += 1
        }
        return bits == 0 ? 1 : bits
    }

    /// `XDL_HASHLONG` of a class: git's bucket function, kept exactly because the chain-length
    /// limit below depends on which classes share a bucket.
    @inline(__always) func bucket(_ value: Int) -> Int {
        let unsigned = UInt(bitPattern: value)
        return Int(bitPattern: (unsigned &+ (unsigned >> UInt(tableBits))) & ((1 << UInt(tableBits)) - 1))
    }

    @inline(__always) func class1(_ line: Int) -> Int { environment.file1.classes[line - 1] }
    @inline(__always) func class2(_ line: Int) -> Int { environment.file2.classes[line - 1] }
    @inline(__always) func count(at line1: Int) -> Int { records[lineRecord[line1 - region.line1]].count }

    /// `scanA`: false when a bucket's chain reaches the limit, where git gives up.
    mutating func scanSide1() -> Bool {
        var pointer = region.line1 + region.count1 - 1
        while pointer >= region.line1 {
            let head = bucket(class1(pointer))
            var candidate = buckets[head]
            var chainLength = 0
            var found = false
            while candidate >= 0 {
                if class1(records[candidate].pointer) == class1(pointer) {
                    nextLine[pointer - region.line1] = records[candidate].pointer
                    records[candidate].pointer = pointer
                    records[candidate].count = min(Int(UInt32.max), records[candidate].count + 1)
                    lineRecord[pointer - region.line1] = candidate
                    found = true
                    break
                }
                candidate = records[candidate].next
                chainLength += 1
            }
            if !found {
                if chainLength == Self.maxChainLength { return false }
                records.append(Record(pointer: pointer, count: 1, next: buckets[head]))
                buckets[head] = records.count - 1
                lineRecord[pointer - region.line1] = records.count - 1
            }
            pointer -= 1
        }
        return true
    }

    /// `find_lcs`: nil where git fails, `.fallBack` when every common line occurs too often.
    mutating func findLongestCommonRun() -> Outcome? {
        guard scanSide1() else { return nil }
        lowestCount = Self.maxChainLength + 1
        var pointer2 = region.line2
        let end2 = region.line2 + region.count2 - 1
        while pointer2 <= end2 {
            pointer2 = tryRun(at: pointer2)
        }
        return hasCommon && Self.maxChainLength < lowestCount ? .fallBack : .found
    }

    /// `try_lcs`: extends every occurrence in side 1 of side 2's line `pointer2` into a common
    /// run, keeping the longest among those whose rarest line is rarest.
    private mutating func tryRun(at pointer2: Int) -> Int {
        var next2 = pointer2 + 1
        let end1 = region.line1 + region.count1 - 1
        let end2 = region.line2 + region.count2 - 1
        var candidate = buckets[bucket(class2(pointer2))]
        while candidate >= 0 {
            let record = records[candidate]
            candidate = record.next
            if record.count > lowestCount {
                if !hasCommon { hasCommon = class1(record.pointer) == class2(pointer2) }
                continue
            }
            var as1 = record.pointer
            if class1(as1) != class2(pointer2) { continue }
            hasCommon = true
            while true {
                var nextPointer = nextLine[as1 - region.line1]
                var bs = pointer2
                var ae = as1
                var be = bs
                var rc = record.count
                while region.line1 < as1, region.line2 < bs, class1(as1 - 1) == class2(bs - 1) {
                    as1 -= 1
                    bs -= 1
                    if 1 < rc { rc = min(rc, count(at: as1)) }
                }
                while ae < end1, be < end2, class1(ae + 1) == class2(be + 1) {
                    ae += 1
                    be += 1
                    if 1 < rc { rc = min(rc, count(at: ae)) }
                }
                if next2 <= be { next2 = be + 1 }
                if best.end1 - best.begin1 < ae - as1 || rc < lowestCount {
                    best = Run(begin1: as1, end1: ae, begin2: bs, end2: be)
                    lowestCount = rc
                }
                if nextPointer == 0 { break }
                var exhausted = false
                while nextPointer <= ae {
                    nextPointer = nextLine[nextPointer - region.line1]
                    if nextPointer == 0 {
                        exhausted = true
                        break
                    }
                }
                if exhausted { break }
                as1 = nextPointer
            }
        }
        return next2
    }
}
