/// A set of line numbers (1-based) kept as sorted, disjoint, non-adjacent inclusive ranges.
///
/// Diffs, coverage and lint findings all speak in line numbers; ranges keep a
/// 400,000-line change small and make membership a binary search.
public struct LineSet: Hashable, Sendable, Sequence {
    public private(set) var ranges: [ClosedRange<Int>] = []

    public init() {}

    public init<S: Sequence>(_ lines: S) where S.Element == Int {
        for line in lines.sorted() { append(line) }
    }

    public init(ranges: [ClosedRange<Int>]) {
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) { append(range) }
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
