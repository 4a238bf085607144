// xdiffi.c: sliding change groups to their canonical place (xdl_change_compact), the indent
// heuristic that picks among the places a group can slide to, and the edit script.

extension XDFile {
    /// A run of changed records, `start ..< end`; empty groups sit between unchanged records.
    struct Group {
        var start = 0
        var end = 0
    }

    func firstGroup() -> Group {
        var group = Group()
        while changed[group.end] != 0 { group.end += 1 }
        return group
    }

    /// Moves to the next group; false at the end of the file.
    func next(_ group: inout Group) -> Bool {
        if group.end == recordCount { return false }
        group.start = group.end + 1
        group.end = group.start
        while changed[group.end] != 0 { group.end += 1 }
        return true
    }

    /// Moves to the previous group; false at the start of the file.
    func previous(_ group: inout Group) -> Bool {
        if group.start == 0 { return false }
        group.end = group.start - 1
        group.start = group.end
        while changed[group.start - 1] != 0 { group.start -= 1 }
        return true
    }

    /// Slides the group one line down when its first line equals the line after it, merging
    /// with a group it bumps into.
    func slideDown(_ group: inout Group) -> Bool {
        guard group.end < recordCount, classes[group.start] == classes[group.end] else { return false }
        changed[group.start] = 0
        group.start += 1
        changed[group.end] = 1
        group.end += 1
        while changed[group.end] != 0 { group.end += 1 }
        return true
    }

    func slideUp(_ group: inout Group) -> Bool {
        guard group.start > 0, classes[group.start - 1] == classes[group.end - 1] else { return false }
        group.start -= 1
        changed[group.start] = 1
        group.end -= 1
        changed[group.end] = 0
        while changed[group.start - 1] != 0 { group.start -= 1 }
        return true
    }

    /// `xdl_change_compact`: every group slides as far up as it can, merging with groups it
    /// meets, then down; it then stays aligned with a change on the other side if it can be, or
    /// goes where the indent heuristic scores best, or as far down as it slid.
    func compact(against other: XDFile, indentHeuristic: Bool) {
        var group = firstGroup()
        var otherGroup = other.firstGroup()
        while true {
            if group.end != group.start {
                var groupSize = 0
                var earliestEnd = 0
                var endMatchingOther = -1
                repeat {
                    groupSize = group.end - group.start
                    endMatchingOther = -1
                    while slideUp(&group) {
                        let moved = other.previous(&otherGroup)
                        precondition(moved, "xdiff: group sync broken sliding up")
                    }
                    earliestEnd = group.end
                    if otherGroup.end > otherGroup.start { endMatchingOther = group.end }
                    while slideDown(&group) {
                        let moved = other.next(&otherGroup)
                        precondition(moved, "xdiff: group sync broken sliding down")
                        if otherGroup.end > otherGroup.start { endMatchingOther = group.end }
                    }
                } while groupSize != group.end - group.start

                if group.end == earliestEnd {
                    // It could not move.
                } else if endMatchingOther != -1 {
                    while otherGroup.end == otherGroup.start {
                        let slid = slideUp(&group)
                        let moved = other.previous(&otherGroup)
                        precondition(slid && moved, "xdiff: group sync broken sliding to match")
                    }
                } else if indentHeuristic {
                    let bestShift = bestIndentShift(groupEnd: group.end, groupSize: groupSize, earliestEnd: earliestEnd)
                    while group.end > bestShift {
                        let slid = slideUp(&group)
                        let moved = other.previous(&otherGroup)
                        precondition(slid && moved, "xdiff: group sync broken sliding to the best shift")
                    }
                }
            }
            if !next(&group) { break }
            let moved = other.next(&otherGroup)
            precondition(moved, "xdiff: group sync broken moving to the next group")
        }
    }

    /// The edit script (`xdl_build_script`), in file order, from both sides' change marks.
    static func script(_ file1: XDFile, _ file2: XDFile) -> [LineDiff.Change] {
        var reversed: [LineDiff.Change] = []
        var i1 = file1.recordCount
        var i2 = file2.recordCount
        let changed1 = file1.changed
        let changed2 = file2.changed
        // Unchanged records pair up one to one, so both indices reach 0 together.
        while i1 >= 0 && i2 >= 0 {
            if changed1[i1 - 1] != 0 || changed2[i2 - 1] != 0 {
                let l1 = i1
                let l2 = i2
                while changed1[i1 - 1] != 0 { i1 -= 1 }
                while changed2[i2 - 1] != 0 { i2 -= 1 }
                reversed.append(LineDiff.Change(oldStart: i1, oldCount: l1 - i1, newStart: i2, newCount: l2 - i2))
            }
            i1 -= 1
            i2 -= 1
        }
        return reversed.reversed()
    }
}

extension XDEnvironment {
    /// Diffs, slides the groups on both sides, and reads off the script (`xdl_diff`).
    func editScript(_ options: LineDiff.Options) throws(LineDiff.Failure) -> [LineDiff.Change] {
        try diff(options.algorithm)
        file1.compact(against: file2, indentHeuristic: options.indentHeuristic)
        file2.compact(against: file1, indentHeuristic: options.indentHeuristic)
        return XDFile.script(file1, file2)
    }
}

// MARK: - The indent heuristic (git 2.14+, tuned by Michael Haggerty's diff-slider-tools)

private let maxIndent = 200
private let maxBlanks = 20
private let startOfFilePenalty = 1
private let endOfFilePenalty = 21
private let totalBlankWeight = -30
private let postBlankWeight = 6
private let relativeIndentPenalty = -4
private let relativeIndentWithBlankPenalty = 10
private let relativeOutdentPenalty = 24
private let relativeOutdentWithBlankPenalty = 17
private let relativeDedentPenalty = 23
private let relativeDedentWithBlankPenalty = 17
private let indentWeight = 60
private let indentHeuristicMaxSliding = 100

private struct SplitMeasurement {
    var endOfFile = false
    var indent = 0
    var preBlank = 0
    var preIndent = 0
    var postBlank = 0
    var postIndent = 0
}

private struct SplitScore {
    var effectiveIndent = 0
    var penalty = 0

    /// Negative when `self` is the better split.
    func compare(_ other: SplitScore) -> Int {
        let indents = (effectiveIndent > other.effectiveIndent ? 1 : 0) - (effectiveIndent < other.effectiveIndent ? 1 : 0)
        return indentWeight * indents + (penalty - other.penalty)
    }
}

extension XDFile {
    /// Where the group ends after sliding up to the best-scoring place (`shift` loop of
    /// xdl_change_compact).
    fileprivate func bestIndentShift(groupEnd: Int, groupSize: Int, earliestEnd: Int) -> Int {
        var shift = earliestEnd
        if groupEnd - groupSize - 1 > shift { shift = groupEnd - groupSize - 1 }
        if groupEnd - indentHeuristicMaxSliding > shift { shift = groupEnd - indentHeuristicMaxSliding }
        var bestShift = -1
        var bestScore = SplitScore()
        while shift <= groupEnd {
            var score = SplitScore()
            addSplitScore(measureSplit(shift), to: &score)
            addSplitScore(measureSplit(shift - groupSize), to: &score)
            if bestShift == -1 || score.compare(bestScore) <= 0 {
                bestScore = score
                bestShift = shift
            }
            shift += 1
        }
        return bestShift
    }

    /// Columns of indentation, a tab reaching the next multiple of 8; -1 for a line of only
    /// whitespace. Whitespace is git's: space, tab, CR and LF (not VT or FF).
    private func indent(_ record: Int) -> Int {
        let start = recordStart(record)
        let size = recordSize(record)
        var columns = 0
        for offset in 0..<size {
            let byte = start[offset]
            if byte == UInt8(ascii: " ") {
                columns += 1
            } else if byte == UInt8(ascii: "\t") {
                columns += 8 - columns % 8
            } else if byte != UInt8(ascii: "\n") && byte != UInt8(ascii: "\r") {
                return columns
            }
            if columns >= maxIndent { return maxIndent }
        }
        return -1
    }

    private func measureSplit(_ split: Int) -> SplitMeasurement {
        var measurement = SplitMeasurement()
        if split >= recordCount {
            measurement.endOfFile = true
            measurement.indent = -1
        } else {
            measurement.indent = indent(split)
        }
        measurement.preBlank = 0
        measurement.preIndent = -1
        var index = split - 1
        while index >= 0 {
            measurement.preIndent = indent(index)
            if measurement.preIndent != -1 { break }
            measurement.preBlank += 1
            if measurement.preBlank == maxBlanks {
                measurement.preIndent = 0
                break
            }
            index -= 1
        }
        measurement.postBlank = 0
        measurement.postIndent = -1
        index = split + 1
        while index < recordCount {
            measurement.postIndent = indent(index)
            if measurement.postIndent != -1 { break }
            measurement.postBlank += 1
            if measurement.postBlank == maxBlanks {
                measurement.postIndent = 0
                break
            }
            index += 1
        }
        return measurement
    }

    private func addSplitScore(_ m: SplitMeasurement, to score: inout SplitScore) {
        if m.preIndent == -1 && m.preBlank == 0 { score.penalty += startOfFilePenalty }
        if m.endOfFile { score.penalty += endOfFilePenalty }
        let postBlank = m.indent == -1 ? 1 + m.postBlank : 0
        let totalBlank = m.preBlank + postBlank
        score.penalty += totalBlankWeight * totalBlank
        score.penalty += postBlankWeight * postBlank
        let indent = m.indent != -1 ? m.indent : m.postIndent
        let anyBlanks = totalBlank != 0
        score.effectiveIndent += indent
        if indent == -1 || m.preIndent == -1 {
            // Nothing more to weigh.
        } else if indent > m.preIndent {
            score.penalty += anyBlanks ? relativeIndentWithBlankPenalty : relativeIndentPenalty
        } else if indent == m.preIndent {
            // Same level as the line before.
        } else if m.postIndent != -1 && m.postIndent > indent {
            score.penalty += anyBlanks ? relativeOutdentWithBlankPenalty : relativeOutdentPenalty
        } else {
            score.penalty += anyBlanks ? relativeDedentWithBlankPenalty : relativeDedentPenalty
        }
    }
}
