import CLibGit2
import Foundation
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
        var paths: [RepoPath] = []
        try forEachTrackedFileBatch(at: revision) { batch in
            paths.reserveCapacity(paths.count + batch.count)
            paths += batch.paths
        }
        return paths
    }

    /// Another handle on this repository, for another thread: a handle serves one thread at a
    /// time, and listing a large tree can run beside other work on this one.
    public func reopened() throws(GatehouseError) -> Repository {
        try Repository(discoveringFrom: String(cString: git_repository_path(handle)))
    }

    /// The files of `trackedFiles(at:)`, in the same order, handed to `body` a batch of about
    /// `batchSize` paths at a time as the tree is read: a caller can work on the first files
    /// while the rest are read, and no array is made per path.
    public func forEachTrackedFileBatch(
        at revision: String, batchSize: Int = 8192, _ body: (PathBatch) -> Void
    ) throws(GatehouseError) {
        let tree = try commitTree(try resolveCommit(revision, role: "revision"))
        try withoutActuallyEscaping(body) { (body) throws(GatehouseError) in
            var lister = TreeLister(repository: handle, batchSize: batchSize, body: body)
            guard lister.list(tree.handle) else {
                throw GatehouseError(.git, "cannot list the files of \(revision): \(lastGitErrorMessage())")
            }
            lister.flush()
        }
    }
}

/// Lists a tree's files as `git_tree_walk` (pre-order) would give them, without a callback per
/// entry (a C-to-Swift call, a retain, and the length of the folder found again each time):
/// subtrees are read in the same order, and the folder is kept as bytes, one push and one pop
/// per subtree.
private struct TreeLister {
    let repository: OpaquePointer
    let batchSize: Int
    let body: (PathBatch) -> Void
    /// The folder being listed, with a trailing "/" (empty at the root).
    var folder: [UInt8] = []
    var batch = PathBatch()

    init(repository: OpaquePointer, batchSize: Int, body: @escaping (PathBatch) -> Void) {
        self.repository = repository
        self.batchSize = batchSize
        self.body = body
        batch.reserveCapacity(paths: batchSize, bytes: batchSize * 64)
    }

    /// False when a subtree cannot be read (libgit2's error says why).
    mutating func list(_ tree: OpaquePointer) -> Bool {
        for index in 0..<git_tree_entrycount(tree) {
            guard let entry = git_tree_entry_byindex(tree, index), let name = git_tree_entry_name(entry) else { continue }
            let type = git_tree_entry_type(entry)
            let nameBytes = UnsafeBufferPointer(start: UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self), count: strlen(name))
            if type == GIT_OBJECT_TREE {
                var subtree: OpaquePointer?
                guard git_tree_lookup(&subtree, repository, git_tree_entry_id(entry)) == 0, let subtree else { return false }
                defer { git_tree_free(subtree) }
                let length = folder.count
                folder.append(contentsOf: nameBytes)
                folder.append(UInt8(ascii: "/"))
                guard list(subtree) else { return false }
                folder.removeSubrange(length...)
            } else if type == GIT_OBJECT_BLOB || type == GIT_OBJECT_COMMIT {
                folder.withUnsafeBufferPointer { batch.append($0, nameBytes) }
                if batch.count >= batchSize { flush() }
            }
        }
        return true
    }

    mutating func flush() {
        guard !batch.isEmpty else { return }
        body(batch)
        batch = PathBatch()
        batch.reserveCapacity(paths: batchSize, bytes: batchSize * 64)
    }
}
