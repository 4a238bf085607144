import CLibGit2
import Foundation
import GatehouseCore

#if canImport(Glibc)
import Glibc
#endif

extension Repository {
    /// What the work tree holds compared with HEAD, for judging whether a report written from the
    /// work tree measured exactly the change: what `git status` shows (staged edits, unstaged
    /// edits and deletions, untracked files that are not ignored) and the newest modification time
    /// among the files git sees. Paths `isEvidence` accepts (the reports and build output
    /// themselves, what a test run leaves beside them) are left out of the untracked files and of
    /// the newest time.
    ///
    /// `git status` has to look at every file, and so does this: a file nobody pushed can still
    /// change what the tests measured.
    public func workTreeSnapshot(isEvidence: (RepoPath) -> Bool = { _ in false }) throws(GatehouseError) -> WorkTreeSnapshot {
        guard let workdir else {
            throw GatehouseError(.invalidArgument, "this repository is bare, so it has no work tree a report could have measured.")
        }
        var options = git_status_options()
        git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION))
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
        var list: OpaquePointer?
        guard git_status_list_new(&list, handle, &options) == 0, let list else {
            throw GatehouseError(.git, "cannot compare the work tree with HEAD: \(lastGitErrorMessage())")
        }
        defer { git_status_list_free(list) }

        var snapshot = WorkTreeSnapshot()
        let stagedFlags = GIT_STATUS_INDEX_NEW.rawValue | GIT_STATUS_INDEX_MODIFIED.rawValue | GIT_STATUS_INDEX_DELETED.rawValue
            | GIT_STATUS_INDEX_RENAMED.rawValue | GIT_STATUS_INDEX_TYPECHANGE.rawValue
        let unstagedFlags = GIT_STATUS_WT_MODIFIED.rawValue | GIT_STATUS_WT_DELETED.rawValue | GIT_STATUS_WT_TYPECHANGE.rawValue
            | GIT_STATUS_WT_RENAMED.rawValue | GIT_STATUS_WT_UNREADABLE.rawValue | GIT_STATUS_CONFLICTED.rawValue
        func path(_ delta: UnsafeMutablePointer<git_diff_delta>?) -> RepoPath? {
            guard let delta, let raw = delta.pointee.new_file.path ?? delta.pointee.old_file.path else { return nil }
            return RepoPath(bytes: bytes(ofCString: raw))
        }
        for position in 0..<git_status_list_entrycount(list) {
            guard let entry = git_status_byindex(list, position)?.pointee else { continue }
            let status = entry.status.rawValue
            if status & stagedFlags != 0, let path = path(entry.head_to_index) { snapshot.staged.append(path) }
            if status & unstagedFlags != 0, let path = path(entry.index_to_workdir) { snapshot.unstaged.append(path) }
            if status & GIT_STATUS_WT_NEW.rawValue != 0, let path = path(entry.index_to_workdir), !isEvidence(path) {
                snapshot.untracked.append(path)
            }
        }

        // The newest modification among the tracked files (those of the index, which status
        // compared) and the untracked ones. Status compares content where the stat data changed,
        // so a file edited and then restored is current but still newer than a report.
        var index: OpaquePointer?
        guard git_repository_index(&index, handle) == 0, let index else {
            throw GatehouseError(.git, "cannot read the index: \(lastGitErrorMessage())")
        }
        defer { git_index_free(index) }
        let root = Array(workdir.utf8)
        func consider(_ pathBytes: [UInt8]) {
            var status = stat()
            let full = (root + pathBytes).map { CChar(bitPattern: $0) } + [0]
            guard lstat(full, &status) == 0 else { return }
            let time = FileTime(seconds: Int(status.st_mtim.tv_sec), nanoseconds: Int(status.st_mtim.tv_nsec))
            if let newest = snapshot.newest, newest.time >= time { return }
            let path = RepoPath(bytes: pathBytes)
            if isEvidence(path) { return }
            snapshot.newest = WorkTreeSnapshot.Modification(path: path, time: time)
        }
        for position in 0..<git_index_entrycount(index) {
            guard let entry = git_index_get_byindex(index, position)?.pointee, let path = entry.path else { continue }
            // A submodule's folder time says nothing about its files, which it tracks itself.
            if entry.mode == GIT_FILEMODE_COMMIT.rawValue { continue }
            consider(bytes(ofCString: path))
        }
        for path in snapshot.untracked { consider(path.bytes) }
        return snapshot
    }
}

extension Repository {
    /// Whether `path` is in the index (tracked, or staged to be): a file that belongs to the
    /// project, which no command of Gatehouse's may delete.
    public func isTracked(_ path: RepoPath) throws(GatehouseError) -> Bool {
        var index: OpaquePointer?
        guard git_repository_index(&index, handle) == 0, let index else {
            throw GatehouseError(.git, "cannot read the index: \(lastGitErrorMessage())")
        }
        defer { git_index_free(index) }
        return (path.bytes.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { git_index_get_bypath(index, $0.baseAddress, 0) != nil }
    }
}
