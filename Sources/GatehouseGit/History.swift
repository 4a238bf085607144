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
        try blame(path, lines: lines, at: revision, oldest: oldest, trees: TreeCache(self), mailmap: Mailmap(self))
    }

    /// The same, sharing trees and the mailmap with other blames and the history walk. Blame is
    /// libgit2's (`git_blame_file`), replayed by `BlameReplay` where that gives the same answer for
    /// less: libgit2 diffs the whole tree of every commit that changed the file, to look for renames.
    func blame(_ path: RepoPath, lines: ClosedRange<Int>?, at revision: String, oldest: String?, trees: TreeCache, mailmap: Mailmap) throws(GatehouseError) -> [BlameHunk] {
        let newest = try resolveCommit(revision, role: "revision")
        let oldestID = if let oldest { try resolveCommit(oldest, role: "revision") } else { git_oid?.none }
        if let hunks = try? BlameReplay(repository: self, path: path, trees: trees, mailmap: mailmap)?.run(lines: lines, newest: newest, oldest: oldestID) {
            return hunks
        }
        return try libgit2Blame(path, lines: lines, newest: newest, oldest: oldestID)
    }

    /// `git_blame_file` itself.
    func libgit2Blame(_ path: RepoPath, lines: ClosedRange<Int>?, newest: git_oid, oldest: git_oid?) throws(GatehouseError) -> [BlameHunk] {
        var options = git_blame_options()
        git_blame_options_init(&options, UInt32(GIT_BLAME_OPTIONS_VERSION))
        options.flags = GIT_BLAME_USE_MAILMAP.rawValue
        options.newest_commit = newest
        if let oldest { options.oldest_commit = oldest }
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
        // The walk and the blames read the same trees along the same paths.
        let trees = TreeCache(self)
        let mailmap = Mailmap(self)
        let history = try recentHistory(from: start, touching: paths, window: window, trees: trees, mailmap: mailmap)
        var expertise = Expertise(window: HistoryWindow(maxCommits: window.maxCommits, days: window.days, commitsRead: history.commitsRead))
        for commit in history.commits {
            for path in commit.paths { expertise.recordCommit(String(commit.id.prefix(12)), email: commit.email, path: path) }
        }

        let edited = change.files.filter { [.modified, .renamed, .deleted, .typeChanged].contains($0.status) && !$0.isBinary }
        for (file, lines) in blamedRegions(edited, limit: blameLimit) {
            let oldPath = file.oldPath ?? file.path
            let span = lines.ranges.first!.lowerBound...lines.ranges.last!.upperBound
            guard let hunks = try? blame(oldPath, lines: span, at: start, oldest: history.boundary, trees: trees, mailmap: mailmap) else { continue }
            for hunk in hunks where history.window.contains(hunk.commit) && !(hunk.isBoundary && hunk.commit == history.boundary) {
                let count = LineSet(ranges: [hunk.lines]).intersectionCount(lines)
                expertise.recordLines(count, email: hunk.email, path: file.path)
            }
        }
        return expertise
    }

    /// The files to blame and the old lines they edit (`ChangedFile.oldLinesEdited`, from the
    /// change's own diff): the `limit` files with the most such lines (ties: by path), most
    /// first, none empty.
    func blamedRegions(_ files: [ChangedFile], limit: Int) -> [(ChangedFile, LineSet)] {
        var found = files.filter { !$0.oldLinesEdited.isEmpty }.map { ($0, $0.oldLinesEdited) }
        found.sort { ($0.1.count, $1.0.path) > ($1.1.count, $0.0.path) }
        return Array(found.prefix(limit))
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

/// libgit2 1.5's blame (`git_blame_file` with a mailmap and no copy or move detection: blame.c and
/// blame_git.c), replayed where the file's history is a single line of descent, for the same
/// lines, commits and boundary flags:
///
/// - libgit2 asks of each commit whether the path changed from each parent (a diff limited to
///   the path); when it did, it diffs the **whole** trees and looks for renames, which in a tree of
///   400,000 files costs 140-370 ms per commit. Here the trees are compared along the path only
///   (shared subtrees are the same object, so nothing below them changed), and the whole-tree
///   search is skipped where it cannot find a rename: the file is modified in place, or it is new
///   in a commit that deletes nothing (renames come only from deleted files).
/// - Lines pass to the parent through the same diff (`diff_hunks`: the common tail trimmed in
///   1 KiB blocks, then libgit2's xdiff with no context and default options) and the same
///   bookkeeping (`blame_chunk`, `pass_whole_blame`, `coalesce`).
///
/// Anything else returns nil and libgit2 blames the file itself: a commit whose parent holds the
/// path as a folder, submodule or another kind of file, a rename search that could find
/// something, a merge that keeps lines from several parents, a path libgit2 would read as a
/// pattern (`*`, `?`, `[`, `\`, spaces, a leading `!` or `#`), a line range outside the file.
struct BlameReplay {
    private struct Entry {
        var id: git_oid
        var mode: UInt32
        var isTree: Bool { mode & 0o170000 == 0o040000 }
        /// A regular file or a symbolic link: a blob libgit2's blame can read.
        var isBlob: Bool { mode & 0o170000 == 0o100000 || mode & 0o170000 == 0o120000 }
    }

    private let repository: Repository
    private let components: [[CChar]]
    private let trees: TreeCache
    private let mailmap: Mailmap

    init?(repository: Repository, path: RepoPath, trees: TreeCache, mailmap: Mailmap) {
        guard mailmap.handle != nil, let first = path.bytes.first, first != UInt8(ascii: "!"), first != UInt8(ascii: "#"),
              !path.bytes.contains(where: { $0 <= 0x20 || $0 == 0x7f || $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "\\") })
        else { return nil }
        let parts = path.bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard !parts.contains(where: \.isEmpty) else { return nil }
        self.repository = repository
        self.components = parts.map { $0.map { CChar(bitPattern: $0) } + [0] }
        self.trees = trees
        self.mailmap = mailmap
    }

    /// The blame, or nil where libgit2 must do it.
    func run(lines: ClosedRange<Int>?, newest: git_oid, oldest: git_oid?) throws(GatehouseError) -> [BlameHunk]? {
        var commit = try repository.lookupCommit(newest)
        guard let startEntry = try entry(in: git_commit_tree_id(commit.handle)!.pointee), startEntry.isBlob else { return nil }
        var entry = startEntry
        var blob = try BlobHandle(repository, entry.id)
        let lineCount = blob.lineCount
        if let lines, lines.lowerBound < 0 { return nil }
        let first = max(1, lines?.lowerBound ?? 1)
        let last = lines.map { $0.upperBound > 0 ? $0.upperBound : lineCount } ?? lineCount
        guard first <= last, last <= lineCount else { return nil }

        // For each line blamed (final line first + index): its line number in the current suspect
        // (0-based), until a commit is found guilty of it.
        var suspectLine = Array((first - 1)..<last)
        var guilty = [Int](repeating: -1, count: suspectLine.count)  // index into `culprits`
        var culprits: [(id: git_oid, boundary: Bool)] = []
        var open = Array(suspectLine.indices)
        while !open.isEmpty {
            defer { trees.endOfStep() }
            let id = git_commit_id(commit.handle)!.pointee
            var parentCount = Int(git_commit_parentcount(commit.handle))
            if let oldest, sameObject(id, oldest) { parentCount = 0 }
            if parentCount == 0 {
                // The oldest commit, given or the root: it takes the rest, as boundary.
                culprits.append((id, true))
                for line in open { guilty[line] = culprits.count - 1 }
                break
            }
            let tree = git_commit_tree_id(commit.handle)!.pointee
            var whole: (Commit, Entry)?
            var origins: [(Commit, Entry)] = []
            for index in 0..<parentCount {
                var parentHandle: OpaquePointer?
                guard git_commit_parent(&parentHandle, commit.handle, UInt32(index)) == 0, let parentHandle else {
                    throw GatehouseError(.git, "cannot read a commit's parent: \(lastGitErrorMessage())")
                }
                let parent = Commit(handle: parentHandle)
                let parentTree = git_commit_tree_id(parent.handle)!.pointee
                let (same, theirs) = try compare(tree, with: parentTree)
                if same {
                    whole = (parent, entry)
                    break
                }
                if let theirs, theirs.isBlob, theirs.mode & 0o170000 == entry.mode & 0o170000 {
                    // Modified in place: libgit2's rename search keeps the path.
                    if sameObject(theirs.id, entry.id) {
                        whole = (parent, theirs)
                        break
                    }
                    if !origins.contains(where: { sameObject($0.1.id, theirs.id) }) { origins.append((parent, theirs)) }
                } else if theirs == nil, try !deletesAnything(from: parentTree, to: tree) {
                    // New here, and nothing was deleted that it could have been renamed from.
                    continue
                } else {
                    return nil
                }
            }
            if let (parent, parentEntry) = whole {
                commit = parent
                entry = parentEntry
                if !sameObject(parentEntry.id, blob.id) { blob = try BlobHandle(repository, parentEntry.id) }
                continue
            }
            guard origins.count <= 1 else { return nil }
            culprits.append((id, false))
            let culprit = culprits.count - 1
            guard let (parent, parentEntry) = origins.first else {
                for line in open { guilty[line] = culprit }
                break
            }
            let parentBlob = try BlobHandle(repository, parentEntry.id)
            guard let moved = Self.passLines(open.map { suspectLine[$0] }, from: blob, to: parentBlob) else { return nil }
            var stillOpen: [Int] = []
            for (line, target) in zip(open, moved) {
                if let target {
                    suspectLine[line] = target
                    stillOpen.append(line)
                } else {
                    guilty[line] = culprit
                }
            }
            open = stillOpen
            commit = parent
            entry = parentEntry
            blob = parentBlob
        }

        // One hunk per run of lines blamed on the same commit at consecutive lines of it, as
        // libgit2's coalesce() leaves them.
        var authors: [Int: ChangeAuthor] = [:]
        var hunks: [BlameHunk] = []
        var index = 0
        while index < suspectLine.count {
            var end = index + 1
            while end < suspectLine.count, guilty[end] == guilty[index], suspectLine[end] == suspectLine[end - 1] + 1 { end += 1 }
            let culprit = culprits[guilty[index]]
            let author: ChangeAuthor
            if let known = authors[guilty[index]] {
                author = known
            } else {
                author = mailmap.author(of: try repository.lookupCommit(culprit.id).handle)
                authors[guilty[index]] = author
            }
            hunks.append(BlameHunk(
                lines: (first + index)...(first + end - 1), commit: culprit.id.hex, name: author.name, email: author.email,
                isBoundary: culprit.boundary))
            index = end
        }
        return hunks
    }

    /// Where each of `lines` (0-based, of `target`) comes from in `parent`, or nil for a line the
    /// target changed: blame_git.c's diff_hunks and blame_chunk. Nil when the diff fails.
    private static func passLines(_ lines: [Int], from target: BlobHandle, to parent: BlobHandle) -> [Int?]? {
        // trim_common_tail: drop the common tail in 1 KiB blocks, then give back up to the
        // first newline of what was dropped.
        let parentBytes = parent.bytes, targetBytes = target.bytes
        var parentSize = parentBytes.count, targetSize = targetBytes.count
        let block = 1024
        var trimmed = 0
        let smaller = min(parentSize, targetSize)
        while block + trimmed <= smaller,
              memcmp(parentBytes.baseAddress! + (parentSize - trimmed - block), targetBytes.baseAddress! + (targetSize - trimmed - block), block) == 0 {
            trimmed += block
        }
        var recovered = 0
        while recovered < trimmed {
            recovered += 1
            if parentBytes[parentSize - trimmed + recovered - 1] == UInt8(ascii: "\n") { break }
        }
        parentSize -= trimmed - recovered
        targetSize -= trimmed - recovered

        var options = git_diff_options()
        git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION))
        options.context_lines = 0
        options.interhunk_lines = 0
        options.flags = GIT_DIFF_FORCE_TEXT.rawValue
        let collector = HunkCollector()
        // An empty blob still needs an address: libgit2 reads a null buffer as no file at all.
        let code = git_diff_buffers(
            UnsafeRawPointer(parentBytes.baseAddress) ?? UnsafeRawPointer(BlobHandle.empty), parentSize, nil,
            UnsafeRawPointer(targetBytes.baseAddress) ?? UnsafeRawPointer(BlobHandle.empty), targetSize, nil,
            &options, nil, nil,
            { _, hunk, payload in
                if let hunk { Unmanaged<HunkCollector>.fromOpaque(payload!).takeUnretainedValue().hunks.append(hunk.pointee) }
                return 0
            }, nil, Unmanaged.passUnretained(collector).toOpaque())
        guard code == 0 else { return nil }

        // Lines between hunks move to the parent, offset by what the hunks before them changed.
        var result = [Int?](repeating: nil, count: lines.count)
        let order = lines.indices.sorted { lines[$0] < lines[$1] }
        var cursor = 0
        var targetLine = 0, parentLine = 0
        for hunk in collector.hunks {
            // Zero-context hunk headers name the line before an empty side, else its first line.
            let parentStart = Int(hunk.old_lines) > 0 ? Int(hunk.old_start) - 1 : Int(hunk.old_start)
            let targetStart = Int(hunk.new_lines) > 0 ? Int(hunk.new_start) - 1 : Int(hunk.new_start)
            while cursor < order.count, lines[order[cursor]] < targetStart {
                let line = lines[order[cursor]]
                if line >= targetLine { result[order[cursor]] = parentLine + (line - targetLine) }
                cursor += 1
            }
            parentLine = parentStart + Int(hunk.old_lines)
            targetLine = targetStart + Int(hunk.new_lines)
        }
        while cursor < order.count {
            let line = lines[order[cursor]]
            if line >= targetLine { result[order[cursor]] = parentLine + (line - targetLine) }
            cursor += 1
        }
        return result
    }

    /// Whether the path is the same entry in both trees (so libgit2's path-limited diff is
    /// empty), and else the path's entry in `old`, if any.
    private func compare(_ new: git_oid, with old: git_oid) throws(GatehouseError) -> (same: Bool, old: Entry?) {
        if sameObject(new, old) { return (true, nil) }
        var newTree: OpaquePointer? = try trees.tree(new)
        var oldTree: OpaquePointer? = try trees.tree(old)
        for (depth, name) in components.enumerated() {
            let newEntry = newTree.flatMap { git_tree_entry_byname($0, name) }.map(Self.entry)
            let oldEntry = oldTree.flatMap { git_tree_entry_byname($0, name) }.map(Self.entry)
            if depth == components.count - 1 {
                if let newEntry, let oldEntry, !newEntry.isTree, newEntry.mode == oldEntry.mode, sameObject(newEntry.id, oldEntry.id) {
                    return (true, nil)
                }
                return (false, oldEntry)
            }
            if let newEntry, let oldEntry, newEntry.isTree, oldEntry.isTree, sameObject(newEntry.id, oldEntry.id) { return (true, nil) }
            newTree = if let newEntry, newEntry.isTree { try trees.tree(newEntry.id) } else { nil }
            oldTree = if let oldEntry, oldEntry.isTree { try trees.tree(oldEntry.id) } else { nil }
            if oldTree == nil { return (false, nil) }
        }
        return (false, nil)
    }

    /// The path's entry in a tree.
    private func entry(in root: git_oid) throws(GatehouseError) -> Entry? {
        var tree = try trees.tree(root)
        for (depth, name) in components.enumerated() {
            guard let found = git_tree_entry_byname(tree, name) else { return nil }
            let entry = Self.entry(found)
            if depth == components.count - 1 { return entry }
            guard entry.isTree else { return nil }
            tree = try trees.tree(entry.id)
        }
        return nil
    }

    private static func entry(_ entry: OpaquePointer) -> Entry {
        Entry(id: git_tree_entry_id(entry)!.pointee, mode: git_tree_entry_filemode_raw(entry).rawValue)
    }

    /// Whether going from `old` to `new` deletes a file (or symbolic link, or submodule), or
    /// changes one's kind, which libgit2's diff lists as a deletion too: the only sources its
    /// rename search has. Only subtrees that differ are read.
    private func deletesAnything(from old: git_oid, to new: git_oid) throws(GatehouseError) -> Bool {
        if sameObject(old, new) { return false }
        let oldTree = try trees.tree(old)
        let newTree = try trees.tree(new)
        for index in 0..<git_tree_entrycount(oldTree) {
            guard let oldEntry = git_tree_entry_byindex(oldTree, index) else { continue }
            guard let newEntry = git_tree_entry_byname(newTree, git_tree_entry_name(oldEntry)) else { return true }
            let before = Self.entry(oldEntry), after = Self.entry(newEntry)
            if before.isTree != after.isTree { return true }
            if before.isTree {
                if try deletesAnything(from: before.id, to: after.id) { return true }
            } else if before.mode & 0o170000 != after.mode & 0o170000 {
                return true
            }
        }
        return false
    }
}

/// A blob, freed with its owner; its bytes stay valid while it lives.
private final class BlobHandle {
    let handle: OpaquePointer
    let id: git_oid
    let bytes: UnsafeBufferPointer<UInt8>

    init(_ repository: Repository, _ id: git_oid) throws(GatehouseError) {
        var id = id
        var blob: OpaquePointer?
        guard git_blob_lookup(&blob, repository.handle, &id) == 0, let blob else {
            throw GatehouseError(.git, "cannot read blob \(id.hex): \(lastGitErrorMessage())")
        }
        handle = blob
        self.id = id
        let size = Int(git_blob_rawsize(blob))
        bytes = UnsafeBufferPointer(start: git_blob_rawcontent(blob)?.assumingMemoryBound(to: UInt8.self), count: size)
    }

    deinit { git_blob_free(handle) }

    nonisolated(unsafe) static let empty: UnsafeMutablePointer<UInt8> = {
        let byte = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        byte.pointee = 0
        return byte
    }()

    /// Lines as libgit2's blame counts them (index_blob_lines): an unfinished last line counts.
    var lineCount: Int {
        var count = 0
        for byte in bytes where byte == UInt8(ascii: "\n") { count += 1 }
        if let last = bytes.last, last != UInt8(ascii: "\n") { count += 1 }
        return count
    }
}

private final class HunkCollector {
    var hunks: [git_diff_hunk] = []
}

