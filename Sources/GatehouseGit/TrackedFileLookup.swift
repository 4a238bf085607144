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

extension Repository {
    /// Which of `paths` differ in the work tree from their content at `revision` (edited, or gone):
    /// each file is hashed through its clean filters as `git add` would store it, so the cost is
    /// that of the files asked about, not of the work tree (no index is read, no folder walked;
    /// attributes come from the work tree's .gitattributes).
    public func workTreeDiffers(from revision: String, paths: [RepoPath]) throws(GatehouseError) -> [RepoPath] {
        guard let workdir else { return [] }
        let tree = try commitTree(try resolveCommit(revision, role: "revision"))
        // Clean filters follow attributes; read from the work tree's files only, as for a range,
        // so that hashing a few files does not load a large index.
        let hashing = try openWithoutIndex()
        defer { git_repository_free(hashing) }
        var differing: [RepoPath] = []
        for path in paths {
            let cPath = path.bytes.map { CChar(bitPattern: $0) } + [0]
            var entry: OpaquePointer?
            defer { git_tree_entry_free(entry) }
            guard cPath.withUnsafeBufferPointer({ git_tree_entry_bypath(&entry, tree.handle, $0.baseAddress) }) == 0, let entry,
                  git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { continue }
            var expected = git_tree_entry_id(entry).pointee
            let full = Array(workdir.utf8).map { CChar(bitPattern: $0) } + cPath
            var status = stat()
            guard lstat(full, &status) == 0 else {
                differing.append(path)
                continue
            }
            var actual = git_oid()
            let hashed: Int32
            if status.st_mode & S_IFMT == S_IFLNK {
                // A symlink's content is its target, as git stores it.
                var target = [CChar](repeating: 0, count: 4096)
                let length = readlink(full, &target, target.count)
                hashed = length < 0 ? -1 : git_odb_hash(&actual, target, length, GIT_OBJECT_BLOB)
            } else if status.st_mode & S_IFMT == S_IFREG {
                hashed = cPath.withUnsafeBufferPointer { git_repository_hashfile(&actual, hashing, $0.baseAddress, GIT_OBJECT_BLOB, nil) }
            } else {
                hashed = -1
            }
            if hashed != 0 || git_oid_equal(&actual, &expected) != 1 { differing.append(path) }
        }
        return differing
    }
}

#if canImport(Glibc)
import Glibc
#endif
