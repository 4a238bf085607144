import GatehouseCore
import Testing

/// The rule that decides whether a report written from the work tree measured the change.
@Suite("Evidence freshness: by content, not by commit time")
struct EvidenceFreshnessTests {
    static let written = FileTime(seconds: 1_000, nanoseconds: 500)
    static func at(_ seconds: Int, _ nanoseconds: Int = 0, _ path: String = "src/app.py") -> WorkTreeSnapshot.Modification {
        WorkTreeSnapshot.Modification(path: RepoPath(path), time: FileTime(seconds: seconds, nanoseconds: nanoseconds))
    }

    static func reason(_ snapshot: WorkTreeSnapshot, _ target: EvidenceFreshness.Target) -> String? {
        EvidenceFreshness.staleReason(evidence: "coverage.xml", kind: "coverage report", written: written, snapshot: snapshot, target: target)
    }

    @Test(arguments: [EvidenceFreshness.Target.headCommit, .index, .workTree])
    func aCleanTreeLastEditedBeforeTheReportIsFresh(_ target: EvidenceFreshness.Target) {
        #expect(Self.reason(WorkTreeSnapshot(newest: Self.at(999, 999_999_999)), target) == nil)
        // Written in the same nanosecond: the report saw the file as it is.
        #expect(Self.reason(WorkTreeSnapshot(newest: Self.at(1_000, 500)), target) == nil)
        #expect(Self.reason(WorkTreeSnapshot(), target) == nil)
    }

    @Test(arguments: [EvidenceFreshness.Target.headCommit, .index, .workTree])
    func aFileModifiedAfterTheReportMakesItStale(_ target: EvidenceFreshness.Target) {
        // One nanosecond later is later: times are compared as the file system keeps them.
        let stale = Self.reason(WorkTreeSnapshot(newest: Self.at(1_000, 501, "tests/test\tapp.py")), target)
        // A name with a control character is quoted, as git quotes it.
        #expect(stale == "stale: \"tests/test\\tapp.py\" was modified after the coverage report coverage.xml was written; rerun the step that writes it, then try again.")
    }

    @Test func whatEachTargetRequiresOfTheWorkTree() {
        let staged = WorkTreeSnapshot(staged: [RepoPath("a.py")], newest: Self.at(1))
        let unstaged = WorkTreeSnapshot(unstaged: [RepoPath("b.py"), RepoPath("c.py")], newest: Self.at(1))
        let untracked = WorkTreeSnapshot(untracked: [RepoPath("tests/test_new.py")], newest: Self.at(1))

        #expect(Self.reason(staged, .headCommit)?.hasPrefix("stale: a.py is staged but not committed, so the coverage report coverage.xml describes other code than the pushed commit") == true)
        #expect(Self.reason(unstaged, .headCommit)?.hasPrefix("stale: b.py (and 1 more) has uncommitted edits") == true)
        #expect(Self.reason(untracked, .headCommit)?.hasPrefix("stale: tests/test_new.py is not in the pushed commit (untracked, not ignored)") == true)

        // Staged work is the change itself; the work tree must hold it, untracked files aside.
        #expect(Self.reason(staged, .index) == nil)
        #expect(Self.reason(unstaged, .index)?.contains("describes other code than what is staged") == true)
        #expect(Self.reason(untracked, .index)?.contains("is not in what is staged") == true)

        // The work tree is the change: only later edits make a report stale.
        #expect(Self.reason(staged, .workTree) == nil)
        #expect(Self.reason(unstaged, .workTree) == nil)
        #expect(Self.reason(untracked, .workTree) == nil)
    }

    @Test func anEditOutranksALaterTime() {
        // Both wrong: the edit is named first, since committing it is the fix either way.
        let both = WorkTreeSnapshot(unstaged: [RepoPath("b.py")], newest: Self.at(2_000, 0, "c.py"))
        #expect(Self.reason(both, .headCommit)?.hasPrefix("stale: b.py has uncommitted edits") == true)
    }
}

@Suite("Evidence freshness: what a test run leaves beside its report")
struct TestRunOutputTests {
    @Test(arguments: [
        ".coverage", ".coverage.host.1234.XyZ", "src/pkg/__pycache__/mod.cpython-311.pyc", "mod.pyc", "htmlcov/index.html",
        ".pytest_cache/v/cache/lastfailed", "web/.nyc_output/out.json", "default.profraw", ".mypy_cache/3.11/x.json",
    ])
    func isTestRunOutput(_ path: String) {
        #expect(EvidenceFreshness.isTestRunOutput(RepoPath(path)))
    }

    /// Code and tests stay what they are: an untracked test module can change what is measured.
    @Test(arguments: ["tests/test_new.py", "coverage.py", "src/coverage/report.py", ".coveragerc", "pycache.py", "htmlcov.md", "a.py"])
    func isNot(_ path: String) {
        #expect(!EvidenceFreshness.isTestRunOutput(RepoPath(path)))
    }

    /// The hook gatehouse installs is not code a report measures; other hooks and files under
    /// .githooks/ are the project's own and still count.
    @Test func theInstalledHookIsNeverMeasured() {
        #expect(EvidenceFreshness.neverMeasured(".githooks/pre-push"))
        #expect(EvidenceFreshness.neverMeasured(".coverage"))
        #expect(!EvidenceFreshness.neverMeasured(".githooks/pre-commit"))
        #expect(!EvidenceFreshness.neverMeasured("src/.githooks/pre-push"))
        #expect(!EvidenceFreshness.neverMeasured("a.py"))
    }
}
