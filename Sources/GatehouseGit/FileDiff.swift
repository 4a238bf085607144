import CLibGit2
import Foundation
import GatehouseCore

/// What `git diff` needs besides the two contents to turn a file into lines: the line diff's
/// options, and what makes a side binary.
struct TextDiffPolicy: Sendable {
    var options: LineDiff.Options
    /// `core.bigFileThreshold`: larger files are binary to git.
    var bigFileThreshold: Int
    /// `diff.<driver>.binary` for the drivers the change's attributes name.
    var binaryDrivers: [String: Bool?] = [:]
}

/// A file's `diff` attribute, which decides binary-ness before the content does.
enum DiffAttribute: Sendable, Hashable {
    case unspecified
    /// `diff`: always text.
    case set
    /// `-diff` (or the `binary` macro): always binary.
    case unset
    /// `diff=NAME`: the driver's `binary` setting, when it has one.
    case driver(String)
}

extension Repository {
    /// The line-diff options git would use here: `--diff-algorithm` and `--[no-]indent-heuristic`
    /// when given, else `diff.algorithm` and `diff.indentHeuristic` from git's configuration.
    func textDiffPolicy(algorithm: LineDiff.Options.Algorithm?, indentHeuristic: Bool?) throws(GatehouseError) -> TextDiffPolicy {
        let config = try gitConfiguration()
        var options = LineDiff.Options.git
        if let algorithm {
            options.algorithm = algorithm
        } else if let entry = try config.entry("diff.algorithm") {
            guard let value = entry.value, let parsed = LineDiff.Options.Algorithm(gitName: value) else {
                throw GatehouseError(
                    .invalidConfig,
                    "diff.algorithm = '\(entry.value ?? "")' in \(entry.origin) is not an algorithm git knows, and git diff stops on it too. "
                        + "Set it to myers, minimal, patience or histogram, or pass --diff-algorithm.")
            }
            options.algorithm = parsed
        }
        if let indentHeuristic {
            options.indentHeuristic = indentHeuristic
        } else if let configured = try config.bool("diff.indentHeuristic") {
            options.indentHeuristic = configured
        }
        var threshold = LineDiff.bigFileThreshold
        if let configured = try config.int("core.bigFileThreshold"), configured > 0 { threshold = configured }
        return TextDiffPolicy(options: options, bigFileThreshold: threshold)
    }

    /// The change between two trees (nil: the empty tree), renames paired as git pairs them,
    /// every file's lines diffed as `git diff -U0` diffs them.
    func diffTrees(old: Tree?, new: Tree, detectRenames: Bool, policy: TextDiffPolicy) throws(GatehouseError) -> [ChangedFile] {
        let trees = try TreeDiff(repository: handle, old: old?.handle, new: new.handle)
        // `trees` owns the deltas' paths until the files are built.
        return try withExtendedLifetime(trees) { () throws(GatehouseError) -> [ChangedFile] in
            try changedFiles(trees.deltas, detectRenames: detectRenames, policy: policy, libgit2Diff: nil)
        }
    }

    /// Runs one libgit2 diff for the list of changed files (the index and the work tree, which
    /// libgit2 reads with git's rules for stat data and filters), then as `diffTrees`.
    func diffFiles(
        detectRenames: Bool, policy: TextDiffPolicy, conflictsFromWorkTree: Bool = false, headTree: OpaquePointer? = nil,
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
        var deltas = (0..<git_diff_num_deltas(diff)).map { DeltaInfo(diff, $0) }
        if conflictsFromWorkTree {
            deltas = deltas.compactMap { conflictAsWorkTreeChange($0, headTree: headTree) }
        }
        return try changedFiles(deltas, detectRenames: detectRenames, policy: policy, libgit2Diff: diff)
    }

    /// During a conflicted merge the index holds no stage-0 entry for a conflicted file, and
    /// libgit2 reports it as conflicted with no content; `git diff HEAD` shows HEAD's version
    /// against the work-tree file, markers and all, and so does this.
    private func conflictAsWorkTreeChange(_ delta: DeltaInfo, headTree: OpaquePointer?) -> DeltaInfo? {
        guard delta.status == GIT_DELTA_CONFLICTED, let workdir else { return delta }
        var delta = delta
        let path = bytes(ofCString: delta.new.path ?? delta.old.path)
        var status = stat()
        let full = (Array(workdir.utf8) + path).map { CChar(bitPattern: $0) } + [0]
        let exists = lstat(full, &status) == 0
        var entry: OpaquePointer?
        defer { git_tree_entry_free(entry) }
        let cPath = path.map { CChar(bitPattern: $0) } + [0]
        let inHead = headTree != nil && git_tree_entry_bypath(&entry, headTree, cPath) == 0 && entry != nil
            && git_tree_entry_type(entry) == GIT_OBJECT_BLOB
        if inHead, let entry {
            delta.old.id = git_tree_entry_id(entry).pointee
            delta.old.mode = UInt16(git_tree_entry_filemode(entry).rawValue)
            delta.old.flags |= GIT_DIFF_FLAG_VALID_ID.rawValue
        }
        if inHead, exists {
            // A modify/delete conflict leaves HEAD's side in the work tree: unchanged, as git says.
            var hashed = git_oid()
            let relative = String(decoding: path, as: UTF8.self)
            if git_repository_hashfile(&hashed, handle, relative, GIT_OBJECT_BLOB, relative) == 0,
               git_oid_equal(&hashed, &delta.old.id) == 1 {
                return nil
            }
        }
        switch (inHead, exists) {
        case (false, false): return nil
        case (true, false): delta.status = GIT_DELTA_DELETED
        case (false, true): delta.status = GIT_DELTA_ADDED
        case (true, true): delta.status = GIT_DELTA_MODIFIED
        }
        if exists {
            delta.new.flags &= ~GIT_DIFF_FLAG_VALID_ID.rawValue
            delta.new.id = git_oid()
            delta.new.mode = UInt16(status.st_mode & S_IFMT == S_IFLNK ? GIT_FILEMODE_LINK.rawValue
                : status.st_mode & 0o111 != 0 ? GIT_FILEMODE_BLOB_EXECUTABLE.rawValue : GIT_FILEMODE_BLOB.rawValue)
            delta.new.size = git_object_size_t(status.st_size)
        }
        return delta
    }

    private func changedFiles(
        _ deltas: [DeltaInfo], detectRenames: Bool, policy: TextDiffPolicy, libgit2Diff: OpaquePointer?
    ) throws(GatehouseError) -> [ChangedFile] {
        let deltas = try detectRenames ? renamed(deltas, libgit2Diff: libgit2Diff) : deltas
        let lines = try lineResults(deltas: deltas, policy: policy, fromTrees: libgit2Diff == nil)
        var files: [ChangedFile] = []
        files.reserveCapacity(deltas.count)
        for (index, delta) in deltas.enumerated() {
            guard let status = FileStatus(delta.status) else { continue }
            let newPath = RepoPath(bytes: bytes(ofCString: delta.new.path))
            let oldPath = RepoPath(bytes: bytes(ofCString: delta.old.path))
            let result = lines[index]
            files.append(ChangedFile(
                path: status == .deleted ? oldPath : newPath,
                oldPath: (status == .renamed || status == .copied) ? oldPath : nil,
                status: status,
                isBinary: result.isBinary,
                added: result.lines.added,
                addedCount: result.lines.addedCount,
                deletedCount: result.lines.deletedCount,
                similarity: delta.similarity,
                context: result.lines.context,
                oldLinesEdited: result.lines.oldLinesEdited))
        }
        return files
    }

    /// The deltas with renames paired as `git diff -M` pairs them (`RenameDetector`). When a
    /// candidate's content is not a stored blob (work-tree files), libgit2's own detection is
    /// used instead: it can read the work tree, at the price of git's exact scores.
    private func renamed(_ deltas: [DeltaInfo], libgit2Diff: OpaquePointer?) throws(GatehouseError) -> [DeltaInfo] {
        var deltas = deltas
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, handle) == 0, let odb else {
            throw GatehouseError(.git, "cannot open the object database: \(lastGitErrorMessage())")
        }
        defer { git_odb_free(odb) }
        let sourceIndices = deltas.indices.filter { deltas[$0].status == GIT_DELTA_DELETED }
        let destinationIndices = deltas.indices.filter { deltas[$0].status == GIT_DELTA_ADDED }
        guard !sourceIndices.isEmpty, !destinationIndices.isEmpty else { return deltas }
        // Submodules pair only exactly, by commit id, so their content is never read.
        func readable(_ file: git_diff_file) -> Bool {
            UInt32(file.mode) == GIT_FILEMODE_COMMIT.rawValue || storedBlobID(file, odb: odb) != nil
        }
        let allStored = sourceIndices.allSatisfy { readable(deltas[$0].old) } && destinationIndices.allSatisfy { readable(deltas[$0].new) }
        if !allStored, let diff = libgit2Diff {
            var find = git_diff_find_options()
            git_diff_find_options_init(&find, UInt32(GIT_DIFF_FIND_OPTIONS_VERSION))
            // Set explicitly: the default follows the user's diff.renames setting.
            find.flags = GIT_DIFF_FIND_RENAMES.rawValue
            guard git_diff_find_similar(diff, &find) == 0 else {
                throw GatehouseError(.git, "cannot detect renames: \(lastGitErrorMessage())")
            }
            return (0..<git_diff_num_deltas(diff)).map { DeltaInfo(diff, $0) }
        }

        func candidate(_ file: git_diff_file) -> RenameDetector.Candidate {
            RenameDetector.Candidate(
                path: RepoPath(bytes: bytes(ofCString: file.path)), objectID: file.id.hex, mode: UInt32(file.mode))
        }
        let sources = sourceIndices.map { candidate(deltas[$0].old) }
        let destinations = destinationIndices.map { candidate(deltas[$0].new) }
        var loadFailure: GatehouseError?
        let limit = try configuredRenameLimit()
        let pairs = RenameDetector(renameLimit: limit).detect(sources: sources, destinations: destinations) { isSource, index in
            let file = isSource ? deltas[sourceIndices[index]].old : deltas[destinationIndices[index]].new
            do throws(GatehouseError) {
                return try blobContent(file.id)
            } catch {
                loadFailure = loadFailure ?? error
                return []
            }
        }
        if let loadFailure { throw loadFailure }
        guard !pairs.isEmpty else { return deltas }

        var dropped = Set<Int>()
        for pair in pairs {
            let source = sourceIndices[pair.source]
            let destination = destinationIndices[pair.destination]
            deltas[destination] = DeltaInfo(
                status: GIT_DELTA_RENAMED, old: deltas[source].old, new: deltas[destination].new,
                similarity: pair.similarity)
            dropped.insert(source)
        }
        return deltas.indices.filter { !dropped.contains($0) }.map { deltas[$0] }
    }

    /// Attribute files outside the tree that apply to every path: $GIT_DIR/info/attributes,
    /// the system's (unless GIT_ATTR_NOSYSTEM), the user's, and core.attributesFile.
    func globalAttributesExist() throws(GatehouseError) -> Bool {
        let environment = ProcessInfo.processInfo.environment
        var candidates = [commonDirectory + "info/attributes"]
        if environment["GIT_ATTR_NOSYSTEM"] == nil { candidates.append("/etc/gitattributes") }
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            candidates.append(xdg + "/git/attributes")
        } else if let home = environment["HOME"] {
            candidates.append(home + "/.config/git/attributes")
        }
        if candidates.contains(where: { FileManager.default.fileExists(atPath: $0) }) { return true }
        return try gitConfiguration().entry("core.attributesFile") != nil
    }

    /// Whether any tracked .gitattributes exists (the index lists it): local changes read
    /// attributes from the work tree and the index, as git does.
    func indexHasAttributeFiles() -> Bool {
        var index: OpaquePointer?
        defer { git_index_free(index) }
        guard git_repository_index(&index, handle) == 0, let index else { return false }
        let name = Array(".gitattributes".utf8)
        for position in 0..<git_index_entrycount(index) {
            guard let path = git_index_get_byindex(index, position)?.pointee.path else { continue }
            let bytes = ofCStringBytes(path)
            if bytes.count >= name.count, bytes.suffix(name.count).elementsEqual(name),
               bytes.count == name.count || bytes[bytes.count - name.count - 1] == UInt8(ascii: "/") {
                return true
            }
        }
        return false
    }

    /// diff.renameLimit from git's configuration, else git's default of 1000.
    private func configuredRenameLimit() throws(GatehouseError) -> Int {
        guard let value = try gitConfiguration().int("diff.renameLimit"), value > 0 else { return 1000 }
        return value
    }

    func blobContent(_ id: git_oid) throws(GatehouseError) -> [UInt8] {
        var id = id
        var blob: OpaquePointer?
        defer { git_blob_free(blob) }
        guard git_blob_lookup(&blob, handle, &id) == 0, let blob else {
            throw GatehouseError(.git, "cannot read blob \(id.hex): \(lastGitErrorMessage())")
        }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }

    /// Added lines and binary flags for every delta.
    ///
    /// Work-tree contents and attributes are read here, on this thread; the line diffs, which
    /// dominate the cost of a large change, run on workers that each open their own handle on
    /// this repository (libgit2 objects must not be shared between threads) to read blobs.
    private func lineResults(deltas: [DeltaInfo], policy: TextDiffPolicy, fromTrees: Bool) throws(GatehouseError) -> [LineResult] {
        var results = [LineResult](repeating: LineResult(), count: deltas.count)
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, handle) == 0, let odb else {
            throw GatehouseError(.git, "cannot open the object database: \(lastGitErrorMessage())")
        }
        defer { git_odb_free(odb) }
        let attributes = try DiffAttributes(self, deltas: deltas, fromTrees: fromTrees)
        var policy = policy
        var jobs: [FileJob] = []
        var config: GitConfiguration?
        for (index, delta) in deltas.enumerated() where FileStatus(delta.status) != nil {
            let old = delta.status == GIT_DELTA_ADDED ? FileSide.absent(delta.old) : try side(delta.old, odb: odb, attributes: attributes)
            let new = delta.status == GIT_DELTA_DELETED ? FileSide.absent(delta.new) : try side(delta.new, odb: odb, attributes: attributes)
            for attribute in [old.attribute, new.attribute] {
                if case let .driver(name) = attribute, policy.binaryDrivers[name] == nil {
                    if config == nil { config = try gitConfiguration() }
                    policy.binaryDrivers[name] = .some(try config!.bool("diff.\(name).binary"))
                }
            }
            jobs.append(FileJob(index: index, old: old, new: new, isTypeChange: delta.status == GIT_DELTA_TYPECHANGE))
        }

        let needsObjects = jobs.contains { $0.old.blob != nil || $0.new.blob != nil }
        // Opening a handle per thread costs about a millisecond: only worth it for large changes.
        let workers = jobs.count >= 256 ? min(ProcessInfo.processInfo.activeProcessorCount, 8) : 1
        if workers <= 1 || !needsObjects {
            for job in jobs {
                results[job.index] = try job.run(in: handle, policy: policy)
            }
        } else {
            let failure = results.withUnsafeMutableBufferPointer { buffer in
                ParallelFileDiff(jobs: jobs, results: buffer, gitDirectory: gitDirectory, policy: policy, workers: workers).run()
            }
            if let failure { throw failure }
        }
        return results
    }

    /// One side of a delta: a stored blob when the object database has it, else its content
    /// read here (work-tree files through their clean filters, symlinks, submodules).
    private func side(_ file: git_diff_file, odb: OpaquePointer, attributes: DiffAttributes) throws(GatehouseError) -> FileSide {
        let path = bytes(ofCString: file.path)
        let attribute = attributes.attribute(file.path)
        let mode = UInt32(file.mode)
        if mode == GIT_FILEMODE_COMMIT.rawValue {
            // git shows a submodule as one line naming its commit.
            return FileSide(path: path, attribute: attribute, blob: nil, content: Array("Subproject commit \(file.id.hex)\n".utf8))
        }
        if let id = storedBlobID(file, odb: odb) {
            return FileSide(path: path, attribute: attribute, blob: id, content: nil)
        }
        return FileSide(path: path, attribute: attribute, blob: nil, content: try workTreeContent(file))
    }

    /// Another handle on this repository whose index is empty: libgit2 then reads attributes
    /// (and the filters they select) from the work tree's files alone, as `git diff A B` does,
    /// and never loads a large index for a lookup. The caller frees it.
    func openWithoutIndex() throws(GatehouseError) -> OpaquePointer {
        var handle: OpaquePointer?
        var index: OpaquePointer?
        defer { git_index_free(index) }
        guard git_repository_open(&handle, workdir ?? gitDirectory) == 0, let handle,
              git_index_new(&index) == 0, let index, git_repository_set_index(handle, index) == 0 else {
            git_repository_free(handle)
            throw GatehouseError(.git, "cannot open \(workdir ?? gitDirectory): \(lastGitErrorMessage())")
        }
        return handle
    }

    /// A work-tree file's content as git would store it: through its clean filters (line
    /// endings, ident, filter drivers libgit2 knows); a symlink's content is its target.
    func workTreeContent(_ file: git_diff_file) throws(GatehouseError) -> [UInt8] {
        guard let workdir, let path = file.path else { return [] }
        let full = Array(workdir.utf8) + bytes(ofCString: path)
        let display = String(decoding: bytes(ofCString: path), as: UTF8.self)
        let cPath = full.map { CChar(bitPattern: $0) } + [0]
        if UInt32(file.mode) == GIT_FILEMODE_LINK.rawValue {
            var buffer = [CChar](repeating: 0, count: 4096)
            let length = readlink(cPath, &buffer, buffer.count)
            return length > 0 ? buffer[..<length].map { UInt8(bitPattern: $0) } : []
        }
        var filters: OpaquePointer?
        defer { git_filter_list_free(filters) }
        guard git_filter_list_load(&filters, handle, nil, path, GIT_FILTER_TO_ODB, GIT_FILTER_DEFAULT.rawValue) == 0 else {
            throw GatehouseError(.git, "cannot read \(display) from the work tree: \(lastGitErrorMessage())")
        }
        if let filters {
            var buffer = git_buf()
            defer { git_buf_dispose(&buffer) }
            guard git_filter_list_apply_to_file(&buffer, filters, handle, path) == 0 else {
                throw GatehouseError(.git, "cannot read \(display) from the work tree: \(lastGitErrorMessage())")
            }
            guard let pointer = buffer.ptr, buffer.size > 0 else { return [] }
            return Array(UnsafeRawBufferPointer(start: pointer, count: buffer.size))
        }
        let descriptor = open(cPath, O_RDONLY)
        guard descriptor >= 0 else {
            // Gone since the diff was taken: git reads it as empty too.
            return []
        }
        defer { close(descriptor) }
        var content: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            content += chunk[..<count]
        }
        return content
    }
}

private func ofCStringBytes(_ pointer: UnsafePointer<CChar>) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer))
}

/// The `diff` attribute of the change's paths, from where `git diff` reads it.
///
/// Between two commits git reads .gitattributes from the work tree only (it does not load the
/// index for such a diff); for staged and work-tree changes, from the work tree and the index.
/// Lookups are skipped outright when no attribute file can apply, which is the common case and
/// spares libgit2's per-path cost.
final class DiffAttributes {
    private var repository: OpaquePointer?
    private let ownsRepository: Bool

    init(_ owner: Repository, deltas: [DeltaInfo], fromTrees: Bool) throws(GatehouseError) {
        if fromTrees {
            ownsRepository = true
            guard try owner.globalAttributesExist() || Self.treeHasAttributeFiles(owner, deltas) else { return }
            // A handle of its own with an empty index, so that libgit2 reads the work tree's
            // files only, as git does here (and does not load a large index for nothing).
            repository = try owner.openWithoutIndex()
        } else {
            ownsRepository = false
            if try owner.globalAttributesExist() || owner.indexHasAttributeFiles() { repository = owner.handle }
        }
    }

    deinit {
        if ownsRepository { git_repository_free(repository) }
    }

    /// Whether a .gitattributes sits in the work tree in any folder above a changed path.
    private static func treeHasAttributeFiles(_ owner: Repository, _ deltas: [DeltaInfo]) -> Bool {
        guard let workdir = owner.workdir else { return false }
        var folders = Set<[UInt8]>()
        for delta in deltas {
            for path in [delta.old.path, delta.new.path] {
                guard let path else { continue }
                var folder = bytes(ofCString: path)
                while let slash = folder.lastIndex(of: UInt8(ascii: "/")) {
                    folder.removeSubrange(slash...)
                    if !folders.insert(folder).inserted { break }
                }
            }
        }
        folders.insert([])
        let root = Array(workdir.utf8)
        for folder in folders {
            let file = root + folder + (folder.isEmpty ? [] : [UInt8(ascii: "/")]) + Array(".gitattributes".utf8) + [0]
            if file.withUnsafeBufferPointer({ access(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), F_OK) }) == 0 {
                return true
            }
        }
        return false
    }

    func attribute(_ path: UnsafePointer<CChar>?) -> DiffAttribute {
        guard let repository, let path else { return .unspecified }
        var value: UnsafePointer<CChar>?
        guard git_attr_get(&value, repository, UInt32(GIT_ATTR_CHECK_FILE_THEN_INDEX), path, "diff") == 0 else { return .unspecified }
        switch git_attr_value(value) {
        case GIT_ATTR_VALUE_TRUE: return .set
        case GIT_ATTR_VALUE_FALSE: return .unset
        case GIT_ATTR_VALUE_STRING: return value.map { .driver(String(cString: $0)) } ?? .unspecified
        default: return .unspecified
        }
    }
}

struct FileLines {
    var added = LineSet()
    var addedCount = 0
    var deletedCount = 0
    /// New-file lines within 3 lines of a change, as `git diff -U3` shows them.
    var context = LineSet()
    /// Old-file lines the change deletes or replaces, or sits between (`ChangedFile.oldLinesEdited`).
    var oldLinesEdited = LineSet()

    /// Added lines as `git diff -U0` shows them; counts as `--numstat` counts them, and the
    /// lines `-U3` shows around every change (a deletion's context is the lines either side of
    /// where it was), from the diff with context.
    init(_ diff: LineDiff.Result) {
        for change in diff.changes {
            if change.newCount > 0 { added.append((change.newStart + 1)...(change.newStart + change.newCount)) }
            // A pure insertion after old line s (1-based) edits the lines either side: s and s + 1.
            let first = change.oldCount > 0 ? change.oldStart + 1 : change.oldStart
            let last = change.oldCount > 0 ? change.oldStart + change.oldCount : change.oldStart + 1
            let lower = Swift.max(1, first)
            let upper = Swift.min(last, diff.oldLineCount)
            if lower <= upper { oldLinesEdited.append(lower...upper) }
        }
        for change in diff.withContext {
            deletedCount += change.oldCount
            addedCount += change.newCount
            let first = change.newCount > 0 ? change.newStart + 1 - 3 : change.newStart - 2
            let last = change.newStart + change.newCount + 3
            let lower = Swift.max(1, first)
            let upper = Swift.min(last, diff.newLineCount)
            if upper >= lower { context.append(lower...upper) }
        }
        // In the rare file where the two diffs differ, -U0's added lines still count as shown.
        context.formUnion(added)
    }

    init() {}
}

struct LineResult {
    var lines = FileLines()
    var isBinary = false
}

/// One file of a diff: libgit2's delta, or a rename paired by `RenameDetector`.
struct DeltaInfo {
    var status: git_delta_t
    var old: git_diff_file
    var new: git_diff_file
    var similarity: Int?

    init(status: git_delta_t, old: git_diff_file, new: git_diff_file, similarity: Int?) {
        self.status = status
        self.old = old
        self.new = new
        self.similarity = similarity
    }

    init(_ diff: OpaquePointer, _ index: Int) {
        let delta = git_diff_get_delta(diff, index)!.pointee
        let isPair = delta.status == GIT_DELTA_RENAMED || delta.status == GIT_DELTA_COPIED
        self.init(status: delta.status, old: delta.old_file, new: delta.new_file, similarity: isPair ? Int(delta.similarity) : nil)
    }
}

/// The id of a file's content when it is a blob stored in the object database; a work-tree
/// file's id can be known without the blob being stored.
func storedBlobID(_ file: git_diff_file, odb: OpaquePointer) -> git_oid? {
    let mode = UInt32(file.mode)
    guard mode == GIT_FILEMODE_BLOB.rawValue || mode == GIT_FILEMODE_BLOB_EXECUTABLE.rawValue
            || mode == GIT_FILEMODE_LINK.rawValue,
          file.flags & GIT_DIFF_FLAG_VALID_ID.rawValue != 0 else { return nil }
    var id = file.id
    return git_odb_exists(odb, &id) == 1 ? id : nil
}

/// One side of a file to diff: a blob any thread can read with its own handle, or content
/// already read.
struct FileSide: @unchecked Sendable {
    var path: [UInt8]
    var attribute: DiffAttribute
    var blob: git_oid?
    var content: [UInt8]?

    /// The side a file does not have (before an addition, after a deletion).
    static func absent(_ file: git_diff_file) -> FileSide {
        FileSide(path: bytes(ofCString: file.path), attribute: .unspecified, blob: nil, content: [])
    }
}

/// A file's two sides and where its result goes.
struct FileJob: @unchecked Sendable {
    let index: Int
    let old: FileSide
    let new: FileSide
    let isTypeChange: Bool

    func run(in repository: OpaquePointer, policy: TextDiffPolicy) throws(GatehouseError) -> LineResult {
        let oldContent = try SideContent(old, repository: repository, policy: policy)
        let newContent = try SideContent(new, repository: repository, policy: policy)
        if oldContent.isBinary(old.attribute, policy) || newContent.isBinary(new.attribute, policy) {
            return LineResult(isBinary: true)
        }
        return try oldContent.withBytes { oldBytes throws(GatehouseError) in
            try newContent.withBytes { newBytes throws(GatehouseError) in
                let diff: LineDiff.Result
                do throws(LineDiff.Failure) {
                    diff = try LineDiff.diff(old: oldBytes, new: newBytes, options: policy.options)
                } catch {
                    throw GatehouseError(
                        .git,
                        "git's histogram diff gives up on \(String(decoding: new.path, as: UTF8.self)) (too many lines share a hash bucket), "
                            + "and git diff stops with 'unable to generate diff' there too. Use --diff-algorithm myers for this change.")
                }
                var lines = FileLines(diff)
                if isTypeChange {
                    // git's patch shows a type change as a deletion and a creation, so every
                    // line of the new side is added; the counts stay those of --numstat.
                    lines.added = diff.newLineCount > 0 ? LineSet(ranges: [1...diff.newLineCount]) : LineSet()
                }
                return LineResult(lines: lines)
            }
        }
    }
}

/// A side's bytes while they are diffed: a blob held open (no copy) or bytes in memory.
private final class SideContent {
    private var blob: OpaquePointer?
    private let owned: [UInt8]
    /// Above `core.bigFileThreshold`: binary without reading it.
    private(set) var isTooLarge = false

    init(_ side: FileSide, repository: OpaquePointer, policy: TextDiffPolicy) throws(GatehouseError) {
        owned = side.content ?? []
        guard var id = side.blob else { return }
        var odb: OpaquePointer?
        defer { git_odb_free(odb) }
        var size = 0
        var type = GIT_OBJECT_BLOB
        if git_repository_odb(&odb, repository) == 0, let odb, git_odb_read_header(&size, &type, odb, &id) == 0, size > policy.bigFileThreshold {
            isTooLarge = true
            return
        }
        guard git_blob_lookup(&blob, repository, &id) == 0 else {
            throw GatehouseError(.git, "cannot read blob \(id.hex): \(lastGitErrorMessage())")
        }
    }

    deinit { git_blob_free(blob) }

    func withBytes<T, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> T) throws(E) -> T {
        if let blob {
            let size = Int(git_blob_rawsize(blob))
            return try body(UnsafeRawBufferPointer(start: size > 0 ? git_blob_rawcontent(blob) : nil, count: size))
        }
        // Array's withUnsafeBytes only rethrows untyped errors.
        let result: Result<T, E> = owned.withUnsafeBytes { buffer in
            do throws(E) {
                return .success(try body(buffer))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// git's `diff_filespec_is_binary`: the attribute's driver decides when it can, else size
    /// and a NUL byte in the first 8,000 bytes.
    func isBinary(_ attribute: DiffAttribute, _ policy: TextDiffPolicy) -> Bool {
        switch attribute {
        case .set: return false
        case .unset: return true
        case let .driver(name): if let binary = policy.binaryDrivers[name] ?? nil { return binary }
        case .unspecified: break
        }
        if isTooLarge { return true }
        return withBytes { bytes in bytes.count > policy.bigFileThreshold || LineDiff.looksBinary(bytes) }
    }
}

/// Runs file jobs on several threads; each thread opens its own repository handle and
/// writes only the result slots of its own jobs.
struct ParallelFileDiff: @unchecked Sendable {
    let jobs: [FileJob]
    let results: UnsafeMutableBufferPointer<LineResult>
    let gitDirectory: String
    let policy: TextDiffPolicy
    let workers: Int

    /// One slot per worker, written only by that worker.
    struct ErrorSlots: @unchecked Sendable {
        let slots: UnsafeMutableBufferPointer<GatehouseError?>
        subscript(worker: Int) -> GatehouseError? {
            get { slots[worker] }
            nonmutating set { slots[worker] = newValue }
        }
    }

    func run() -> GatehouseError? {
        let errors = ErrorSlots(slots: .allocate(capacity: workers))
        errors.slots.initialize(repeating: nil)
        defer { errors.slots.deallocate() }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var repository: OpaquePointer?
            guard git_repository_open(&repository, gitDirectory) == 0, let repository else {
                errors[worker] = GatehouseError(.git, "cannot open \(gitDirectory): \(lastGitErrorMessage())")
                return
            }
            defer { git_repository_free(repository) }
            // Interleaved, so that large and small files spread evenly over the workers.
            var position = worker
            while position < jobs.count {
                let job = jobs[position]
                do throws(GatehouseError) {
                    results[job.index] = try job.run(in: repository, policy: policy)
                } catch {
                    errors[worker] = error
                    return
                }
                position += workers
            }
        }
        return errors.slots.compactMap { $0 }.first
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
