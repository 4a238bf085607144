import CLibGit2
import GatehouseCore

extension Repository {
    /// The bytes of `path` in `revision`'s tree, or nil when the tree has no such file.
    public func fileContents(_ path: String, at revision: String) throws(GatehouseError) -> [UInt8]? {
        let tree = try commitTree(try resolveCommit(revision, role: "revision"))
        var entry: OpaquePointer?
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_bypath(&entry, tree.handle, path) == 0, let entry,
              git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return nil }
        return try blobContent(git_tree_entry_id(entry).pointee)
    }

    /// Every file tracked in `revision`'s tree (submodules included, as the paths they occupy),
    /// in git's order.
    public func trackedFiles(at revision: String) throws(GatehouseError) -> [RepoPath] {
        let tree = try commitTree(try resolveCommit(revision, role: "revision"))
        let collector = PathCollector()
        let code = git_tree_walk(tree.handle, GIT_TREEWALK_PRE, { root, entry, payload in
            let collector = Unmanaged<PathCollector>.fromOpaque(payload!).takeUnretainedValue()
            let type = git_tree_entry_type(entry)
            guard type == GIT_OBJECT_BLOB || type == GIT_OBJECT_COMMIT else { return 0 }
            var path = bytes(ofCString: root)
            path += bytes(ofCString: git_tree_entry_name(entry))
            collector.paths.append(RepoPath(bytes: path))
            return 0
        }, Unmanaged.passUnretained(collector).toOpaque())
        guard code == 0 else {
            throw GatehouseError(.git, "cannot list the files of \(revision): \(lastGitErrorMessage())")
        }
        return collector.paths
    }
}

private final class PathCollector {
    var paths: [RepoPath] = []
}
