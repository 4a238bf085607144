import CLibGit2
import Foundation
import GatehouseCore

/// An open repository. Owns its libgit2 handle and frees it when released;
/// use it from one task at a time.
public final class Repository {
    let handle: OpaquePointer
    /// The work tree folder, with a trailing slash; nil for a bare repository.
    public let workdir: String?

    /// Opens the repository that contains `path`, searching parent folders as git does.
    public init(discoveringFrom path: String) throws(GatehouseError) {
        precondition(libgit2Initialized, "libgit2 failed to initialise")
        var repository: OpaquePointer?
        let code = git_repository_open_ext(&repository, path, 0, nil)
        guard code == 0, let repository else {
            let message = lastGitErrorMessage()
            if code == GIT_ENOTFOUND.rawValue, message.contains("safe.directory") || message.contains("owner") {
                throw GatehouseError(
                    .notARepository,
                    "the repository at \(path) is owned by another user, and git refuses to read it for safety (\(message)). "
                        + "Run Gatehouse as the owner, or mark it safe: git config --global --add safe.directory <absolute path>.")
            }
            if code == GIT_ENOTFOUND.rawValue {
                throw GatehouseError(
                    .notARepository,
                    "\(path) is not inside a git repository. Run Gatehouse from a clone, or name one with -C PATH.")
            }
            if message.contains("objectformat") {
                // libgit2 1.5 reads SHA-1 repositories only; guessing at a SHA-256 one would be worse than stopping.
                throw GatehouseError(
                    .unsupportedRepository,
                    "the repository at \(path) uses SHA-256 object names (git init --object-format=sha256), which the libgit2 1.5 "
                        + "Gatehouse is built with cannot read. Gatehouse cannot check it; in a pre-push hook, push with "
                        + "git push --no-verify and let CI run the gates.")
            }
            throw GatehouseError(.git, "cannot open the repository at \(path): \(message)")
        }
        handle = repository
        workdir = git_repository_workdir(repository).map { String(cString: $0) }
    }

    deinit {
        git_repository_free(handle)
    }

    public var isShallow: Bool { git_repository_is_shallow(handle) == 1 }

    /// True when no branch has a commit yet (a fresh `git init`).
    public var isEmpty: Bool { git_repository_is_empty(handle) == 1 }

    public var isHeadUnborn: Bool { git_repository_head_unborn(handle) == 1 }

    /// Whether `revision` names something in this repository.
    public func resolves(_ revision: String) -> Bool {
        var object: OpaquePointer?
        defer { git_object_free(object) }
        return git_revparse_single(&object, handle, revision) == 0
    }

    /// The full object name of the commit `revision` names, or nil when it names none.
    public func commitSHA(_ revision: String) -> String? {
        guard resolves(revision) else { return nil }
        return try? resolveCommit(revision, role: revision).hex
    }

    /// The commit `revision` names, peeling tags. `role` names the revision in messages ("--base").
    public func resolveCommit(_ revision: String, role: String) throws(GatehouseError) -> git_oid {
        if revision == "HEAD" || revision.hasPrefix("HEAD~") || revision.hasPrefix("HEAD^"), isHeadUnborn {
            throw noCommitsError()
        }
        var object: OpaquePointer?
        defer { git_object_free(object) }
        let code = git_revparse_single(&object, handle, revision)
        guard code == 0, let object else {
            let message = lastGitErrorMessage()
            if code == GIT_EAMBIGUOUS.rawValue {
                throw GatehouseError(
                    .unknownRevision,
                    "\(role) '\(revision)' is ambiguous in this repository (\(message)). Give more digits of the commit, or a full ref such as refs/heads/\(revision).")
            }
            let advice = RevisionAdvice.advice(
                for: revision, resolves: { self.resolves($0) }, remotes: remoteNames(), branches: branchNames(), isShallow: isShallow)
            throw GatehouseError(.unknownRevision, "\(role) '\(revision)' does not name a commit in this repository. \(advice)")
        }
        var commit: OpaquePointer?
        defer { git_object_free(commit) }
        guard git_object_peel(&commit, object, GIT_OBJECT_COMMIT) == 0, let commit else {
            throw GatehouseError(
                .unknownRevision, "\(role) '\(revision)' names a \(objectTypeName(object)), not a commit. Name a commit, branch or tag.")
        }
        return git_commit_id(commit).pointee
    }

    func noCommitsError() -> GatehouseError {
        GatehouseError(
            .emptyRepository,
            isEmpty
                ? "this repository has no commits yet, so there is no change to compare. Commit something first, or check staged work with --staged."
                : "HEAD points to a branch with no commits yet. Check out a branch that has commits, or check staged work with --staged.")
    }

    private func objectTypeName(_ object: OpaquePointer) -> String {
        switch git_object_type(object) {
        case GIT_OBJECT_TREE: "tree"
        case GIT_OBJECT_BLOB: "blob"
        case GIT_OBJECT_TAG: "tag"
        default: "object"
        }
    }

    /// The best common ancestor of two commits, as `git merge-base` finds it.
    public func mergeBase(_ one: git_oid, _ two: git_oid, baseName: String, headName: String) throws(GatehouseError) -> git_oid {
        var a = one
        var b = two
        var out = git_oid()
        let code = git_merge_base(&out, handle, &a, &b)
        if code == 0 { return out }
        let message = lastGitErrorMessage()
        if isShallow {
            throw shallowError(baseName: baseName, headName: headName)
        }
        if code == GIT_ENOTFOUND.rawValue {
            throw GatehouseError(
                .noMergeBase,
                "'\(baseName)' and '\(headName)' have no common history (unrelated histories), so there is no merge base to diff from. "
                    + "Pick a base that shares history with \(headName), or compare the two trees directly with --range two-dot.")
        }
        throw GatehouseError(.git, "cannot find the merge base of '\(baseName)' and '\(headName)': \(message)")
    }

    func shallowError(baseName: String, headName: String) -> GatehouseError {
        GatehouseError(
            .shallowHistory,
            "this is a shallow clone, and its history does not reach the merge base of '\(baseName)' and '\(headName)'. "
                + "Fetch more history (git fetch --deepen=100, or git fetch --unshallow); in GitHub Actions set fetch-depth: 0 on actions/checkout, in GitLab CI GIT_DEPTH: 0. "
                + "To compare the two commits directly instead, use --range two-dot.")
    }

    func commitTree(_ id: git_oid) throws(GatehouseError) -> Tree {
        var id = id
        var commit: OpaquePointer?
        defer { git_commit_free(commit) }
        guard git_commit_lookup(&commit, handle, &id) == 0, let commit else {
            throw GatehouseError(.git, "cannot read commit \(id.hex): \(lastGitErrorMessage())")
        }
        var tree: OpaquePointer?
        guard git_commit_tree(&tree, commit) == 0, let tree else {
            throw GatehouseError(.git, "cannot read the tree of commit \(id.hex): \(lastGitErrorMessage())")
        }
        return Tree(handle: tree)
    }
}

/// A tree object, freed with its owner.
final class Tree {
    let handle: OpaquePointer
    init(handle: OpaquePointer) { self.handle = handle }
    deinit { git_tree_free(handle) }
}

extension Repository {
    /// The configured remotes' names.
    func remoteNames() -> [String] {
        var names = git_strarray()
        guard git_remote_list(&names, handle) == 0 else { return [] }
        defer { git_strarray_dispose(&names) }
        return (0..<names.count).compactMap { names.strings[$0].map { String(cString: $0) } }
    }

    /// Local branches and remote-tracking branches, by their short names (main, origin/main).
    func branchNames() -> [String] {
        var iterator: OpaquePointer?
        guard git_branch_iterator_new(&iterator, handle, GIT_BRANCH_ALL) == 0, let iterator else { return [] }
        defer { git_branch_iterator_free(iterator) }
        var names: [String] = []
        var reference: OpaquePointer?
        var type = GIT_BRANCH_LOCAL
        // Enough to suggest a spelling; a repository with more branches gets the first ones.
        while names.count < 10_000, git_branch_next(&reference, &type, iterator) == 0, let found = reference {
            defer { git_reference_free(found) }
            if let name = git_reference_shorthand(found) { names.append(String(cString: name)) }
        }
        return names
    }
}

