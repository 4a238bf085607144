import CLibGit2
import Foundation
import GatehouseCore

/// One line range of a blame: who last changed these lines, and in which commit.
public struct BlameHunk: Sendable, Hashable {
    /// Line numbers in the blamed revision of the file.
    public var lines: ClosedRange<Int>
    public var commit: String
    public var name: String
    public var email: String
    /// The hunk reached the oldest commit considered (the root, or the history bound): the lines
    /// may be older than `commit`.
    public var isBoundary: Bool
}

/// A non-merge commit of the recent history, and which of the asked-about paths it touched.
public struct RecentCommit: Sendable, Hashable {
    public var id: String
    public var name: String
    public var email: String
    public var paths: [RepoPath]
}

public struct RecentHistory: Sendable, Hashable {
    /// Newest first; only commits that touched an asked-about path.
    public var commits: [RecentCommit]
    /// Non-merge commits looked at.
    public var commitsRead: Int
    /// Every commit id in the window, for crediting blame only within it.
    public var window: Set<String>
    /// The oldest commit read when the walk stopped at a limit (older history was not read); nil
    /// when it read the whole history.
    public var boundary: String?
}

extension Repository {
    /// Authors of the commits a change adds (`git log base..head`), oldest first, one entry per
    /// address; none for staged or work-tree changes, which have no commits yet.
    public func changeAuthors(_ change: ChangeSet) throws(GatehouseError) -> [ChangeAuthor] {
        guard change.mode == .threeDot || change.mode == .twoDot, let head = change.head else { return [] }
        let walk = try RevisionWalk(self, sorting: GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue | GIT_SORT_REVERSE.rawValue)
        try walk.push(head)
        if let base = change.base { try walk.hide(base) }
        let mailmap = Mailmap(self)
        var authors: [ChangeAuthor] = []
        while let id = try walk.next() {
            let commit = try lookupCommit(id)
            let author = mailmap.author(of: commit.handle)
            if !authors.contains(where: { $0.email.lowercased() == author.email.lowercased() }) { authors.append(author) }
        }
        return authors
    }

    /// The person git would record as the author of a new commit (user.name and user.email), who
    /// is the author of staged or work-tree changes.
    public func configuredAuthor() -> ChangeAuthor? {
        // git takes the environment's author over its configuration.
        let environment = ProcessInfo.processInfo.environment
        if let email = environment["GIT_AUTHOR_EMAIL"], !email.isEmpty {
            return ChangeAuthor(name: environment["GIT_AUTHOR_NAME"] ?? "", email: email)
        }
        var signature: UnsafeMutablePointer<git_signature>?
        defer { git_signature_free(signature) }
        guard git_signature_default(&signature, handle) == 0, let signature else { return nil }
        return ChangeAuthor(name: String(cString: signature.pointee.name), email: String(cString: signature.pointee.email))
    }

    /// The short name of the checked-out branch; nil when HEAD is detached or unborn.
    public func headBranch() -> String? {
        var reference: OpaquePointer?
        defer { git_reference_free(reference) }
        guard git_repository_head(&reference, handle) == 0, let reference, git_reference_is_branch(reference) == 1,
              let name = git_reference_shorthand(reference) else { return nil }
        return String(cString: name)
    }

    /// The non-merge commits before `revision` (itself included), newest first, within `window`:
    /// at most `maxCommits` of them and none committed more than `days` before `revision`. Each
    /// commit is compared with its first parent along the asked paths only (`PathTrie`), so the
    /// cost follows the depth of those paths and what the commits changed on them, not the size of
    /// the tree.
    public func recentHistory(from revision: String, touching paths: Set<RepoPath>, window: HistoryWindow) throws(GatehouseError) -> RecentHistory {
        try recentHistory(from: revision, touching: paths, window: window, trees: TreeCache(self), mailmap: Mailmap(self))
    }

    func recentHistory(
        from revision: String, touching paths: Set<RepoPath>, window: HistoryWindow, trees: TreeCache, mailmap: Mailmap
    ) throws(GatehouseError) -> RecentHistory {
        var history = RecentHistory(commits: [], commitsRead: 0, window: [], boundary: nil)
        let start = try resolveCommit(revision, role: "revision")
        let startCommit = try lookupCommit(start)
        // Only the command line bounds `days`; a span past the range of Int64 seconds means
        // "no cutoff", so saturate instead of trapping.
        let (span, spanOverflow) = Int64(clamping: max(0, window.days)).multipliedReportingOverflow(by: 86_400)
        let (earliest, startOverflow) = Int64(git_commit_time(startCommit.handle)).subtractingReportingOverflow(span)
        let cutoff = spanOverflow || startOverflow ? Int64.min : earliest
        let walk = try RevisionWalk(self, sorting: GIT_SORT_TIME.rawValue)
        try walk.push(start.hex)
        let trie = PathTrie(paths)
        var last: String?
        // A shallow clone's history ends early: the walk stops there rather than failing.
        while history.commitsRead < window.maxCommits, let id = try? walk.next() {
            guard let commit = try? lookupCommit(id) else { break }
            if Int64(git_commit_time(commit.handle)) < cutoff {
                history.boundary = last
                return history
            }
            let parents = git_commit_parentcount(commit.handle)
            guard parents <= 1 else { continue }
            history.commitsRead += 1
            history.window.insert(id.hex)
            last = id.hex
            guard let touched = try? touchedPaths(commit.handle, hasParent: parents == 1, trie: trie, trees: trees) else { break }
            trees.endOfStep()
            if !touched.isEmpty {
                let author = mailmap.author(of: commit.handle)
                history.commits.append(RecentCommit(id: id.hex, name: author.name, email: author.email, paths: touched))
            }
        }
        if history.commitsRead >= window.maxCommits { history.boundary = last }
        return history
    }

    /// Which of the trie's paths a commit changed, compared with its first parent (or the empty
    /// tree), as `git diff-tree -r --root` lists them.
    private func touchedPaths(_ commit: OpaquePointer, hasParent: Bool, trie: PathTrie, trees: TreeCache) throws(GatehouseError) -> [RepoPath] {
        let tree = git_commit_tree_id(commit)!.pointee
        var parentTree: git_oid?
        if hasParent {
            var parent: OpaquePointer?
            defer { git_commit_free(parent) }
            guard git_commit_parent(&parent, commit, 0) == 0, let parent else {
                throw GatehouseError(.git, "cannot read a commit's parent: \(lastGitErrorMessage())")
            }
            parentTree = git_commit_tree_id(parent)!.pointee
        }
        return try trie.changed(from: parentTree, to: tree, trees: trees)
    }

    /// `git blame` of `path` as it is at `revision`, for `lines` (all when nil). With `oldest`,
    /// history before that commit is not searched: lines older than it are blamed on it, as boundary.
    public func blame(_ path: RepoPath, lines: ClosedRange<Int>? = nil, at revision: String, oldest: String? = nil) throws(GatehouseError) -> [BlameHunk] {
        var options = git_blame_options()
        git_blame_options_init(&options, UInt32(GIT_BLAME_OPTIONS_VERSION))
        options.flags = GIT_BLAME_USE_MAILMAP.rawValue
        options.newest_commit = try resolveCommit(revision, role: "revision")
        if let oldest { options.oldest_commit = try resolveCommit(oldest, role: "revision") }
        if let lines {
            options.min_line = lines.lowerBound
            options.max_line = lines.upperBound
        }
        var blame: OpaquePointer?
        defer { git_blame_free(blame) }
        let cPath = path.bytes.map { CChar(bitPattern: $0) } + [0]
        guard git_blame_file(&blame, handle, cPath, &options) == 0, let blame else {
            throw GatehouseError(.git, "cannot blame \(path): \(lastGitErrorMessage())")
        }
        var hunks: [BlameHunk] = []
        for index in 0..<git_blame_get_hunk_count(blame) {
            guard let hunk = git_blame_get_hunk_byindex(blame, index)?.pointee, hunk.lines_in_hunk > 0 else { continue }
            let first = Int(hunk.final_start_line_number)
            let signature = hunk.final_signature?.pointee
            hunks.append(BlameHunk(
                lines: first...(first + Int(hunk.lines_in_hunk) - 1), commit: hunk.final_commit_id.hex,
                name: signature.map { String(cString: $0.name) } ?? "", email: signature.map { String(cString: $0.email) } ?? "",
                isBoundary: hunk.boundary != 0))
        }
        return hunks
    }

    /// Who knows the files of a change: the recent commits that touched them (before the change,
    /// so its own commits do not count), and blame of the lines it edits or deletes, credited
    /// only to commits in the same window. At most `blameLimit` files are blamed, those with the
    /// most edited lines first, so a huge change stays fast.
    public func expertise(for change: ChangeSet, window: HistoryWindow = HistoryWindow(), blameLimit: Int = 100) throws(GatehouseError) -> Expertise {
        guard let start = change.mergeBase ?? change.base else { return Expertise(window: window) }
        var paths = Set<RepoPath>()
        for file in change.files {
            paths.insert(file.path)
            if let old = file.oldPath { paths.insert(old) }
        }
        let trees = TreeCache(self)
        let mailmap = Mailmap(self)
        let history = try recentHistory(from: start, touching: paths, window: window, trees: trees, mailmap: mailmap)
        var expertise = Expertise(window: HistoryWindow(maxCommits: window.maxCommits, days: window.days, commitsRead: history.commitsRead))
        for commit in history.commits {
            for path in commit.paths { expertise.recordCommit(String(commit.id.prefix(12)), email: commit.email, path: path) }
        }

        var regions: [(ChangedFile, LineSet)] = []
        for file in change.files where [.modified, .renamed, .deleted, .typeChanged].contains(file.status) && !file.isBinary {
            if let lines = try? editedRegion(file, change: change, from: start), !lines.isEmpty { regions.append((file, lines)) }
        }
        regions.sort { ($0.1.count, $1.0.path) > ($1.1.count, $0.0.path) }
        for (file, lines) in regions.prefix(blameLimit) {
            let oldPath = file.oldPath ?? file.path
            let span = lines.ranges.first!.lowerBound...lines.ranges.last!.upperBound
            guard let hunks = try? blame(oldPath, lines: span, at: start, oldest: history.boundary) else { continue }
            for hunk in hunks where history.window.contains(hunk.commit) && !(hunk.isBoundary && hunk.commit == history.boundary) {
                let count = LineSet(ranges: [hunk.lines]).intersectionCount(lines)
                expertise.recordLines(count, email: hunk.email, path: file.path)
            }
        }
        return expertise
    }

    /// The lines of the old file that a change edits: those it deletes or replaces, and for pure
    /// insertions the lines either side. A deleted file is edited throughout.
    func editedRegion(_ file: ChangedFile, change: ChangeSet, from start: String) throws(GatehouseError) -> LineSet {
        let oldPath = (file.oldPath ?? file.path).bytes.map { CChar(bitPattern: $0) } + [0]
        let newPath = file.path.bytes.map { CChar(bitPattern: $0) } + [0]
        guard let oldID = try blobID(oldPath, at: start) else { return LineSet() }
        var oldBlob: OpaquePointer?
        defer { git_blob_free(oldBlob) }
        var id = oldID
        guard git_blob_lookup(&oldBlob, handle, &id) == 0, let oldBlob else {
            throw GatehouseError(.git, "cannot read blob \(oldID.hex): \(lastGitErrorMessage())")
        }
        let newContent: [UInt8]
        if file.status == .deleted {
            newContent = []
        } else {
            switch change.mode {
            case .threeDot, .twoDot:
                guard let head = change.head, let newID = try blobID(newPath, at: head) else { return LineSet() }
                newContent = try blobContent(newID)
            case .staged:
                guard let newID = indexBlobID(newPath) else { return LineSet() }
                newContent = try blobContent(newID)
            case .worktree:
                guard let root = workdir, let data = FileManager.default.contents(atPath: root + file.path.string) else { return LineSet() }
                newContent = Array(data)
            }
        }
        var options = git_diff_options()
        git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION))
        options.context_lines = 0
        options.interhunk_lines = 0
        let collector = RegionCollector()
        let code = newContent.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                git_diff_blob_to_buffer(
                    oldBlob, oldPath, chars.baseAddress, chars.count, newPath, &options, nil, nil,
                    { _, hunk, payload in
                        let collector = Unmanaged<RegionCollector>.fromOpaque(payload!).takeUnretainedValue()
                        if let hunk { collector.hunk(hunk.pointee) }
                        return 0
                    }, nil, Unmanaged.passUnretained(collector).toOpaque())
            }
        }
        guard code == 0 else { throw GatehouseError(.git, "cannot diff \(file.path): \(lastGitErrorMessage())") }
        let oldLines = Self.lineCount(try blobContent(oldID))
        var region = LineSet()
        for range in collector.ranges {
            let lower = max(1, range.lowerBound)
            let upper = min(oldLines, range.upperBound)
            if lower <= upper { region.append(lower...upper) }
        }
        return region
    }

    private static func lineCount(_ bytes: [UInt8]) -> Int {
        let newlines = bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        return newlines + (bytes.last.map { $0 == UInt8(ascii: "\n") ? 0 : 1 } ?? 0)
    }

    private func blobID(_ path: [CChar], at revision: String) throws(GatehouseError) -> git_oid? {
        let tree = try commitTree(try resolveCommit(revision, role: "revision"))
        var entry: OpaquePointer?
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_bypath(&entry, tree.handle, path) == 0, let entry, git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return nil }
        return git_tree_entry_id(entry).pointee
    }

    private func indexBlobID(_ path: [CChar]) -> git_oid? {
        var index: OpaquePointer?
        defer { git_index_free(index) }
        guard git_repository_index(&index, handle) == 0, let index, let entry = git_index_get_bypath(index, path, 0) else { return nil }
        return entry.pointee.id
    }
}

/// Old-side line ranges of a zero-context diff's hunks.
private final class RegionCollector {
    var ranges: [ClosedRange<Int>] = []

    func hunk(_ hunk: git_diff_hunk) {
        let start = Int(hunk.old_start)
        let count = Int(hunk.old_lines)
        // A pure insertion sits after old line `start`: the lines either side are what it edits.
        ranges.append(count > 0 ? start...(start + count - 1) : start...(start + 1))
    }
}

/// The repository's .mailmap, so that one person's several addresses count as one.
final class Mailmap {
    let handle: OpaquePointer?

    init(_ repository: Repository) {
        var mailmap: OpaquePointer?
        handle = git_mailmap_from_repository(&mailmap, repository.handle) == 0 ? mailmap : nil
    }

    deinit { git_mailmap_free(handle) }

    func author(of commit: OpaquePointer) -> ChangeAuthor {
        var signature: UnsafeMutablePointer<git_signature>?
        defer { git_signature_free(signature) }
        if git_commit_author_with_mailmap(&signature, commit, handle) == 0, let signature {
            return ChangeAuthor(name: String(cString: signature.pointee.name), email: String(cString: signature.pointee.email))
        }
        let raw = git_commit_author(commit)!.pointee
        return ChangeAuthor(name: String(cString: raw.name), email: String(cString: raw.email))
    }
}

extension LineSet {
    /// How many lines the two sets share.
    fileprivate func intersectionCount(_ other: LineSet) -> Int {
        var count = 0
        for a in ranges {
            for b in other.ranges where b.lowerBound <= a.upperBound && a.lowerBound <= b.upperBound {
                count += Swift.min(a.upperBound, b.upperBound) - Swift.max(a.lowerBound, b.lowerBound) + 1
            }
        }
        return count
    }
}
