import Foundation
import GatehouseTestSupport
import Testing

/// A bare remote and a clone with Gatehouse's hook installed, pushed to with the real `git push`.
///
/// The clone gates changed-line coverage from lcov.info at 80%. Commits are dated 2026-01-01 (the
/// fixed test date), so a report written by a test is fresh unless the test makes it older.
final class PushFixture {
    let remote: TestRepository
    let clone: TestRepository

    init(installHook: Bool = true) throws {
        remote = try TestRepository(name: "remote.git", initArguments: ["--bare"])
        _ = try run(["git", "clone", "-q", remote.path, "clone"], in: remote.parentFolder, environment: TestRepository.gitEnvironment)
        clone = TestRepository(existing: remote.parentFolder + "/clone")
        try clone.git(["checkout", "-q", "-b", "main"])
        try clone.write("rules/gatehouse.yml", "base: main\ncoverage:\n  reports: [lcov.info]\n  changed_lines: 80\n")
        try clone.write("rules/CODEOWNERS", "* @team\n")
        try clone.write(".gitignore", "lcov.info\n")
        try clone.write("src/good.py", "a = 1\nb = 2\n")
        try clone.write("src/bad.py", "c = 1\nd = 2\n")
        try clone.write("rules/checklists/python.md", "---\ntitle: Python\npaths: [\"*.py\"]\nrequired: true\n---\n- [ ] Tests cover the new lines.\n")
        if installHook {
            let install = try GatehouseCLI.run(["hook", "install"], in: clone.path)
            try #require(install.status == 0, "\(install.stderr)")
        }
        // The hook is committed, as README says, so every branch keeps it.
        try clone.commit("base")
        let first = try push(["origin", "main"])
        try #require(first.status == 0, "\(first.stderr)")
    }

    /// Lands `files` on main and on the remote's main, as a merged pull request would: the rules
    /// a later push is judged by. The checked-out branch keeps its place (main's work tree
    /// follows when main is checked out).
    func landOnMain(_ files: [String: String]) throws {
        let old = try clone.revParse("main")
        let new = try clone.commitOnBranch("main", files, message: "rules")
        if try clone.gitOutput(["rev-parse", "--abbrev-ref", "HEAD"]) == "main" {
            try clone.git(["read-tree", "-m", "-u", old, new])
        }
        try clone.git(["push", "-q", "--no-verify", "origin", "main"])
    }

    /// `git push` as a person runs it, with the built gatehouse found through $GATEHOUSE.
    func push(_ arguments: [String]) throws -> ShellResult {
        try run(["git", "push"] + arguments, in: clone.path, environment: Self.pushEnvironment())
    }

    /// The environment of a person's `git push`: the built gatehouse as $GATEHOUSE and first on
    /// PATH (for hooks that call `gatehouse` by name), and the coverage profile of this test run.
    static func pushEnvironment() -> [String: String] {
        var environment = TestRepository.gitEnvironment
        environment["GATEHOUSE"] = GatehouseCLI.executable
        environment["PATH"] = URL(fileURLWithPath: GatehouseCLI.executable).deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        if let profile = ProcessInfo.processInfo.environment["LLVM_PROFILE_FILE"] { environment["LLVM_PROFILE_FILE"] = profile }
        return environment
    }

    /// An empty bare remote and a clone of it on branch main, with nothing committed.
    static func emptyRemoteAndClone() throws -> (remote: TestRepository, clone: TestRepository) {
        let remote = try TestRepository(name: "remote.git", initArguments: ["--bare"])
        _ = try run(["git", "clone", "-q", remote.path, "clone"], in: remote.parentFolder, environment: TestRepository.gitEnvironment)
        let clone = TestRepository(existing: remote.parentFolder + "/clone")
        try clone.git(["checkout", "-q", "-b", "main"])
        return (remote, clone)
    }

    /// A branch from main that appends two lines to `file`.
    func branch(_ name: String, appendingTo file: String) throws {
        try clone.git(["checkout", "-q", "-b", name, "main"])
        let path = clone.path + "/" + file
        let old = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        try clone.write(file, old + "e = 3\nf = 4\n")
        try clone.commit("change \(file) on \(name)")
    }

    /// An LCOV report in which good.py's lines 3-4 ran and bad.py's did not.
    func writeReport(olderThanCommits: Bool = false) throws {
        try clone.write("lcov.info", """
            TN:
            SF:src/good.py
            DA:1,1
            DA:2,1
            DA:3,1
            DA:4,1
            end_of_record
            SF:src/bad.py
            DA:1,1
            DA:2,1
            DA:3,0
            DA:4,0
            end_of_record

            """)
        if olderThanCommits {
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSince1970: 1_735_689_600)],  // 2025-01-01, before the commits
                ofItemAtPath: clone.path + "/lcov.info")
        }
    }

    func remoteBranches() throws -> [String] {
        try remote.gitOutput(["for-each-ref", "--format=%(refname:short)", "refs/heads"]).split(separator: "\n").map(String.init).sorted()
    }
}

@Suite("gatehouse hook: pre-push with the real git push")
struct HookCommandTests {
    @Test func newBranchUpdateAndDeletion() throws {
        let fixture = try PushFixture()
        try fixture.branch("feature", appendingTo: "src/good.py")
        try fixture.writeReport()
        let created = try fixture.push(["origin", "feature"])
        #expect(created.status == 0, "\(created.stderr)")
        // A clean push is one line: the range, what passed, and what review will ask.
        // (git's own lines follow: "To <remote>", "* [new branch]".)
        let ours = created.stderr.split(separator: "\n").filter { !$0.hasPrefix("To ") && !$0.hasPrefix(" * ") && !$0.allSatisfy(\.isWhitespace) }
        #expect(ours.count == 1, "\(created.stderr)")
        let line = try #require(ours.first, "\(created.stderr)")
        #expect(line.hasPrefix("gatehouse: origin feature: 1 commit, 1 file (a new branch: from "), "\(created.stderr)")
        #expect(line.hasSuffix("): 3 gates passed, 100% of 2 changed lines covered; reviewers: @team; checklist: Python (required)"), "\(created.stderr)")

        // An update checks remote..local: only the new commit's lines.
        try fixture.clone.write("src/good.py", "a = 1\nb = 2\ne = 3\nf = 4\n")
        try fixture.clone.write("docs.md", "notes\n")
        try fixture.clone.commit("docs")
        try fixture.writeReport()
        let updated = try fixture.push(["origin", "feature"])
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect(updated.stderr.contains("gatehouse: origin feature: 1 commit, 1 file ("), "\(updated.stderr)")
        #expect(updated.stderr.contains(": from the remote's feature)"), "\(updated.stderr)")

        let deleted = try fixture.push(["origin", "--delete", "feature"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(deleted.stderr.contains("gatehouse: origin feature: deleted, nothing to check"))
        #expect(try fixture.remoteBranches() == ["main"])
    }

    @Test func twoRefsAtOnceWhereOnlyTheSecondFails() throws {
        let fixture = try PushFixture()
        try fixture.branch("good", appendingTo: "src/good.py")
        try fixture.branch("bad", appendingTo: "src/bad.py")
        try fixture.writeReport()
        let pushed = try fixture.push(["origin", "good", "bad"])
        #expect(pushed.status == 1, "one failing ref blocks the whole push")
        let output = pushed.stderr
        let good = try #require(output.range(of: "gatehouse: origin good:"), "\(output)")
        let bad = try #require(output.range(of: "gatehouse: origin bad:"), "\(output)")
        #expect(good.lowerBound < bad.lowerBound, "every ref is checked, in git's order")
        // The work tree's report was made on bad (checked out): it says nothing of good.
        #expect(output[good.upperBound..<bad.lowerBound].contains("SKIP coverage.reports: not the checked-out commit"), "\(output)")
        #expect(output[good.upperBound..<bad.lowerBound].contains("PASS owners.rules"))
        #expect(output[bad.upperBound...].contains("FAIL coverage.changed_lines: 0% of 2 changed lines covered"))
        #expect(output[bad.upperBound...].contains("src/bad.py: not covered 3-4"))
        #expect(output.contains("gatehouse: push refused: a gate failed. Fix it, or skip this check once with git push --no-verify."))
        #expect(try fixture.remoteBranches() == ["main"], "git pushes all refs or none")

        // The documented escape still works.
        let skipped = try fixture.push(["--no-verify", "origin", "good", "bad"])
        #expect(skipped.status == 0)
        #expect(try fixture.remoteBranches() == ["bad", "good", "main"])
    }

    @Test func aStaleReportIsSkippedWithAMessageAndDoesNotBlock() throws {
        let fixture = try PushFixture()
        try fixture.branch("bad", appendingTo: "src/bad.py")
        try fixture.writeReport(olderThanCommits: true)
        let pushed = try fixture.push(["origin", "bad"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(pushed.stderr.contains("SKIP coverage.reports: stale: src/bad.py was modified after the coverage report lcov.info was written"), "\(pushed.stderr)")
        #expect(!pushed.stderr.contains("coverage.changed_lines"))
        #expect(pushed.stderr.contains("gatehouse: no gate failed"))
    }

    @Test func aMissingReportIsSkippedAndHookGatesAreConfigurable() throws {
        let fixture = try PushFixture()
        try fixture.branch("bad", appendingTo: "src/bad.py")
        let pushed = try fixture.push(["origin", "bad"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(pushed.stderr.contains("SKIP coverage.reports: no coverage report yet (lcov.info); CI runs this gate."), "\(pushed.stderr)")

        // hook.gates leaves coverage to CI: even a fresh failing report does not block.
        try fixture.landOnMain(["rules/gatehouse.yml": "base: main\ncoverage:\n  reports: [lcov.info]\n  changed_lines: 80\nhook:\n  gates: [owners]\n  checklist: false\n  reviewers: false\n"])
        try fixture.clone.git(["checkout", "-q", "-b", "bad2", "main"])
        try fixture.clone.write("src/bad.py", "c = 1\nd = 2\ne = 3\nf = 4\n")
        try fixture.clone.commit("bad again")
        try fixture.writeReport()
        let ownersOnly = try fixture.push(["origin", "bad2"])
        #expect(ownersOnly.status == 0, "\(ownersOnly.stderr)")
        #expect(!ownersOnly.stderr.contains("coverage"))
        #expect(ownersOnly.stderr.contains(": 1 gate passed\n"), "\(ownersOnly.stderr)")
        #expect(!ownersOnly.stderr.contains("reviewers:") && !ownersOnly.stderr.contains("checklist:"))
    }

    @Test func sizeBudgetsFollowTheSameFreshnessRule() throws {
        let fixture = try PushFixture()
        let clone = fixture.clone
        try fixture.landOnMain(["rules/gatehouse.yml": "base: main\nsize:\n  budgets:\n    - {name: app, files: [dist/app.js], max: 10 B}\n"])
        try clone.git(["checkout", "-q", "-b", "big", "main"])
        try clone.write(".gitignore", "lcov.info\ndist/\n")
        try clone.commit("a size budget")
        // Build output from before the commits measures older code: skipped, not blocking.
        try clone.write("dist/app.js", String(repeating: "x", count: 100))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_735_689_600)], ofItemAtPath: clone.path + "/dist/app.js")
        let stale = try fixture.push(["origin", "big"])
        #expect(stale.status == 0, "\(stale.stderr)")
        #expect(stale.stderr.contains("SKIP size: stale: .gitignore was modified after the size budget file dist/app.js was written"), "\(stale.stderr)")

        // Fresh output over its budget blocks the push.
        try clone.write("src/good.py", "a = 1\nb = 2\ng = 7\n")
        try clone.commit("more")
        try clone.write("dist/app.js", String(repeating: "x", count: 100))
        let over = try fixture.push(["origin", "big"])
        #expect(over.status == 1)
        #expect(over.stderr.contains("FAIL size: 1 of 1 budget failed: app."), "\(over.stderr)")
        #expect(over.stderr.contains("100 B is over the budget of 10 B by 90 B"))

        // No build output at all: skipped, as a missing report is.
        try FileManager.default.removeItem(atPath: clone.path + "/dist")
        let missing = try fixture.push(["origin", "big"])
        #expect(missing.status == 0, "\(missing.stderr)")
        #expect(missing.stderr.contains("SKIP size: a size budget matches no file (no build output yet); CI runs this gate."))
    }

    /// Someone else moves main on; the branch is rebased and force-pushed. Only the rebased commit
    /// is new, and only its file counts: the upstream commit it now sits on is already on the remote.
    @Test func aForcePushAfterARebaseChecksOnlyTheRebasedCommits() throws {
        let fixture = try PushFixture()
        try fixture.branch("feature", appendingTo: "src/good.py")
        try fixture.writeReport()
        try #require(try fixture.push(["origin", "feature"]).status == 0)
        try upstreamCommit(fixture, file: "src/upstream.py")
        try fixture.clone.git(["checkout", "-q", "feature"])
        try fixture.clone.git(["rebase", "-q", "origin/main"])
        try fixture.writeReport()
        let forced = try fixture.push(["-f", "origin", "feature"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stderr.contains("gatehouse: origin feature: 1 commit, 1 file ("), "\(forced.stderr)")
        #expect(forced.stderr.contains("the newest commit origin already has"))
    }

    /// A new branch that merged the upstream: the merge brings upstream's files, which are not this change's.
    @Test func aNewBranchThatMergedUpstreamChecksOnlyItsOwnChange() throws {
        let fixture = try PushFixture()
        try fixture.branch("feature", appendingTo: "src/good.py")
        try upstreamCommit(fixture, file: "src/upstream.py")
        try fixture.clone.git(["checkout", "-q", "feature"])
        try fixture.clone.git(["merge", "-q", "--no-edit", "origin/main"])
        try fixture.writeReport()
        let pushed = try fixture.push(["origin", "feature"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(pushed.stderr.contains("gatehouse: origin feature: 2 commits, 1 file ("), "\(pushed.stderr)")
        #expect(!pushed.stderr.contains("upstream.py"))
    }

    /// Pushing to a URL: git passes the URL as the remote; its tracking refs are still known.
    @Test func pushingToAURLUsesTheRemoteWithThatURL() throws {
        let fixture = try PushFixture()
        try fixture.branch("feature", appendingTo: "src/good.py")
        try fixture.writeReport()
        let pushed = try fixture.push([fixture.remote.path, "feature"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(pushed.stderr.contains(": 1 commit, 1 file (a new branch: from "), "\(pushed.stderr)")
        #expect(!pushed.stderr.contains("every file counts as added"))
    }

    /// libgit2 1.5 cannot walk past a shallow clone's edge: the hook must still see the new commits.
    @Test func aShallowCloneStillSeesTheNewCommits() throws {
        let fixture = try PushFixture()
        try upstreamCommit(fixture, file: "src/upstream.py")  // so that --depth 1 really cuts history
        let shallowPath = fixture.remote.parentFolder + "/shallow"
        _ = try run(["git", "clone", "-q", "--depth", "1", "file://" + fixture.remote.path, shallowPath], in: fixture.remote.parentFolder,
                    environment: TestRepository.gitEnvironment)
        let shallow = TestRepository(existing: shallowPath)
        try #require(try GatehouseCLI.run(["hook", "install"], in: shallowPath).status == 0)
        try shallow.git(["checkout", "-q", "-b", "topic"])
        try shallow.write("src/good.py", "a = 1\nb = 2\ne = 3\n")
        try shallow.commit("one")
        try shallow.write("src/good.py", "a = 1\nb = 2\ne = 3\nf = 4\n")
        try shallow.commit("two")
        var environment = TestRepository.gitEnvironment
        environment["GATEHOUSE"] = GatehouseCLI.executable
        if let profile = ProcessInfo.processInfo.environment["LLVM_PROFILE_FILE"] { environment["LLVM_PROFILE_FILE"] = profile }
        let pushed = try run(["git", "push", "origin", "topic"], in: shallow.path, environment: environment)
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(try shallow.gitOutput(["rev-parse", "--is-shallow-repository"]) == "true")
        #expect(pushed.stderr.contains("gatehouse: origin topic: 2 commits, 1 file ("), "\(pushed.stderr)")
        // An update of a branch the remote has: only the new commit.
        try shallow.write("src/good.py", "a = 1\nb = 2\ne = 3\nf = 4\ng = 5\n")
        try shallow.commit("three")
        let updated = try run(["git", "push", "origin", "topic"], in: shallow.path, environment: environment)
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect(updated.stderr.contains("gatehouse: origin topic: 1 commit, 1 file ("), "\(updated.stderr)")
        // With no tracking ref at all, the walk reaches the clone's edge, where libgit2 1.5 stops
        // with an error: the commits up to the edge still count, and the output says why.
        for ref in ["refs/remotes/origin/main", "refs/remotes/origin/topic"] { try shallow.git(["update-ref", "-d", ref]) }
        let head = try shallow.revParse("HEAD")
        let edge = try run(
            [GatehouseCLI.executable, "hook", "pre-push", "origin", "url"], in: shallow.path, environment: environment,
            stdin: Array("refs/heads/fresh \(head) refs/heads/fresh \(String(repeating: "0", count: 40))\n".utf8))
        #expect(edge.status == 0, "\(edge.stderr)")
        #expect(edge.stderr.contains("gatehouse: origin fresh: 4 commits"), "\(edge.stderr)")
        #expect(edge.stderr.contains("this shallow clone's history ends before the remote's: every file counts as added"))
    }

    @Test func oddRefsAndAnOrphanCheckoutAreHandled() throws {
        let fixture = try PushFixture()
        // A tag of a tree is not a commit: nothing to check, and the push goes through.
        try fixture.clone.git(["tag", "tree-tag", "HEAD^{tree}"])
        let tag = try fixture.push(["origin", "tree-tag"])
        #expect(tag.status == 0, "\(tag.stderr)")
        #expect(tag.stderr.contains("gatehouse: origin tree-tag: not a commit (a tag of a tree or blob), nothing to check"))
        // An annotated tag of a new commit is checked like a branch.
        try fixture.branch("feature", appendingTo: "src/good.py")
        try fixture.clone.git(["tag", "-a", "-m", "v1", "v1"])
        try fixture.writeReport()
        let annotated = try fixture.push(["origin", "v1"])
        #expect(annotated.status == 0, "\(annotated.stderr)")
        #expect(annotated.stderr.contains("gatehouse: origin v1: 1 commit, 1 file"), "\(annotated.stderr)")
        // With an orphan branch checked out (HEAD has no commit), other branches still push.
        try fixture.clone.git(["checkout", "-q", "--orphan", "empty"])
        let orphan = try fixture.push(["origin", "feature"])
        #expect(orphan.status == 0, "\(orphan.stderr)")
        #expect(orphan.stderr.contains("SKIP coverage.reports: not the checked-out commit"))
        #expect(orphan.stderr.contains("PASS owners.rules"))
    }

    /// A report made from uncommitted edits describes the work tree, not the pushed commit.
    @Test func uncommittedEditsToPushedFilesSkipTheReportGates() throws {
        let fixture = try PushFixture()
        try fixture.branch("bad", appendingTo: "src/bad.py")
        try fixture.clone.write("src/bad.py", "inserted = 0\nc = 1\nd = 2\ne = 3\nf = 4\n")
        try fixture.writeReport()
        let pushed = try fixture.push(["origin", "bad"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(pushed.stderr.contains("SKIP coverage.reports: stale: src/bad.py has uncommitted edits, so the coverage report lcov.info describes other code than the pushed commit"), "\(pushed.stderr)")
    }

    @Test func aMissingSizeBaselineIsANoteInTheHook() throws {
        let fixture = try PushFixture()
        try fixture.landOnMain(["rules/gatehouse.yml": "base: main\nsize:\n  budgets:\n    - {name: app, files: [dist/app.js], max: 1 kB}\n  baseline: size-base.json\n  max_growth: 5%\n"])
        try fixture.clone.git(["checkout", "-q", "-b", "sized", "main"])
        try fixture.clone.write(".gitignore", "lcov.info\ndist/\n")
        try fixture.clone.commit("budget with a baseline only CI writes")
        try fixture.clone.write("dist/app.js", "x")
        let pushed = try fixture.push(["origin", "sized"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(pushed.stderr.contains(": 2 gates passed; reviewers: @team\n"), "\(pushed.stderr)")
        #expect(pushed.stderr.contains("so this push is checked for size budgets and ownership rules only"), "\(pushed.stderr)")
    }

    /// A commit on main that reaches the remote from elsewhere, then fetched here.
    func upstreamCommit(_ fixture: PushFixture, file: String) throws {
        let other = fixture.remote.parentFolder + "/other"
        _ = try run(["git", "clone", "-q", fixture.remote.path, other], in: fixture.remote.parentFolder, environment: TestRepository.gitEnvironment)
        let upstream = TestRepository(existing: other)
        try upstream.write(file, "u = 1\n")
        try upstream.commit("upstream work")
        try upstream.git(["push", "-q", "--no-verify", "origin", "main"])
        try fixture.clone.git(["fetch", "-q", "origin"])
    }

    @Test func installFromALinkedWorkTreeSeesTheSharedHooks() throws {
        let fixture = try PushFixture(installHook: false)
        try fixture.clone.write(".git/hooks/pre-commit", "#!/bin/sh\nexit 0\n")
        #expect(chmod(fixture.clone.path + "/.git/hooks/pre-commit", 0o755) == 0)
        let linked = fixture.remote.parentFolder + "/linked"
        try fixture.clone.git(["worktree", "add", "-q", linked, "-b", "side"])
        let blocked = try GatehouseCLI.run(["hook", "install"], in: linked)
        #expect(blocked.status == 2)
        #expect(blocked.stderr.contains("would make git ignore the hooks in .git/hooks (pre-commit)"), "\(blocked.stderr)")
    }

    @Test func installRefusesToReplaceWhatIsNotItsOwnAndUninstallUndoesIt() throws {
        let fixture = try PushFixture(installHook: false)
        let clone = fixture.clone
        // An active hook in .git/hooks would stop running once core.hooksPath moves.
        try clone.write(".git/hooks/pre-commit", "#!/bin/sh\nexit 0\n")
        #expect(chmod(clone.path + "/.git/hooks/pre-commit", 0o755) == 0)
        let blocked = try GatehouseCLI.run(["hook", "install"], in: clone.path)
        #expect(blocked.status == 2)
        #expect(blocked.stderr.contains("would make git ignore the hooks in .git/hooks (pre-commit)"), "\(blocked.stderr)")
        try FileManager.default.removeItem(atPath: clone.path + "/.git/hooks/pre-commit")

        // Another tool's hook, or another hooks folder, is not replaced without --force.
        try clone.write(".githooks/pre-push", "#!/bin/sh\necho mine\n")
        let other = try GatehouseCLI.run(["hook", "install"], in: clone.path)
        #expect(other.status == 2)
        #expect(other.stderr.contains(".githooks/pre-push already exists and is not Gatehouse's"))
        #expect(String(decoding: FileManager.default.contents(atPath: clone.path + "/.githooks/pre-push")!, as: UTF8.self) == "#!/bin/sh\necho mine\n")
        try FileManager.default.removeItem(atPath: clone.path + "/.githooks/pre-push")
        try clone.git(["config", "core.hooksPath", "tools/hooks"])
        let elsewhere = try GatehouseCLI.run(["hook", "install"], in: clone.path)
        #expect(elsewhere.status == 2)
        #expect(elsewhere.stderr.contains("core.hooksPath is already 'tools/hooks'"))
        // A known manager gets its own snippet instead (HookManagerTests).
        try clone.git(["config", "core.hooksPath", ".husky/_"])
        let husky = try GatehouseCLI.run(["hook", "install"], in: clone.path)
        #expect(husky.status == 2)
        #expect(husky.stderr.contains("runs its hooks through husky (core.hooksPath = .husky/_)"), "\(husky.stderr)")

        let forced = try GatehouseCLI.run(["hook", "install", "--force"], in: clone.path)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try clone.gitOutput(["config", "core.hooksPath"]) == ".githooks")
        #expect(FileManager.default.isExecutableFile(atPath: clone.path + "/.githooks/pre-push"))
        let again = try GatehouseCLI.run(["hook", "install"], in: clone.path)
        #expect(again.status == 0 && again.output.contains("kept .githooks/pre-push"), "installing twice is harmless")

        // Uninstall undoes install --force: the hooks folder it displaced is back.
        let removed = try GatehouseCLI.run(["hook", "uninstall"], in: clone.path)
        #expect(removed.status == 0)
        #expect(removed.output == "gatehouse: removed .githooks/pre-push; set core.hooksPath back to .husky/_.\n", "\(removed.output)")
        #expect(!FileManager.default.fileExists(atPath: clone.path + "/.githooks/pre-push"))
        #expect(try clone.gitOutput(["config", "core.hooksPath"]) == ".husky/_")

        // And a hook it replaced is put back.
        try clone.git(["config", "--unset", "core.hooksPath"])
        try clone.write(".githooks/pre-push", "#!/bin/sh\necho mine\n")
        #expect(try GatehouseCLI.run(["hook", "install", "--force"], in: clone.path).status == 0)
        let restored = try GatehouseCLI.run(["hook", "uninstall"], in: clone.path)
        #expect(restored.output == "gatehouse: removed .githooks/pre-push; put back the pre-push hook that install --force had replaced; unset core.hooksPath.\n", "\(restored.output)")
        #expect(String(decoding: FileManager.default.contents(atPath: clone.path + "/.githooks/pre-push")!, as: UTF8.self) == "#!/bin/sh\necho mine\n")
        try FileManager.default.removeItem(atPath: clone.path + "/.githooks/pre-push")
        #expect(try GatehouseCLI.run(["hook", "uninstall"], in: clone.path).output == "gatehouse: no Gatehouse hook is installed here.\n")
    }

    @Test func inputThatIsNotGitsIsExitTwo() throws {
        let fixture = try PushFixture(installHook: false)
        var environment = TestRepository.gitEnvironment
        if let profile = ProcessInfo.processInfo.environment["LLVM_PROFILE_FILE"] { environment["LLVM_PROFILE_FILE"] = profile }
        let result = try run(
            [GatehouseCLI.executable, "hook", "pre-push", "origin", "url"], in: fixture.clone.path, environment: environment,
            stdin: Array("refs/heads/main 1234 refs/heads/main 0000\n".utf8))
        #expect(result.status == 2)
        #expect(result.stderr.contains("<stdin>:1: error: line 1 of the input is not what git sends a pre-push hook"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)

        // Well formed, but naming an object that is not here: not something git sends, and no pass.
        let missing = String(repeating: "ab", count: 20), zero = String(repeating: "0", count: 40)
        let ghost = try run(
            [GatehouseCLI.executable, "hook", "pre-push", "origin", "url"], in: fixture.clone.path, environment: environment,
            stdin: Array("refs/heads/main \(missing) refs/heads/main \(zero)\n".utf8))
        #expect(ghost.status == 2, "\(ghost.stderr)")
        #expect(ghost.stderr.contains("the pushed object \(missing) of refs/heads/main does not exist in this repository"), "\(ghost.stderr)")
    }

    /// libgit2 1.5 cannot read SHA-256 repositories: the hook must stop with a clear message rather
    /// than pass or crash, and the real `git push` shows it.
    @Test func aSHA256RepositoryIsRefusedClearly() throws {
        let probe = try TestRepository(name: "probe", initArguments: ["--object-format=sha256"])
        let remote = try TestRepository(name: "remote.git", initArguments: ["--bare", "--object-format=sha256"])
        try probe.write("a.txt", "a\n")
        try probe.commit("first")
        let head = try probe.revParse("HEAD")
        #expect(head.count == 64)
        // The hook as `gatehouse hook install` writes it, copied from a SHA-1 clone (install cannot open this one).
        let sha1 = try PushFixture()
        try probe.write(".githooks/pre-push", String(decoding: FileManager.default.contents(atPath: sha1.clone.path + "/.githooks/pre-push")!, as: UTF8.self))
        #expect(chmod(probe.path + "/.githooks/pre-push", 0o755) == 0)
        try probe.git(["config", "core.hooksPath", ".githooks"])
        try probe.git(["remote", "add", "origin", remote.path])
        var environment = TestRepository.gitEnvironment
        environment["GATEHOUSE"] = GatehouseCLI.executable
        if let profile = ProcessInfo.processInfo.environment["LLVM_PROFILE_FILE"] { environment["LLVM_PROFILE_FILE"] = profile }
        let pushed = try run(["git", "push", "origin", "main"], in: probe.path, environment: environment)
        #expect(pushed.status != 0)
        #expect(pushed.stderr.contains("uses SHA-256 object names"), "\(pushed.stderr)")
        #expect(pushed.stderr.contains("git push --no-verify"))
        let install = try GatehouseCLI.run(["hook", "install"], in: probe.path)
        #expect(install.status == 2 && install.stderr.contains("SHA-256"))
    }
}
