/// All rules of a file compiled into one trie over path segments.
///
/// A path is matched by walking its segments once, carrying the set of trie nodes still
/// alive; literal segments are found by hash, so a rule costs nothing unless the path can
/// reach it. Thousands of directory rules therefore cost a hash lookup per segment, not a
/// pattern test each.
public struct OwnershipMatcher: Sendable {
    private let frozen: FrozenTrie
    public let ruleCount: Int

    /// Compiles `patterns[i]` as rule i.
    public init(patterns: [String], dialect: OwnershipDialect) {
        var builder = Builder()
        for (rule, pattern) in patterns.enumerated() {
            builder.insert(PatternCompiler.compile(pattern, dialect: dialect), rule: Int32(rule))
        }
        ruleCount = patterns.count
        frozen = FrozenTrie(builder)
    }

    /// FNV-1a of a segment; computed once per segment of a path.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    /// The key of the edge for a segment leaving `node`.
    @inline(__always)
    static func key(_ segmentHash: UInt64, node: Int32) -> UInt64 {
        (segmentHash ^ (UInt64(UInt32(bitPattern: node)) &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
    }

    /// The trie while patterns are added.
    struct Builder {
    struct Node: Sendable {
        var globChildren: [(glob: Glob, child: Int32)] = []
        var anyChild: Int32 = -1
        var depthChild: Int32 = -1
        var isDepth = false
        var exact: [Int32] = []
        var exactOrDescendants: [Int32] = []
        var descendantsOnly: [Int32] = []
    }

    struct LiteralEdge: Sendable {
        var node: Int32
        var bytes: [UInt8]
        var child: Int32
        var next: Int32  // next edge with the same hash, or -1
    }

    var nodes: [Node] = [Node()]
    var literalEdges: [LiteralEdge] = []
    private var literalIndex: [UInt64: Int32] = [:]

    private mutating func child(of node: Int32, for test: SegmentTest) -> Int32 {
        switch test {
        case .any:
            if nodes[Int(node)].anyChild < 0 { nodes[Int(node)].anyChild = newNode() }
            return nodes[Int(node)].anyChild
        case .glob(let glob):
            if let existing = nodes[Int(node)].globChildren.first(where: { $0.glob == glob }) { return existing.child }
            let created = newNode()
            nodes[Int(node)].globChildren.append((glob, created))
            return created
        case .literal(let bytes):
            let h = OwnershipMatcher.key(bytes.withUnsafeBufferPointer { OwnershipMatcher.hash($0) }, node: node)
            var edge = literalIndex[h] ?? -1
            while edge >= 0 {
                let candidate = literalEdges[Int(edge)]
                if candidate.node == node && candidate.bytes == bytes { return candidate.child }
                edge = candidate.next
            }
            let created = newNode()
            literalEdges.append(LiteralEdge(node: node, bytes: bytes, child: created, next: literalIndex[h] ?? -1))
            literalIndex[h] = Int32(literalEdges.count - 1)
            return created
        }
    }

    private mutating func newNode(depth: Bool = false) -> Int32 {
        var node = Node()
        node.isDepth = depth
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    mutating func insert(_ pattern: CompiledPattern, rule: Int32) {
        var node: Int32 = 0
        for step in pattern.steps {
            switch step {
            case .anyDepth:
                if nodes[Int(node)].depthChild < 0 { nodes[Int(node)].depthChild = newNode(depth: true) }
                node = nodes[Int(node)].depthChild
            case .segment(let test):
                node = child(of: node, for: test)
            }
        }
        switch pattern.terminal {
        case .exact: nodes[Int(node)].exact.append(rule)
        case .exactOrDescendants: nodes[Int(node)].exactOrDescendants.append(rule)
        case .descendantsOnly: nodes[Int(node)].descendantsOnly.append(rule)
        }
    }
    }

    /// Working memory for matching; reuse one per thread to match many paths without allocating.
    public struct Scratch {
        var active: [Int32] = []
        var next: [Int32] = []
        var nodeMark: [UInt32] = []
        var ruleMark: [UInt32] = []
        var generation: UInt32 = 0
        var segments: [Range<Int>] = []
        var found: [Int32] = []
        public init() {}
    }

    /// Indices of every rule that matches `path`, ascending.
    public func matches(_ path: RepoPath, scratch: inout Scratch) -> [Int] {
        var found: [Int32] = []
        swap(&found, &scratch.found)
        found.removeAll(keepingCapacity: true)
        path.bytes.withUnsafeBufferPointer { collect($0, scratch: &scratch, into: &found) }
        found.sort()
        defer { swap(&found, &scratch.found) }
        return found.map(Int.init)
    }

    public func matches(_ path: RepoPath) -> [Int] {
        var scratch = Scratch()
        return matches(path, scratch: &scratch)
    }

    /// Appends every matching rule (unordered, each once) to `result`.
    func collect(_ path: UnsafeBufferPointer<UInt8>, scratch: inout Scratch, into result: inout [Int32]) {
        frozen.collect(path, scratch: &scratch, into: &result)
    }
}

/// The trie in plain-data arrays: the matching loop then touches no reference-counted memory.
struct FrozenTrie: Sendable {
    typealias Scratch = OwnershipMatcher.Scratch
    struct Node: Sendable {
        var anyChild: Int32 = -1
        var depthChild: Int32 = -1
        var isDepth = false
        var starGlobs: Range<Int32> = 0..<0    // into starGlobs
        var otherGlobs: Range<Int32> = 0..<0   // into otherGlobs
        var exact: Range<Int32> = 0..<0        // into terminals
        var exactOrDescendants: Range<Int32> = 0..<0
        var descendantsOnly: Range<Int32> = 0..<0
    }

    /// A glob of literals and stars: pieces are ranges of `bytes`.
    struct StarGlob: Sendable {
        var pieces: Range<Int32>  // into pieceRanges
        var startsWithStar: Bool
        var endsWithStar: Bool
        var child: Int32
    }

    var nodes: [Node] = []
    var terminals: [Int32] = []
    var starGlobs: [StarGlob] = []
    var pieceRanges: [Range<Int32>] = []
    var bytes: [UInt8] = []
    var otherGlobs: [(glob: Glob, child: Int32)] = []
    /// Open addressing: key (segment hash mixed with node) -> edge; 0 marks an empty slot.
    var tableKeys: [UInt64] = []
    var tableEdges: [Int32] = []
    var edgeNode: [Int32] = []
    var edgeBytes: [Range<Int32>] = []
    var edgeChild: [Int32] = []
    var mask: Int = 0
    /// One more than the largest rule index stored.
    var ruleCount: Int = 0

    init(_ m: OwnershipMatcher.Builder) {
        for node in m.nodes {
            var flat = Node()
            flat.anyChild = node.anyChild
            flat.depthChild = node.depthChild
            flat.isDepth = node.isDepth
            let starStart = Int32(starGlobs.count)
            let otherStart = Int32(otherGlobs.count)
            for (glob, child) in node.globChildren {
                if let pieces = glob.starPieces {
                    let pieceStart = Int32(pieceRanges.count)
                    for piece in pieces {
                        pieceRanges.append(Int32(bytes.count)..<Int32(bytes.count + piece.count))
                        bytes += piece
                    }
                    starGlobs.append(StarGlob(
                        pieces: pieceStart..<Int32(pieceRanges.count), startsWithStar: glob.startsWithStar,
                        endsWithStar: glob.endsWithStar, child: child))
                } else {
                    otherGlobs.append((glob, child))
                }
            }
            flat.starGlobs = starStart..<Int32(starGlobs.count)
            flat.otherGlobs = otherStart..<Int32(otherGlobs.count)
            func pool(_ rules: [Int32]) -> Range<Int32> {
                let start = Int32(terminals.count)
                terminals += rules
                return start..<Int32(terminals.count)
            }
            flat.exact = pool(node.exact)
            flat.exactOrDescendants = pool(node.exactOrDescendants)
            flat.descendantsOnly = pool(node.descendantsOnly)
            nodes.append(flat)
        }
        ruleCount = terminals.max().map { Int($0) + 1 } ?? 0
        var capacity = 16
        while capacity < m.literalEdges.count * 2 { capacity *= 2 }
        mask = capacity - 1
        tableKeys = Array(repeating: 0, count: capacity)
        tableEdges = Array(repeating: -1, count: capacity)
        for edge in m.literalEdges {
            let key = OwnershipMatcher.key(edge.bytes.withUnsafeBufferPointer { OwnershipMatcher.hash($0) }, node: edge.node) | 1
            var slot = Int(truncatingIfNeeded: key) & mask
            while tableKeys[slot] != 0 { slot = (slot + 1) & mask }
            tableKeys[slot] = key
            tableEdges[slot] = Int32(edgeNode.count)
            edgeNode.append(edge.node)
            edgeBytes.append(Int32(bytes.count)..<Int32(bytes.count + edge.bytes.count))
            bytes += edge.bytes
            edgeChild.append(edge.child)
        }
    }

    func collect(_ path: UnsafeBufferPointer<UInt8>, scratch: inout Scratch, into result: inout [Int32]) {
        // Move the scratch arrays into locals (a move, not a copy, so they stay uniquely
        // referenced): no exclusivity checks and no copy-on-write in the loop.
        var active: [Int32] = []
        var next: [Int32] = []
        var nodeMark: [UInt32] = []
        var ruleMark: [UInt32] = []
        var segments: [Range<Int>] = []
        swap(&active, &scratch.active)
        swap(&next, &scratch.next)
        swap(&nodeMark, &scratch.nodeMark)
        swap(&ruleMark, &scratch.ruleMark)
        swap(&segments, &scratch.segments)
        var generation = scratch.generation
        defer {
            scratch.active = active
            scratch.next = next
            scratch.nodeMark = nodeMark
            scratch.ruleMark = ruleMark
            scratch.segments = segments
            scratch.generation = generation
        }
        if nodeMark.count < nodes.count { nodeMark = Array(repeating: 0, count: nodes.count) }
        if ruleMark.count < ruleCount { ruleMark = Array(repeating: 0, count: ruleCount) }
        if generation > UInt32.max - 1024 {
            for i in nodeMark.indices { nodeMark[i] = 0 }
            for i in ruleMark.indices { ruleMark[i] = 0 }
            generation = 0
        }
        generation += 1
        let ruleGeneration = generation

        segments.removeAll(keepingCapacity: true)
        var start = 0
        for i in 0..<path.count where path[i] == UInt8(ascii: "/") {
            if i > start { segments.append(start..<i) }
            start = i + 1
        }
        if start < path.count { segments.append(start..<path.count) }
        guard !segments.isEmpty else { return }

        nodes.withUnsafeBufferPointer { nodes in
        terminals.withUnsafeBufferPointer { terminals in
        bytes.withUnsafeBufferPointer { bytes in
        nodeMark.withUnsafeMutableBufferPointer { marks in
        ruleMark.withUnsafeMutableBufferPointer { ruleMarks in
            @inline(__always) func add(_ node: Int32, _ set: inout [Int32], _ generation: UInt32) {
                if marks[Int(node)] != generation {
                    marks[Int(node)] = generation
                    set.append(node)
                }
                let depth = nodes[Int(node)].depthChild
                if depth >= 0, marks[Int(depth)] != generation {
                    marks[Int(depth)] = generation
                    set.append(depth)
                }
            }
            @inline(__always) func report(_ range: Range<Int32>) {
                for index in range {
                    let rule = terminals[Int(index)]
                    if ruleMarks[Int(rule)] != ruleGeneration {
                        ruleMarks[Int(rule)] = ruleGeneration
                        result.append(rule)
                    }
                }
            }

            active.removeAll(keepingCapacity: true)
            add(0, &active, generation)
            let last = segments.count - 1
            for position in 0...last {
                generation += 1
                next.removeAll(keepingCapacity: true)
                let segment = UnsafeBufferPointer(rebasing: path[segments[position]])
                let segmentHash = tableKeys.isEmpty ? 0 : OwnershipMatcher.hash(segment)
                for node in active {
                    let n = nodes[Int(node)]
                    if n.isDepth { add(node, &next, generation) }
                    if n.anyChild >= 0 { add(n.anyChild, &next, generation) }
                    for index in n.starGlobs {
                        let glob = starGlobs[Int(index)]
                        if matchStars(glob, segment, bytes) { add(glob.child, &next, generation) }
                    }
                    for index in n.otherGlobs where otherGlobs[Int(index)].glob.matches(segment) {
                        add(otherGlobs[Int(index)].child, &next, generation)
                    }
                    if !tableKeys.isEmpty {
                        let key = OwnershipMatcher.key(segmentHash, node: node) | 1
                        var slot = Int(truncatingIfNeeded: key) & mask
                        while tableKeys[slot] != 0 {
                            if tableKeys[slot] == key {
                                let edge = Int(tableEdges[slot])
                                let range = edgeBytes[edge]
                                if edgeNode[edge] == node, range.count == segment.count,
                                   equal(UnsafeBufferPointer(rebasing: bytes[Int(range.lowerBound)..<Int(range.upperBound)]), segment) {
                                    add(edgeChild[edge], &next, generation)
                                    break
                                }
                            }
                            slot = (slot + 1) & mask
                        }
                    }
                }
                swap(&active, &next)
                if active.isEmpty { return }
                for node in active {
                    let n = nodes[Int(node)]
                    report(n.exactOrDescendants)
                    report(position == last ? n.exact : n.descendantsOnly)
                }
            }
        }
        }
        }
        }
        }
    }

    /// Literals and stars: each piece at its leftmost place, which is exact for such globs.
    @inline(__always)
    private func matchStars(_ glob: StarGlob, _ s: UnsafeBufferPointer<UInt8>, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var first = Int(glob.pieces.lowerBound)
        var last = Int(glob.pieces.upperBound)
        var position = 0
        var end = s.count
        func piece(_ i: Int) -> UnsafeBufferPointer<UInt8> {
            let r = pieceRanges[i]
            return UnsafeBufferPointer(rebasing: bytes[Int(r.lowerBound)..<Int(r.upperBound)])
        }
        if !glob.startsWithStar {
            guard first < last else { return s.isEmpty }
            let head = piece(first)
            guard head.count <= s.count, equal(head, UnsafeBufferPointer(rebasing: s[0..<head.count])) else { return false }
            position = head.count
            first += 1
            if first == last && !glob.endsWithStar { return position == s.count }
        }
        if !glob.endsWithStar, last > first {
            let tail = piece(last - 1)
            guard s.count - tail.count >= position,
                  equal(tail, UnsafeBufferPointer(rebasing: s[(s.count - tail.count)...])) else { return false }
            end = s.count - tail.count
            last -= 1
        }
        var index = first
        while index < last {
            let p = piece(index)
            var found = -1
            var at = position
            while at + p.count <= end {
                if equal(p, UnsafeBufferPointer(rebasing: s[at..<(at + p.count)])) { found = at; break }
                at += 1
            }
            guard found >= 0 else { return false }
            position = found + p.count
            index += 1
        }
        return position <= end
    }
}

@inline(__always)
private func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    for i in 0..<a.count where a[i] != b[i] { return false }
    return true
}
