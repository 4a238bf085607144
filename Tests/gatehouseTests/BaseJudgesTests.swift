import Foundation
import GatehouseTestSupport
import Testing

/// The base judges the change (issue 14): nothing a change edits (thresholds, gates, which
/// CODEOWNERS and how it is read, teams, checklists) can weaken what judges it, through `check`
/// or the pre-push hook. Each test is an attack that passed before.
@Suite("the base judges the change")
struct BaseJudgesTests {
    let config = """
        base: main
        coverage:
          reports: ["coverage/lcov.info"]
          changed_lines: 80
          total: 70
        """

    /// The shared fixture: main holds the rules; feature adds code whose changed lines are 63.6% covered.
    func repository() throws -> TestRepository {
        let repo = try coverageRepository(config: config)
        try repo.write("coverage/lcov.info", lcov())
        return repo
    }

    @Test func aChangeCannotLowerItsOwnThreshold() throws {
        let repo = try repository()
        try repo.write("rules/gatehouse.yml", config.replacingOccurrences(of: "changed_lines: 80", with: "changed_lines: 0"))
        try repo.commit("lower the bar")
        let result = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("FAIL coverage.changed_lines: 63.6% of 11 changed lines covered (7 covered, 4 not); the minimum is 80%."), "\(result.output)")
        #expect(result.output.contains("WARN rules.changes: this change edits 1 of the rules that judge changes; they take effect once it is merged"), "\(result.output)")
        #expect(result.output.contains("rules/gatehouse.yml: this change lowers coverage.changed_lines from 80 to 0"), "\(result.output)")
        #expect(result.output.contains("the rules' owners must review this: @team"), "\(result.output)")

        // Deleting the configuration does not switch the gates off either.
        try repo.git(["rm", "-q", "rules/gatehouse.yml"])
        try repo.commit("no configuration at all")
        let deleted = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(deleted.status == 1, "\(deleted.output)")
        #expect(deleted.output.contains("FAIL coverage.changed_lines: 63.6%"), "\(deleted.output)")
        #expect(deleted.output.contains("this change deletes rules/gatehouse.yml"), "\(deleted.output)")

        // A local experiment may judge by the work tree's rules, and says so.
        let experiment = try GatehouseCLI.run(["check", "--rules-from", "worktree"], in: repo.path)
        #expect(experiment.output.contains("WARN rules.source: judged by the work tree's rules (--rules-from worktree) instead of the base's: a local experiment."), "\(experiment.output)")
        #expect(experiment.status == 0 && !experiment.output.contains("FAIL coverage"), "no configuration in the work tree: no coverage gate: \(experiment.output)")
    }

    /// A change that leaves the configuration unreadable is judged, not refused: every check
    /// would stop once it is merged, so its rules.changes gate fails and says why.
    @Test func aChangeThatBreaksTheConfigurationFailsItsRulesGate() throws {
        let repo = try repository()
        try repo.write("rules/gatehouse.yml", "coverage:\n  changed_lines: [\n")
        try repo.commit("break it")
        let result = try GatehouseCLI.run(["check", "--base", "main"], in: repo.path)
        #expect(result.status == 1, "\(result.output)\(result.stderr)")
        #expect(result.output.contains("FAIL rules.changes: this change leaves rules/gatehouse.yml unreadable, so every check would stop once it is merged."), "\(result.output)")
        #expect(result.output.contains("rules/gatehouse.yml as this change leaves it does not parse: rules/gatehouse.yml:"), "\(result.output)")
        #expect(result.output.contains("FAIL coverage.changed_lines: 63.6%"), "the base's gates still judge: \(result.output)")
        // Without --base or CI, the work tree's `base:` is needed, and the file is bad input.
        let local = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(local.status == 2, "\(local.output)")
        #expect(local.stderr.contains("rules/gatehouse.yml:"), "\(local.stderr)")
    }

    @Test func uncommittedEditsToTheRulesDoNotJudgeTheWorkTree() throws {
        let repo = try repository()
        try repo.write("src/calc.py", lines(10, "x =") + "w = 11\n")
        try repo.write("rules/gatehouse.yml", config.replacingOccurrences(of: "changed_lines: 80", with: "changed_lines: 0"))
        // The tests ran after the last edit.
        try repo.write("coverage/lcov.info", "SF:src/calc.py\n" + (1...11).map { "DA:\($0),\($0 == 11 ? 0 : 1)\n" }.joined() + "end_of_record\n")
        let result = try GatehouseCLI.run(["check", "--worktree", "--coverage", repo.path + "/coverage/lcov.info"], in: repo.path)
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("FAIL coverage.changed_lines: 66.6% of 3 changed lines covered (2 covered, 1 not); the minimum is 80%."), "HEAD's rules judge local work: \(result.output)")
        #expect(result.output.contains("this change lowers coverage.changed_lines from 80 to 0"), "\(result.output)")
    }

    @Test func aChangeCannotRedirectOrReinterpretItsCodeOwners() throws {
        let repo = try TestRepository()
        try repo.write("rules/CODEOWNERS", "* @owners\n/src/ @org/core\n")
        try repo.write("src/a.py", "a = 1\n")
        try repo.commit("base")
        try repo.git(["checkout", "-q", "-b", "feature"])
        // Its own rules file, named by owners.file, and GitLab's reading of /src/.
        try repo.write("rules/MINE", "* @attacker\n")
        try repo.write("rules/gatehouse.yml", "owners:\n  file: rules/MINE\n  dialect: gitlab\n")
        try repo.write("src/a.py", "a = 2\n")
        try repo.commit("take over")
        let owners = try GatehouseCLI.run(["owners", "--base", "main"], in: repo.path)
        #expect(owners.status == 0, "\(owners.stderr)")
        #expect(owners.output.contains("src/a.py  @org/core\n"), "\(owners.output)")
        #expect(!owners.output.contains("@attacker"), "\(owners.output)")
        let reviewers = try GatehouseCLI.run(["reviewers", "--base", "main", "--format", "json"], in: repo.path)
        #expect(reviewers.output.contains("@org/core") && !reviewers.output.contains("@attacker"), "\(reviewers.output)")
        let check = try GatehouseCLI.run(["check", "--base", "main"], in: repo.path)
        #expect(check.output.contains("this change sets owners.file to rules/MINE"), "\(check.output)")
        #expect(check.output.contains("this change sets owners.dialect to gitlab"), "\(check.output)")
        #expect(check.output.contains("the rules' owners must review this: @owners"), "\(check.output)")
    }

    @Test func aChangeCannotDropItsOwnChecklist() throws {
        let repo = try TestRepository()
        try repo.write("rules/checklists/security.md", "---\ntitle: Security\npaths: [\"src/**\"]\nrequired: true\n---\n- [ ] Inputs are validated.\n")
        try repo.write("src/a.py", "a = 1\n")
        try repo.commit("base")
        try repo.git(["checkout", "-q", "-b", "feature"])
        try repo.git(["rm", "-q", "rules/checklists/security.md"])
        try repo.write("src/a.py", "a = 2\n")
        try repo.commit("no more checklist")
        let shown = try GatehouseCLI.run(["checklist", "--base", "main", "--format", "text"], in: repo.path)
        #expect(shown.output.contains("Security (required"), "\(shown.output)\(shown.stderr)")
        let verify = try runGatehouse(["checklist", "verify", "--base", "main", "--body", "-"], in: repo.path, stdin: "nothing ticked\n")
        #expect(verify.status == 1, "\(verify.output)\(verify.stderr)")

        // A checklist the change leaves unreadable would stop `checklist` once merged: it fails.
        try repo.write("rules/checklists/docs.md", "---\ntitle: Docs\nnot_a_key: 1\n---\n- [ ] Links work.\n")
        try repo.commit("a broken checklist")
        let check = try GatehouseCLI.run(["check", "--base", "main"], in: repo.path)
        #expect(check.status == 1, "\(check.output)")
        #expect(check.output.contains("FAIL rules.changes: this change leaves rules/checklists/docs.md unreadable"), "\(check.output)")
        #expect(check.output.contains("this change deletes rules/checklists/security.md"), "\(check.output)")
    }

    @Test func theChangeThatAdoptsGatehouseIsJudgedByItsOwnRulesAndSaysSo() throws {
        let repo = try TestRepository()
        try repo.write("src/calc.py", lines(10, "x ="))
        try repo.commit("before gatehouse")
        try repo.git(["checkout", "-q", "-b", "adopt"])
        try repo.write("rules/gatehouse.yml", config)
        try repo.write("src/calc.py", lines(14, "x ="))
        try repo.commit("adopt gatehouse")
        try repo.write("coverage/lcov.info", "SF:src/calc.py\n" + (1...14).map { "DA:\($0),\($0 > 12 ? 0 : 1)\n" }.joined() + "end_of_record\n")
        let result = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("WARN rules.source: the base ("), "\(result.output)")
        #expect(result.output.contains("has no rules yet, so this change, which adopts Gatehouse, is judged by its own rules"), "\(result.output)")
        #expect(result.output.contains("FAIL coverage.changed_lines: 50% of 4 changed lines covered"), "\(result.output)")
    }

    @Test func configBaseMayNotNameTheCheckout() throws {
        for base in ["HEAD", "\"@\"", "HEAD~1", "head", "main@{1}"] {
            let repo = try TestRepository()
            try repo.write("rules/gatehouse.yml", "base: \(base)\n")
            try repo.commit("base")
            let result = try GatehouseCLI.run(["check"], in: repo.path)
            #expect(result.status == 2, "\(base): \(result.output)")
            #expect(result.stderr.contains("rules/gatehouse.yml:1:"), "\(base): \(result.stderr)")
            #expect(result.stderr.contains("so every change would be measured against itself and be empty"), "\(base): \(result.stderr)")
        }
    }

    /// A bare repository (a CI mirror, a server-side check) has no work tree: the committed
    /// thresholds still judge.
    @Test func aBareRepositoryIsJudgedByTheCommittedThresholds() throws {
        let repo = try repository()
        let bare = repo.parentFolder + "/bare.git"
        _ = try run(["git", "clone", "-q", "--bare", repo.path, bare], in: repo.parentFolder, environment: TestRepository.gitEnvironment)
        let result = try GatehouseCLI.run(
            ["check", "--base", "main", "--head", "feature", "--coverage", repo.path + "/coverage/lcov.info"], in: bare)
        #expect(result.status == 1, "\(result.output)\(result.stderr)")
        #expect(result.output.contains("FAIL coverage.changed_lines: 63.6% of 11 changed lines covered (7 covered, 4 not); the minimum is 80%."), "\(result.output)")
    }

    /// The base's configuration is what CI will apply; when it does not parse, the message says
    /// where, and how to judge the fix meanwhile.
    @Test func aBrokenBaseConfigurationNamesTheBaseAndTheWayOut() throws {
        let repo = try repository()
        try repo.commitOnBranch("main", ["rules/gatehouse.yml": "coverage:\n  changed_lines: lots\n"])
        let result = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("rules/gatehouse.yml:2:"), "\(result.stderr)")
        #expect(result.stderr.contains("This is the base's version"), "\(result.stderr)")
        #expect(result.stderr.contains("--rules-from head"), "\(result.stderr)")
        #expect(result.output.isEmpty)
    }
}

/// Replayed from hugo's history (gohugoio/hugo fd41e70cf added CODEOWNERS, a8080c084 removed it):
/// checking an older range from a later checkout must judge the range's own rules, not the work
/// tree's, and a change that removes the rules needs their owners.
@Suite("replay: hugo's CODEOWNERS, added then removed")
struct HugoCodeownersReplayTests {
    static let codeowners = """
        # See https://github.com/blog/2392-introducing-code-owners

        # These owners will be the default owners for everything in the repo.
        *				@bep

        tpl/*			@moorereason @bep
        docs/*			@digitalcraftsman
        snapcraft.yaml	@anthonyfok
        Dockerfile		@anthonyfok
        i18n/* 			@bogem

        """

    @Test func eachRangeIsJudgedByItsOwnSides() throws {
        let repo = try TestRepository()
        try repo.write("tpl/template.go", "package tpl\n")
        try repo.write("docs/index.md", "# Hugo\n")
        let before = try repo.commit("before code owners")
        try repo.write("CODEOWNERS", Self.codeowners)
        let added = try repo.commit("Add first draft of CODEOWNERS")
        try repo.remove("CODEOWNERS")
        let removed = try repo.commit("Remove CODEOWNERS")

        // The work tree has no CODEOWNERS any more; the range that adds it is checked on its head.
        let adding = try GatehouseCLI.run(["check", "--base", before, "--head", added], in: repo.path)
        #expect(adding.status == 0, "\(adding.output)\(adding.stderr)")
        #expect(adding.output.contains("PASS owners.rules: CODEOWNERS: 0 errors"), "\(adding.output)")
        #expect(adding.output.contains("has no rules yet, so this change, which adopts Gatehouse, is judged by its own rules"), "\(adding.output)")
        #expect(adding.output.contains("add a rule such as '/CODEOWNERS @your-team'"), "\(adding.output)")

        let removing = try GatehouseCLI.run(["check", "--base", added, "--head", removed], in: repo.path)
        #expect(removing.output.contains("this change deletes CODEOWNERS (+0 -10)"), "\(removing.output)")
        #expect(removing.output.contains("the rules' owners must review this: @bep"), "\(removing.output)")
        let owners = try GatehouseCLI.run(["owners", "--base", added, "--head", removed], in: repo.path)
        #expect(owners.output.hasPrefix("CODEOWNERS  @bep\n"), "\(owners.output)")
    }
}

/// The pre-push hook: a pushed commit is judged by what the remote already has.
@Suite("the base judges a push")
struct BaseJudgesPushTests {
    @Test func aPushCarryingALowerThresholdIsStillRefused() throws {
        let fixture = try PushFixture()
        let clone = fixture.clone
        try clone.git(["checkout", "-q", "-b", "sneaky", "main"])
        try clone.write("rules/gatehouse.yml", "base: main\ncoverage:\n  reports: [lcov.info]\n  changed_lines: 0\nhook:\n  gates: [owners]\n")
        try clone.write("src/bad.py", "c = 1\nd = 2\ne = 3\nf = 4\n")
        try clone.commit("lower the bar and switch the gate off")
        try clone.write("lcov.info", "SF:src/bad.py\nDA:1,1\nDA:2,1\nDA:3,0\nDA:4,0\nend_of_record\n")
        let pushed = try fixture.push(["origin", "sneaky"])
        #expect(pushed.status == 1, "\(pushed.stderr)")
        #expect(pushed.stderr.contains("FAIL coverage.changed_lines: 0% of 2 changed lines covered"), "\(pushed.stderr)")
        #expect(pushed.stderr.contains("this change lowers coverage.changed_lines from 80 to 0"), "\(pushed.stderr)")
        #expect(pushed.stderr.contains("this change sets hook.gates to [owners]"), "\(pushed.stderr)")
        #expect(try fixture.remoteBranches() == ["main"])
    }

    @Test func aPushThatBreaksTheConfigurationIsRefusedWithTheReason() throws {
        let fixture = try PushFixture()
        let clone = fixture.clone
        try clone.git(["checkout", "-q", "-b", "broken", "main"])
        try clone.write("rules/gatehouse.yml", "coverage: [unclosed\n")
        try clone.commit("break the configuration")
        let pushed = try fixture.push(["origin", "broken"])
        #expect(pushed.status == 1, "\(pushed.stderr)")
        #expect(pushed.stderr.contains("FAIL rules.changes: this change leaves rules/gatehouse.yml unreadable"), "\(pushed.stderr)")
    }

    /// A committer date far in the future changes nothing about whether the report measured the
    /// pushed commit: freshness is decided by content.
    @Test func aCommitDatedInTheFutureDoesNotMakeTheReportStale() throws {
        let fixture = try PushFixture()
        let clone = fixture.clone
        try clone.git(["checkout", "-q", "-b", "future", "main"])
        try clone.write("src/bad.py", "c = 1\nd = 2\ne = 3\nf = 4\n")
        try clone.commit("from the future", author: "Ada Tester <ada@example.com>", date: "2099-01-01T00:00:00Z")
        try clone.write("lcov.info", "SF:src/bad.py\nDA:1,1\nDA:2,1\nDA:3,0\nDA:4,0\nend_of_record\n")
        let pushed = try fixture.push(["origin", "future"])
        #expect(pushed.status == 1, "\(pushed.stderr)")
        #expect(pushed.stderr.contains("FAIL coverage.changed_lines: 0% of 2 changed lines covered"), "\(pushed.stderr)")
    }
}
