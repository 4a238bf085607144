import Foundation
import GatehouseTestSupport
import Testing

/// main has src/calc.py (10 lines); feature edits lines 3-4 and adds lines 11-14, and adds
/// src/new.py (5 lines). The LCOV report below covers some of those lines.
func coverageRepository(config: String) throws -> TestRepository {
    let repo = try TestRepository()
    try repo.write("src/calc.py", lines(10, "x ="))
    try repo.write("README.md", "# Demo\n")
    try repo.write("rules/CODEOWNERS", "* @team\n")
    // The base judges the change: its settings are committed before the change branches off.
    try repo.write("rules/gatehouse.yml", config)
    try repo.commit("base")
    try repo.git(["checkout", "-q", "-b", "feature"])
    var text = lines(10, "x =").split(separator: "\n").map(String.init)
    text[2] = "y = 3"
    text[3] = "y = 4"
    try repo.write("src/calc.py", (text + ["z = 11", "z = 12", "z = 13", "z = 14"]).joined(separator: "\n") + "\n")
    try repo.write("src/new.py", lines(5, "n ="))
    try repo.commit("feature")
    return repo
}

/// An LCOV report: calc.py lines 1-14 measured with 3, 11, 12 not run; new.py lines 1-5 with 5 not run.
func lcov(prefix: String = "") -> String {
    var out = "TN:\nSF:\(prefix)src/calc.py\n"
    for line in 1...14 { out += "DA:\(line),\([3, 11, 12].contains(line) ? 0 : 1)\n" }
    out += "LF:14\nLH:11\nend_of_record\nSF:\(prefix)src/new.py\n"
    for line in 1...5 { out += "DA:\(line),\(line == 5 ? 0 : 2)\n" }
    out += "LF:5\nLH:4\nend_of_record\n"
    return out
}

@Suite("gatehouse check")
struct CheckCommandTests {
    let config = """
        base: main
        coverage:
          reports: ["coverage/lcov.info"]
          changed_lines: 80
          total: 70
        """

    @Test func changedLineCoverageBelowTheMinimumFails() throws {
        let repo = try coverageRepository(config: config)
        try repo.write("coverage/lcov.info", lcov())
        // Changed lines: calc.py 3,4,11,12,13,14 and new.py 1-5: 11 measured, 3 + 1 = 4... not run: 3, 11, 12, 5.
        let result = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(result.status == 1, "\(result.output)\(result.stderr)")
        #expect(result.output.contains("FAIL coverage.changed_lines: 63.6% of 11 changed lines covered (7 covered, 4 not); the minimum is 80%."))
        #expect(result.output.contains("src/calc.py: not covered 3, 11-12"))
        #expect(result.output.contains("src/new.py: not covered 5"))
        #expect(result.output.contains("PASS coverage.total: 78.9% of 19 measured lines"))
        #expect(!result.output.contains("\u{1B}["), "no colour when stdout is not a terminal")

        let json = try GatehouseCLI.run(["check", "--format", "json"], in: repo.path)
        #expect(json.status == 1)
        try Golden.check(json.stdout, against: "cli-check.json")
        let markdown = try GatehouseCLI.run(["check", "--format", "markdown"], in: repo.path)
        #expect(markdown.output.hasPrefix("<!-- gatehouse -->\n"))
        try Golden.check(markdown.stdout, against: "cli-check.md")
    }

    /// One pull-request comment says everything: gates, who should review, what they must check.
    @Test func theMarkdownCommentCarriesReviewersAndTheChecklist() throws {
        let repo = try coverageRepository(config: config)
        try repo.write("coverage/lcov.info", lcov())
        // Owners, teams and checklists judge the change from its base.
        try repo.commitOnBranch("main", [
            "rules/CODEOWNERS": "* @team\n/src/ @org/python\n",
            "rules/teams.yml": "teams:\n  \"@org/python\": [\"@guido\", \"@ada\"]\npeople:\n  \"@ada\": [ada@example.com]\n",
            "rules/checklists/python.md": """
                ---
                title: Python code
                paths: ["*.py"]
                required: true
                ---
                - [ ] New functions have tests.
                - [ ] No print() left behind.

                """,
            "rules/checklists/docs.md": "---\ntitle: Documentation\npaths: [\"*.md\"]\nrequired: false\n---\n- [ ] Links work.\n",
        ])
        let markdown = try GatehouseCLI.run(["check", "--format", "markdown"], in: repo.path)
        #expect(markdown.status == 1, "\(markdown.stderr)")
        try Golden.check(markdown.stdout, against: "cli-check-review.md")
        // Advice never decides the verdict: a broken teams.yml is a warning, and the gates still report.
        try repo.commitOnBranch("main", ["rules/teams.yml": "teams: [not, a, mapping]\n"])
        let broken = try GatehouseCLI.run(["check", "--format", "markdown"], in: repo.path)
        #expect(broken.status == 1, "the gates' verdict, not exit 2: \(broken.stderr)")
        #expect(broken.stderr.contains("warning: no reviewer suggestion: rules/teams.yml:1:"), "\(broken.stderr)")
        #expect(broken.output.contains("## Review checklist") && !broken.output.contains("Suggested reviewers"))
        // Other formats are for machines and annotations: they carry neither.
        let text = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(!text.output.contains("Review checklist") && !text.output.contains("@guido"))
    }

    @Test func passingGatesExitZeroAndOutputsAreWrittenToFiles() throws {
        let repo = try coverageRepository(config: config.replacingOccurrences(of: "changed_lines: 80", with: "changed_lines: 60"))
        try repo.write("coverage/lcov.info", lcov())
        let result = try GatehouseCLI.run(
            ["check", "--output", "json=out/verdict.json", "--output", "markdown=comment.md"], in: repo.path)
        // The output folder does not exist: bad usage, and nothing half-written.
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        try FileManager.default.createDirectory(atPath: repo.path + "/out", withIntermediateDirectories: true)
        let again = try GatehouseCLI.run(
            ["check", "--output", "json=out/verdict.json", "--output", "markdown=comment.md"], in: repo.path)
        #expect(again.status == 0, "\(again.output)")
        #expect(again.output.hasSuffix("gatehouse: no gate failed (4 passed)\n"))
        let written = try #require(FileManager.default.contents(atPath: repo.path + "/out/verdict.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: written) as? [String: Any])
        #expect(object["verdict"] as? String == "pass")
        #expect(FileManager.default.fileExists(atPath: repo.path + "/comment.md"))
    }

    @Test func aMissingReportFailsOrWarnsAsConfigured() throws {
        let repo = try coverageRepository(config: config)
        let fails = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(fails.status == 1)
        #expect(fails.output.contains("FAIL coverage.reports: no file matches the configured report coverage/lcov.info"))
        // warn: the run passes, but no gate claims the change's lines were judged.
        // The base judges: the setting applies once it is on main.
        try repo.commitOnBranch("main", ["rules/gatehouse.yml": config + "\nmissing_report: warn\n"])
        let warns = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(warns.status == 0, "\(warns.output)")
        #expect(warns.output.contains("WARN coverage.reports: no file matches"))
        #expect(warns.output.contains("SKIP coverage.changed_lines: no coverage report was read, so the change's lines cannot be judged."))
        #expect(!warns.output.contains("PASS coverage.changed_lines"))
        try repo.commitOnBranch("main", ["rules/gatehouse.yml": config + "\nmissing_report: warn\ncoverage_unused: 1\n"])
        let typo = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("rules/gatehouse.yml:7:1: error: unknown key 'coverage_unused'"), "\(typo.stderr)")
    }

    @Test func noMeasuredChangedLineIsDecidedByTheSetting() throws {
        let repo = try coverageRepository(config: config + "\n  no_changed_lines: fail\n")
        try repo.write("coverage/lcov.info", "SF:src/other.py\nDA:1,1\nend_of_record\n")
        let result = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(result.status == 1)
        #expect(result.output.contains("no added line of this change is measured by the coverage reports (coverage.no_changed_lines: fail)"))
    }

    @Test func absolutePathsFromAnotherMachineMapByRewriteOrSuffix() throws {
        let repo = try coverageRepository(config: config)
        try repo.write("coverage/lcov.info", lcov(prefix: "/home/runner/work/app/app/"))
        let bySuffix = try GatehouseCLI.run(["check", "--format", "json"], in: repo.path)
        #expect(bySuffix.output.contains("\"measured\": 11"))
        try repo.commitOnBranch("main", ["rules/gatehouse.yml": config + "\n  path_rewrites: [{from: /home/runner/work/app/app/, to: \"\"}]\n"])
        let byRewrite = try GatehouseCLI.run(["check", "--format", "json"], in: repo.path)
        #expect(byRewrite.output.contains("\"measured\": 11"))
        try repo.write("coverage/lcov.info", "SF:/elsewhere/unknown.py\nDA:1,1\nend_of_record\n")
        let unmapped = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(unmapped.output.contains("/elsewhere/unknown.py matches no file of this repository"))
    }

    @Test func coverageOptionReplacesTheConfiguredReports() throws {
        let repo = try coverageRepository(config: config)
        try repo.write("elsewhere.info", lcov())
        let result = try GatehouseCLI.run(["check", "--coverage", "elsewhere.info"], in: repo.path)
        #expect(result.output.contains("63.6% of 11 changed lines"))
        let missing = try GatehouseCLI.run(["check", "--coverage", "nope.info"], in: repo.path)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.info"))
    }

    @Test(arguments: [
        ("empty.info", ""),
        ("letters.info", "SF:src/calc.py\nDA:1,one\nend_of_record\n"),
        ("binary.info", "\u{0}\u{1}\u{2}garbage"),
    ])
    func badReportsExitTwoWithoutOutput(_ name: String, _ contents: String) throws {
        let repo = try coverageRepository(config: config)
        try repo.write(name, contents)
        let result = try GatehouseCLI.run(["check", "--coverage", name, "--output", "json=verdict.json"], in: repo.path)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(name))
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/verdict.json"))
    }

    @Test func ownershipRuleErrorsFailTheCheck() throws {
        let repo = try coverageRepository(config: "base: main\n")
        try repo.write("rules/CODEOWNERS", "* not-an-owner\n")
        // The rules as the change leaves them: uncommitted, they are only in --worktree's change.
        let local = try GatehouseCLI.run(["check", "--worktree"], in: repo.path)
        #expect(local.status == 1, "\(local.output)")
        #expect(local.output.contains("FAIL owners.rules: rules/CODEOWNERS: 1 error"), "\(local.output)")
        #expect(try GatehouseCLI.run(["check"], in: repo.path).status == 0, "the commits leave the rules valid")
        try repo.commit("break the rules")
        let result = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(result.status == 1)
        #expect(result.output.contains("FAIL owners.rules: rules/CODEOWNERS: 1 error"))
    }

    @Test func areasHaveTheirOwnMinimum() throws {
        let repo = try coverageRepository(config: """
            base: main
            coverage:
              reports: [coverage/lcov.info]
              areas: [{name: new code, paths: ["src/new.py"], changed_lines: 90}]
            """)
        try repo.write("coverage/lcov.info", lcov())
        let result = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(result.status == 1)
        #expect(result.output.contains("FAIL coverage.area [new code]: in new code, 80% of 5 changed lines covered"))
    }

    /// Report paths are matched against the files of the change's head, not whatever is checked out.
    @Test func reportPathsMapToTheHeadRevisionsFiles() throws {
        let repo = try coverageRepository(config: config)
        try repo.write("coverage/lcov.info", lcov())
        try repo.git(["checkout", "-q", "main"])  // src/new.py exists only on feature
        // The configuration is on feature only, so name the base and the report explicitly.
        let result = try GatehouseCLI.run(
            ["check", "--base", "main", "--head", "feature", "--coverage", "coverage/lcov.info", "--format", "json"], in: repo.path)
        #expect(result.output.contains("\"measured\": 11"), "\(result.stderr)")
        #expect(!result.output.contains("src/new.py matches no file"))
    }
}

let diffCoverAvailable = (try? run(["diff-cover", "--version"], in: "/"))?.status == 0

/// The changed-line gate against diff-cover itself, on the same repository and report.
@Suite("agreement with diff-cover", .enabled(if: diffCoverAvailable, "needs diff-cover (pip install diff-cover)"))
struct DiffCoverAgreementTests {
    @Test func samePerFileUncoveredLinesAndTotal() throws {
        let repo = try coverageRepository(config: "base: main\ncoverage: {reports: [coverage/lcov.info]}\n")
        try repo.write("coverage/lcov.info", lcov())
        let report = repo.parentFolder + "/diff-cover.json"
        let oracle = try run(["diff-cover", "coverage/lcov.info", "--compare-branch=main", "--format", "json:" + report], in: repo.path,
                             environment: TestRepository.gitEnvironment)
        #expect(oracle.status == 0, "\(oracle.stderr)")
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any])
        let ours = try GatehouseCLI.run(["check", "--format", "json"], in: repo.path)
        let verdict = try #require(try JSONSerialization.jsonObject(with: Data(ours.stdout)) as? [String: Any])
        let gate = try #require((verdict["gates"] as? [[String: Any]])?.first { $0["id"] as? String == "coverage.changed_lines" })

        let stats = try #require(expected["src_stats"] as? [String: [String: Any]])
        var theirs: [String: [Int]] = [:]
        for (path, stat) in stats { theirs[path] = (stat["violation_lines"] as? [Int] ?? []).sorted() }
        var mine: [String: [Int]] = [:]
        for file in gate["files"] as? [[String: Any]] ?? [] { mine[file["path"] as! String] = file["uncovered"] as? [Int] }
        #expect(mine == theirs)
        #expect(gate["measured"] as? Int == expected["total_num_lines"] as? Int)
        #expect(gate["measured"] as? Int == (gate["covered"] as? Int ?? 0) + (expected["total_num_violations"] as? Int ?? -1))
        let percent = try #require(gate["actual"] as? Double)
        #expect(abs(percent - (expected["total_percent_covered"] as? Double ?? -1)) < 1)
    }
}

/// `check --staged` and `--worktree` judge reports written from the work tree: they must have
/// measured the change as it is, by the same rule as the pre-push hook.
@Suite("gatehouse check: staged and work-tree reports must be fresh")
struct CheckFreshnessTests {
    let config = "coverage:\n  reports: [\"coverage/lcov.info\"]\n  changed_lines: 80\n"

    func repository() throws -> TestRepository {
        let repo = try TestRepository()
        try repo.write("src/calc.py", lines(10, "x ="))
        try repo.write("README.md", "# Demo\n")
        try repo.write("rules/gatehouse.yml", config)
        try repo.commit("base")
        return repo
    }

    @Test func stagedWorkIsJudgedOnlyWhenTheWorkTreeHoldsIt() throws {
        let repo = try repository()
        try repo.write("src/calc.py", lines(10, "x =") + "z = 11\nz = 12\n")
        try repo.git(["add", "src/calc.py"])
        try repo.write("coverage/lcov.info", "SF:src/calc.py\n" + (1...12).map { "DA:\($0),\($0 == 12 ? 0 : 1)\n" }.joined() + "end_of_record\n")
        let judged = try GatehouseCLI.run(["check", "--staged"], in: repo.path)
        #expect(judged.status == 1, "\(judged.output)")
        #expect(judged.output.contains("FAIL coverage.changed_lines: 50% of 2 changed lines covered"), "\(judged.output)")

        // An edit left unstaged: the tests measured it, the commit would not have it.
        try repo.write("README.md", "# Demo, edited\n")
        let stale = try GatehouseCLI.run(["check", "--staged"], in: repo.path)
        #expect(stale.status == 0, "\(stale.output)")
        #expect(stale.output.contains("SKIP coverage.reports: stale: README.md has edits that are not staged, so the coverage report coverage/lcov.info describes other code than what is staged"), "\(stale.output)")
        #expect(!stale.output.contains("coverage.changed_lines"))
    }

    @Test func workTreeChangesAreJudgedUntilAFileChangesAfterTheReport() throws {
        let repo = try repository()
        try repo.write("src/calc.py", lines(10, "x =") + "z = 11\nz = 12\n")
        try repo.write("coverage/lcov.info", "SF:src/calc.py\n" + (1...12).map { "DA:\($0),1\n" }.joined() + "end_of_record\n")
        let judged = try GatehouseCLI.run(["check", "--worktree"], in: repo.path)
        #expect(judged.status == 0, "\(judged.output)")
        #expect(judged.output.contains("PASS coverage.changed_lines: 100% of 2 changed lines covered"), "\(judged.output)")

        try repo.write("src/calc.py", lines(10, "x =") + "z = 11\nz = 12\nz = 13\n")
        let stale = try GatehouseCLI.run(["check", "--worktree"], in: repo.path)
        #expect(stale.output.contains("SKIP coverage.reports: stale: src/calc.py was modified after the coverage report coverage/lcov.info was written"), "\(stale.output)")

        // A commit range (CI's clean checkout) is not judged by file times.
        try repo.commit("more")
        let range = try GatehouseCLI.run(["check", "--base", "HEAD~1"], in: repo.path)
        #expect(range.output.contains("coverage.changed_lines"), "\(range.output)")
    }
}

/// A report whose paths point into an installed copy must not shrink the change to what is left
/// and pass on it (a real case: 251 changed lines of src/ silently left out, 99% reported).
@Suite("coverage: a report that misses the change's files")
struct CoverageMappingTests {
    func repository(config: String) throws -> TestRepository {
        let repo = try TestRepository()
        try repo.write("src/click/core.py", lines(10, "x ="))
        try repo.write("src/click/utils.py", lines(10, "u ="))
        try repo.write("tests/test_core.py", lines(4, "t ="))
        try repo.commit("base")
        try repo.git(["checkout", "-q", "-b", "feature"])
        try repo.write("src/click/core.py", lines(14, "x ="))
        try repo.write("src/click/utils.py", lines(12, "u ="))
        try repo.write("tests/test_core.py", lines(6, "t ="))
        try repo.write("rules/gatehouse.yml", "base: main\ncoverage:\n  reports: [coverage.lcov]\n  changed_lines: 90\n" + config)
        try repo.commit("feature")
        // The package's files were measured where pip installed them; the tests where they are.
        var report = ""
        for (path, count, missed) in [
            ("/usr/lib/python3.11/site-packages/click/core.py", 14, [13, 14]),
            ("/usr/lib/python3.11/site-packages/click/utils.py", 12, [12]),
            ("tests/test_core.py", 6, []),
            ("/usr/lib/python3.11/site-packages/six.py", 3, []),
        ] {
            report += "SF:\(path)\n" + (1...count).map { "DA:\($0),\(missed.contains($0) ? 0 : 1)\n" }.joined() + "end_of_record\n"
        }
        try repo.write("coverage.lcov", report)
        return repo
    }

    @Test func aChangedFileMeasuredUnderAnotherPathFailsAndNamesTheRewrite() throws {
        let repo = try repository(config: "")
        let result = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("FAIL coverage.reports: 2 changed files are measured under another path, so their lines would be left out of the figures"), "\(result.output)")
        #expect(result.output.contains("src/click/core.py adds lines but no report measures it; coverage.lcov has /usr/lib/python3.11/site-packages/click/core.py, which matches no file here. Join them with coverage.path_rewrites: [{from: \"/usr/lib/python3.11/site-packages/\", to: \"src/\"}]"), "\(result.output)")
        // Every unmapped path is listed, the dependency included.
        #expect(result.output.contains("coverage.lcov: /usr/lib/python3.11/site-packages/six.py matches no file of this repository"), "\(result.output)")

        // With the rewrite it names, the change's lines count: 5 of 8 (62.5%), not 100% of the tests' 2.
        try repo.write("rules/gatehouse.yml", "base: main\ncoverage:\n  reports: [coverage.lcov]\n  changed_lines: 90\n"
            + "  path_rewrites: [{from: \"/usr/lib/python3.11/site-packages/\", to: \"src/\"}]\n  expected_outside: [\"**/site-packages/six.py\"]\n")
        let fixed = try GatehouseCLI.run(["check", "--base", "main", "--rules-from", "worktree"], in: repo.path)
        #expect(fixed.output.contains("PASS coverage.reports: 1 report read."), "\(fixed.output)")
        #expect(fixed.output.contains("FAIL coverage.changed_lines: 62.5% of 8 changed lines covered (5 covered, 3 not)"), "\(fixed.output)")
    }

    @Test func unmappedPathsFollowCoverageUnmapped() throws {
        let strict = try repository(config: "  path_rewrites: [{from: \"/usr/lib/python3.11/site-packages/\", to: \"src/\"}]\n  unmapped: fail\n")
        let failed = try GatehouseCLI.run(["check"], in: strict.path)
        #expect(failed.output.contains("FAIL coverage.reports: 1 report path matches no file of this repository (coverage.unmapped: fail)."), "\(failed.output)")
        let relaxed = try repository(config: "  path_rewrites: [{from: \"/usr/lib/python3.11/site-packages/\", to: \"src/\"}]\n")
        let warned = try GatehouseCLI.run(["check"], in: relaxed.path)
        #expect(warned.output.contains("WARN coverage.reports: 1 report read; some paths match no file of this repository (listed below)."), "\(warned.output)")
        let quiet = try repository(config: "  path_rewrites: [{from: \"/usr/lib/python3.11/site-packages/\", to: \"src/\"}]\n  unmapped: ignore\n")
        let passed = try GatehouseCLI.run(["check"], in: quiet.path)
        #expect(passed.output.contains("PASS coverage.reports: 1 report read."), "\(passed.output)")
        #expect(!passed.output.contains("six.py"))
    }
}

/// The real case behind issue 13's first item, replayed offline (Tests/Fixtures/replay/click):
/// click's range 8c1a0a7abbc1..2c8cd3ac958a, measured by a report of the installed copy. The right
/// answer for src/, diff-cover's on the report with click's own path mapping, is 94.8% of 251.
@Suite("coverage: click's report of its installed copy")
struct CoverageMappingReplayTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/replay/click")
    static let files: [(path: String, base: String, head: String)] = [
        ("src/click/__init__.py", "2d9918bced6c1bb709efbf53fbf0e310fe5215f3", "a34ab023a658c1b38fe75e57781afd3380718638"),
        ("src/click/_compat.py", "9c6968824152ae8e335087656daea7d91a6756fd", "8507a503abf9b5fcaf3285dc3999ae223c7608c8"),
        ("src/click/_termui_impl.py", "fadae940625f8275fed17833d527c19e2422ef4e", "70aabf8f17c56ce5ed559ea88ce233a7944dbe3a"),
        ("src/click/core.py", "6de421687b6d4b27e7266d023ef630bf53f27dc5", "de129ec2ceaa1e77cab696cad672b0a3ca84413d"),
        ("src/click/shell_completion.py", "5652214b017edc98c184677ae9d34fc7d2d15ff5", "8a2668b09f1525ae95e814fa92a23bfdbee2c21d"),
        ("src/click/termui.py", "4bd74ed19ac1852557259706ea21d0e697b9f5b5", "e1315f23744ee9055126971c1cf350428aeab06b"),
        ("src/click/testing.py", "19fae4a620ea8ae28410cb8b29d965c1ac8cc524", "cc123d4d15fda16262db16cefc467b1fffd9ac5d"),
        ("src/click/types.py", "a27983b3a2431de9e221cbcfdd780a7b6f236956", "0eb84621d3ceb92e240f1523e2e58d5951335633"),
        ("src/click/utils.py", "4d4d52ac3be0b90a8087a465901bb698e5150664", "b529eb04b34189f08e1211c95c7c8a30ca778490"),
    ]

    @Test func theInstalledCopysPathsFailUntilTheNamedRewriteJoinsThem() throws {
        let repo = try TestRepository()
        for side in ["base", "head"] {
            if side == "head" { try repo.git(["checkout", "-q", "-b", "feature"]) }
            for file in Self.files {
                try repo.write(file.path, bytes: Array(try Data(contentsOf: Self.fixture.appendingPathComponent(side + "/" + file.path))))
            }
            try repo.commit(side)
        }
        for file in Self.files {
            #expect(try repo.revParse("main:" + file.path) == file.base && repo.revParse("feature:" + file.path) == file.head, "\(file.path)")
        }
        let report = Self.fixture.appendingPathComponent("site-packages.lcov").path
        let unmapped = try GatehouseCLI.run(["check", "--base", "main", "--coverage", report], in: repo.path)
        #expect(unmapped.status == 1, "\(unmapped.output)")
        #expect(unmapped.output.contains("FAIL coverage.reports: 9 changed files are measured under another path"), "\(unmapped.output)")
        #expect(unmapped.output.contains("Join them with coverage.path_rewrites: [{from: \"/tmp/clickvenv/lib/python3.11/site-packages/\", to: \"src/\"}]"))

        try repo.write("rules/gatehouse.yml", """
            coverage:
              path_rewrites: [{from: "/tmp/clickvenv/lib/python3.11/site-packages/", to: "src/"}]
              areas: [{name: src, paths: ["src/**"]}]

            """)
        let joined = try GatehouseCLI.run(["check", "--base", "main", "--coverage", report, "--rules-from", "worktree"], in: repo.path)
        #expect(joined.output.contains("PASS coverage.reports: 1 report read."), "\(joined.output)")
        // diff-cover on the report with click's own path mapping: 251 lines, 13 missing.
        #expect(joined.output.contains("in src, 94.8% of 251 changed lines covered (238 covered, 13 not)"), "\(joined.output)")
    }
}
