import Foundation
import GatehouseTestSupport
import Testing

let preCommitAvailable = (try? run(["python3", "-m", "pre_commit", "--version"], in: "/"))?.status == 0

/// A team that runs its hooks through pre-commit: the hook this repository's
/// `.pre-commit-hooks.yaml` declares, installed with `pre-commit install --hook-type pre-push`, and
/// the real `git push`. The manifest's hook is used as it is, with `language: system` (the
/// gatehouse just built) in place of `language: swift`, which would build Gatehouse again.
@Suite("gatehouse hook: through pre-commit's pre-push stage", .enabled(if: preCommitAvailable, "needs pre-commit (pip install pre-commit)"))
struct PreCommitHookTests {
    static let manifest = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".pre-commit-hooks.yaml").path

    @Test func preCommitsPrePushStageGivesTheHooksVerdict() throws {
        let (remote, clone) = try PushFixture.emptyRemoteAndClone()
        try clone.write("rules/gatehouse.yml", "base: main\ncoverage:\n  reports: [lcov.info]\n  changed_lines: 80\n")
        try clone.write("rules/CODEOWNERS", "* @team\n")
        try clone.write(".gitignore", "lcov.info\n")
        try clone.write("src/bad.py", "c = 1\nd = 2\n")
        // The manifest's own hook, as a local one.
        let written = try run(["python3", "-c", """
            import sys, yaml
            hook = next(h for h in yaml.safe_load(open(sys.argv[1])) if h["id"] == "gatehouse")
            assert hook["stages"] == ["pre-push"] and hook["pass_filenames"] is False, hook
            hook["language"] = "system"
            yaml.safe_dump({"repos": [{"repo": "local", "hooks": [hook]}]}, open(sys.argv[2], "w"))
            """, Self.manifest, clone.path + "/.pre-commit-config.yaml"], in: clone.path)
        try #require(written.status == 0, "\(written.stderr)")
        try clone.commit("base")

        // gatehouse on PATH, as language: system finds it.
        var environment = PushFixture.pushEnvironment()
        environment["PRE_COMMIT_HOME"] = remote.parentFolder + "/pre-commit-home"
        let installed = try run(["python3", "-m", "pre_commit", "install", "--hook-type", "pre-push"], in: clone.path, environment: environment)
        try #require(installed.status == 0, "\(installed.output)\(installed.stderr)")
        let first = try run(["git", "push", "-u", "origin", "main"], in: clone.path, environment: environment)
        try #require(first.status == 0, "\(first.output)\(first.stderr)")

        // Edit, run the tests (the new lines did not run), commit, push: refused.
        try clone.git(["checkout", "-q", "-b", "feature"])
        try clone.write("src/bad.py", "c = 1\nd = 2\ne = 3\nf = 4\n")
        try clone.write("lcov.info", "SF:src/bad.py\nDA:1,1\nDA:2,1\nDA:3,0\nDA:4,0\nend_of_record\n")
        try clone.commit("feature")
        let refused = try run(["git", "push", "origin", "feature"], in: clone.path, environment: environment)
        #expect(refused.status != 0, "\(refused.output)\(refused.stderr)")
        let said = refused.output + refused.stderr
        #expect(said.contains("FAIL coverage.changed_lines: 0% of 2 changed lines covered (0 covered, 2 not); the minimum is 80%."), "\(said)")
        #expect(said.contains("src/bad.py: not covered 3-4"), "\(said)")
        #expect(try branches(remote) == ["main"])

        // The same verdict as gatehouse's own hook given git's input for that push.
        let head = try clone.gitOutput(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let zero = String(repeating: "0", count: 40)
        let direct = try run(
            [GatehouseCLI.executable, "hook", "pre-push", "origin", remote.path], in: clone.path, environment: environment,
            stdin: Array("refs/heads/feature \(head) refs/heads/feature \(zero)\n".utf8))
        #expect(direct.status == 1)
        #expect(direct.stderr.contains("FAIL coverage.changed_lines: 0% of 2 changed lines covered (0 covered, 2 not); the minimum is 80%."))

        // Tests for the new lines, the tests again, a commit: the push goes through.
        try clone.write("tests/test_bad.py", "import bad\n")
        try clone.write("lcov.info", "SF:src/bad.py\nDA:1,1\nDA:2,1\nDA:3,1\nDA:4,1\nend_of_record\n")
        try clone.commit("tests")
        let passed = try run(["git", "push", "origin", "feature"], in: clone.path, environment: environment)
        #expect(passed.status == 0, "\(passed.output)\(passed.stderr)")
        #expect(try branches(remote) == ["feature", "main"])
    }

    func branches(_ remote: TestRepository) throws -> [String] {
        try remote.gitOutput(["for-each-ref", "--format=%(refname:short)", "refs/heads"]).split(separator: "\n").map(String.init).sorted()
    }
}
