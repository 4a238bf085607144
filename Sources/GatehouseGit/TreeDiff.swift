import CLibGit2
import GatehouseCore

/// The files two trees differ in, as `git diff-tree -r` lists them: a walk of both trees in
/// git's order that never opens a subtree whose id is the same on both sides.
///
/// libgit2 1.5's `git_diff_tree_to_tree` reads every tree object of both sides, so a one-file
/// change in a 400,000-file tree cost as much as listing the tree; this costs what the change
/// touches.
final class TreeDiff {
    /// Paths handed to libgit2-shaped `git_diff_file`s live here, as long as the diff does.
    private var paths: [UnsafeMutablePointer<CChar>] = []
    private(set) var deltas: [DeltaInfo] = []

    deinit {
        for path in paths { path.deallocate() }
    }

    /// One level of the walk: the two trees' entries and how far each has been read.
    private struct Frame {
        var old: OpaquePointer?
        var new: OpaquePointer?
        var oldCount: Int
        var newCount: Int
        var oldIndex = 0
        var newIndex = 0
        var prefix: [UInt8]

        init(old: OpaquePointer?, new: OpaquePointer?, prefix: [UInt8]) {
            self.old = old
            self.new = new
            oldCount = old.map { git_tree_entrycount($0) } ?? 0
            newCount = new.map { git_tree_entrycount($0) } ?? 0
            self.prefix = prefix
        }
    }

    private struct Entry {
        var name: UnsafePointer<CChar>
        var length: Int
        var id: git_oid
        var mode: UInt32
        var isTree: Bool { mode == GIT_FILEMODE_TREE.rawValue }

        init(_ entry: OpaquePointer) {
            name = git_tree_entry_name(entry)
            length = strlen(name)
            id = git_tree_entry_id(entry).pointee
            mode = git_tree_entry_filemode(entry).rawValue
        }
    }

    /// `old` nil is the empty tree (a root commit, a push of a new history).
    init(repository: OpaquePointer, old: OpaquePointer?, new: OpaquePointer) throws(GatehouseError) {
        // An explicit stack: a hostile repository's trees may nest deeper than a thread's stack.
        // Frames own the subtrees they opened (not the two roots, which the caller owns).
        var stack = [Frame(old: old, new: new, prefix: [])]
        var owned: [OpaquePointer] = []
        defer { for tree in owned { git_tree_free(tree) } }

        func open(_ id: git_oid) throws(GatehouseError) -> OpaquePointer {
            var id = id
            var tree: OpaquePointer?
            guard git_tree_lookup(&tree, repository, &id) == 0, let tree else {
                throw GatehouseError(.git, "cannot read tree \(id.hex): \(lastGitErrorMessage())")
            }
            owned.append(tree)
            return tree
        }

        while !stack.isEmpty {
            let top = stack.count - 1
            var frame = stack[top]
            let oldEntry = frame.oldIndex < frame.oldCount ? Entry(git_tree_entry_byindex(frame.old, frame.oldIndex)) : nil
            let newEntry = frame.newIndex < frame.newCount ? Entry(git_tree_entry_byindex(frame.new, frame.newIndex)) : nil
            guard oldEntry != nil || newEntry != nil else {
                stack.removeLast()
                continue
            }
            let order: Int
            if let oldEntry, let newEntry {
                order = Self.compare(oldEntry, newEntry)
            } else {
                order = oldEntry == nil ? 1 : -1
            }
            var child: Frame?
            if order < 0, let oldEntry {
                frame.oldIndex += 1
                if oldEntry.isTree {
                    child = Frame(old: try open(oldEntry.id), new: nil, prefix: frame.prefix + name(oldEntry) + [UInt8(ascii: "/")])
                } else {
                    record(GIT_DELTA_DELETED, old: oldEntry, new: nil, prefix: frame.prefix)
                }
            } else if order > 0, let newEntry {
                frame.newIndex += 1
                if newEntry.isTree {
                    child = Frame(old: nil, new: try open(newEntry.id), prefix: frame.prefix + name(newEntry) + [UInt8(ascii: "/")])
                } else {
                    record(GIT_DELTA_ADDED, old: nil, new: newEntry, prefix: frame.prefix)
                }
            } else if let oldEntry, let newEntry {
                frame.oldIndex += 1
                frame.newIndex += 1
                var oldID = oldEntry.id
                var newID = newEntry.id
                let sameContent = git_oid_equal(&oldID, &newID) == 1
                if oldEntry.isTree {
                    // Both are trees (the order keeps a tree and a file of one name apart).
                    if !sameContent {
                        child = Frame(old: try open(oldEntry.id), new: try open(newEntry.id), prefix: frame.prefix + name(newEntry) + [UInt8(ascii: "/")])
                    }
                } else if oldEntry.mode & 0o170000 != newEntry.mode & 0o170000 {
                    record(GIT_DELTA_TYPECHANGE, old: oldEntry, new: newEntry, prefix: frame.prefix)
                } else if !sameContent || oldEntry.mode != newEntry.mode {
                    record(GIT_DELTA_MODIFIED, old: oldEntry, new: newEntry, prefix: frame.prefix)
                }
            }
            stack[top] = frame
            if let child { stack.append(child) }
        }
    }

    private func name(_ entry: Entry) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: entry.name, count: entry.length))
    }

    /// git's `base_name_compare`: names byte by byte, a tree's name as if it ended in '/'.
    private static func compare(_ a: Entry, _ b: Entry) -> Int {
        let common = min(a.length, b.length)
        let order = memcmp(a.name, b.name, common)
        if order != 0 { return Int(order) }
        let nextA = a.length > common ? Int(UInt8(bitPattern: a.name[common])) : (a.isTree ? Int(UInt8(ascii: "/")) : 0)
        let nextB = b.length > common ? Int(UInt8(bitPattern: b.name[common])) : (b.isTree ? Int(UInt8(ascii: "/")) : 0)
        return nextA - nextB
    }

    private func record(_ status: git_delta_t, old: Entry?, new: Entry?, prefix: [UInt8]) {
        let full = prefix + name((new ?? old)!)
        let path = UnsafeMutablePointer<CChar>.allocate(capacity: full.count + 1)
        full.withUnsafeBufferPointer { bytes in
            for (offset, byte) in bytes.enumerated() { path[offset] = CChar(bitPattern: byte) }
        }
        path[full.count] = 0
        paths.append(path)
        func file(_ entry: Entry?) -> git_diff_file {
            var file = git_diff_file()
            file.path = UnsafePointer(path)
            if let entry {
                file.id = entry.id
                file.mode = UInt16(truncatingIfNeeded: entry.mode)
                file.flags = GIT_DIFF_FLAG_VALID_ID.rawValue | GIT_DIFF_FLAG_EXISTS.rawValue
                file.id_abbrev = UInt16(GIT_OID_HEXSZ)
            }
            return file
        }
        deltas.append(DeltaInfo(status: status, old: file(old), new: file(new), similarity: nil))
    }
}

#if canImport(Glibc)
import Glibc
#endif
