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
            let collector = BatchCollector(batchSize: batchSize, body: body)
            let code = git_tree_walk(tree.handle, GIT_TREEWALK_PRE, { root, entry, payload in
                let collector = Unmanaged<BatchCollector>.fromOpaque(payload!).takeUnretainedValue()
                let type = git_tree_entry_type(entry)
                guard type == GIT_OBJECT_BLOB || type == GIT_OBJECT_COMMIT else { return 0 }
                collector.add(root: root!, name: git_tree_entry_name(entry)!)
                return 0
            }, Unmanaged.passUnretained(collector).toOpaque())
            guard code == 0 else {
                throw GatehouseError(.git, "cannot list the files of \(revision): \(lastGitErrorMessage())")
            }
            collector.flush()
        }
    }
}

/// Fills a batch from `git_tree_walk`'s callback and hands it over when full.
private final class BatchCollector {
    let batchSize: Int
    let body: (PathBatch) -> Void
    var batch = PathBatch()
    init(batchSize: Int, body: @escaping (PathBatch) -> Void) {
        self.batchSize = batchSize
        self.body = body
        batch.reserveCapacity(paths: batchSize, bytes: batchSize * 64)
    }

    func add(root: UnsafePointer<CChar>, name: UnsafePointer<CChar>) {
        // `root` is the walk's own buffer, rewritten as it goes: copied at once.
        let folder = UnsafeRawPointer(root).assumingMemoryBound(to: UInt8.self)
        let file = UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self)
        batch.append(UnsafeBufferPointer(start: folder, count: strlen(root)), UnsafeBufferPointer(start: file, count: strlen(name)))
        if batch.count >= batchSize { flush() }
    }

    func flush() {
        guard !batch.isEmpty else { return }
        body(batch)
        batch = PathBatch()
        batch.reserveCapacity(paths: batchSize, bytes: batchSize * 64)
    }
}
