#if canImport(Glibc)
import Glibc
#endif

/// A file's modification time to the nanosecond, as the file system records it. Kept as
/// integers: a `Date` (a Double of seconds) cannot tell apart times a microsecond apart today.
public struct FileTime: Comparable, Hashable, Sendable {
    public var seconds: Int
    public var nanoseconds: Int

    public init(seconds: Int, nanoseconds: Int) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public static func < (lhs: FileTime, rhs: FileTime) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    /// The modification time of the file at `path` (following a symbolic link, as a reader of
    /// the report would), or nil when it cannot be read.
    public static func ofFile(_ path: String) -> FileTime? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return FileTime(seconds: Int(status.st_mtim.tv_sec), nanoseconds: Int(status.st_mtim.tv_nsec))
    }
}

/// The work tree against HEAD, as `git status` sees it, with the newest modification among its
/// files (GatehouseGit's `workTreeSnapshot`).
public struct WorkTreeSnapshot: Sendable {
    public struct Modification: Sendable, Hashable {
        public var path: RepoPath
        public var time: FileTime
        public init(path: RepoPath, time: FileTime) {
            self.path = path
            self.time = time
        }
    }

    /// Files whose staged content differs from HEAD.
    public var staged: [RepoPath] = []
    /// Files whose work-tree content differs from the index (edited, deleted, a conflict).
    public var unstaged: [RepoPath] = []
    /// Files neither tracked nor ignored.
    public var untracked: [RepoPath] = []
    /// The most recently modified tracked or untracked file.
    public var newest: Modification?

    public init(staged: [RepoPath] = [], unstaged: [RepoPath] = [], untracked: [RepoPath] = [], newest: Modification? = nil) {
        self.staged = staged
        self.unstaged = unstaged
        self.untracked = untracked
        self.newest = newest
    }
}

/// Whether evidence written from the work tree (a coverage or lint report, measured build
/// output) measured exactly the change being judged. The rule is by content, not by commit
/// time: committing, amending a message or rebasing without touching files keeps a report
/// fresh, and a report made before the last edit of any file is stale.
public enum EvidenceFreshness {
    /// What the evidence must have measured.
    public enum Target: Sendable {
        /// The checked-out commit, as the pre-push hook pushes it: no staged or unstaged edit, no
        /// untracked file outside .gitignore.
        case headCommit
        /// The staged change (`check --staged`): the work tree must hold what is staged.
        case index
        /// The work tree itself (`check --worktree`).
        case workTree
    }

    /// Files that cannot change what a report measured: test-run output, and the pre-push hook
    /// `gatehouse hook install` writes (until it is committed it is untracked, and a newcomer's
    /// first push would otherwise call every report stale).
    public static func neverMeasured(_ path: RepoPath) -> Bool {
        path.bytes.elementsEqual(HookFiles.prePush.utf8) || isTestRunOutput(path)
    }

    /// What test and coverage runs write beside their reports, which is neither code nor
    /// anything a test runs: coverage data (`.coverage`, `.coverage.*`, `.nyc_output/`, raw
    /// llvm profiles), HTML reports, caches and bytecode. A project that leaves them out of
    /// .gitignore would otherwise never have a fresh report.
    public static func isTestRunOutput(_ path: RepoPath) -> Bool {
        let segments = path.bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        guard let name = segments.last else { return false }
        let folders: Set<[UInt8]> = [".pytest_cache", "__pycache__", "htmlcov", ".nyc_output", ".mypy_cache", ".ruff_cache", ".hypothesis"]
            .reduce(into: []) { $0.insert(Array($1.utf8)) }
        if segments.dropLast().contains(where: { folders.contains(Array($0)) }) { return true }
        let file = Array(name)
        func hasPrefix(_ text: String) -> Bool { file.starts(with: Array(text.utf8)) }
        func hasSuffix(_ text: String) -> Bool { file.count >= text.utf8.count && file.suffix(text.utf8.count).elementsEqual(text.utf8) }
        return file == Array(".coverage".utf8) || hasPrefix(".coverage.") || hasSuffix(".pyc") || hasSuffix(".profraw")
    }

    /// Why `evidence` (shown as `shown`, written at `written`) cannot judge `target`, in words
    /// that name the file to fix; nil when it is fresh.
    public static func staleReason(
        evidence shown: String, kind: String, written: FileTime, snapshot: WorkTreeSnapshot, target: Target
    ) -> String? {
        func first(_ paths: [RepoPath]) -> String {
            PathQuoting.quote(paths[0]) + (paths.count > 1 ? " (and \(paths.count - 1) more)" : "")
        }
        let what = target == .headCommit ? "the pushed commit" : "what is staged"
        if target == .headCommit, !snapshot.staged.isEmpty {
            return "stale: \(first(snapshot.staged)) is staged but not committed, so the \(kind) \(shown) describes other code than \(what); "
                + "commit or unstage it, rerun the step that writes the \(kind), and push again."
        }
        if target != .workTree, !snapshot.unstaged.isEmpty {
            if target == .index {
                return "stale: \(first(snapshot.unstaged)) has edits that are not staged, so the \(kind) \(shown) describes other code than \(what); "
                    + "stage or stash them, rerun the step that writes the \(kind), and try again."
            }
            return "stale: \(first(snapshot.unstaged)) has uncommitted edits, so the \(kind) \(shown) describes other code than \(what); "
                + "commit or stash them, rerun the step that writes the \(kind), and try again."
        }
        if target != .workTree, !snapshot.untracked.isEmpty {
            return "stale: \(first(snapshot.untracked)) is not in \(what) (untracked, not ignored), and the \(kind) \(shown) may have measured it; "
                + "commit it, remove it or add it to .gitignore, then rerun the step that writes the \(kind)."
        }
        if let newest = snapshot.newest, newest.time > written {
            return "stale: \(PathQuoting.quote(newest.path)) was modified after the \(kind) \(shown) was written; "
                + "rerun the step that writes it, then try again."
        }
        return nil
    }
}
