import CLibGit2
import GatehouseCore

// Commits and revision walks, shared by the history reader and the pre-push range.

extension Repository {
    func lookupCommit(_ id: git_oid) throws(GatehouseError) -> Commit {
        var id = id
        var commit: OpaquePointer?
        guard git_commit_lookup(&commit, handle, &id) == 0, let commit else {
            throw GatehouseError(.git, "cannot read commit \(id.hex): \(lastGitErrorMessage())")
        }
        return Commit(handle: commit)
    }
}

/// A commit, freed with its owner.
final class Commit {
    let handle: OpaquePointer
    init(handle: OpaquePointer) { self.handle = handle }
    deinit { git_commit_free(handle) }
}

/// A revision walk, freed with its owner.
final class RevisionWalk {
    let handle: OpaquePointer
    private let repository: Repository

    init(_ repository: Repository, sorting: UInt32) throws(GatehouseError) {
        var walk: OpaquePointer?
        guard git_revwalk_new(&walk, repository.handle) == 0, let walk else {
            throw GatehouseError(.git, "cannot walk the history: \(lastGitErrorMessage())")
        }
        handle = walk
        self.repository = repository
        git_revwalk_sorting(walk, sorting)
    }

    deinit { git_revwalk_free(handle) }

    func push(_ revision: String) throws(GatehouseError) {
        var id = try repository.resolveCommit(revision, role: "revision")
        guard git_revwalk_push(handle, &id) == 0 else { throw GatehouseError(.git, "cannot walk from \(revision): \(lastGitErrorMessage())") }
    }

    func push(_ id: git_oid) throws(GatehouseError) {
        var id = id
        guard git_revwalk_push(handle, &id) == 0 else { throw GatehouseError(.git, "cannot walk from \(id.hex): \(lastGitErrorMessage())") }
    }

    /// Hides `id` and its history; in a shallow clone that history may be missing, which is
    /// reported as the shallow clone it is.
    func hide(_ id: git_oid) throws(GatehouseError) {
        var id = id
        guard git_revwalk_hide(handle, &id) == 0 else { throw failure() }
    }

    func hide(_ revision: String) throws(GatehouseError) {
        var id = try repository.resolveCommit(revision, role: "revision")
        guard git_revwalk_hide(handle, &id) == 0 else { throw GatehouseError(.git, "cannot walk the history: \(lastGitErrorMessage())") }
    }

    func next() throws(GatehouseError) -> git_oid? {
        var id = git_oid()
        let code = git_revwalk_next(&id, handle)
        if code == GIT_ITEROVER.rawValue { return nil }
        guard code == 0 else { throw failure() }
        return id
    }

    private func failure() -> GatehouseError {
        if repository.isShallow {
            return GatehouseError(
                .shallowHistory,
                "this is a shallow clone, and the commits of the change reach past its history. Fetch more (git fetch --deepen=100, or --unshallow); in GitHub Actions set fetch-depth: 0 on actions/checkout, in GitLab CI GIT_DEPTH: 0.")
        }
        return GatehouseError(.git, "cannot walk the history: \(lastGitErrorMessage())")
    }
}
