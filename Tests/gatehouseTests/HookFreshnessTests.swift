import Foundation
import GatehouseTestSupport
import Testing

/// The order people work in: edit, run the tests (which write the report), commit, push. A report
/// judges the push when it measured exactly the pushed commit, whatever the commit's date.
@Suite("gatehouse hook: report freshness by content, with the real git push")
struct HookFreshnessTests {
    /// A report that ran none of bad.py's new lines, then one whose tests cover them.
    func writeReport(_ fixture: PushFixture, covering: Bool) throws {
        let hit = covering ? 1 : 0
        try fixture.clone.write("lcov.info", "TN:\nSF:src/bad.py\nDA:1,1\nDA:2,1\nDA:3,\(hit)\nDA:4,\(hit)\nend_of_record\n")
    }

    @Test func editTestCommitPushIsGatedAndPassesOnceCovered() throws {
        let fixture = try PushFixture()
        let clone = fixture.clone
        try clone.git(["checkout", "-q", "-b", "feature", "main"])
        try clone.write("src/bad.py", "c = 1\nd = 2\ne = 3\nf = 4\n")
        try writeReport(fixture, covering: false)  // the tests ran on the edit
        try clone.commit("feature")                 // then the commit, newer than the report
        let blocked = try fixture.push(["origin", "feature"])
        #expect(blocked.status == 1, "\(blocked.stderr)")
        #expect(blocked.stderr.contains("FAIL coverage.changed_lines: 0% of 2 changed lines covered"), "\(blocked.stderr)")
        #expect(blocked.stderr.contains("src/bad.py: not covered 3-4"))

        // Amending the message touches no file: the report still speaks for the commit.
        try clone.git(["commit", "-q", "--amend", "-m", "feature, reworded"])
        let amended = try fixture.push(["origin", "feature"])
        #expect(amended.status == 1, "\(amended.stderr)")
        #expect(amended.stderr.contains("FAIL coverage.changed_lines: 0% of 2 changed lines covered"), "\(amended.stderr)")

        // A test for the new lines, the tests again, a commit: the push goes through.
        try clone.write("tests/test_bad.py", "import bad\n")
        try writeReport(fixture, covering: true)
        try clone.commit("test the feature")
        let passed = try fixture.push(["origin", "feature"])
        #expect(passed.status == 0, "\(passed.stderr)")
        #expect(passed.stderr.contains("3 gates passed, 100% of 2 changed lines covered"), "\(passed.stderr)")
        #expect(try fixture.remoteBranches().contains("feature"))
    }

    @Test func commitThenTestThenPushIsGatedToo() throws {
        let fixture = try PushFixture()
        try fixture.branch("feature", appendingTo: "src/bad.py")
        try writeReport(fixture, covering: false)
        let blocked = try fixture.push(["origin", "feature"])
        #expect(blocked.status == 1, "\(blocked.stderr)")
        #expect(blocked.stderr.contains("FAIL coverage.changed_lines: 0% of 2 changed lines covered"), "\(blocked.stderr)")
    }

    @Test func anEditAfterTheTestsMakesTheReportStaleAndNamesTheFile() throws {
        let fixture = try PushFixture()
        let clone = fixture.clone
        try clone.git(["checkout", "-q", "-b", "feature", "main"])
        try clone.write("src/bad.py", "c = 1\nd = 2\ne = 3\nf = 4\n")
        try writeReport(fixture, covering: true)
        // A second edit after the tests, committed: the report measured the first version.
        try setModified(fixture.clone.path + "/lcov.info", secondsAgo: 60)
        try clone.write("src/good.py", "a = 1\nb = 2\nuntested = 3\n")
        try clone.commit("feature")
        let pushed = try fixture.push(["origin", "feature"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(pushed.stderr.contains("SKIP coverage.reports: stale: src/good.py was modified after the coverage report lcov.info was written; rerun the step that writes it, then try again."), "\(pushed.stderr)")
        #expect(!pushed.stderr.contains("coverage.changed_lines"), "a stale report judges no line")
        #expect(pushed.stderr.contains("gatehouse: no gate failed"))

        // A team that would rather wait for a fresh report blocks instead, once the setting is
        // what the remote has: a push is judged by the rules it is pushed onto.
        try clone.write("rules/gatehouse.yml", "base: main\ncoverage:\n  reports: [lcov.info]\n  changed_lines: 80\nhook:\n  stale: fail\n")
        try clone.commit("block on stale reports")
        let first = try fixture.push(["origin", "feature"])
        #expect(first.status == 0, "the setting does not judge the push that brings it: \(first.stderr)")
        #expect(first.stderr.contains("WARN rules.changes: this change edits 1 of the rules that judge changes"), "\(first.stderr)")
        #expect(first.stderr.contains("rules/gatehouse.yml: this change sets hook.stale to fail"), "\(first.stderr)")
        try clone.write("src/good.py", "a = 1\nb = 2\nuntested = 3\nagain = 4\n")
        try clone.commit("more")
        let strict = try fixture.push(["origin", "feature"])
        #expect(strict.status == 1, "\(strict.stderr)")
        #expect(strict.stderr.contains("FAIL coverage.reports: stale: src/good.py was modified after the coverage report lcov.info was written"), "\(strict.stderr)")
    }

    /// A newcomer installs the hook before committing it: the hook file is untracked, but it is
    /// not code a report measured, so the first push is judged on the report, not skipped.
    @Test func theUncommittedHookFileDoesNotMakeTheReportStale() throws {
        let fixture = try PushFixture(installHook: false)
        let clone = fixture.clone
        try clone.git(["checkout", "-q", "-b", "feature", "main"])
        try clone.write("src/bad.py", "c = 1\nd = 2\ne = 3\nf = 4\n")
        try clone.git(["commit", "-q", "-am", "feature"])
        let install = try GatehouseCLI.run(["hook", "install"], in: clone.path)
        try #require(install.status == 0, "\(install.stderr)")
        try writeReport(fixture, covering: false)
        let status = try fixture.clone.gitOutput(["status", "--porcelain", "--", ".githooks"])
        #expect(status.contains("?? .githooks/"), "the hook is untracked: \(status)")
        let pushed = try fixture.push(["origin", "feature"])
        #expect(pushed.status == 1, "\(pushed.stderr)")
        #expect(!pushed.stderr.contains("stale"), "\(pushed.stderr)")
        #expect(pushed.stderr.contains("FAIL coverage.changed_lines: 0% of 2 changed lines covered"), "\(pushed.stderr)")
    }

    /// After committing, an untracked test raises the measured coverage of the work tree; the
    /// pushed commit does not have it.
    @Test func anUntrackedFileTheReportMayHaveMeasuredMakesItStale() throws {
        let fixture = try PushFixture()
        try fixture.branch("feature", appendingTo: "src/bad.py")
        try fixture.clone.write("tests/test_bad.py", "import bad\n")
        try writeReport(fixture, covering: true)
        let pushed = try fixture.push(["origin", "feature"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(pushed.stderr.contains("SKIP coverage.reports: stale: tests/test_bad.py is not in the pushed commit (untracked, not ignored)"), "\(pushed.stderr)")

        // Ignored files are not the project's code: a cache the tests wrote does not count.
        try FileManager.default.removeItem(atPath: fixture.clone.path + "/tests/test_bad.py")
        try fixture.branch("second", appendingTo: "src/bad.py")
        try fixture.clone.write(".pytest_cache/v/cache/lastfailed", "{}\n")
        try fixture.clone.write(".git/info/exclude", ".pytest_cache/\n")
        try writeReport(fixture, covering: false)
        let ignored = try fixture.push(["origin", "second"])
        #expect(ignored.status == 1, "\(ignored.stderr)")
        #expect(ignored.stderr.contains("FAIL coverage.changed_lines: 0% of 2 changed lines covered"), "\(ignored.stderr)")
    }

    /// pyflakes, as a newcomer found it: its .gitignore has no `.coverage`, and pytest-cov leaves
    /// one (and bytecode) beside coverage.xml. Neither is code the report measured.
    @Test func whatTheTestRunLeftBesideTheReportDoesNotMakeItStale() throws {
        let fixture = try PushFixture()
        try fixture.branch("feature", appendingTo: "src/bad.py")
        try fixture.clone.write(".coverage", "SQLite format 3\0")
        try fixture.clone.write("src/__pycache__/bad.cpython-311.pyc", "\u{1}")
        try fixture.clone.write("htmlcov/index.html", "<html></html>\n")
        try writeReport(fixture, covering: false)
        try fixture.clone.write(".coverage", "SQLite format 3\0, combined after the report")
        let pushed = try fixture.push(["origin", "feature"])
        #expect(pushed.status == 1, "\(pushed.stderr)")
        #expect(pushed.stderr.contains("FAIL coverage.changed_lines: 0% of 2 changed lines covered"), "\(pushed.stderr)")
    }

    /// Rebasing onto upstream work rewrites the files it changes: the tests must run again.
    @Test func aRebaseThatChangesFilesMakesTheReportStaleAndANoOpRebaseDoesNot() throws {
        let fixture = try PushFixture()
        try fixture.branch("feature", appendingTo: "src/bad.py")
        try writeReport(fixture, covering: false)
        let noOp = try run(["git", "rebase", "-q", "main"], in: fixture.clone.path, environment: TestRepository.gitEnvironment)
        #expect(noOp.status == 0, "\(noOp.stderr)")
        let same = try fixture.push(["origin", "feature"])
        #expect(same.status == 1, "\(same.stderr)")
        #expect(same.stderr.contains("FAIL coverage.changed_lines"), "\(same.stderr)")

        try HookCommandTests().upstreamCommit(fixture, file: "src/upstream.py")
        try setModified(fixture.clone.path + "/lcov.info", secondsAgo: 60)
        let rebased = try run(["git", "rebase", "-q", "origin/main"], in: fixture.clone.path, environment: TestRepository.gitEnvironment)
        #expect(rebased.status == 0, "\(rebased.stderr)")
        let pushed = try fixture.push(["--force", "origin", "feature"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(pushed.stderr.contains("SKIP coverage.reports: stale: "), "\(pushed.stderr)")
        #expect(pushed.stderr.contains("was modified after the coverage report lcov.info was written"), "\(pushed.stderr)")
    }

    func setModified(_ path: String, secondsAgo: TimeInterval) throws {
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-secondsAgo)], ofItemAtPath: path)
    }
}

/// README's "Use it in your repository", as a newcomer follows it on a Python project: the
/// push at the end is gated on changed-line coverage without editing rules/gatehouse.yml.
@Suite("gatehouse init: gates from the first push")
struct InitGatesFirstPushTests {
    @Test func initThenHookInstallGatesTheFirstPush() throws {
        let (remote, clone) = try PushFixture.emptyRemoteAndClone()
        try clone.write("src/app.py", "def add(a, b):\n    return a + b\n")
        try clone.write("tests/test_app.py", "from app import add\n\ndef test_add():\n    assert add(1, 2) == 3\n")
        try clone.write(".gitignore", ".coverage\ncoverage.xml\nruff.sarif\n")
        try clone.commit("code")

        let initialised = try GatehouseCLI.run(["init"], in: clone.path)
        #expect(initialised.status == 0, "\(initialised.stderr)")
        #expect(initialised.output.contains("  coverage: at least 90% of the lines a change adds must run, from\n    coverage.xml, written by: pytest --cov --cov-report=xml"), "\(initialised.output)")
        #expect(initialised.output.contains("    ruff.sarif, written by: ruff check --output-format sarif --output-file ruff.sarif"), "\(initialised.output)")
        let installed = try GatehouseCLI.run(["hook", "install"], in: clone.path)
        #expect(installed.status == 0, "\(installed.stderr)")
        try clone.commit("gatehouse rules and hook")
        let environment = PushFixture.pushEnvironment()
        let first = try run(["git", "push", "-u", "origin", "main"], in: clone.path, environment: environment)
        #expect(first.status == 0, "\(first.stderr)")

        // Edit, run the tests (coverage.py's XML: the new lines did not run), commit, push.
        try clone.git(["checkout", "-q", "-b", "feature"])
        try clone.write("src/app.py", "def add(a, b):\n    return a + b\n\ndef sub(a, b):\n    return a - b\n")
        try clone.write("coverage.xml", """
            <?xml version="1.0" ?>
            <coverage version="7.4.0" timestamp="1" lines-valid="4" lines-covered="2" line-rate="0.5" branches-covered="0" branches-valid="0" branch-rate="0" complexity="0">
            \t<sources><source>\(clone.path)</source></sources>
            \t<packages><package name="src" line-rate="0.5" branch-rate="0" complexity="0"><classes>
            \t\t<class name="app.py" filename="src/app.py" complexity="0" line-rate="0.5" branch-rate="0"><methods/><lines>
            \t\t\t<line number="1" hits="1"/><line number="2" hits="1"/><line number="4" hits="1"/><line number="5" hits="0"/>
            \t\t</lines></class>
            \t</classes></package></packages>
            </coverage>

            """)
        try clone.commit("sub")
        let pushed = try run(["git", "push", "origin", "feature"], in: clone.path, environment: environment)
        #expect(pushed.status == 1, "\(pushed.stderr)")
        #expect(pushed.stderr.contains("FAIL coverage.changed_lines: 50% of 2 changed lines covered (1 covered, 1 not); the minimum is 90%."), "\(pushed.stderr)")
        #expect(pushed.stderr.contains("src/app.py: not covered 5"))
        #expect(pushed.stderr.contains("SKIP lint: no lint report yet (ruff.sarif); CI runs this gate."), "\(pushed.stderr)")
    }
}

@Suite("gatehouse hook: says when it gates nothing but CODEOWNERS")
struct HookWithoutQualityGatesTests {
    @Test func aHookWithoutCoverageOrLintSaysSoInOneLine() throws {
        let fixture = try PushFixture()
        try fixture.landOnMain(["rules/gatehouse.yml": "base: main\n"])
        try fixture.clone.git(["checkout", "-q", "-b", "plain", "main"])
        try fixture.clone.write("src/good.py", "a = 2\n")
        try fixture.clone.commit("a change under no quality gate")
        let pushed = try fixture.push(["origin", "plain"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        let lines = pushed.stderr.split(separator: "\n").filter { $0.contains("no coverage or lint gate") }
        #expect(lines.count == 1 && lines[0].hasPrefix("gatehouse: no coverage or lint gate is configured in rules/gatehouse.yml at the base (")
            && lines[0].hasSuffix("), so this push is checked for ownership rules only; gatehouse init writes them."), "\(pushed.stderr)")

        // Leaving them to CI on purpose is not nagged about (once the remote has the setting).
        try fixture.landOnMain(["rules/gatehouse.yml": "base: main\nhook:\n  gates: [owners]\n"])
        try fixture.clone.git(["checkout", "-q", "-b", "plain2", "main"])
        try fixture.clone.write("src/good.py", "a = 1\n")
        try fixture.clone.commit("owners only, on purpose")
        let quiet = try fixture.push(["origin", "plain2"])
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(!quiet.stderr.contains("no coverage or lint gate"), "\(quiet.stderr)")
    }
}

/// Teams that already run pre-commit, lefthook or husky keep them: install says what to add.
@Suite("gatehouse hook install: alongside hook managers")
struct HookManagerTests {
    @Test(arguments: [
        (".pre-commit-config.yaml", "pre-commit", "entry: gatehouse hook pre-push --from-pre-commit"),
        ("lefthook.yml", "lefthook", "run: gatehouse hook pre-push {1} {2}\n      use_stdin: true"),
        (".husky/pre-commit", "husky", "gatehouse hook pre-push \"$@\""),
    ])
    func installPrintsTheManagersSnippetAndChangesNothing(_ file: String, _ manager: String, _ snippet: String) throws {
        let repo = try TestRepository()
        try repo.write(file, "# the team's hooks\n")
        try repo.commit("hooks")
        let result = try GatehouseCLI.run(["hook", "install"], in: repo.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("runs its hooks through \(manager) ("), "\(result.stderr)")
        #expect(result.stderr.contains(snippet), "\(result.stderr)")
        #expect(try repo.git(["config", "--get", "core.hooksPath"], allowFailure: true).status != 0, "core.hooksPath is left alone")
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/.githooks"))
    }

    /// husky's hook files are shell scripts git's arguments and stdin reach: the snippet's line in
    /// one gates the push.
    @Test func theHuskyLineGatesAPush() throws {
        let fixture = try PushFixture(installHook: false)
        try fixture.clone.write(".husky/pre-push", "#!/bin/sh\n" + "gatehouse hook pre-push \"$@\"\n")
        #expect(chmod(fixture.clone.path + "/.husky/pre-push", 0o755) == 0)
        try fixture.clone.git(["config", "core.hooksPath", ".husky"])
        try fixture.branch("feature", appendingTo: "src/bad.py")
        try fixture.writeReport()
        let environment = PushFixture.pushEnvironment()
        let pushed = try run(["git", "push", "origin", "feature"], in: fixture.clone.path, environment: environment)
        #expect(pushed.status == 1, "\(pushed.stderr)")
        #expect(pushed.stderr.contains("FAIL coverage.changed_lines: 0% of 2 changed lines covered"), "\(pushed.stderr)")
    }
}

@Suite("gatehouse hook: what a refused push shows")
struct HookRefusalOutputTests {
    @Test func atMostTenLinesThenACountAndTheCommandThatShowsTheRest() throws {
        let fixture = try PushFixture()
        let clone = fixture.clone
        try clone.git(["checkout", "-q", "-b", "wide", "main"])
        var report = ""
        for index in 1...12 {
            try clone.write("src/m\(index).py", "x = \(index)\n")
            report += "SF:src/m\(index).py\nDA:1,0\nend_of_record\n"
        }
        try clone.write("lcov.info", report)
        try clone.commit("twelve modules")
        let pushed = try fixture.push(["origin", "wide"])
        #expect(pushed.status == 1, "\(pushed.stderr)")
        let uncovered = pushed.stderr.split(separator: "\n").filter { $0.hasSuffix(": not covered 1") }
        #expect(uncovered.count == 10, "\(pushed.stderr)")
        #expect(pushed.stderr.contains("      ... and 2 more\n"), "\(pushed.stderr)")
        let command = try #require(pushed.stderr.split(separator: "\n").first { $0.hasPrefix("  all of it: ") }, "\(pushed.stderr)")
        let arguments = command.dropFirst("  all of it: gatehouse ".count).split(separator: " ").map(String.init)
        #expect(arguments.count == 3 && arguments[0] == "check" && arguments[1] == "--base" && arguments[2].count == 12, "\(command)")

        // The command it names shows every line.
        let all = try GatehouseCLI.run(arguments, in: clone.path)
        #expect(all.status == 1)
        #expect(all.output.split(separator: "\n").filter { $0.hasSuffix(": not covered 1") }.count == 12, "\(all.output)")
    }
}

@Suite("gatehouse hook uninstall: never deletes a tracked file")
struct HookUninstallTests {
    /// README says to commit .githooks/pre-push; uninstalling in one clone must not delete the
    /// team's copy (git status would show it deleted), only stop git running it here.
    @Test func aCommittedHookStaysAndCoreHooksPathIsUnset() throws {
        let fixture = try PushFixture()
        let clone = fixture.clone
        #expect(try clone.gitOutput(["ls-files", ".githooks/pre-push"]).contains(".githooks/pre-push"), "the fixture commits the hook")
        let removed = try GatehouseCLI.run(["hook", "uninstall"], in: clone.path)
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.output == "gatehouse: left .githooks/pre-push in place: it is tracked, the team's copy; unset core.hooksPath.\n", "\(removed.output)")
        #expect(FileManager.default.fileExists(atPath: clone.path + "/.githooks/pre-push"))
        #expect(try clone.gitOutput(["status", "--porcelain"]).isEmpty)
        #expect(try clone.git(["config", "--get", "core.hooksPath"], allowFailure: true).status != 0)

        // The hook no longer runs here: an uncovered push goes through.
        try fixture.branch("bad", appendingTo: "src/bad.py")
        try fixture.writeReport()
        let pushed = try fixture.push(["origin", "bad"])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(!pushed.stderr.contains("gatehouse:"))
        // And install turns it back on.
        #expect(try GatehouseCLI.run(["hook", "install"], in: clone.path).status == 0)
        #expect(try clone.gitOutput(["config", "core.hooksPath"]).trimmingCharacters(in: .whitespacesAndNewlines) == ".githooks")
    }
}
