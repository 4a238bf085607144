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
    /// The newest committer time among them: evidence written before it describes older code.
    public var newestCommitTime: Date?
    /// How the base was found, in words.
    public var reason: String
}

/// Walks commits and frees the walker when done.
private final class RevisionWalk {
    let handle: OpaquePointer

    init(_ repository: OpaquePointer) throws(GatehouseError) {
        var walk: OpaquePointer?
        guard git_revwalk_new(&walk, repository) == 0, let walk else {
            throw GatehouseError(.git, "cannot walk the history: \(lastGitErrorMessage())")
        }
        handle = walk
    }

    deinit { git_revwalk_free(handle) }
}

extension Repository {
    /// The range one line of a pre-push hook's input sends, as git's documentation describes it:
    /// remote..local when the remote's commit is known here; for a new branch (or a remote commit
    /// not fetched yet), the commits not on any of `remote`'s tracking refs.
    public func pushRange(for ref: PushedRef, remote: String) throws(GatehouseError) -> PushRange {
        let local = try resolveCommit(ref.localSHA, role: "the pushed commit of \(ref.localRef)")
        let walk = try RevisionWalk(handle)
        var localID = local
        guard git_revwalk_push(walk.handle, &localID) == 0 else {
            throw GatehouseError(.git, "cannot walk the history of \(ref.localRef): \(lastGitErrorMessage())")
        }
        var remoteID: git_oid?
        if !ref.isNewRef, isCommit(ref.remoteSHA) {
            var id = try resolveCommit(ref.remoteSHA, role: "the remote's commit of \(ref.remoteRef)")
            remoteID = id
            git_revwalk_hide(walk.handle, &id)
        } else if remoteExists(remote) {
            // hide_glob prefixes "refs/" itself; no tracking ref at all hides nothing, which is right.
            git_revwalk_hide_glob(walk.handle, "remotes/\(remote)/*")
        }
        var pushed = Set<String>()
        var newest: Int64?
        var id = git_oid()
        while git_revwalk_next(&id, walk.handle) == 0 {
            pushed.insert(id.hex)
            var commit: OpaquePointer?
            if git_commit_lookup(&commit, handle, &id) == 0, let commit {
                let time = git_commit_time(commit)
                newest = max(newest ?? time, time)
                git_commit_free(commit)
            }
        }
        let newestDate = newest.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        if let remoteID {
            // Fast-forward: the remote commit is the merge base. Forced: diff from where they parted.
            var base = git_oid()
            var remote = remoteID
            if git_merge_base(&base, handle, &remote, &localID) == 0 {
                return PushRange(
                    base: base.hex, head: local.hex, commitCount: pushed.count, newestCommitTime: newestDate,
                    reason: "\(String(ref.remoteSHA.prefix(12)))..\(String(ref.localSHA.prefix(12))), the remote's \(ref.shortRemoteRef) to the pushed commit")
            }
            return PushRange(
                base: nil, head: local.hex, commitCount: pushed.count, newestCommitTime: newestDate,
                reason: "the pushed history shares no commit with the remote's \(ref.shortRemoteRef): every file counts as added")
        }
        // A new ref: follow first parents back to the first commit the remote already has.
        var current = local
        while pushed.contains(current.hex) {
            var commit: OpaquePointer?
            guard git_commit_lookup(&commit, handle, &current) == 0, let commit else { break }
            defer { git_commit_free(commit) }
            guard git_commit_parentcount(commit) > 0, let parent = git_commit_parent_id(commit, 0) else {
                return PushRange(
                    base: nil, head: local.hex, commitCount: pushed.count, newestCommitTime: newestDate,
                    reason: "a new branch whose every commit is new to \(remote): every file counts as added")
            }
            current = parent.pointee
        }
        return PushRange(
            base: current.hex, head: local.hex, commitCount: pushed.count, newestCommitTime: newestDate,
            reason: "a new branch: from \(String(current.hex.prefix(12))), the first commit \(remote) already has")
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
        let oldHandle = oldTree?.handle
        let files = try diffFiles(detectRenames: detectRenames) { diff, options in
            git_diff_tree_to_tree(&diff, handle, oldHandle, newTree.handle, options)
        }
        return ChangeSet(
            mode: .twoDot, base: baseID?.hex, head: headID.hex, mergeBase: baseID?.hex,
            baseSelection: BaseSelection(source: .push, revision: base ?? "(empty tree)", reason: reason), files: files)
    }

    /// Whether `sha` names a commit in this repository (a remote commit may not be fetched yet).
    func isCommit(_ sha: String) -> Bool {
        var id = git_oid()
        guard git_oid_fromstrn(&id, sha, sha.utf8.count) == 0 else { return false }
        var commit: OpaquePointer?
        defer { git_commit_free(commit) }
        return git_commit_lookup(&commit, handle, &id) == 0
    }

    func remoteExists(_ name: String) -> Bool {
        var remote: OpaquePointer?
        defer { git_remote_free(remote) }
        return git_remote_lookup(&remote, handle, name) == 0
    }
}
