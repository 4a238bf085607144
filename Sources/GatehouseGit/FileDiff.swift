import CLibGit2
import Foundation
import GatehouseCore

extension Repository {
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

        let deltas = try detectRenames ? renamed(diff) : (0..<git_diff_num_deltas(diff)).map { DeltaInfo(diff, $0) }
        let lines = try lineResults(diff: diff, deltas: deltas, options: options)
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
                context: result.lines.context))
        }
        return files
    }

    /// The diff's deltas with renames paired as `git diff -M` pairs them (`RenameDetector`).
    /// When a candidate's content is not a stored blob (work-tree files), libgit2's own
    /// detection is used instead: it can read the work tree, at the price of git's exact scores.
    private func renamed(_ diff: OpaquePointer) throws(GatehouseError) -> [DeltaInfo] {
        var deltas = (0..<git_diff_num_deltas(diff)).map { DeltaInfo(diff, $0) }
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, handle) == 0, let odb else {
            throw GatehouseError(.git, "cannot open the object database: \(lastGitErrorMessage())")
        }
        defer { git_odb_free(odb) }
        let sourceIndices = deltas.indices.filter { deltas[$0].status == GIT_DELTA_DELETED }
        let destinationIndices = deltas.indices.filter { deltas[$0].status == GIT_DELTA_ADDED }
        guard !sourceIndices.isEmpty, !destinationIndices.isEmpty else { return deltas }
        let allStored = sourceIndices.allSatisfy { storedBlobID(deltas[$0].old, odb: odb) != nil }
            && destinationIndices.allSatisfy { storedBlobID(deltas[$0].new, odb: odb) != nil }
        guard allStored else {
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
        let pairs = RenameDetector(renameLimit: configuredRenameLimit()).detect(sources: sources, destinations: destinations) { isSource, index in
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
                similarity: pair.similarity, diffIndex: nil)
            dropped.insert(source)
        }
        return deltas.indices.filter { !dropped.contains($0) }.map { deltas[$0] }
    }

    /// Whether any gitattributes could apply to a diff: a tracked .gitattributes anywhere, one
    /// at the top of the work tree, $GIT_DIR/info/attributes, core.attributesFile, or the
    /// user's or system's attributes file.
    func attributesMayApply() -> Bool {
        let fileManager = FileManager.default
        let gitDirectory = String(cString: git_repository_path(handle))
        var candidates = [gitDirectory + "info/attributes", "/etc/gitattributes"]
        if let workdir { candidates.append(workdir + ".gitattributes") }
        let environment = ProcessInfo.processInfo.environment
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            candidates.append(xdg + "/git/attributes")
        } else if let home = environment["HOME"] {
            candidates.append(home + "/.config/git/attributes")
        }
        if candidates.contains(where: { fileManager.fileExists(atPath: $0) }) { return true }

        var config: OpaquePointer?
        defer { git_config_free(config) }
        var entry: UnsafeMutablePointer<git_config_entry>?
        if git_repository_config_snapshot(&config, handle) == 0, git_config_get_entry(&entry, config, "core.attributesFile") == 0 {
            git_config_entry_free(entry)
            return true
        }

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
    private func configuredRenameLimit() -> Int {
        var config: OpaquePointer?
        defer { git_config_free(config) }
        var value: Int32 = 0
        guard git_repository_config_snapshot(&config, handle) == 0,
              git_config_get_int32(&value, config, "diff.renameLimit") == 0, value > 0 else { return 1000 }
        return Int(value)
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
    /// Line diffs dominate the cost of a large change, and libgit2 objects must not be shared
    /// between threads, so deltas whose two sides are stored blobs are diffed by workers that
    /// each open their own handle on this repository. Anything else (work-tree files not in
    /// the object database, submodules) goes through the diff's own patch on this thread.
    private func lineResults(
        diff: OpaquePointer, deltas: [DeltaInfo], options: git_diff_options
    ) throws(GatehouseError) -> [LineResult] {
        var results = [LineResult](repeating: LineResult(), count: deltas.count)
        var odb: OpaquePointer?
        guard git_repository_odb(&odb, handle) == 0, let odb else {
            throw GatehouseError(.git, "cannot open the object database: \(lastGitErrorMessage())")
        }
        defer { git_odb_free(odb) }
        var jobs: [BlobJob] = []
        var patchIndices: [Int] = []
        for (index, delta) in deltas.enumerated() where FileStatus(delta.status) != nil {
            if let job = BlobJob(index: index, delta: delta, odb: odb) {
                jobs.append(job)
            } else if delta.diffIndex != nil {
                patchIndices.append(index)
            } else {
                throw GatehouseError(.git, "cannot read the content of \(String(cString: delta.new.path))")
            }
        }

        let usePaths = attributesMayApply()
        // Opening a handle per thread costs about a millisecond: only worth it for large changes.
        let workers = jobs.count >= 256 ? min(ProcessInfo.processInfo.activeProcessorCount, 8) : 1
        if workers <= 1 {
            for job in jobs {
                results[job.index] = try job.run(in: handle, options: options, usePaths: usePaths)
            }
        } else {
            let gitDirectory = String(cString: git_repository_path(handle))
            let failure = results.withUnsafeMutableBufferPointer { buffer in
                ParallelBlobDiff(
                    jobs: jobs, results: buffer, gitDirectory: gitDirectory, options: options, usePaths: usePaths, workers: workers
                ).run()
            }
            if let failure { throw failure }
        }

        for index in patchIndices {
            results[index] = try patchLines(diff: diff, index: deltas[index].diffIndex!, delta: deltas[index], options: options)
        }
        return results
    }

    /// Lines of one delta through libgit2's patch for it.
    private func patchLines(
        diff: OpaquePointer, index: Int, delta: DeltaInfo, options: git_diff_options
    ) throws(GatehouseError) -> LineResult {
        var patch: OpaquePointer?
        defer { git_patch_free(patch) }
        guard git_patch_from_diff(&patch, diff, index) == 0 else {
            throw GatehouseError(.git, "cannot diff \(String(cString: delta.new.path)): \(lastGitErrorMessage())")
        }
        // The binary flag is only known once the patch has loaded the content.
        if git_diff_get_delta(diff, index)!.pointee.flags & GIT_DIFF_FLAG_BINARY.rawValue != 0 {
            return LineResult(isBinary: true)
        }
        if delta.status == GIT_DELTA_TYPECHANGE {
            // libgit2 reports no lines for a type change; git diffs the two contents.
            return LineResult(lines: try typeChangeLines(delta, options: options))
        }
        guard let patch else { return LineResult() }
        let collector = LineCollector()
        guard git_patch_print(patch, collectLine, Unmanaged.passUnretained(collector).toOpaque()) == 0 else {
            throw GatehouseError(.git, "cannot diff \(String(cString: delta.new.path)): \(lastGitErrorMessage())")
        }
        return LineResult(lines: collector.current)
    }
}

private func ofCStringBytes(_ pointer: UnsafePointer<CChar>) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer))
}

/// Records added line numbers and counts deletions; shared by every way of diffing.
private let collectLine: git_diff_line_cb = { _, hunk, line, payload in
    let collector = Unmanaged<LineCollector>.fromOpaque(payload!).takeUnretainedValue()
    let line = line!.pointee
    switch UInt8(bitPattern: line.origin) {
    case UInt8(ascii: "+"): collector.added(Int(line.new_lineno))
    case UInt8(ascii: "-"): collector.current.deletedCount += 1
    case UInt8(ascii: "H"): if let hunk = hunk { collector.hunk(hunk.pointee) }  // git_patch_print's hunk headers
    default: break
    }
    return 0
}

/// Records each hunk's place in the new file, for the lines shown with context.
private let collectHunk: git_diff_hunk_cb = { _, hunk, payload in
    if let hunk { Unmanaged<LineCollector>.fromOpaque(payload!).takeUnretainedValue().hunk(hunk.pointee) }
    return 0
}

private let noteBinary: git_diff_file_cb = { delta, _, payload in
    let collector = Unmanaged<LineCollector>.fromOpaque(payload!).takeUnretainedValue()
    if let delta, delta.pointee.flags & GIT_DIFF_FLAG_BINARY.rawValue != 0 { collector.isBinary = true }
    return 0
}

private let binaryCallback: git_diff_binary_cb = { _, _, payload in
    Unmanaged<LineCollector>.fromOpaque(payload!).takeUnretainedValue().isBinary = true
    return 0
}

struct FileLines {
    var added = LineSet()
    var addedCount = 0
    var deletedCount = 0
    /// New-file lines within 3 lines of a change, as `git diff -U3` shows them.
    var context = LineSet()
}

struct LineResult {
    var lines = FileLines()
    var isBinary = false
}

/// Receives libgit2's callbacks for one file, on one thread.
final class LineCollector {
    var current = FileLines()
    var isBinary = false

    @inline(__always)
    func added(_ line: Int) {
        current.added.append(line)
        current.addedCount += 1
    }

    /// A hunk of a zero-context diff covers new lines `new_start ..< new_start + new_lines`; a
    /// deletion-only hunk (`+c,0`) sits after line c. git's 3 lines of context go either side.
    func hunk(_ hunk: git_diff_hunk) {
        let start = Int(hunk.new_start)
        let count = Int(hunk.new_lines)
        let first = count > 0 ? start - 3 : start - 2
        let last = count > 0 ? start + count - 1 + 3 : start + 3
        let lower = Swift.max(1, first)
        if last >= lower { current.context.append(lower...last) }
    }
}

/// One file of a diff: libgit2's delta, or a rename paired by `RenameDetector`.
struct DeltaInfo {
    var status: git_delta_t
    var old: git_diff_file
    var new: git_diff_file
    var similarity: Int?
    /// The delta's index in the libgit2 diff; nil for renames paired here.
    var diffIndex: Int?

    init(status: git_delta_t, old: git_diff_file, new: git_diff_file, similarity: Int?, diffIndex: Int?) {
        self.status = status
        self.old = old
        self.new = new
        self.similarity = similarity
        self.diffIndex = diffIndex
    }

    init(_ diff: OpaquePointer, _ index: Int) {
        let delta = git_diff_get_delta(diff, index)!.pointee
        let isPair = delta.status == GIT_DELTA_RENAMED || delta.status == GIT_DELTA_COPIED
        self.init(status: delta.status, old: delta.old_file, new: delta.new_file,
                  similarity: isPair ? Int(delta.similarity) : nil, diffIndex: index)
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

/// A delta whose present sides are blobs stored in the object database, so that any thread
/// with its own repository handle can diff it.
struct BlobJob {
    let index: Int
    let oldID: git_oid?
    let newID: git_oid?
    /// Paths select .gitattributes (binary, diff drivers); they point into the diff, which outlives the jobs.
    let oldPath: UnsafePointer<CChar>?
    let newPath: UnsafePointer<CChar>?

    init?(index: Int, delta: DeltaInfo, odb: OpaquePointer) {
        let oldSide: git_oid?? = delta.status == GIT_DELTA_ADDED ? .some(nil) : storedBlobID(delta.old, odb: odb).map { .some($0) }
        let newSide: git_oid?? = delta.status == GIT_DELTA_DELETED ? .some(nil) : storedBlobID(delta.new, odb: odb).map { .some($0) }
        guard let oldID = oldSide, let newID = newSide else { return nil }
        self.index = index
        self.oldID = oldID
        self.newID = newID
        oldPath = delta.old.path
        newPath = delta.new.path
    }

    /// `usePaths` hands libgit2 the paths so that .gitattributes (binary, -diff, diff drivers)
    /// apply; looking them up costs a stat per folder per file, so it is skipped when the
    /// repository has no attributes at all.
    func run(in repository: OpaquePointer, options: git_diff_options, usePaths: Bool) throws(GatehouseError) -> LineResult {
        var oldBlob: OpaquePointer?
        var newBlob: OpaquePointer?
        defer {
            git_blob_free(oldBlob)
            git_blob_free(newBlob)
        }
        if var id = oldID, git_blob_lookup(&oldBlob, repository, &id) != 0 {
            throw GatehouseError(.git, "cannot read blob \(id.hex): \(lastGitErrorMessage())")
        }
        if var id = newID, git_blob_lookup(&newBlob, repository, &id) != 0 {
            throw GatehouseError(.git, "cannot read blob \(id.hex): \(lastGitErrorMessage())")
        }
        let collector = LineCollector()
        var options = options
        let code = git_diff_blobs(
            oldBlob, usePaths ? oldPath : nil, newBlob, usePaths ? newPath : nil, &options, noteBinary, binaryCallback, collectHunk, collectLine,
            Unmanaged.passUnretained(collector).toOpaque())
        guard code == 0 else {
            throw GatehouseError(.git, "cannot diff \(newPath.map { String(cString: $0) } ?? "a file"): \(lastGitErrorMessage())")
        }
        return collector.isBinary ? LineResult(isBinary: true) : LineResult(lines: collector.current)
    }
}

/// Runs blob jobs on several threads; each thread opens its own repository handle and
/// writes only the result slots of its own jobs.
struct ParallelBlobDiff: @unchecked Sendable {
    let jobs: [BlobJob]
    let results: UnsafeMutableBufferPointer<LineResult>
    let gitDirectory: String
    let options: git_diff_options
    let usePaths: Bool
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
                    results[job.index] = try job.run(in: repository, options: options, usePaths: usePaths)
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

extension Repository {
    /// Lines of a type-changed file (file to symlink or back), by diffing the two contents.
    func typeChangeLines(_ delta: DeltaInfo, options: git_diff_options) throws(GatehouseError) -> FileLines {
        let old = try content(of: delta.old)
        let new = try content(of: delta.new)
        let collector = LineCollector()
        var options = options
        let code = old.withUnsafeBufferPointer { oldBuffer in
            new.withUnsafeBufferPointer { newBuffer in
                git_diff_buffers(
                    oldBuffer.baseAddress, oldBuffer.count, delta.old.path,
                    newBuffer.baseAddress, newBuffer.count, delta.new.path,
                    &options, nil, nil, collectHunk, collectLine, Unmanaged.passUnretained(collector).toOpaque())
            }
        }
        guard code == 0 else {
            throw GatehouseError(.git, "cannot diff the type change of \(String(cString: delta.new.path)): \(lastGitErrorMessage())")
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
