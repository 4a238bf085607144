import GatehouseCore
import Testing

/// Advice for a revision that names nothing: only what would work.
@Suite("Revision advice")
struct RevisionAdviceTests {
    let branches = ["main", "release/1.2", "origin/main", "origin/feature/login", "origin/HEAD"]
    func advice(_ revision: String, shallow: Bool = false, remotes: [String] = ["origin"]) -> String {
        RevisionAdvice.advice(
            for: revision, resolves: { ["HEAD", "main", "origin/main"].contains($0) }, remotes: remotes, branches: branches, isShallow: shallow)
    }

    @Test func aMisspelledBranchGetsTheCloseNamesAndNoFetch() {
        #expect(advice("origin/mian") == "Did you mean 'origin/main'?")
        #expect(advice("mian") == "Did you mean 'main'?")
        #expect(!advice("origin/mian").contains("git fetch"))
    }

    @Test func aWalkBackPastTheHistoryIsNotAFetch() {
        #expect(advice("HEAD~99999") == "HEAD exists, but 'HEAD~99999' goes back past the start of its history (or names a parent it does not have). Pick a nearer commit.")
        #expect(advice("main^2").hasPrefix("main exists, but 'main^2'"))
        #expect(advice("HEAD~99999", shallow: true).contains("git fetch --deepen=N, or git fetch --unshallow"))
        #expect(!advice("HEAD~99999").contains("git fetch origin"))
    }

    @Test func aNameThatCouldBeARemoteBranchGetsTheFetchThatBringsIt() {
        #expect(advice("origin/payments") == "If 'payments' is a branch on origin, fetch it: git fetch origin payments.")
        #expect(advice("payments-v2") == "If it is a branch on origin, fetch it: git fetch origin payments-v2.")
        // Without a remote there is nothing to fetch from.
        #expect(advice("payments-v2", remotes: []) == "Check the spelling: no branch, tag or commit of that name is here.")
        // Not a branch name at all: no fetch can bring it.
        #expect(advice("a..b") == "Check the spelling: no branch, tag or commit of that name is here.")
        #expect(advice("what?") == "Check the spelling: no branch, tag or commit of that name is here.")
    }

    @Test func anAbbreviatedCommit() {
        #expect(advice("deadbeef12") == "If it is a commit of a branch not fetched here, fetch it (git fetch origin).")
        #expect(advice("deadbeef12", shallow: true) == "If it is a commit this shallow clone has not fetched, fetch more history (git fetch --unshallow).")
    }
}
