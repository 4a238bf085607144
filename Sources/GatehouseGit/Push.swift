import CLibGit2
import Foundation
import GatehouseCore

/// What one ref of a push sends: the commits the remote does not have, and the commit to diff them from.
public struct PushRange: Sendable {
    /// The commit the pushed change is measured from; nil when every commit is new (the whole tree is added).
    public var base: String?
    public var head: String
    /// How many commits the push sends for this ref.
    public var commitCount: Int
    /// How the base was found, in words.
    public var reason: String
}

extension Repository {
    /// The range one line of a pre-push hook's input sends: the commits reachable from the pushed
    /// commit and from none of the remote's tracking refs (nor the remote's old commit of this ref),
    /// as `git rev-list <local> --not <remote sha> --remotes=<remote>` lists them.
    ///
    /// The diff is taken from the newest commit at the edge of that range: for a fast-forward the
    /// remote's old commit, after a rebase the new upstream tip, for a branch that merged the
    /// upstream the upstream commit it merged. So the pushed change holds what the pushed commits
    /// introduce and never what they only brought in from upstream.
    public func pushRange(for ref: PushedRef, remote: String) throws(GatehouseError) -> PushRange {
        let local = try resolveCommit(ref.localSHA, role: "the pushed commit of \(ref.localRef)")
        var tips: [git_oid] = []
        var oldTip: git_oid?
        // The remote's old object may not be fetched here, or be an annotated tag of a commit.
        if !ref.isNewRef, peelsToCommit(ref.remoteSHA) {
            let old = try resolveCommit(ref.remoteSHA, role: "the remote's commit of \(ref.remoteRef)")
            oldTip = old
            tips.append(old)
        }
        // git passes the URL as the remote's name when pushing to a URL: find the remote it belongs to.
        let remoteName = remoteExists(remote) ? remote : remoteName(forURL: remote)
        var tracking = remoteName.map { trackingTips(glob: "refs/remotes/\($0)/*") } ?? []
        var note = ""
        if tracking.isEmpty {
            // A remote never fetched (or a bare URL): every remote's tracking refs are the best
            // knowledge of what exists elsewhere, rather than counting the whole history as new.
            tracking = trackingTips(glob: "refs/remotes/*")
            if !tracking.isEmpty { note = "; \(remoteName ?? remote) has no tracking refs here, so all remotes' are used" }
        }
        tips += tracking

        let (pushed, boundary, complete) = try walk(from: local, hiding: tips)
        let short = { (id: git_oid) in String(id.hex.prefix(12)) }
        guard let base = boundary.max(by: { $0.time < $1.time })?.id else {
            let why = complete ? "every pushed commit is new to \(remoteName ?? remote)" : "this shallow clone's history ends before the remote's"
            return PushRange(
                base: nil, head: local.hex, commitCount: pushed,
                reason: "\(why): every file counts as added\(note)")
        }
        let from: String
        if let oldTip, oldTip.hex == base.hex {
            from = "the remote's \(ref.shortRemoteRef)"
        } else {
            from = "\(short(base)), the newest commit \(remoteName ?? remote) already has"
        }
        return PushRange(
            base: base.hex, head: local.hex, commitCount: pushed,
            reason: "\(ref.isNewRef ? (ref.remoteRef.hasPrefix("refs/tags/") ? "a new tag" : "a new branch") : "\(short(base))..\(short(local))"): from \(from)\(note)")
    }

    /// Commits reachable from `local` but not from `tips`: how many, the hidden commits at their
    /// edge (parents outside the range) with their times.
    /// `complete` is false when a shallow clone's history ended the walk early.
    private func walk(
        from local: git_oid, hiding tips: [git_oid]
    ) throws(GatehouseError) -> (count: Int, boundary: [(id: git_oid, time: Int64)], complete: Bool) {
        let walk = try RevisionWalk(self, sorting: GIT_SORT_NONE.rawValue)
        try walk.push(local)
        var pushed = Set<String>()
        var parents: [git_oid] = []
        do throws(GatehouseError) {
            for tip in tips { try walk.hide(tip) }
            while let id = try walk.next() {
                pushed.insert(id.hex)
                let (_, commitParents) = try commitInfo(id)
                parents += commitParents
            }
        } catch where error.kind == .shallowHistory {
            // libgit2 1.5 cannot walk past a shallow clone's edge; count what it can see instead.
            return try shallowWalk(from: local, stoppingAt: tips)
        }
        var boundary: [(id: git_oid, time: Int64)] = []
        var seen = Set<String>()
        for parent in parents where !pushed.contains(parent.hex) && seen.insert(parent.hex).inserted {
            if let time = try? commitInfo(parent).time { boundary.append((parent, time)) }
        }
        return (pushed.count, boundary, true)
    }

    /// The same answer for a shallow clone, by following parents from `local` until a tip or the
    /// clone's edge: libgit2 1.5 knows nothing of shallow clones and fails to hide their history.
    private func shallowWalk(
        from local: git_oid, stoppingAt tips: [git_oid]
    ) throws(GatehouseError) -> (count: Int, boundary: [(id: git_oid, time: Int64)], complete: Bool) {
        let tipSet = Set(tips.map(\.hex))
        var queue = [local]
        var seen = Set<String>([local.hex])
        var count = 0
        var boundary: [(id: git_oid, time: Int64)] = []
        var complete = true
        while let id = queue.popLast() {
            guard let (time, parents) = try? commitInfo(id) else {
                complete = false  // the clone's edge: its parents were never fetched
                continue
            }
            if tipSet.contains(id.hex) {
                boundary.append((id, time))
                continue
            }
            count += 1
            for parent in parents where seen.insert(parent.hex).inserted { queue.append(parent) }
        }
        return (count, boundary, complete || !boundary.isEmpty)
    }

    private func commitInfo(_ id: git_oid) throws(GatehouseError) -> (time: Int64, parents: [git_oid]) {
        let commit = try lookupCommit(id).handle
        var parents: [git_oid] = []
        for index in 0..<git_commit_parentcount(commit) {
            if let parent = git_commit_parent_id(commit, index) { parents.append(parent.pointee) }
        }
        return (git_commit_time(commit), parents)
    }

    /// The commits the references matching `glob` point at (tags peeled; non-commits left out).
    private func trackingTips(glob: String) -> [git_oid] {
        var iterator: OpaquePointer?
        guard git_reference_iterator_glob_new(&iterator, handle, glob) == 0, let iterator else { return [] }
        defer { git_reference_iterator_free(iterator) }
        var tips: [git_oid] = []
        var reference: OpaquePointer?
        while git_reference_next(&reference, iterator) == 0, let current = reference {
            var commit: OpaquePointer?
            if git_reference_peel(&commit, current, GIT_OBJECT_COMMIT) == 0, let commit {
                tips.append(git_object_id(commit).pointee)
                git_object_free(commit)
            }
            git_reference_free(current)
            reference = nil
        }
        return tips
    }

    /// The configured remote whose URL (or push URL) is `url`.
    private func remoteName(forURL url: String) -> String? {
        var names = git_strarray()
        guard git_remote_list(&names, handle) == 0 else { return nil }
        defer { git_strarray_dispose(&names) }
        func normalized(_ text: String) -> String {
            var text = text
            while text.hasSuffix("/") { text.removeLast() }
            if text.hasSuffix(".git") { text.removeLast(4) }
            return text
        }
        let wanted = normalized(url)
        for index in 0..<names.count {
            guard let pointer = names.strings[index] else { continue }
            let name = String(cString: pointer)
            var remote: OpaquePointer?
            guard git_remote_lookup(&remote, handle, name) == 0, let remote else { continue }
            defer { git_remote_free(remote) }
            let urls = [git_remote_url(remote), git_remote_pushurl(remote)].compactMap { $0.map { String(cString: $0) } }
            if urls.contains(where: { normalized($0) == wanted }) { return name }
        }
        return nil
    }

    /// Whether `sha` names something that peels to a commit (a branch tip, an annotated tag);
    /// a tag of a tree or a blob does not.
    public func peelsToCommit(_ sha: String) -> Bool {
        var object: OpaquePointer?
        guard git_revparse_single(&object, handle, sha) == 0, let object else { return false }
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        defer { git_object_free(commit) }
        return git_object_peel(&commit, object, GIT_OBJECT_COMMIT) == 0
    }

    /// The change from `base` (nil: the empty tree) to `head`, as a pushed range is checked.
    public func readChange(from base: String?, to head: String, reason: String, detectRenames: Bool = true) throws(GatehouseError) -> ChangeSet {
        let headID = try resolveCommit(head, role: "the pushed commit")
        let newTree = try commitTree(headID)
        var oldTree: Tree?
        var baseID: git_oid?
        if let base {
            let id = try resolveCommit(base, role: "the push's base")
            baseID = id
            oldTree = try commitTree(id)
        }
        let policy = try textDiffPolicy(algorithm: nil, indentHeuristic: nil)
        let files = try diffTrees(old: oldTree, new: newTree, detectRenames: detectRenames, policy: policy)
        return ChangeSet(
            mode: .twoDot, base: baseID?.hex, head: headID.hex, mergeBase: baseID?.hex,
            baseSelection: BaseSelection(source: .push, revision: base ?? "(empty tree)", reason: reason), files: files)
    }

    func remoteExists(_ name: String) -> Bool {
        var remote: OpaquePointer?
        defer { git_remote_free(remote) }
        return git_remote_lookup(&remote, handle, name) == 0
    }
}
