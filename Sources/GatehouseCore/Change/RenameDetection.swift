/// Rename detection as `git diff -M` does it (git's diffcore-rename), so that renames and
/// their similarity scores agree with what people see from git itself:
/// 1. exact renames: a deleted and an added file with the same object id;
/// 2. pairs whose basename is unique among the remaining sources and destinations, when at
///    least halfway between the threshold and identical (75% by default);
/// 3. every remaining source against every remaining destination, best scores first,
///    unless that matrix exceeds `renameLimit`².
/// Similarity is git's: the bytes of the destination copied from the source, counted over
/// line-sized spans, divided by the larger size.
public struct RenameDetector: Sendable {
    public static let maxScore = 60_000

    public struct Candidate: Sendable {
        public var path: RepoPath
        /// The object id (any stable form; equal ids mean equal content).
        public var objectID: String
        /// Git file mode, e.g. 0o100644, 0o100755, 0o120000.
        public var mode: UInt32

        public init(path: RepoPath, objectID: String, mode: UInt32) {
            self.path = path
            self.objectID = objectID
            self.mode = mode
        }

        var isRegular: Bool { mode & 0o170000 == 0o100000 }
    }

    public struct Pair: Hashable, Sendable {
        public var source: Int
        public var destination: Int
        /// 0...60,000 as git scores it; `similarity` is the percentage git prints.
        public var score: Int
        public var similarity: Int { score * 100 / RenameDetector.maxScore }
    }

    /// Git's default -M threshold: 50%.
    public var minimumScore: Int
    /// Git's diff.renameLimit default.
    public var renameLimit: Int

    public init(minimumScore: Int = RenameDetector.maxScore / 2, renameLimit: Int = 1000) {
        self.minimumScore = minimumScore
        self.renameLimit = renameLimit
    }

    /// Pairs deleted files (`sources`) with added files (`destinations`).
    /// `content` loads a file's bytes on demand: `(true, i)` for source i, `(false, i)` for destination i.
    public func detect(
        sources: [Candidate], destinations: [Candidate], content: (_ isSource: Bool, _ index: Int) -> [UInt8]
    ) -> [Pair] {
        // The loader is only kept for the duration of this call, inside the signature cache.
        withoutActuallyEscaping(content) { content in
            detect(sources: sources, destinations: destinations, loader: content)
        }
    }

    private func detect(
        sources: [Candidate], destinations: [Candidate], loader content: @escaping (Bool, Int) -> [UInt8]
    ) -> [Pair] {
        guard !sources.isEmpty, !destinations.isEmpty else { return [] }
        var sourceUsed = [Bool](repeating: false, count: sources.count)
        var destinationDone = [Bool](repeating: false, count: destinations.count)
        var pairs: [Pair] = []

        // 1. Exact renames. Among identical sources prefer one with the same basename.
        var sourcesByID: [String: [Int]] = [:]
        for (index, source) in sources.enumerated() { sourcesByID[source.objectID, default: []].append(index) }
        for (d, destination) in destinations.enumerated() {
            guard let matches = sourcesByID[destination.objectID] else { continue }
            var best: Int?
            var bestScore = 0
            for s in matches where !sourceUsed[s] {
                let source = sources[s]
                if !(source.isRegular && destination.isRegular), source.mode != destination.mode { continue }
                let score = 1 + (Self.basename(source.path) == Self.basename(destination.path) ? 1 : 0)
                if score > bestScore {
                    best = s
                    bestScore = score
                    if score == 2 { break }
                }
            }
            if let s = best {
                sourceUsed[s] = true
                destinationDone[d] = true
                pairs.append(Pair(source: s, destination: d, score: Self.maxScore))
            }
        }

        var signatures = SignatureCache(content: content)

        // 2. Unique basenames.
        let minimumBasenameScore = minimumScore + (Self.maxScore - minimumScore) / 2
        var sourceByBasename: [[UInt8]: Int] = [:]
        for (s, source) in sources.enumerated() where !sourceUsed[s] {
            let base = Self.basename(source.path)
            sourceByBasename[base] = sourceByBasename[base] == nil ? s : -1
        }
        var destinationByBasename: [[UInt8]: Int] = [:]
        for (d, destination) in destinations.enumerated() where !destinationDone[d] {
            let base = Self.basename(destination.path)
            destinationByBasename[base] = destinationByBasename[base] == nil ? d : -1
        }
        for (s, source) in sources.enumerated() where !sourceUsed[s] {
            let base = Self.basename(source.path)
            guard sourceByBasename[base] == s, let d = destinationByBasename[base], d >= 0, !destinationDone[d] else { continue }
            let score = estimate(source: s, destination: d, sources: sources, destinations: destinations, signatures: &signatures)
            if score >= minimumBasenameScore {
                sourceUsed[s] = true
                destinationDone[d] = true
                pairs.append(Pair(source: s, destination: d, score: score))
            }
        }

        // 3. The matrix of what remains.
        let remainingSources = sources.indices.filter { !sourceUsed[$0] }
        let remainingDestinations = destinations.indices.filter { !destinationDone[$0] }
        let (ns, nd) = (remainingSources.count, remainingDestinations.count)
        guard ns > 0, nd > 0 else { return pairs }
        if !((nd <= renameLimit || ns <= renameLimit) && nd * ns <= renameLimit * renameLimit) {
            return pairs  // git gives up on inexact renames here too (and warns)
        }
        struct Scored {
            var destination: Int
            var source: Int
            var score: Int
            var nameScore: Int
        }
        // git keeps the four best sources per destination, then takes the best pairs first.
        func better(_ a: Scored, _ b: Scored) -> Bool {
            a.score != b.score ? a.score > b.score : a.nameScore > b.nameScore
        }
        var candidates: [Scored] = []
        candidates.reserveCapacity(nd * 4)
        for d in remainingDestinations {
            var best: [Scored] = []
            for s in remainingSources {
                let score = estimate(source: s, destination: d, sources: sources, destinations: destinations, signatures: &signatures)
                let scored = Scored(
                    destination: d, source: s, score: score,
                    nameScore: Self.basename(sources[s].path) == Self.basename(destinations[d].path) ? 1 : 0)
                if best.count < 4 {
                    best.append(scored)
                } else {
                    var worst = 0
                    for i in 1..<4 where better(best[worst], best[i]) { worst = i }
                    if better(scored, best[worst]) { best[worst] = scored }
                }
            }
            candidates += best
        }
        let ordered = candidates.enumerated().sorted { a, b in
            better(a.element, b.element) || (!better(b.element, a.element) && a.offset < b.offset)
        }.map(\.element)
        for candidate in ordered {
            if candidate.score < minimumScore { break }
            if destinationDone[candidate.destination] || sourceUsed[candidate.source] { continue }
            destinationDone[candidate.destination] = true
            sourceUsed[candidate.source] = true
            pairs.append(Pair(source: candidate.source, destination: candidate.destination, score: candidate.score))
        }
        return pairs
    }

    private func estimate(
        source s: Int, destination d: Int, sources: [Candidate], destinations: [Candidate], signatures: inout SignatureCache
    ) -> Int {
        // Only regular files are renamed with edits; symlinks must match exactly.
        guard sources[s].isRegular, destinations[d].isRegular else { return 0 }
        let a = signatures.signature(isSource: true, index: s)
        let b = signatures.signature(isSource: false, index: d)
        let maxSize = max(a.size, b.size)
        let delta = maxSize - min(a.size, b.size)
        // A size change this large cannot reach the threshold; git skips it without comparing.
        if maxSize * (Self.maxScore - minimumScore) < delta * Self.maxScore { return 0 }
        guard maxSize > 0 else { return 0 }
        return SpanSignature.copiedBytes(from: a, to: b) * Self.maxScore / maxSize
    }

    static func basename(_ path: RepoPath) -> [UInt8] {
        guard let slash = path.bytes.lastIndex(of: UInt8(ascii: "/")) else { return path.bytes }
        return Array(path.bytes[(slash + 1)...])
    }
}

private struct SignatureCache {
    let content: (Bool, Int) -> [UInt8]
    var sources: [Int: SpanSignature] = [:]
    var destinations: [Int: SpanSignature] = [:]

    init(content: @escaping (Bool, Int) -> [UInt8]) {
        self.content = content
    }

    mutating func signature(isSource: Bool, index: Int) -> SpanSignature {
        if let cached = isSource ? sources[index] : destinations[index] { return cached }
        let signature = SpanSignature(content(isSource, index))
        if isSource { sources[index] = signature } else { destinations[index] = signature }
        return signature
    }
}

/// git's diffcore-delta: the content cut into spans that end at a newline or after 64 bytes,
/// each span hashed, and the bytes counted per hash.
struct SpanSignature {
    let size: Int
    /// (hash, bytes) sorted by hash.
    let spans: [(hash: UInt32, count: Int)]

    static let hashBase: UInt32 = 107_927

    init(_ data: [UInt8]) {
        size = data.count
        // Text ignores the CR of CRLF, as git does; binary means a NUL in the first 8,000 bytes.
        let isText = !data.prefix(8000).contains(0)
        var counts: [UInt32: Int] = [:]
        var accum1: UInt32 = 0
        var accum2: UInt32 = 0
        var n = 0
        var i = 0
        let count = data.count
        data.withUnsafeBufferPointer { buffer in
            while i < count {
                let c = UInt32(buffer[i])
                i += 1
                if isText && c == 0x0D && i < count && buffer[i] == 0x0A { continue }
                let old1 = accum1
                accum1 = (accum1 &<< 7) ^ (accum2 >> 25)
                accum2 = (accum2 &<< 7) ^ (old1 >> 25)
                accum1 &+= c
                n += 1
                if n < 64 && c != 0x0A { continue }
                counts[(accum1 &+ accum2 &* 0x61) % Self.hashBase, default: 0] += n
                n = 0
                accum1 = 0
                accum2 = 0
            }
        }
        if n > 0 { counts[(accum1 &+ accum2 &* 0x61) % Self.hashBase, default: 0] += n }
        spans = counts.map { (hash: $0.key, count: $0.value) }.sorted { $0.hash < $1.hash }
    }

    /// Bytes of `b` that also occur in `a`, span by span.
    static func copiedBytes(from a: SpanSignature, to b: SpanSignature) -> Int {
        var copied = 0
        var i = 0
        var j = 0
        while i < a.spans.count && j < b.spans.count {
            let x = a.spans[i]
            let y = b.spans[j]
            if x.hash == y.hash {
                copied += min(x.count, y.count)
                i += 1
                j += 1
            } else if x.hash < y.hash {
                i += 1
            } else {
                j += 1
            }
        }
        return copied
    }
}
