import Foundation

/// Result storage that threads fill at disjoint indices.
private final class ResultSlots: @unchecked Sendable {
    private let buffer: UnsafeMutablePointer<PathOwnership>
    private let count: Int

    init(count: Int) {
        self.count = count
        buffer = .allocate(capacity: count)
    }

    func store(_ value: PathOwnership, at index: Int) {
        (buffer + index).initialize(to: value)
    }

    /// Every slot must have been stored.
    func take() -> [PathOwnership] {
        let values = Array(UnsafeBufferPointer(start: buffer, count: count))
        buffer.deinitialize(count: count)
        buffer.deallocate()
        return values
    }
}

/// The owners of one path: per section, the rule that decides, and the union of owners.
public struct PathOwnership: Hashable, Sendable {
    public struct SectionMatch: Hashable, Sendable {
        public var section: Int
        /// The winning (last matching) rule of the section, if any matched.
        public var rule: Int?
        /// A GitLab exclusion that removes the path from this section.
        public var exclusion: Int?
        /// Every other matching rule of the section, earliest first: the ones the winner overrode.
        public var overridden: [Int]
    }

    public var path: RepoPath
    /// Owners from every section that applies, in order of first appearance.
    public var owners: [String]
    /// One entry per section with a matching rule or exclusion, in section order.
    public var sections: [SectionMatch]

    public var isOwned: Bool { !owners.isEmpty }
}

/// A rules file ready to answer "who owns this path?".
public struct OwnershipRules: Sendable {
    public let file: CodeownersFile
    public let matcher: OwnershipMatcher
    /// Each rule's owners without repeats: what a path gets when that rule alone decides it.
    let ruleOwners: [[String]]
    /// All rules in one section (every GitHub file): the last matching rule decides alone.
    let hasOneSection: Bool
    /// Per rule: a GitLab exclusion (`!pattern`).
    let isExclusion: [Bool]

    public init(_ file: CodeownersFile) {
        self.file = file
        matcher = OwnershipMatcher(patterns: file.rules.map(\.pattern), dialect: file.dialect)
        ruleOwners = file.rules.map { rule in OwnershipRules.unique(rule.owners) }
        hasOneSection = file.rules.allSatisfy { $0.section == 0 }
        isExclusion = file.rules.map(\.isExclusion)
    }

    /// `owners` without repeats, in order. A set past a few owners: a line of 40,000 owners
    /// searched its own list for each (5.4 s; 200,000 never finished).
    static func unique(_ owners: [String]) -> [String] {
        if owners.count <= 8 {
            var result: [String] = []
            for owner in owners where !result.contains(owner) { result.append(owner) }
            return result
        }
        var seen = Set<String>(minimumCapacity: owners.count)
        return owners.filter { seen.insert($0).inserted }
    }

    public func owners(of path: RepoPath) -> PathOwnership {
        var scratch = OwnershipMatcher.Scratch()
        return owners(of: path, scratch: &scratch)
    }

    /// The owners of many paths, in order. Large lists are split over the processor's cores:
    /// the rules are immutable and each thread has its own working memory. Each thread takes a
    /// run of consecutive paths, so its cursor matches a folder once for all its files.
    public func owners(of paths: [RepoPath]) -> [PathOwnership] {
        let workers = Self.workers(for: paths.count)
        guard workers > 1 else {
            var cursor = OwnershipMatcher.Cursor(matcher)
            var found: [Int32] = []
            return paths.map { path in
                path.bytes.withUnsafeBufferPointer { cursor.matches($0, into: &found) }
                return resolve(path, matches: found)
            }
        }
        let results = ResultSlots(count: paths.count)
        let chunk = (paths.count + workers - 1) / workers
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var cursor = OwnershipMatcher.Cursor(matcher)
            var found: [Int32] = []
            for index in (worker * chunk)..<min(paths.count, (worker + 1) * chunk) {
                paths[index].bytes.withUnsafeBufferPointer { cursor.matches($0, into: &found) }
                results.store(resolve(paths[index], matches: found), at: index)
            }
        }
        return results.take()
    }

    /// The owners of `batch`'s paths, in order, through `cursor` (one per thread).
    public func owners(of batch: PathBatch, cursor: inout OwnershipMatcher.Cursor) -> [PathOwnership] {
        var found: [Int32] = []
        var results: [PathOwnership] = []
        results.reserveCapacity(batch.count)
        batch.forEach(in: 0..<batch.count) { _, path in
            cursor.matches(path, into: &found)
            results.append(resolve(RepoPath(bytes: Array(path)), matches: found))
        }
        return results
    }

    /// How many threads to match `count` paths on: one for short lists, where starting threads
    /// costs more than it saves.
    public static func workers(for count: Int) -> Int {
        count >= 8192 ? min(ProcessInfo.processInfo.activeProcessorCount, 8) : 1
    }

    /// As `owners(of:)`, reusing working memory across many paths.
    public func owners(of path: RepoPath, scratch: inout OwnershipMatcher.Scratch) -> PathOwnership {
        resolve(path, matches: matcher.matches(path, scratch: &scratch))
    }

    /// In a file with one section: the rule that decides (the last matching rule that is no
    /// exclusion) and the first exclusion; `matches` ascending.
    @inline(__always)
    func decidingRule<C: Collection>(_ matches: C) -> (rule: Int?, exclusion: Int?) where C.Element: BinaryInteger {
        var rule: Int?
        var exclusion: Int?
        for match in matches {
            let index = Int(match)
            if file.rules[index].isExclusion {
                if exclusion == nil { exclusion = index }
            } else {
                rule = index
            }
        }
        return (rule, exclusion)
    }

    /// Per section the last matching rule wins; in GitLab an exclusion anywhere in the
    /// section removes the path from it, and every section applies.
    func resolve<C: Collection>(_ path: RepoPath, matches: C) -> PathOwnership where C.Element: BinaryInteger {
        if hasOneSection {
            // The same answer as below without its searches and copies: one section, whose
            // owners are the deciding rule's.
            guard !matches.isEmpty else { return PathOwnership(path: path, owners: [], sections: []) }
            var rule: Int?
            var exclusion: Int?
            var overridden: [Int] = []
            for match in matches {
                let index = Int(match)
                if file.rules[index].isExclusion {
                    if exclusion == nil { exclusion = index }
                } else {
                    if let previous = rule { overridden.append(previous) }
                    rule = index
                }
            }
            let owners = exclusion == nil ? rule.map { ruleOwners[$0] } ?? [] : []
            return PathOwnership(
                path: path, owners: owners,
                sections: [PathOwnership.SectionMatch(section: 0, rule: rule, exclusion: exclusion, overridden: overridden)])
        }
        // `matches` is ascending, so within a section a later match overrides an earlier one.
        // Consecutive matches are usually in one section; past a few sections, a table finds the
        // others (a search per match was quadratic: 100,000 sections never finished).
        var sections: [PathOwnership.SectionMatch] = []
        var positionOf: [Int: Int] = [:]
        for match in matches {
            let index = Int(match)
            let rule = file.rules[index]
            var position = -1
            if let last = sections.last, last.section == rule.section {
                position = sections.count - 1
            } else if sections.count <= 8 {
                position = sections.firstIndex { $0.section == rule.section } ?? -1
            } else {
                if positionOf.isEmpty { for (at, known) in sections.enumerated() { positionOf[known.section] = at } }
                position = positionOf[rule.section] ?? -1
            }
            if position < 0 {
                sections.append(PathOwnership.SectionMatch(section: rule.section, rule: nil, exclusion: nil, overridden: []))
                position = sections.count - 1
                if !positionOf.isEmpty { positionOf[rule.section] = position }
            }
            if rule.isExclusion {
                if sections[position].exclusion == nil { sections[position].exclusion = index }
            } else {
                if let previous = sections[position].rule { sections[position].overridden.append(previous) }
                sections[position].rule = index
            }
        }
        if sections.count > 1 { sections.sort { $0.section < $1.section } }
        var owners: [String] = []
        for match in sections where match.exclusion == nil {
            guard let index = match.rule else { continue }
            owners += ruleOwners[index]
        }
        return PathOwnership(path: path, owners: sections.count > 1 ? Self.unique(owners) : owners, sections: sections)
    }
}
