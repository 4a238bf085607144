/// All rules of a file compiled into one trie over path segments.
///
/// A path is matched by walking its segments once, carrying the set of trie nodes still
/// alive; literal segments are found by hash, so a rule costs nothing unless the path can
/// reach it. Thousands of directory rules therefore cost a hash lookup per segment, not a
/// pattern test each.
public struct OwnershipMatcher: Sendable {
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

    private(set) var nodes: [Node] = [Node()]
    private var literalEdges: [LiteralEdge] = []
    private var literalIndex: [UInt64: Int32] = [:]
    public let ruleCount: Int

    /// Compiles `patterns[i]` as rule i.
    public init(patterns: [String], dialect: OwnershipDialect) {
        ruleCount = patterns.count
        for (rule, pattern) in patterns.enumerated() {
            insert(PatternCompiler.compile(pattern, dialect: dialect), rule: Int32(rule))
        }
    }

    /// FNV-1a of a segment; computed once per segment of a path.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    /// The key of the edge for a segment leaving `node`.
    @inline(__always)
    private static func key(_ segmentHash: UInt64, node: Int32) -> UInt64 {
        (segmentHash ^ (UInt64(UInt32(bitPattern: node)) &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
    }

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
            let h = Self.key(bytes.withUnsafeBufferPointer { Self.hash($0) }, node: node)
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

    private mutating func insert(_ pattern: CompiledPattern, rule: Int32) {
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

    /// Working memory for matching; reuse one per thread to match many paths without allocating.
    public struct Scratch {
        var active: [Int32] = []
        var next: [Int32] = []
        var nodeMark: [UInt32] = []
        var ruleMark: [UInt32] = []
        var generation: UInt32 = 0
        var segments: [Range<Int>] = []
        public init() {}
    }

    /// Indices of every rule that matches `path`, ascending.
    public func matches(_ path: RepoPath, scratch: inout Scratch) -> [Int] {
        var result: [Int32] = []
        path.bytes.withUnsafeBufferPointer { collect($0, scratch: &scratch, into: &result) }
        return result.sorted().map(Int.init)
    }

    public func matches(_ path: RepoPath) -> [Int] {
        var scratch = Scratch()
        return matches(path, scratch: &scratch)
    }

    /// Appends every matching rule (unordered, each once) to `result`.
    func collect(_ path: UnsafeBufferPointer<UInt8>, scratch: inout Scratch, into result: inout [Int32]) {
        if scratch.nodeMark.count < nodes.count { scratch.nodeMark = Array(repeating: 0, count: nodes.count) }
        if scratch.ruleMark.count < ruleCount { scratch.ruleMark = Array(repeating: 0, count: ruleCount) }
        scratch.generation &+= 1
        if scratch.generation == 0 {
            // After 2^32 paths the marks wrap; start them afresh.
            for i in scratch.nodeMark.indices { scratch.nodeMark[i] = 0 }
            for i in scratch.ruleMark.indices { scratch.ruleMark[i] = 0 }
            scratch.generation = 1
        }
        let ruleGeneration = scratch.generation

        scratch.segments.removeAll(keepingCapacity: true)
        var start = 0
        for i in 0..<path.count where path[i] == UInt8(ascii: "/") {
            if i > start { scratch.segments.append(start..<i) }
            start = i + 1
        }
        if start < path.count { scratch.segments.append(start..<path.count) }
        guard !scratch.segments.isEmpty else { return }

        scratch.active.removeAll(keepingCapacity: true)
        add(0, to: &scratch.active, marks: &scratch.nodeMark, generation: scratch.generation)
        let last = scratch.segments.count - 1
        for (position, range) in scratch.segments.enumerated() {
            scratch.generation &+= 1
            if scratch.generation == 0 { scratch.generation = 1 }
            scratch.next.removeAll(keepingCapacity: true)
            let segment = UnsafeBufferPointer(rebasing: path[range])
            let segmentHash = literalIndex.isEmpty ? 0 : Self.hash(segment)
            for node in scratch.active {
                let n = nodes[Int(node)]
                if n.isDepth { add(node, to: &scratch.next, marks: &scratch.nodeMark, generation: scratch.generation) }
                if n.anyChild >= 0 { add(n.anyChild, to: &scratch.next, marks: &scratch.nodeMark, generation: scratch.generation) }
                for (glob, child) in n.globChildren where glob.matches(segment) {
                    add(child, to: &scratch.next, marks: &scratch.nodeMark, generation: scratch.generation)
                }
                if !literalIndex.isEmpty {
                    var edge = literalIndex[Self.key(segmentHash, node: node)] ?? -1
                    while edge >= 0 {
                        let candidate = literalEdges[Int(edge)]
                        if candidate.node == node, candidate.bytes.count == segment.count,
                           candidate.bytes.withUnsafeBufferPointer({ memcmpEqual($0, segment) }) {
                            add(candidate.child, to: &scratch.next, marks: &scratch.nodeMark, generation: scratch.generation)
                            break
                        }
                        edge = candidate.next
                    }
                }
            }
            swap(&scratch.active, &scratch.next)
            if scratch.active.isEmpty { return }
            for node in scratch.active {
                let n = nodes[Int(node)]
                for rule in n.exactOrDescendants where scratch.ruleMark[Int(rule)] != ruleGeneration {
                    scratch.ruleMark[Int(rule)] = ruleGeneration
                    result.append(rule)
                }
                let terminal = position == last ? n.exact : n.descendantsOnly
                for rule in terminal where scratch.ruleMark[Int(rule)] != ruleGeneration {
                    scratch.ruleMark[Int(rule)] = ruleGeneration
                    result.append(rule)
                }
            }
        }
    }

    /// Adds a node and, since `**` may match nothing, the `**` node that follows it.
    @inline(__always)
    private func add(_ node: Int32, to set: inout [Int32], marks: inout [UInt32], generation: UInt32) {
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
}

@inline(__always)
private func memcmpEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    for i in 0..<a.count where a[i] != b[i] { return false }
    return true
}
