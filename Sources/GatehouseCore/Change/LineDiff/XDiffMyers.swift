// xdiffi.c: Myers' O(ND) algorithm with xdiff's heuristics (xdl_split, xdl_recs_cmp, xdl_do_diff).

extension XDEnvironment {
    /// Marks every changed record of both sides with the chosen algorithm (`xdl_do_diff`).
    func diff(_ algorithm: LineDiff.Options.Algorithm) throws(LineDiff.Failure) {
        switch algorithm {
        case .myers, .minimal:
            myers(needMinimal: algorithm == .minimal)
        case .patience:
            patience()
        case .histogram:
            try histogram()
        }
    }

    /// Myers on the pruned records (`xdl_recs_cmp` from the whole box).
    func myers(needMinimal: Bool) {
        let count1 = file1.reducedCount
        let count2 = file2.reducedCount
        let diagonals = count1 + count2 + 3
        let storage = UnsafeMutablePointer<Int>.allocate(capacity: 2 * diagonals + 2)
        defer { storage.deallocate() }
        var maxCost = xdlBogoSqrt(diagonals)
        if maxCost < 256 { maxCost = 256 }
        let search = MyersSearch(
            classes1: file1.reducedClasses!, classes2: file2.reducedClasses!,
            forward: storage + (count2 + 1), backward: storage + diagonals + (count2 + 1),
            maxCost: maxCost)
        // The two halves of each split are independent: a stack instead of recursion keeps
        // hostile inputs from exhausting a worker thread's stack.
        var boxes = [MyersSearch.Box(off1: 0, lim1: count1, off2: 0, lim2: count2, needMinimal: needMinimal)]
        while var box = boxes.popLast() {
            let classes1 = search.classes1
            let classes2 = search.classes2
            while box.off1 < box.lim1, box.off2 < box.lim2, classes1[box.off1] == classes2[box.off2] {
                box.off1 += 1
                box.off2 += 1
            }
            while box.off1 < box.lim1, box.off2 < box.lim2, classes1[box.lim1 - 1] == classes2[box.lim2 - 1] {
                box.lim1 -= 1
                box.lim2 -= 1
            }
            if box.off1 == box.lim1 {
                for index in box.off2..<box.lim2 { file2.changed[file2.reducedIndex![index]] = 1 }
            } else if box.off2 == box.lim2 {
                for index in box.off1..<box.lim1 { file1.changed[file1.reducedIndex![index]] = 1 }
            } else {
                let split = search.split(box)
                // Pushed in reverse so the lower box is done first, as the recursion does.
                boxes.append(.init(off1: split.i1, lim1: box.lim1, off2: split.i2, lim2: box.lim2, needMinimal: split.minHigh))
                boxes.append(.init(off1: box.off1, lim1: split.i1, off2: box.off2, lim2: split.i2, needMinimal: split.minLow))
            }
        }
    }
}

/// The state of `xdl_split`: the forward and backward diagonal vectors over the pruned classes.
struct MyersSearch {
    struct Box {
        var off1: Int
        var lim1: Int
        var off2: Int
        var lim2: Int
        var needMinimal: Bool
    }

    struct Split {
        var i1: Int
        var i2: Int
        var minLow: Bool
        var minHigh: Bool
    }

    let classes1: UnsafeMutablePointer<Int>
    let classes2: UnsafeMutablePointer<Int>
    /// Indexed by diagonal, from -(count2 + 1) to count1 + 1.
    let forward: UnsafeMutablePointer<Int>
    let backward: UnsafeMutablePointer<Int>
    let maxCost: Int
    let snakeCount = 20
    let heuristicMinCost = 256

    /// Finds where the box is split: the middle snake, or under the cost heuristics a good
    /// enough point (see "An O(ND) Difference Algorithm and its Variations", Myers 1986).
    func split(_ box: Box) -> Split {
        let off1 = box.off1, lim1 = box.lim1, off2 = box.off2, lim2 = box.lim2
        let ha1 = classes1, ha2 = classes2
        let kvdf = forward, kvdb = backward
        let dmin = off1 - lim2, dmax = lim1 - off2
        let fmid = off1 - off2, bmid = lim1 - lim2
        let odd = (fmid - bmid) & 1 != 0
        var fmin = fmid, fmax = fmid
        var bmin = bmid, bmax = bmid

        kvdf[fmid] = off1
        kvdb[bmid] = lim1

        var ec = 1
        while true {
            var gotSnake = false

            if fmin > dmin {
                fmin -= 1
                kvdf[fmin - 1] = -1
            } else {
                fmin += 1
            }
            if fmax < dmax {
                fmax += 1
                kvdf[fmax + 1] = -1
            } else {
                fmax -= 1
            }

            var d = fmax
            while d >= fmin {
                var i1 = kvdf[d - 1] >= kvdf[d + 1] ? kvdf[d - 1] + 1 : kvdf[d + 1]
                let prev1 = i1
                var i2 = i1 - d
                while i1 < lim1, i2 < lim2, ha1[i1] == ha2[i2] {
                    i1 += 1
                    i2 += 1
                }
                if i1 - prev1 > snakeCount { gotSnake = true }
                kvdf[d] = i1
                if odd, bmin <= d, d <= bmax, kvdb[d] <= i1 {
                    return Split(i1: i1, i2: i2, minLow: true, minHigh: true)
                }
                d -= 2
            }

            if bmin > dmin {
                bmin -= 1
                kvdb[bmin - 1] = Int.max
            } else {
                bmin += 1
            }
            if bmax < dmax {
                bmax += 1
                kvdb[bmax + 1] = Int.max
            } else {
                bmax -= 1
            }

            d = bmax
            while d >= bmin {
                var i1 = kvdb[d - 1] < kvdb[d + 1] ? kvdb[d - 1] : kvdb[d + 1] - 1
                let prev1 = i1
                var i2 = i1 - d
                while i1 > off1, i2 > off2, ha1[i1 - 1] == ha2[i2 - 1] {
                    i1 -= 1
                    i2 -= 1
                }
                if prev1 - i1 > snakeCount { gotSnake = true }
                kvdb[d] = i1
                if !odd, fmin <= d, d <= fmax, i1 <= kvdf[d] {
                    return Split(i1: i1, i2: i2, minLow: true, minHigh: true)
                }
                d -= 2
            }

            if box.needMinimal {
                ec += 1
                continue
            }

            // Past the heuristic's trigger, a diagonal that got far along a long snake is
            // taken as the split even though it is not the middle one.
            if gotSnake, ec > heuristicMinCost {
                var best = 0
                var split = Split(i1: 0, i2: 0, minLow: true, minHigh: false)
                d = fmax
                while d >= fmin {
                    let dd = d > fmid ? d - fmid : fmid - d
                    let i1 = kvdf[d]
                    let i2 = i1 - d
                    let v = (i1 - off1) + (i2 - off2) - dd
                    if v > 4 * ec, v > best, off1 + snakeCount <= i1, i1 < lim1, off2 + snakeCount <= i2, i2 < lim2 {
                        var k = 1
                        while ha1[i1 - k] == ha2[i2 - k] {
                            if k == snakeCount {
                                best = v
                                split.i1 = i1
                                split.i2 = i2
                                break
                            }
                            k += 1
                        }
                    }
                    d -= 2
                }
                if best > 0 { return split }

                best = 0
                split = Split(i1: 0, i2: 0, minLow: false, minHigh: true)
                d = bmax
                while d >= bmin {
                    let dd = d > bmid ? d - bmid : bmid - d
                    let i1 = kvdb[d]
                    let i2 = i1 - d
                    let v = (lim1 - i1) + (lim2 - i2) - dd
                    if v > 4 * ec, v > best, off1 < i1, i1 <= lim1 - snakeCount, off2 < i2, i2 <= lim2 - snakeCount {
                        var k = 0
                        while ha1[i1 + k] == ha2[i2 + k] {
                            if k == snakeCount - 1 {
                                best = v
                                split.i1 = i1
                                split.i2 = i2
                                break
                            }
                            k += 1
                        }
                    }
                    d -= 2
                }
                if best > 0 { return split }
            }

            // Enough is enough: take the furthest-reaching path.
            if ec >= maxCost {
                var fbest = -1, fbest1 = -1
                d = fmax
                while d >= fmin {
                    var i1 = min(kvdf[d], lim1)
                    var i2 = i1 - d
                    if lim2 < i2 {
                        i1 = lim2 + d
                        i2 = lim2
                    }
                    if fbest < i1 + i2 {
                        fbest = i1 + i2
                        fbest1 = i1
                    }
                    d -= 2
                }
                var bbest = Int.max, bbest1 = Int.max
                d = bmax
                while d >= bmin {
                    var i1 = max(off1, kvdb[d])
                    var i2 = i1 - d
                    if i2 < off2 {
                        i1 = off2 + d
                        i2 = off2
                    }
                    if i1 + i2 < bbest {
                        bbest = i1 + i2
                        bbest1 = i1
                    }
                    d -= 2
                }
                if (lim1 + lim2) - bbest < fbest - (off1 + off2) {
                    return Split(i1: fbest1, i2: fbest - fbest1, minLow: true, minHigh: false)
                }
                return Split(i1: bbest1, i2: bbest - bbest1, minLow: false, minHigh: true)
            }
            ec += 1
        }
    }
}
