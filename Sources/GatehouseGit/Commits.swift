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

/// Whether two ids name the same object.
func sameObject(_ a: git_oid, _ b: git_oid) -> Bool {
    var a = a, b = b
    return git_oid_equal(&a, &b) != 0
}

/// An object id usable as a dictionary key (`git_oid` is a C struct, not `Hashable`).
struct ObjectKey: Hashable {
    private let a: UInt64, b: UInt64, c: UInt32

    init(_ id: git_oid) {
        var id = id
        (a, b, c) = withUnsafeBytes(of: &id.id) { raw in
            (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
             raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        }
    }
}

/// Tree objects by id, kept across the commits of a walk: a commit and its parent share most of
/// their subtrees, and the trees read as a commit's parent are read again as the next commit.
/// Trees handed out stay valid until `endOfStep`, which drops those not used in the last steps
/// once more than `limit` are held.
final class TreeCache {
    /// Kept alive while its trees are.
    private let repository: Repository?
    private let handle: OpaquePointer
    private var trees: [ObjectKey: (tree: OpaquePointer, step: Int)] = [:]
    private var step = 0
    private let limit: Int

    init(_ repository: Repository, limit: Int = 4096) {
        self.repository = repository
        handle = repository.handle
        self.limit = limit
    }

    /// Over a repository handle the caller keeps open longer than the cache.
    init(handle: OpaquePointer, limit: Int = 4096) {
        repository = nil
        self.handle = handle
        self.limit = limit
    }

    deinit {
        for entry in trees.values { git_tree_free(entry.tree) }
    }

    func tree(_ id: git_oid) throws(GatehouseError) -> OpaquePointer {
        let key = ObjectKey(id)
        if let found = trees[key] {
            if found.step != step { trees[key] = (found.tree, step) }
            return found.tree
        }
        var id = id
        var tree: OpaquePointer?
        guard git_tree_lookup(&tree, handle, &id) == 0, let tree else {
            throw GatehouseError(.git, "cannot read tree \(id.hex): \(lastGitErrorMessage())")
        }
        trees[key] = (tree, step)
        return tree
    }

    /// The caller holds no tree from here on: trees unused in this step and the one before may go.
    /// The id of the entry at `path` (NUL-terminated names, one per folder) below the tree
    /// `root`, when it is a blob (a file or a symbolic link); each folder is read once.
    func blob(at path: [[CChar]], in root: git_oid) throws(GatehouseError) -> git_oid? {
        var tree = try self.tree(root)
        for (depth, name) in path.enumerated() {
            guard let entry = git_tree_entry_byname(tree, name) else { return nil }
            let type = git_tree_entry_type(entry)
            if depth == path.count - 1 { return type == GIT_OBJECT_BLOB ? git_tree_entry_id(entry)!.pointee : nil }
            guard type == GIT_OBJECT_TREE else { return nil }
            tree = try self.tree(git_tree_entry_id(entry)!.pointee)
        }
        return nil
    }

    func endOfStep() {
        if trees.count > limit {
            for (key, entry) in trees where entry.step < step - 1 {
                git_tree_free(entry.tree)
                trees[key] = nil
            }
        }
        step += 1
    }
}

/// A set of paths as a tree of names, so that two trees can be compared along these paths only:
/// a subtree whose id is the same on both sides holds nothing that changed, and subtrees off the
/// paths are never read. The cost follows the depth of the paths and what changed along them,
/// not the size of the tree.
final class PathTrie {
    private final class Node {
        var children: [[CChar]: Node] = [:]
        /// An asked-about path ends here.
        var path: RepoPath?
    }

    private let root = Node()

    init(_ paths: some Sequence<RepoPath>) {
        for path in paths where !path.bytes.isEmpty {
            var node = root
            for component in path.bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
                let name = component.map { CChar(bitPattern: $0) } + [0]
                if let child = node.children[name] {
                    node = child
                } else {
                    let child = Node()
                    node.children[name] = child
                    node = child
                }
            }
            node.path = path
        }
    }

    /// The paths whose entry differs between the trees `old` and `new` (nil: the empty tree), as
    /// `git diff-tree -r` sees them: a file (or symbolic link, or submodule) added, deleted, or
    /// changed in content or mode. A path that is a folder on both sides is no file, and changes
    /// below it do not count for it. Sorted by bytes, as a diff lists them.
    func changed(from old: git_oid?, to new: git_oid?, trees: TreeCache) throws(GatehouseError) -> [RepoPath] {
        if let old, let new, ObjectKey(old) == ObjectKey(new) { return [] }
        var found: [RepoPath] = []
        let oldTree = if let old { try trees.tree(old) } else { OpaquePointer?.none }
        let newTree = if let new { try trees.tree(new) } else { OpaquePointer?.none }
        try compare(root, old: oldTree, new: newTree, trees: trees, into: &found)
        return found.sorted()
    }

    private func compare(_ node: Node, old: OpaquePointer?, new: OpaquePointer?, trees: TreeCache, into found: inout [RepoPath]) throws(GatehouseError) {
        for (name, child) in node.children {
            let oldEntry = old.flatMap { git_tree_entry_byname($0, name) }
            let newEntry = new.flatMap { git_tree_entry_byname($0, name) }
            if oldEntry == nil && newEntry == nil { continue }
            let oldIsTree = oldEntry.map { git_tree_entry_type($0) == GIT_OBJECT_TREE } ?? false
            let newIsTree = newEntry.map { git_tree_entry_type($0) == GIT_OBJECT_TREE } ?? false
            if let path = child.path {
                let oldFile = oldIsTree ? nil : oldEntry
                let newFile = newIsTree ? nil : newEntry
                switch (oldFile, newFile) {
                case (nil, nil): break
                case let (oldFile?, newFile?):
                    // git compares modes as it canonicalises them (100664 is 100644).
                    if git_oid_equal(git_tree_entry_id(oldFile), git_tree_entry_id(newFile)) == 0
                        || git_tree_entry_filemode(oldFile) != git_tree_entry_filemode(newFile) {
                        found.append(path)
                    }
                default: found.append(path)
                }
            }
            guard !child.children.isEmpty, oldIsTree || newIsTree else { continue }
            if oldIsTree, newIsTree, git_oid_equal(git_tree_entry_id(oldEntry), git_tree_entry_id(newEntry)) != 0 { continue }
            try compare(
                child, old: oldIsTree ? try trees.tree(git_tree_entry_id(oldEntry!).pointee) : nil,
                new: newIsTree ? try trees.tree(git_tree_entry_id(newEntry!).pointee) : nil, trees: trees, into: &found)
        }
    }
}
