import CLibGit2
import Foundation
import GatehouseCore

extension Repository {
    /// Reads the change that `request` selects: resolves base and head, finds the merge
    /// base for three-dot ranges, and diffs with zero context so that every added line
    /// is known by its number in the new file.
    public func readChange(_ request: ChangeRequest) throws(GatehouseError) -> ChangeSet {
        switch request.mode {
        case .staged, .worktree:
            return try readLocalChange(request)
        case .threeDot, .twoDot:
            return try readRange(request)
        }
    }

    private func readRange(_ request: ChangeRequest) throws(GatehouseError) -> ChangeSet {
        let head = try resolveCommit(request.head, role: "--head")
        let (base, selection) = try selectBase(request)
        let from: git_oid
        if request.mode == .threeDot {
            from = try mergeBase(base, head, baseName: selection.revision, headName: request.head)
        } else {
            from = base
        }
        let oldTree = try commitTree(from)
        let newTree = try commitTree(head)
        let files = try diffFiles(detectRenames: request.detectRenames) { diff, options in
            git_diff_tree_to_tree(&diff, handle, oldTree.handle, newTree.handle, options)
        }
        return ChangeSet(
            mode: request.mode, base: base.hex, head: head.hex, mergeBase: from.hex,
            baseSelection: selection, files: files)
    }

    private func readLocalChange(_ request: ChangeRequest) throws(GatehouseError) -> ChangeSet {
        if workdir == nil, request.mode == .worktree {
            throw GatehouseError(.invalidArgument, "--worktree needs a work tree, and this repository is bare. Name a range with --base instead.")
        }
        // Staged work in a repository without commits is compared with the empty tree, as git does.
        var headID: git_oid?
        var headTree: Tree?
        if !isHeadUnborn {
            let id = try resolveCommit("HEAD", role: "HEAD")
            headID = id
            headTree = try commitTree(id)
        }
        let treeHandle = headTree?.handle
        let mode = request.mode
        let files = try diffFiles(detectRenames: request.detectRenames) { diff, options in
            mode == .staged
                ? git_diff_tree_to_index(&diff, handle, treeHandle, nil, options)
                : git_diff_tree_to_workdir_with_index(&diff, handle, treeHandle, options)
        }
        let selection = BaseSelection(
            source: .head, revision: "HEAD",
            reason: mode == .staged ? "--staged compares the index with HEAD" : "--worktree compares the work tree with HEAD")
        return ChangeSet(
            mode: mode, base: headID?.hex, head: nil, mergeBase: headID?.hex, baseSelection: selection, files: files)
    }

    /// Picks the base: `--base` when given, else the first candidate that resolves.
    func selectBase(_ request: ChangeRequest) throws(GatehouseError) -> (git_oid, BaseSelection) {
        if let base = request.base {
            let id = try resolveCommit(base, role: "--base")
            return (id, BaseSelection(source: .option, revision: base, reason: "--base \(base)"))
        }
        for candidate in request.baseCandidates {
            for revision in candidate.revisions where resolves(revision) {
                let id = try resolveCommit(revision, role: "base")
                return (id, BaseSelection(source: candidate.source, revision: revision, reason: candidate.reason))
            }
            if candidate.isExplicit {
                throw GatehouseError(
                    .unknownRevision,
                    "the base comes from \(candidate.reason), but \(candidate.revisions.map { "'\($0)'" }.joined(separator: " and ")) "
                        + "\(candidate.revisions.count == 1 ? "does" : "do") not name a commit here. Fetch it "
                        + "(in GitHub Actions: fetch-depth: 0 on actions/checkout; elsewhere: git fetch origin), or pass --base.")
            }
        }
        if isHeadUnborn { throw noCommitsError() }
        throw GatehouseError(
            .noBase,
            "no base to compare with: no --base, no CI variable, no 'base:' in rules/gatehouse.yml, no origin/HEAD, and no main or master branch. "
                + "Pass --base BRANCH, or set base: in rules/gatehouse.yml.")
    }

    /// Runs one libgit2 diff and collects every delta's status, paths, binary flag and added lines.
    func diffFiles(
        detectRenames: Bool,
        _ make: (inout OpaquePointer?, UnsafePointer<git_diff_options>) -> Int32
    ) throws(GatehouseError) -> [ChangedFile] {
        var options = git_diff_options()
        git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION))
        options.context_lines = 0
        options.interhunk_lines = 0
        options.flags |= GIT_DIFF_INCLUDE_TYPECHANGE.rawValue
        var diff: OpaquePointer?
        let code = withUnsafePointer(to: &options) { make(&diff, $0) }
        guard code == 0, let diff else {
            throw GatehouseError(.git, "cannot compute the diff: \(lastGitErrorMessage())")
        }
        defer { git_diff_free(diff) }

        if detectRenames {
            var find = git_diff_find_options()
            git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION))
            // Set explicitly: the default follows the user's diff.renames setting.
            find.flags = GIT_DIFF_FIND_RENAMES.rawValue
            guard git_diff_find_similar(diff, &find) == 0 else {
                throw GatehouseError(.git, "cannot detect renames: \(lastGitErrorMessage())")
            }
        }

        let count = git_diff_num_deltas(diff)
        let collector = LineCollector(deltas: (0..<count).map { git_diff_get_delta(diff, $0) })
        let payload = Unmanaged.passUnretained(collector).toOpaque()
        let code2 = git_diff_foreach(diff, { delta, _, payload in
            let collector = Unmanaged<LineCollector>.fromOpaque(payload!).takeUnretainedValue()
            collector.startFile(delta)
            return 0
        }, nil, nil, collectLine, payload)
        guard code2 == 0 else {
            throw GatehouseError(.git, "cannot read the diff: \(lastGitErrorMessage())")
        }
        collector.finishFile()

        var files: [ChangedFile] = []
        files.reserveCapacity(count)
        for index in 0..<count {
            // Binary flags are only known once the content has been loaded, so read them after foreach.
            let delta = git_diff_get_delta(diff, index)!.pointee
            guard let status = FileStatus(delta.status) else { continue }
            let newPath = RepoPath(bytes: bytes(ofCString: delta.new_file.path))
            let oldPath = RepoPath(bytes: bytes(ofCString: delta.old_file.path))
            let isBinary = delta.flags & GIT_DIFF_FLAG_BINARY.rawValue != 0
            var lines = collector.files[index]
            if status == .typeChanged {
                // libgit2 reports no lines for a type change; git diffs the two contents.
                lines = try typeChangeLines(delta, options: options)
            }
            files.append(ChangedFile(
                path: status == .deleted ? oldPath : newPath,
                oldPath: (status == .renamed || status == .copied) ? oldPath : nil,
                status: status,
                isBinary: isBinary,
                added: isBinary ? LineSet() : lines.added,
                addedCount: isBinary ? 0 : lines.addedCount,
                deletedCount: isBinary ? 0 : lines.deletedCount,
                similarity: (status == .renamed || status == .copied) ? Int(delta.similarity) : nil))
        }
        return files
    }
}

/// Line callback shared by every diff: records added line numbers and counts deletions.
private let collectLine: git_diff_line_cb = { _, _, line, payload in
    let collector = Unmanaged<LineCollector>.fromOpaque(payload!).takeUnretainedValue()
    let line = line!.pointee
    switch UInt8(bitPattern: line.origin) {
    case UInt8(ascii: "+"): collector.added(Int(line.new_lineno))
    case UInt8(ascii: "-"): collector.deletedCount += 1
    default: break
    }
    return 0
}

extension Repository {
    /// Lines of a type-changed file (file to symlink or back), by diffing the two contents.
    func typeChangeLines(_ delta: git_diff_delta, options: git_diff_options) throws(GatehouseError) -> FileLines {
        let old = try content(of: delta.old_file)
        let new = try content(of: delta.new_file)
        let collector = LineCollector(deltas: [])
        collector.startFile(nil)
        var options = options
        let code = old.withUnsafeBufferPointer { oldBuffer in
            new.withUnsafeBufferPointer { newBuffer in
                git_diff_buffers(
                    oldBuffer.baseAddress, oldBuffer.count, delta.old_file.path,
                    newBuffer.baseAddress, newBuffer.count, delta.new_file.path,
                    &options, nil, nil, nil, collectLine, Unmanaged.passUnretained(collector).toOpaque())
            }
        }
        guard code == 0 else {
            throw GatehouseError(.git, "cannot diff the type change of \(String(cString: delta.new_file.path)): \(lastGitErrorMessage())")
        }
        return collector.current
    }

    /// A side's content: the blob when the object database has it, else the work-tree file
    /// (a symlink's content is its target, as git stores it).
    private func content(of file: git_diff_file) throws(GatehouseError) -> [UInt8] {
        var id = file.id
        var blob: OpaquePointer?
        defer { git_blob_free(blob) }
        if git_oid_is_zero(&id) == 0, git_blob_lookup(&blob, handle, &id) == 0, let blob {
            let size = Int(git_blob_rawsize(blob))
            guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
            return Array(UnsafeRawBufferPointer(start: raw, count: size))
        }
        guard let workdir, let path = file.path else { return [] }
        let full = workdir + String(cString: path)
        if file.mode == UInt16(GIT_FILEMODE_LINK.rawValue) {
            var buffer = [CChar](repeating: 0, count: 4096)
            let length = readlink(full, &buffer, buffer.count)
            return length > 0 ? buffer[..<length].map { UInt8(bitPattern: $0) } : []
        }
        return FileManager.default.contents(atPath: full).map(Array.init) ?? []
    }
}

struct FileLines {
    var added = LineSet()
    var addedCount = 0
    var deletedCount = 0
}

/// Receives libgit2's callbacks for one diff; one instance per diff, on one thread.
final class LineCollector {
    /// Lines per delta, by the delta's index in the diff.
    var files: [FileLines]
    /// foreach may skip deltas, so callbacks are matched to indices by the delta's address,
    /// which is the same pointer `git_diff_get_delta` returns.
    private let indexOfDelta: [UnsafeRawPointer: Int]
    private(set) var current = FileLines()
    private var currentIndex: Int?
    var deletedCount: Int {
        get { current.deletedCount }
        set { current.deletedCount = newValue }
    }

    init(deltas: [UnsafePointer<git_diff_delta>?]) {
        files = Array(repeating: FileLines(), count: deltas.count)
        var map: [UnsafeRawPointer: Int] = [:]
        map.reserveCapacity(deltas.count)
        for (index, delta) in deltas.enumerated() {
            if let delta { map[UnsafeRawPointer(delta)] = index }
        }
        indexOfDelta = map
    }

    func startFile(_ delta: UnsafePointer<git_diff_delta>?) {
        finishFile()
        currentIndex = delta.flatMap { indexOfDelta[UnsafeRawPointer($0)] }
    }

    @inline(__always)
    func added(_ line: Int) {
        current.added.append(line)
        current.addedCount += 1
    }

    func finishFile() {
        if let index = currentIndex { files[index] = current }
        current = FileLines()
        currentIndex = nil
    }
}

extension FileStatus {
    init?(_ delta: git_delta_t) {
        switch delta {
        case GIT_DELTA_ADDED: self = .added
        case GIT_DELTA_DELETED: self = .deleted
        case GIT_DELTA_MODIFIED: self = .modified
        case GIT_DELTA_RENAMED: self = .renamed
        case GIT_DELTA_COPIED: self = .copied
        case GIT_DELTA_TYPECHANGE: self = .typeChanged
        default: return nil  // unmodified, ignored, untracked, unreadable, conflicted: not part of a change
        }
    }
}
