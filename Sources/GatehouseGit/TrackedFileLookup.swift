import CLibGit2
import GatehouseCore

extension Repository {
    /// The files tracked at `revision` for mapping report paths: each looked up in the tree on
    /// its own, the whole tree listed (by `list`) only when a path must be matched by its tail.
    public func repositoryFiles(at revision: String, list: @escaping () throws -> [RepoPath]) throws(GatehouseError) -> RepositoryFiles {
        let tree = try commitTree(try resolveCommit(revision, role: "revision"))
        return RepositoryFiles(contains: { path in
            var entry: OpaquePointer?
            defer { git_tree_entry_free(entry) }
            let found = (path.bytes.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer {
                git_tree_entry_bypath(&entry, tree.handle, $0.baseAddress) == 0
            }
            guard found, let entry else { return false }
            let type = git_tree_entry_type(entry)
            return type == GIT_OBJECT_BLOB || type == GIT_OBJECT_COMMIT
        }, list: list)
    }
}
