/// A set of line numbers (1-based) kept as sorted, disjoint, non-adjacent inclusive ranges.
///
/// Diffs, coverage and lint findings all speak in line numbers; ranges keep a
/// 400,000-line change small and make membership a binary search.
public struct LineSet: Hashable, Sendable, Sequence {
    public private(set) var ranges: [ClosedRange<Int>] = []

    public init() {}

    public init<S: Sequence>(_ lines: S) where S.Element == Int {
        var array = Array(lines)
        if !Self.isAscending(array) { array.sort() }
        self.init(sortedLines: array)
    }

    /// Lines in ascending order (repeats allowed): linear, no sort.
    public init(sortedLines lines: [Int]) {
        var built: [ClosedRange<Int>] = []
        guard var low = lines.first else { return }
        var high = low
        for line in lines.dropFirst() {
            if line <= high + 1 {
                if line > high { high = line }
            } else {
                built.append(low...high)
                low = line
                high = line
            }
        }
        built.append(low...high)
        ranges = built
    }

    public init(ranges: [ClosedRange<Int>]) {
        if Self.isAscending(ranges) {
            for range in ranges { append(range) }
        } else {
            for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) { append(range) }
        }
    }

    /// Ranges already sorted, disjoint and non-adjacent: taken as they are.
    init(normalizedRanges: [ClosedRange<Int>]) {
        ranges = normalizedRanges
    }

    private static func isAscending(_ lines: [Int]) -> Bool {
        var index = 1
        while index < lines.count {
            if lines[index] < lines[index - 1] { return false }
            index += 1
        }
        return true
    }

    private static func isAscending(_ ranges: [ClosedRange<Int>]) -> Bool {
        var index = 1
        while index < ranges.count {
            if ranges[index].lowerBound < ranges[index - 1].lowerBound { return false }
            index += 1
        }
        return true
    }

    /// The lines in either set: a merge of the two range lists, O(n + m).
    public func union(_ other: LineSet) -> LineSet {
        if other.ranges.isEmpty { return self }
        if ranges.isEmpty { return other }
        var merged: [ClosedRange<Int>] = []
        merged.reserveCapacity(ranges.count + other.ranges.count)
        let a = ranges, b = other.ranges
        var i = 0, j = 0
        while i < a.count || j < b.count {
            let next: ClosedRange<Int>
            if j == b.count || (i < a.count && a[i].lowerBound <= b[j].lowerBound) {
                next = a[i]
                i += 1
            } else {
                next = b[j]
                j += 1
            }
            if let last = merged.last, next.lowerBound <= last.upperBound + 1 {
                if next.upperBound > last.upperBound { merged[merged.count - 1] = last.lowerBound...next.upperBound }
            } else {
                merged.append(next)
            }
        }
        return LineSet(normalizedRanges: merged)
    }

    public mutating func formUnion(_ other: LineSet) {
        if other.ranges.isEmpty { return }
        if ranges.isEmpty {
            ranges = other.ranges
            return
        }
        self = union(other)
    }

    public var isEmpty: Bool { ranges.isEmpty }

    /// Number of lines in the set.
    public var count: Int { ranges.reduce(0) { $0 + $1.count } }

    /// Adds a line. Lines arriving in ascending order (as a diff produces them) cost O(1);
    /// out-of-order lines fall back to an insertion.
    public mutating func append(_ line: Int) {
        append(line...line)
    }

    public mutating func append(_ range: ClosedRange<Int>) {
        guard let last = ranges.last else {
            ranges.append(range)
            return
        }
        if range.lowerBound > last.upperBound + 1 {
            ranges.append(range)
        } else if range.lowerBound >= last.lowerBound {
            if range.upperBound > last.upperBound {
                ranges[ranges.count - 1] = last.lowerBound...range.upperBound
            }
        } else {
            insertOutOfOrder(range)
        }
    }

    private mutating func insertOutOfOrder(_ range: ClosedRange<Int>) {
        var merged: [ClosedRange<Int>] = []
        merged.reserveCapacity(ranges.count + 1)
        var pending: ClosedRange<Int>? = range
        for existing in ranges {
            if let p = pending, p.upperBound + 1 < existing.lowerBound {
                merged.append(p)
                pending = nil
            }
            if let p = pending, existing.upperBound + 1 >= p.lowerBound {
                pending = Swift.min(p.lowerBound, existing.lowerBound)...Swift.max(p.upperBound, existing.upperBound)
            } else {
                merged.append(existing)
            }
        }
        if let p = pending { merged.append(p) }
        ranges = merged
    }

    public func contains(_ line: Int) -> Bool {
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let r = ranges[mid]
            if line < r.lowerBound {
                high = mid - 1
            } else if line > r.upperBound {
                low = mid + 1
            } else {
                return true
            }
        }
        return false
    }

    public func makeIterator() -> FlattenSequence<[ClosedRange<Int>]>.Iterator {
        ranges.joined().makeIterator()
    }
}
