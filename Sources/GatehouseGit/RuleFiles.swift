import CLibGit2
import Foundation
import GatehouseCore

/// Reading the rules that judge a change (configuration, CODEOWNERS, teams, checklists) from a
/// commit or the index. These files may come from the change under review, so each read is
/// bounded before the blob is loaded, and a symbolic link is not followed: it is no file of rules.
extension Repository {
    /// The rules files Gatehouse reads are small text; a larger one is refused before it is loaded.
    public static let ruleFileLimit = 4 * 1024 * 1024

    /// The bytes of the regular file `path` in `revision`'s tree; nil when there is none (or it
    /// is a symbolic link, a folder or a submodule). Larger than `limit`: an error naming it.
    public func ruleFile(_ path: String, at revision: String, limit: Int = Repository.ruleFileLimit) throws(GatehouseError) -> [UInt8]? {
        let tree = try commitTree(try resolveCommit(revision, role: "revision"))
        var entry: OpaquePointer?
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_bypath(&entry, tree.handle, path) == 0, let entry,
              git_tree_entry_type(entry) == GIT_OBJECT_BLOB, git_tree_entry_filemode(entry) != GIT_FILEMODE_LINK else { return nil }
        return try boundedBlob(git_tree_entry_id(entry).pointee, path: path, limit: limit)
    }

    /// The staged bytes of `path` (stage 0), nil when the index has no such regular file.
    public func stagedRuleFile(_ path: String, limit: Int = Repository.ruleFileLimit) throws(GatehouseError) -> [UInt8]? {
        var index: OpaquePointer?
        defer { git_index_free(index) }
        guard git_repository_index(&index, handle) == 0, let index else {
            throw GatehouseError(.git, "cannot read the index: \(lastGitErrorMessage())")
        }
        guard let entry = git_index_get_bypath(index, path, 0)?.pointee, entry.mode != GIT_FILEMODE_LINK.rawValue,
              entry.mode & 0o170000 == 0o100000 else { return nil }
        return try boundedBlob(entry.id, path: path, limit: limit)
    }

    /// The regular files directly inside `folder` in `revision`'s tree, by name; nil when the
    /// tree has no such folder. At most `countLimit` files are read.
    public func ruleFolder(
        _ folder: String, at revision: String, countLimit: Int = 1000, limit: Int = Repository.ruleFileLimit
    ) throws(GatehouseError) -> [(name: String, bytes: [UInt8])]? {
        let tree = try commitTree(try resolveCommit(revision, role: "revision"))
        var entry: OpaquePointer?
        defer { git_tree_entry_free(entry) }
        guard git_tree_entry_bypath(&entry, tree.handle, folder) == 0, let entry, git_tree_entry_type(entry) == GIT_OBJECT_TREE else {
            return nil
        }
        var id = git_tree_entry_id(entry).pointee
        var subtree: OpaquePointer?
        defer { git_tree_free(subtree) }
        guard git_tree_lookup(&subtree, handle, &id) == 0, let subtree else {
            throw GatehouseError(.git, "cannot read the folder \(folder) at \(revision.prefix(12)): \(lastGitErrorMessage())")
        }
        var files: [(name: String, bytes: [UInt8])] = []
        for position in 0..<git_tree_entrycount(subtree) {
            guard let child = git_tree_entry_byindex(subtree, position), git_tree_entry_type(child) == GIT_OBJECT_BLOB,
                  git_tree_entry_filemode(child) != GIT_FILEMODE_LINK else { continue }
            let name = String(cString: git_tree_entry_name(child))
            guard files.count < countLimit else {
                throw GatehouseError(
                    .invalidRules, "\(folder) at \(revision.prefix(12)) holds more than \(countLimit) files; keep checklists to fewer files.",
                    at: SourceLocation(file: folder))
            }
            files.append((name, try boundedBlob(git_tree_entry_id(child).pointee, path: folder + "/" + name, limit: limit)))
        }
        return files
    }

    /// Whether `revision`'s tree has an entry (file or folder) at `path`.
    public func hasEntry(_ path: String, at revision: String) throws(GatehouseError) -> Bool {
        let tree = try commitTree(try resolveCommit(revision, role: "revision"))
        var entry: OpaquePointer?
        defer { git_tree_entry_free(entry) }
        return git_tree_entry_bypath(&entry, tree.handle, path) == 0 && entry != nil
    }

    private func boundedBlob(_ id: git_oid, path: String, limit: Int) throws(GatehouseError) -> [UInt8] {
        var id = id
        var odb: OpaquePointer?
        defer { git_odb_free(odb) }
        var size = 0
        var type = GIT_OBJECT_INVALID
        if git_repository_odb(&odb, handle) == 0, let odb, git_odb_read_header(&size, &type, odb, &id) == 0, size > limit {
            throw GatehouseError(
                .invalidRules,
                "\(path) is \(size) bytes; Gatehouse reads rules files of at most \(limit) bytes. Keep it smaller.",
                at: SourceLocation(file: path))
        }
        return try blobContent(id)
    }
}
