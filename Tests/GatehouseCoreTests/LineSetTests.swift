import GatehouseCore
import PropertyBased
import Testing

/// Checks every documented invariant of a `LineSet` against a plain `Set<Int>` holding the same lines.
private func expect(
    _ set: LineSet, matches model: Set<Int>, probing probe: ClosedRange<Int> = 0...501,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    let ranges = set.ranges
    for (previous, next) in Swift.zip(ranges, ranges.dropFirst()) {
        // Implies sorted and disjoint as well as non-adjacent.
        #expect(
            next.lowerBound > previous.upperBound + 1,
            "ranges \(previous) and \(next) are out of order, overlap or touch in \(ranges)",
            sourceLocation: sourceLocation)
    }
    #expect(set.count == model.count, "count of \(ranges)", sourceLocation: sourceLocation)
    #expect(set.isEmpty == model.isEmpty, sourceLocation: sourceLocation)
    let disagreements = probe.filter { set.contains($0) != model.contains($0) }
    #expect(disagreements.isEmpty, "contains() disagrees with the model at \(disagreements) for \(ranges)", sourceLocation: sourceLocation)
    #expect(Array(set) == model.sorted(), "iteration of \(ranges)", sourceLocation: sourceLocation)
}

/// Random ranges inside 1...500, of length 1...21, in any order.
private let randomRanges = zip(Gen.int(in: 1...500), Gen.int(in: 0...20))
    .array(of: 0...30)
    .map { pairs in pairs.map { $0.0...Swift.min(500, $0.0 + $0.1) } }

private func model(of ranges: [ClosedRange<Int>]) -> Set<Int> {
    Set(ranges.flatMap { Array($0) })
}

@Suite("LineSet")
struct LineSetTests {
    // MARK: Properties against a Set<Int> model

    @Test("appending lines one at a time, in any order, matches a Set<Int>")
    func appendOneByOne() async {
        await propertyCheck(count: 300, input: Gen.int(in: 1...500).array(of: 0...200)) { lines in
            var set = LineSet()
            for line in lines { set.append(line) }
            expect(set, matches: Set(lines))
        }
    }

    @Test("LineSet(lines) matches a Set<Int>")
    func initFromLines() async {
        await propertyCheck(input: Gen.int(in: 1...500).array(of: 0...200)) { lines in
            expect(LineSet(lines), matches: Set(lines))
        }
    }

    @Test("LineSet(ranges:) with random overlapping ranges matches a Set<Int>")
    func initFromRanges() async {
        await propertyCheck(count: 300, input: randomRanges) { ranges in
            expect(LineSet(ranges: ranges), matches: model(of: ranges))
        }
    }

    @Test("appending random ranges in any order matches a Set<Int>")
    func appendRangesOutOfOrder() async {
        await propertyCheck(count: 300, input: randomRanges) { ranges in
            var set = LineSet()
            for range in ranges { set.append(range) }
            expect(set, matches: model(of: ranges))
        }
    }

    @Test("appending lines to a set built from ranges matches a Set<Int>")
    func mixedRangesThenLines() async {
        await propertyCheck(input: randomRanges, Gen.int(in: 1...500).array(of: 0...50)) { ranges, lines in
            var set = LineSet(ranges: ranges)
            for line in lines { set.append(line) }
            expect(set, matches: model(of: ranges).union(lines))
        }
    }

    @Test("the same lines give equal sets however they were added")
    func equalityIgnoresHistory() async {
        await propertyCheck(input: Gen.int(in: 1...500).array(of: 0...100)) { lines in
            var oneByOne = LineSet()
            for line in lines.reversed() { oneByOne.append(line) }
            let fromRanges = LineSet(ranges: lines.map { $0...$0 })
            #expect(oneByOne == LineSet(lines))
            #expect(fromRanges == LineSet(lines))
            #expect(oneByOne.hashValue == fromRanges.hashValue)
        }
    }

    @Test("union and formUnion of random sets match a Set<Int> union")
    func unionMatchesModel() async {
        await propertyCheck(count: 300, input: randomRanges, randomRanges) { left, right in
            let a = LineSet(ranges: left), b = LineSet(ranges: right)
            let expected = model(of: left).union(model(of: right))
            expect(a.union(b), matches: expected)
            expect(b.union(a), matches: expected)
            var formed = a
            formed.formUnion(b)
            expect(formed, matches: expected)
            #expect(formed == a.union(b))
            expect(a.union(a), matches: model(of: left))
            expect(a.union(LineSet()), matches: model(of: left))
        }
    }

    @Test("LineSet(sortedLines:) with ascending lines, repeats allowed, matches a Set<Int>")
    func initFromSortedLines() async {
        await propertyCheck(input: Gen.int(in: 1...500).array(of: 0...200)) { lines in
            let sorted = lines.sorted()
            expect(LineSet(sortedLines: sorted), matches: Set(lines))
            #expect(LineSet(sortedLines: sorted) == LineSet(lines))
        }
    }

    // MARK: Examples

    @Test func unionJoinsAdjacentAndOverlappingRanges() {
        let a = LineSet(ranges: [1...3, 10...12, 20...20])
        let b = LineSet(ranges: [4...5, 11...15, 30...31])
        #expect(a.union(b).ranges == [1...5, 10...15, 20...20, 30...31])
    }

    @Test func emptySet() {
        let set = LineSet()
        #expect(set.isEmpty)
        #expect(set.count == 0)
        #expect(set.ranges.isEmpty)
        #expect(!set.contains(0))
        #expect(!set.contains(1))
        #expect(Array(set).isEmpty)
    }

    @Test func ascendingLinesCoalesce() {
        #expect(LineSet([1, 2, 3, 5, 6, 9]).ranges == [1...3, 5...6, 9...9])
    }

    @Test func adjacentRangesMerge() {
        #expect(LineSet(ranges: [4...6, 1...3, 7...7]).ranges == [1...7])
        #expect(LineSet(ranges: [1...3, 5...6]).ranges == [1...3, 5...6])
    }

    @Test func duplicatesAreCountedOnce() {
        let set = LineSet([5, 5, 5, 6, 6])
        #expect(set.ranges == [5...6])
        #expect(set.count == 2)
    }

    @Test func descendingAppendsFillGaps() {
        var set = LineSet()
        for line in [10, 8, 6, 9, 7] { set.append(line) }
        #expect(set.ranges == [6...10])
    }

    @Test func rangeSpanningSeveralRangesSwallowsThem() {
        var set = LineSet(ranges: [3...4, 8...9, 20...21])
        set.append(1...12)
        #expect(set.ranges == [1...12, 20...21])
        set.append(13...19)
        #expect(set.ranges == [1...21])
    }

    @Test func outOfOrderLineBetweenRangesStaysSeparate() {
        var set = LineSet(ranges: [1...2, 10...12])
        set.append(5)
        #expect(set.ranges == [1...2, 5...5, 10...12])
        #expect(set.contains(5))
        #expect(!set.contains(4))
        #expect(!set.contains(6))
    }

    @Test func containsAtRangeEdges() {
        let set = LineSet(ranges: [10...20, 30...30])
        #expect(set.contains(10) && set.contains(20) && set.contains(30))
        #expect(!set.contains(9) && !set.contains(21) && !set.contains(29) && !set.contains(31))
    }
}
