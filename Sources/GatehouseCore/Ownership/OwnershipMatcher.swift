/// All rules of a file compiled into one trie over path segments.
///
/// A path is matched by walking its segments once, carrying the set of trie nodes still
/// alive; literal segments are found by hash, so a rule costs nothing unless the path can
/// reach it. Thousands of directory rules therefore cost a hash lookup per segment, not a
/// pattern test each.
public struct OwnershipMatcher: Sendable {
    let frozen: FrozenTrie
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

    /// Matches paths one after another, reusing what the previous path's folders matched.
    ///
    /// Most rules are about folders, and the files of one folder share them: in a tree listed in
    /// git's order, a folder's segments are matched once for all its files, and each file costs
    /// one step for its name. A path is split into its folders and its name; the cursor keeps one
    /// level per folder of the previous path (the trie nodes alive after it, and the rules its
    /// folders matched), drops the levels the new path does not share, and adds its own. The
    /// answer is the same as `matches(_:scratch:)`'s for any order of paths; only the work differs.
    public struct Cursor {
        private let trie: FrozenTrie
        /// Per node and per rule marks, in memory of the cursor's own (a copy of a cursor shares
        /// it: use one cursor per thread).
        private let memory: CursorMemory
        private let nodeMark: UnsafeMutableBufferPointer<UInt32>
        private let ruleMark: UnsafeMutableBufferPointer<UInt32>
        /// Per rule: among `rules`.
        private let inFolders: UnsafeMutableBufferPointer<Bool>
        private var generation: UInt32 = 0
        /// The previous path's folders, each followed by "/"; level k ends at `levels[k].folderEnd`.
        private var folders: [UInt8] = []
        private var levels: [Level] = []
        /// The nodes alive after each level, level after level (the root's first).
        private var nodes: [Int32] = []
        /// The rules the folders matched, level after level, each once.
        private var rules: [Int32] = []
        /// `rules`, sorted; rebuilt when the levels change.
        private var sortedFolderRules: [Int32] = []
        private var sortedIsValid = false
        /// For `decidingMatches`: the folders' part, valid while the levels are unchanged.
        private var folderDecision: (rule: Int32, exclusion: Int32) = (-1, -1)
        private var folderDecisionIsValid = false
        private var next: [Int32] = []
        private var nameRules: [Int32] = []

        private struct Level {
            var folderEnd: Int
            var nodeEnd: Int
            var ruleEnd: Int
        }

        public init(_ matcher: OwnershipMatcher) {
            trie = matcher.frozen
            memory = CursorMemory(nodes: trie.nodes.count, rules: trie.ruleCount)
            nodeMark = memory.nodeMark
            ruleMark = memory.ruleMark
            inFolders = memory.inFolders
            // The root level: nothing matched yet.
            nodes.append(0)
            if trie.nodes[0].depthChild >= 0 { nodes.append(trie.nodes[0].depthChild) }
            levels.append(Level(folderEnd: 0, nodeEnd: nodes.count, ruleEnd: 0))
        }

        /// Indices of every rule that matches `path`, ascending.
        public mutating func matches(_ path: RepoPath) -> [Int] {
            var found: [Int32] = []
            path.bytes.withUnsafeBufferPointer { matches($0, into: &found) }
            return found.map(Int.init)
        }

        /// Replaces `result` with the indices of every rule that matches `path`, ascending.
        public mutating func matches(_ path: UnsafeBufferPointer<UInt8>, into result: inout [Int32]) {
            result.removeAll(keepingCapacity: true)
            guard advance(to: path) else { return }

            // The folders' rules (sorted once per folder) and the name's, merged.
            if !sortedIsValid {
                sortedFolderRules.removeAll(keepingCapacity: true)
                sortedFolderRules.append(contentsOf: rules)
                sortedFolderRules.sort()
                sortedIsValid = true
            }
            if nameRules.isEmpty {
                result.append(contentsOf: sortedFolderRules)
                return
            }
            nameRules.sort()
            var i = 0
            var j = 0
            while i < sortedFolderRules.count, j < nameRules.count {
                if sortedFolderRules[i] < nameRules[j] {
                    result.append(sortedFolderRules[i])
                    i += 1
                } else {
                    result.append(nameRules[j])
                    j += 1
                }
            }
            result.append(contentsOf: sortedFolderRules[i...])
            result.append(contentsOf: nameRules[j...])
        }

        /// Of the rules that match `path`: the last that is not an exclusion and the first that is
        /// (-1 for none), `isExclusion` telling them apart. What a file with one section needs
        /// (the last match decides, an exclusion removes the path), the same as read from
        /// `matches`, without sorting or merging: each folder's part is worked out once.
        public mutating func decidingMatches(_ path: UnsafeBufferPointer<UInt8>, isExclusion: [Bool]) -> (rule: Int32, exclusion: Int32) {
            guard advance(to: path) else { return (-1, -1) }
            if !folderDecisionIsValid {
                folderDecision = (-1, -1)
                for rule in rules { folderDecision = decide(folderDecision, rule, isExclusion) }
                folderDecisionIsValid = true
            }
            var decision = folderDecision
            for rule in nameRules { decision = decide(decision, rule, isExclusion) }
            return decision
        }

        @inline(__always)
        private func decide(_ decision: (rule: Int32, exclusion: Int32), _ rule: Int32, _ isExclusion: [Bool]) -> (rule: Int32, exclusion: Int32) {
            var decision = decision
            if isExclusion[Int(rule)] {
                if decision.exclusion < 0 || rule < decision.exclusion { decision.exclusion = rule }
            } else if rule > decision.rule {
                decision.rule = rule
            }
            return decision
        }

        /// Brings the levels to `path`'s folders and matches its name into `nameRules` (the rules
        /// only the name adds); false when the path has no segment.
        private mutating func advance(to path: UnsafeBufferPointer<UInt8>) -> Bool {
            // Path segments, empty ones skipped (as in `FrozenTrie.collect`): the last is the name.
            var nameEnd = path.count
            while nameEnd > 0, path[nameEnd - 1] == UInt8(ascii: "/") { nameEnd -= 1 }
            guard nameEnd > 0 else { return false }
            var nameStart = nameEnd - 1
            while nameStart > 0, path[nameStart - 1] != UInt8(ascii: "/") { nameStart -= 1 }

            // Keep the levels of the folders this path shares with the previous one, then add its own.
            // First at once: where the path's bytes stop following the previous path's folders
            // (kept as "a/b/c/"), every level that ends before is shared; the rest segment by segment.
            let same = folders.withUnsafeBufferPointer { commonPrefixLength($0, UnsafeBufferPointer(rebasing: path[..<nameStart])) }
            var level = 0
            while level + 1 < levels.count, levels[level + 1].folderEnd <= same { level += 1 }
            var start = levels[level].folderEnd
            while true {
                while start < nameStart, path[start] == UInt8(ascii: "/") { start += 1 }
                guard start < nameStart else { break }
                var end = start
                while path[end] != UInt8(ascii: "/") { end += 1 }
                let segment = UnsafeBufferPointer(rebasing: path[start..<end])
                if level + 1 < levels.count, sameFolder(level + 1, segment) {
                    level += 1
                } else {
                    truncate(to: level + 1)
                    push(segment)
                    level += 1
                }
                start = end + 1
            }
            truncate(to: level + 1)

            // The name: one step from the deepest folder.
            nameRules.removeAll(keepingCapacity: true)
            step(over: UnsafeBufferPointer(rebasing: path[nameStart..<nameEnd]))
            for node in next {
                let n = trie.nodes[Int(node)]
                addNameRules(n.exactOrDescendants)
                addNameRules(n.exact)
            }
            return true
        }

        /// Whether level `level` is the folder `segment`. (Mutating only so that `self` is
        /// passed in place: a non-mutating call copied the whole cursor, for every folder.)
        private mutating func sameFolder(_ level: Int, _ segment: UnsafeBufferPointer<UInt8>) -> Bool {
            let start = levels[level - 1].folderEnd
            let end = levels[level].folderEnd - 1  // before its "/"
            guard end - start == segment.count else { return false }
            return folders.withUnsafeBufferPointer { equal(UnsafeBufferPointer(rebasing: $0[start..<end]), segment) }
        }

        /// Drops the levels from `count` on, and what they matched.
        private mutating func truncate(to count: Int) {
            guard levels.count > count else { return }
            let kept = levels[count - 1]
            for rule in rules[kept.ruleEnd...] { inFolders[Int(rule)] = false }
            rules.removeSubrange(kept.ruleEnd...)
            nodes.removeSubrange(kept.nodeEnd...)
            folders.removeSubrange(kept.folderEnd...)
            levels.removeSubrange(count...)
            sortedIsValid = false
            folderDecisionIsValid = false
        }

        /// `next`: the nodes alive after `segment` follows the deepest level's folder.
        private mutating func step(over segment: UnsafeBufferPointer<UInt8>) {
            next.removeAll(keepingCapacity: true)
            let top = levels[levels.count - 1]
            let below = levels.count == 1 ? 0 : levels[levels.count - 2].nodeEnd
            guard top.nodeEnd > below else { return }
            if generation == UInt32.max {
                nodeMark.update(repeating: 0)
                ruleMark.update(repeating: 0)
                generation = 0
            }
            generation += 1
            var next: [Int32] = []
            swap(&next, &self.next)
            let generation = self.generation
            nodes.withUnsafeBufferPointer { nodes in
                trie.step(from: UnsafeBufferPointer(rebasing: nodes[below..<top.nodeEnd]), over: segment,
                          into: &next, marks: nodeMark, generation: generation)
            }
            swap(&next, &self.next)
        }

        /// The rules of `terminals[range]` that the folders did not match, once each.
        @inline(__always)
        private mutating func addNameRules(_ range: Range<Int32>) {
            for index in range {
                let rule = trie.terminals[Int(index)]
                if !inFolders[Int(rule)], ruleMark[Int(rule)] != generation {
                    ruleMark[Int(rule)] = generation
                    nameRules.append(rule)
                }
            }
        }

        @inline(__always)
        private mutating func addFolderRules(_ range: Range<Int32>) {
            for index in range {
                let rule = trie.terminals[Int(index)]
                if !inFolders[Int(rule)] {
                    inFolders[Int(rule)] = true
                    rules.append(rule)
                }
            }
        }

        /// Adds a level for the folder `segment` below the deepest one.
        private mutating func push(_ segment: UnsafeBufferPointer<UInt8>) {
            step(over: segment)
            // A folder is not the path's last segment: what matches it also covers what is inside.
            for node in next {
                let n = trie.nodes[Int(node)]
                addFolderRules(n.exactOrDescendants)
                addFolderRules(n.descendantsOnly)
                if n.canStep { nodes.append(node) }
            }
            folders.append(contentsOf: segment)
            folders.append(UInt8(ascii: "/"))
            levels.append(Level(folderEnd: folders.count, nodeEnd: nodes.count, ruleEnd: rules.count))
            sortedIsValid = false
            folderDecisionIsValid = false
        }
    }
}

/// A cursor's marks, zeroed, freed with the cursor.
final class CursorMemory {
    let nodeMark: UnsafeMutableBufferPointer<UInt32>
    let ruleMark: UnsafeMutableBufferPointer<UInt32>
    let inFolders: UnsafeMutableBufferPointer<Bool>

    init(nodes: Int, rules: Int) {
        nodeMark = .allocate(capacity: max(nodes, 1))
        nodeMark.initialize(repeating: 0)
        ruleMark = .allocate(capacity: max(rules, 1))
        ruleMark.initialize(repeating: 0)
        inFolders = .allocate(capacity: max(rules, 1))
        inFolders.initialize(repeating: false)
    }

    deinit {
        nodeMark.deallocate()
        ruleMark.deallocate()
        inFolders.deallocate()
    }
}

/// Read-only memory the frozen trie's tables live in, freed with the last copy of the trie.
final class FrozenStorage: @unchecked Sendable {
    private var blocks: [UnsafeMutableRawPointer] = []

    /// A copy of `values` that stays where it is until the storage is freed. Plain data only
    /// (no references): the memory is freed without deinitializing it.
    func keep<T>(_ values: [T]) -> UnsafeBufferPointer<T> {
        precondition(_isPOD(T.self))
        let memory = UnsafeMutableBufferPointer<T>.allocate(capacity: max(values.count, 1))
        _ = memory.initialize(from: values)
        blocks.append(UnsafeMutableRawPointer(memory.baseAddress!))
        return UnsafeBufferPointer(start: memory.baseAddress, count: values.count)
    }

    deinit {
        for block in blocks { block.deallocate() }
    }
}

/// The trie in plain-data tables read through pointers: the matching loop touches no
/// reference-counted memory and makes no uniqueness checks (retain/release and copy-on-write
/// checks once took a fifth of the time). Immutable once built, so shared freely between threads.
struct FrozenTrie: @unchecked Sendable {
    typealias Scratch = OwnershipMatcher.Scratch
    struct Node {
        var anyChild: Int32 = -1
        var depthChild: Int32 = -1
        var isDepth = false
        var hasLiteralEdges = false
        /// Whether any segment can lead anywhere from this node (its `**` child aside, which is
        /// alive beside it): a node that cannot is dropped from a folder's nodes once its rules
        /// are counted.
        var canStep = false
        /// A Bloom filter (into filterWords) of the keys of the edges found by hash from this node:
        /// most segments lead nowhere from most nodes, and the filter says so without a probe of
        /// the table, whose slots are rarely in the cache.
        var filter: Range<Int32> = 0..<0
        var starGlobs: Range<Int32> = 0..<0      // into starGlobs
        /// The root of this node's `*suffix` globs in `suffixNodes`, or -1.
        var suffixRoot: Int32 = -1
        var otherGlobs: Range<Int32> = 0..<0     // into otherGlobs
        var exact: Range<Int32> = 0..<0          // into terminals
        var exactOrDescendants: Range<Int32> = 0..<0
        var descendantsOnly: Range<Int32> = 0..<0
    }

    /// A glob of literals and stars: pieces are ranges of `bytes`.
    struct StarGlob {
        var pieces: Range<Int32>  // into pieceRanges
        var startsWithStar: Bool
        var endsWithStar: Bool
        var child: Int32
    }

    /// A literal segment's edge, found by hash.
    struct Edge {
        var node: Int32
        var bytes: Range<Int32>  // into bytes
        var child: Int32
    }

    private let storage: FrozenStorage
    let nodes: UnsafeBufferPointer<Node>
    let terminals: UnsafeBufferPointer<Int32>
    let starGlobs: UnsafeBufferPointer<StarGlob>
    let pieceRanges: UnsafeBufferPointer<Range<Int32>>
    /// `*.js`-style globs (a star, then literal bytes), per trie node: a trie of their suffixes
    /// read backwards. A segment is matched against all of them at once by reading its bytes from
    /// the end while they follow a branch: a handful of steps, where testing each glob, or
    /// probing the table once per suffix length, cost tens.
    struct SuffixNode {
        var children: Range<Int32>  // into suffixBytes and suffixChildren
        var targets: Range<Int32>   // into suffixTargets: the trie nodes of the globs whose suffix ends here
    }
    let suffixNodes: UnsafeBufferPointer<SuffixNode>
    let suffixBytes: UnsafeBufferPointer<UInt8>
    let suffixChildren: UnsafeBufferPointer<Int32>
    let suffixTargets: UnsafeBufferPointer<Int32>
    let bytes: UnsafeBufferPointer<UInt8>
    /// Globs with `?` or classes: rare, matched by `Glob` itself.
    let otherGlobs: [(glob: Glob, child: Int32)]
    /// Open addressing: key (segment hash mixed with node) -> edge; key 0 marks an empty slot.
    struct Slot {
        var key: UInt64
        var edge: Int32
    }
    let table: UnsafeBufferPointer<Slot>
    let edges: UnsafeBufferPointer<Edge>
    let filterWords: UnsafeBufferPointer<UInt64>
    let mask: Int
    /// One more than the largest rule index stored.
    let ruleCount: Int

    init(_ m: OwnershipMatcher.Builder) {
        let storage = FrozenStorage()
        self.storage = storage
        var nodes: [Node] = []
        var terminals: [Int32] = []
        var starGlobs: [StarGlob] = []
        var pieceRanges: [Range<Int32>] = []
        // The suffix tries while they are built: children and targets per suffix node.
        var suffixTree: [(children: [(byte: UInt8, node: Int32)], targets: [Int32])] = []
        var bytes: [UInt8] = []
        var otherGlobs: [(glob: Glob, child: Int32)] = []
        var edges: [(edge: Edge, hash: UInt64, key: Int32)] = []
        var literalNodes = Set<Int32>()
        for edge in m.literalEdges { literalNodes.insert(edge.node) }

        for (index, node) in m.nodes.enumerated() {
            var flat = Node()
            flat.anyChild = node.anyChild
            flat.depthChild = node.depthChild
            flat.isDepth = node.isDepth
            flat.hasLiteralEdges = literalNodes.contains(Int32(index))
            let starStart = Int32(starGlobs.count)
            let otherStart = Int32(otherGlobs.count)
            for (glob, child) in node.globChildren {
                if let pieces = glob.starPieces, pieces.count == 1, glob.startsWithStar, !glob.endsWithStar {
                    // `*.js`: any segment ending in the piece; into this node's suffix trie.
                    if flat.suffixRoot < 0 {
                        flat.suffixRoot = Int32(suffixTree.count)
                        suffixTree.append(([], []))
                    }
                    var at = Int(flat.suffixRoot)
                    for byte in pieces[0].reversed() {
                        if let next = suffixTree[at].children.first(where: { $0.byte == byte }) {
                            at = Int(next.node)
                        } else {
                            suffixTree.append(([], []))
                            suffixTree[at].children.append((byte, Int32(suffixTree.count - 1)))
                            at = suffixTree.count - 1
                        }
                    }
                    suffixTree[at].targets.append(child)
                } else if let pieces = glob.starPieces {
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
            flat.canStep = flat.isDepth || flat.anyChild >= 0 || flat.hasLiteralEdges || !flat.starGlobs.isEmpty
                || flat.suffixRoot >= 0 || !flat.otherGlobs.isEmpty
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
        for edge in m.literalEdges {
            let start = Int32(bytes.count)
            bytes += edge.bytes
            edges.append((
                Edge(node: edge.node, bytes: start..<Int32(bytes.count), child: edge.child),
                edge.bytes.withUnsafeBufferPointer { OwnershipMatcher.hash($0) }, edge.node))
        }
        ruleCount = terminals.max().map { Int($0) + 1 } ?? 0

        var capacity = 16
        while capacity < edges.count * 2 { capacity *= 2 }
        mask = capacity - 1
        var table = [Slot](repeating: Slot(key: 0, edge: -1), count: edges.isEmpty ? 0 : capacity)
        var edgesFrom = [Int](repeating: 0, count: nodes.count)
        for entry in edges { edgesFrom[Int(entry.key)] += 1 }
        var filterWords: [UInt64] = []
        for index in nodes.indices where edgesFrom[index] > 0 {
            // About 8 bits per edge, two bits set each: some 5% of misses still probe.
            var words = 1
            while words * 64 < edgesFrom[index] * 8 { words *= 2 }
            nodes[index].filter = Int32(filterWords.count)..<Int32(filterWords.count + words)
            filterWords += Array(repeating: 0, count: words)
        }
        for (index, entry) in edges.enumerated() {
            let key = OwnershipMatcher.key(entry.hash, node: entry.key) | 1
            var slot = Int(truncatingIfNeeded: key) & mask
            while table[slot].key != 0 { slot = (slot + 1) & mask }
            table[slot] = Slot(key: key, edge: Int32(index))
            let filter = nodes[Int(entry.key)].filter
            let (first, second) = Self.filterBits(key, words: filter.count)
            for bit in [first, second] {
                filterWords[Int(filter.lowerBound) + bit >> 6] |= 1 << UInt64(bit & 63)
            }
        }

        self.nodes = storage.keep(nodes)
        self.terminals = storage.keep(terminals)
        self.starGlobs = storage.keep(starGlobs)
        self.pieceRanges = storage.keep(pieceRanges)
        var suffixNodes: [SuffixNode] = []
        var suffixBytes: [UInt8] = []
        var suffixChildren: [Int32] = []
        var suffixTargets: [Int32] = []
        for (children, targets) in suffixTree {
            let childStart = Int32(suffixBytes.count)
            suffixBytes += children.map(\.byte)
            suffixChildren += children.map(\.node)
            let targetStart = Int32(suffixTargets.count)
            suffixTargets += targets
            suffixNodes.append(SuffixNode(
                children: childStart..<Int32(suffixBytes.count), targets: targetStart..<Int32(suffixTargets.count)))
        }
        self.suffixNodes = storage.keep(suffixNodes)
        self.suffixBytes = storage.keep(suffixBytes)
        self.suffixChildren = storage.keep(suffixChildren)
        self.suffixTargets = storage.keep(suffixTargets)
        self.bytes = storage.keep(bytes)
        self.otherGlobs = otherGlobs
        self.table = storage.keep(table)
        self.filterWords = storage.keep(filterWords)
        self.edges = storage.keep(edges.map(\.edge))
    }

    /// Appends `node` to `next` unless it is there already, and its `**` child with it (which
    /// may match zero segments).
    @inline(__always)
    private func add(_ node: Int32, _ next: inout [Int32], _ marks: UnsafeMutableBufferPointer<UInt32>, _ generation: UInt32) {
        if marks[Int(node)] != generation {
            marks[Int(node)] = generation
            next.append(node)
        }
        let depth = nodes[Int(node)].depthChild
        if depth >= 0, marks[Int(depth)] != generation {
            marks[Int(depth)] = generation
            next.append(depth)
        }
    }

    /// The two bits of a filter of `words` 64-bit words that `key` sets; not the key's low bits,
    /// which choose its slot in the table.
    @inline(__always)
    static func filterBits(_ key: UInt64, words: Int) -> (Int, Int) {
        let bits = UInt64(words * 64 - 1)  // words is a power of two
        return (Int((key >> 20) & bits), Int((key >> 42) & bits))
    }

    /// The node reached from `node` by the edge for `segment` (whose hash is `hash`), if any.
    @inline(__always)
    private func edge(from node: Int32, filter: Range<Int32>, hash: UInt64, _ segment: UnsafeBufferPointer<UInt8>) -> Int32? {
        let key = OwnershipMatcher.key(hash, node: node) | 1
        let (first, second) = Self.filterBits(key, words: filter.count)
        let words = Int(filter.lowerBound)
        guard filterWords[words + first >> 6] & (1 << UInt64(first & 63)) != 0,
              filterWords[words + second >> 6] & (1 << UInt64(second & 63)) != 0 else { return nil }
        var slot = Int(truncatingIfNeeded: key) & mask
        while table[slot].key != 0 {
            if table[slot].key == key {
                let edge = edges[Int(table[slot].edge)]
                if edge.node == node, edge.bytes.count == segment.count,
                   equal(UnsafeBufferPointer(rebasing: bytes[Int(edge.bytes.lowerBound)..<Int(edge.bytes.upperBound)]), segment) {
                    return edge.child
                }
            }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Appends to `next` every node alive after `segment`, given the nodes alive before it,
    /// each once: `marks[node] == generation` for the nodes appended, and `generation` must be
    /// new for this step.
    @inline(__always)
    func step(from active: UnsafeBufferPointer<Int32>, over segment: UnsafeBufferPointer<UInt8>,
              into next: inout [Int32], marks: UnsafeMutableBufferPointer<UInt32>, generation: UInt32) {
        var segmentHash: UInt64 = 0
        var hashed = false
        for node in active {
            let n = nodes[Int(node)]
            if n.isDepth { add(node, &next, marks, generation) }
            if n.anyChild >= 0 { add(n.anyChild, &next, marks, generation) }
            for index in n.starGlobs {
                let glob = starGlobs[Int(index)]
                if matchStars(glob, segment) { add(glob.child, &next, marks, generation) }
            }
            if n.suffixRoot >= 0 {
                // The segment's bytes from the end, down the branch of suffixes they follow.
                var at = Int(n.suffixRoot)
                var position = segment.count
                descent: while position > 0 {
                    position -= 1
                    let byte = segment[position]
                    let branch = suffixNodes[at].children
                    for index in branch where suffixBytes[Int(index)] == byte {
                        at = Int(suffixChildren[Int(index)])
                        for target in suffixNodes[at].targets { add(suffixTargets[Int(target)], &next, marks, generation) }
                        continue descent
                    }
                    break
                }
            }
            for index in n.otherGlobs where otherGlobs[Int(index)].glob.matches(segment) {
                add(otherGlobs[Int(index)].child, &next, marks, generation)
            }
            if n.hasLiteralEdges {
                if !hashed {
                    segmentHash = OwnershipMatcher.hash(segment)
                    hashed = true
                }
                if let child = edge(from: node, filter: n.filter, hash: segmentHash, segment) { add(child, &next, marks, generation) }
            }
        }
    }

    /// Every rule `path` matches, appended to `result` (unordered, each once).
    func collect(_ path: UnsafeBufferPointer<UInt8>, scratch: inout Scratch, into result: inout [Int32]) {
        // Move the scratch arrays into locals (a move, not a copy, so they stay uniquely
        // referenced): no exclusivity checks and no copy-on-write in the loop.
        var active: [Int32] = []
        var next: [Int32] = []
        var nodeMark: [UInt32] = []
        var ruleMark: [UInt32] = []
        swap(&active, &scratch.active)
        swap(&next, &scratch.next)
        swap(&nodeMark, &scratch.nodeMark)
        swap(&ruleMark, &scratch.ruleMark)
        var generation = scratch.generation
        defer {
            scratch.active = active
            scratch.next = next
            scratch.nodeMark = nodeMark
            scratch.ruleMark = ruleMark
            scratch.generation = generation
        }
        if nodeMark.count < nodes.count { nodeMark = Array(repeating: 0, count: nodes.count) }
        if ruleMark.count < ruleCount { ruleMark = Array(repeating: 0, count: ruleCount) }
        if generation > UInt32.max - 1024 - UInt32(clamping: path.count) {
            for i in nodeMark.indices { nodeMark[i] = 0 }
            for i in ruleMark.indices { ruleMark[i] = 0 }
            generation = 0
        }
        generation += 1
        let ruleGeneration = generation

        nodeMark.withUnsafeMutableBufferPointer { marks in
        ruleMark.withUnsafeMutableBufferPointer { ruleMarks in
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
            add(0, &active, marks, generation)
            // Segments, empty ones skipped; each is matched knowing whether it is the last.
            var start = 0
            while start < path.count, path[start] == UInt8(ascii: "/") { start += 1 }
            while start < path.count {
                var end = start
                while end < path.count, path[end] != UInt8(ascii: "/") { end += 1 }
                var following = end
                while following < path.count, path[following] == UInt8(ascii: "/") { following += 1 }
                let isLast = following == path.count

                generation += 1
                next.removeAll(keepingCapacity: true)
                active.withUnsafeBufferPointer { active in
                    step(from: active, over: UnsafeBufferPointer(rebasing: path[start..<end]), into: &next,
                         marks: marks, generation: generation)
                }
                swap(&active, &next)
                if active.isEmpty { return }
                for node in active {
                    let n = nodes[Int(node)]
                    report(n.exactOrDescendants)
                    report(isLast ? n.exact : n.descendantsOnly)
                }
                start = following
            }
        }
        }
    }

    /// Literals and stars: each piece at its leftmost place, which is exact for such globs.
    @inline(__always)
    private func matchStars(_ glob: StarGlob, _ s: UnsafeBufferPointer<UInt8>) -> Bool {
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

/// How many bytes `a` and `b` share from the start; eight at a time.
private func commonPrefixLength(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
    let count = min(a.count, b.count)
    guard count > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return 0 }
    var index = 0
    while index + 8 <= count {
        let x = UnsafeRawPointer(pa + index).loadUnaligned(as: UInt64.self)
        let y = UnsafeRawPointer(pb + index).loadUnaligned(as: UInt64.self)
        if x != y { return index + (x ^ y).littleEndian.trailingZeroBitCount / 8 }
        index += 8
    }
    while index < count, pa[index] == pb[index] { index += 1 }
    return index
}

@inline(__always)
private func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    for i in 0..<a.count where a[i] != b[i] { return false }
    return true
}
