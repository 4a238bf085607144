// xpatience.c: patience diff, which anchors on lines unique to both sides, and its fall-back
// to Myers (xutils.c's xdl_fall_back_diff) for stretches with no unique common line.

extension XDEnvironment {
    /// A region of both sides in 1-based line numbers, as xpatience.c and xhistogram.c use them.
    struct Region {
        var line1: Int
        var count1: Int
        var line2: Int
        var count2: Int
    }

    func markChanged(_ region: Region) {
        for line in region.line1..<(region.line1 + max(region.count1, 0)) { file1.changed[line - 1] = 1 }
        for line in region.line2..<(region.line2 + max(region.count2, 0)) { file2.changed[line - 1] = 1 }
    }

    /// `xdl_fall_back_diff`: Myers on the region as if its lines were two whole files (their own
    /// classes, trimming and pruning), its marks copied back.
    func fallBackToMyers(_ region: Region) {
        let start1 = file1.starts[region.line1 - 1]
        let end1 = file1.starts[region.line1 + region.count1 - 1]
        let start2 = file2.starts[region.line2 - 1]
        let end2 = file2.starts[region.line2 + region.count2 - 1]
        let sub = XDEnvironment(
            UnsafeBufferPointer(start: file1.data! + start1, count: end1 - start1),
            UnsafeBufferPointer(start: file2.data! + start2, count: end2 - start2),
            algorithm: .myers)
        sub.myers(needMinimal: false)
        (file1.changed + (region.line1 - 1)).update(from: sub.file1.changed, count: region.count1)
        (file2.changed + (region.line2 - 1)).update(from: sub.file2.changed, count: region.count2)
    }

    func patience() {
        // Regions are independent (each marks only its own lines), so a work list replaces
        // xpatience.c's recursion, which hostile input could make as deep as the file is long.
        var regions = [Region(line1: 1, count1: file1.recordCount, line2: 1, count2: file2.recordCount)]
        while let region = regions.popLast() {
            patience(region, pending: &regions)
        }
    }

    private func patience(_ region: Region, pending: inout [Region]) {
        if region.count1 == 0 || region.count2 == 0 {
            markChanged(region)
            return
        }
        let map = PatienceMap(self, region)
        if !map.hasMatches {
            markChanged(region)
            return
        }
        guard var first = map.longestCommonSequence() else {
            fallBackToMyers(region)
            return
        }
        // walk_common_sequence: the gaps between runs of the common sequence are diffed anew.
        var line1 = region.line1
        var line2 = region.line2
        let end1 = region.line1 + region.count1
        let end2 = region.line2 + region.count2
        var current: Int? = first
        while true {
            var next1: Int
            var next2: Int
            if let entry = current {
                next1 = map.entries[entry].line1
                next2 = map.entries[entry].line2
                while next1 > line1, next2 > line2, matches(next1 - 1, next2 - 1) {
                    next1 -= 1
                    next2 -= 1
                }
            } else {
                next1 = end1
                next2 = end2
            }
            while line1 < next1, line2 < next2, matches(line1, line2) {
                line1 += 1
                line2 += 1
            }
            if next1 > line1 || next2 > line2 {
                pending.append(Region(line1: line1, count1: next1 - line1, line2: line2, count2: next2 - line2))
            }
            guard let entry = current else { return }
            first = entry
            while let successor = map.entries[first].next.map(Int.init),
                  map.entries[successor].line1 == map.entries[first].line1 + 1,
                  map.entries[successor].line2 == map.entries[first].line2 + 1 {
                first = successor
            }
            line1 = map.entries[first].line1 + 1
            line2 = map.entries[first].line2 + 1
            current = map.entries[first].next.map(Int.init)
        }
    }

    @inline(__always) func matches(_ line1: Int, _ line2: Int) -> Bool {
        file1.classes[line1 - 1] == file2.classes[line2 - 1]
    }
}

/// xpatience.c's hash map from a line's class to its line on each side; `line2` is
/// `nonUnique` when the line occurs more than once on either side.
private final class PatienceMap {
    struct Entry {
        var hash = 0
        var line1 = 0
        var line2 = 0
        var next: Int32? = nil
        var previous: Int32? = nil
    }

    static let nonUnique = Int.max
    var entries: [Entry]
    var first: Int32?
    var last: Int32?
    var count = 0
    var hasMatches = false

    init(_ environment: XDEnvironment, _ region: XDEnvironment.Region) {
        let alloc = region.count1 * 2
        entries = [Entry](repeating: Entry(), count: alloc)
        for line in region.line1..<(region.line1 + region.count1) {
            insert(environment.file1.classes[line - 1], line: line, pass: 1, alloc: alloc)
        }
        for line in region.line2..<(region.line2 + region.count2) {
            insert(environment.file2.classes[line - 1], line: line, pass: 2, alloc: alloc)
        }
    }

    private func insert(_ hash: Int, line: Int, pass: Int, alloc: Int) {
        var index = (hash << 1) % alloc
        while entries[index].line1 != 0 {
            if entries[index].hash != hash {
                index += 1
                if index >= alloc { index = 0 }
                continue
            }
            if pass == 2 { hasMatches = true }
            if pass == 1 || entries[index].line2 != 0 {
                entries[index].line2 = Self.nonUnique
            } else {
                entries[index].line2 = line
            }
            return
        }
        if pass == 2 { return }
        entries[index].line1 = line
        entries[index].hash = hash
        let position = Int32(index)
        if first == nil { first = position }
        if let last {
            entries[Int(last)].next = position
            entries[index].previous = last
        }
        last = position
        count += 1
    }

    /// The longest sequence of unique common lines in increasing order on both sides
    /// (patience sorting over the lines in side-1 order); its first entry, its chain in `next`.
    func longestCommonSequence() -> Int? {
        var sequence = [Int32](repeating: 0, count: max(count, 1))
        var longest = 0
        var cursor = first
        while let position = cursor {
            let entry = Int(position)
            cursor = entries[entry].next
            let line2 = entries[entry].line2
            if line2 == 0 || line2 == Self.nonUnique { continue }
            var left = -1
            var right = longest
            while left + 1 < right {
                let middle = left + (right - left) / 2
                if entries[Int(sequence[middle])].line2 > line2 { right = middle } else { left = middle }
            }
            entries[entry].previous = left < 0 ? nil : sequence[left]
            let slot = left + 1
            sequence[slot] = position
            if slot == longest { longest += 1 }
        }
        guard longest > 0 else { return nil }
        var entry = Int(sequence[longest - 1])
        entries[entry].next = nil
        while let previous = entries[entry].previous {
            entries[Int(previous)].next = Int32(entry)
            entry = Int(previous)
        }
        return entry
    }
}
