import Foundation
import GatehouseCore
import GatehouseGit
import GatehouseTestSupport
import Testing

/// Numbers that once crashed the binary (SIGILL on integer overflow): each run must end with exit
/// 0 and a clamp it explains, or exit 2 and a message naming the file, line or option.
@Suite("gatehouse with overflowing numbers")
struct OverflowCommandTests {
    /// A trap ends the process on a signal, which shows as a status other than 0 and 2.
    private func run(_ arguments: [String], in repo: TestRepository) throws -> ShellResult {
        let result = try GatehouseCLI.run(arguments, in: repo.path)
        #expect([0, 2].contains(result.status), "\(arguments): exit \(result.status)\n\(result.stderr)")
        return result
    }

    @Test func aGitLabApprovalCountNearIntMaxIsCappedAndReported() throws {
        let repo = try reviewersRepository(rules: "[Sec][5000000000000000000]\n* @org/team\n", rulesPath: ".gitlab/CODEOWNERS", teams: nil)
        let json = try reviewersJSON(["--base", "main"], in: repo)
        #expect(names(json) == ["@org/team"])
        #expect((json["notes"] as? [String])?.contains {
            $0.hasPrefix("[Sec] needs 1000 approvals (.gitlab/CODEOWNERS:1), the most Gatehouse reads")
        } == true, "\(json["notes"] ?? "")")
        let text = try run(["reviewers", "--base", "main"], in: repo)
        #expect(text.status == 0)
        #expect(text.output.contains("[Sec] needs 1000 approvals"), "\(text.output)")

        let check = try run(["rules", "check"], in: repo)
        #expect(check.status == 0)
        #expect(check.output.contains(
            ".gitlab/CODEOWNERS:1:7: warning: section 'Sec' asks for 5000000000000000000 approvals; Gatehouse reads at most 1000"),
            "\(check.output)")
        let report = try run(["rules", "check", "--format", "json"], in: repo)
        let problems = try #require(
            (try JSONSerialization.jsonObject(with: Data(report.stdout)) as? [String: Any])?["problems"] as? [[String: Any]])
        let problem = try #require(problems.first { ($0["message"] as? String)?.contains("5000000000000000000") == true })
        #expect(problem["line"] as? Int == 1)
        #expect(problem["column"] as? Int == 7)
        #expect(problem["kind"] as? String == "syntax")
        #expect(problem["severity"] as? String == "warning")
    }

    @Test func twoWholeTeamsAndTheGreedyPathDoNotOverflow() throws {
        // Two teams asked whole give 2 x 1000 units; 25 owners force the greedy solver.
        let owners = (1...25).map { "@p\($0)" }.joined(separator: " ")
        let repo = try reviewersRepository(
            rules: "[Sec][99999999999999999999] @org/a @org/b\n*\n[Big][9223372036854775807]\n* \(owners)\n",
            rulesPath: ".gitlab/CODEOWNERS", teams: nil)
        let json = try reviewersJSON(["--base", "main"], in: repo)
        #expect(json["method"] as? String == "greedy")
        #expect((json["bound"] as? Double).map { $0.isFinite && $0 > 1 } == true)
        let unsatisfied = try #require(json["unsatisfied"] as? [[String: Any]])
        #expect(unsatisfied.contains { $0["section"] as? String == "Big" && $0["approvals"] as? Int == 1000 })
    }

    @Test func anOpenReviewCountNearIntMaxIsAnErrorWithItsLine() throws {
        let teams = "people:\n  \"@a\": [x@y.z]\nmax_open_reviews: 2\nload: ci/load.json\n"
        let repo = try reviewersRepository(rules: "* @a @bob\n", teams: teams)
        try repo.write("ci/load.json", "{\"x@y.z\": 1,\n \"@a\": 9223372036854775807}\n")
        let result = try run(["reviewers", "--base", "main"], in: repo)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.hasPrefix("gatehouse: ci/load.json:2:"), "\(result.stderr)")
        #expect(result.stderr.contains("must be a whole number from 0 to 100000, found '9223372036854775807'"), "\(result.stderr)")
    }

    @Test(arguments: [
        (["--days", "999999999999999"], "--days must be from 1 to 36500 (100 years), found 999999999999999."),
        (["--days", "0"], "--days must be from 1 to 36500"),
        (["--days", "36501"], "--days must be from 1 to 36500"),
        (["--max-commits", "9223372036854775807"], "--max-commits must be from 1 to 1000000, found 9223372036854775807."),
        (["--max-commits", "0"], "--max-commits must be from 1 to 1000000"),
    ])
    func historyOptionsOutOfRangeAreRejected(arguments: [String], message: String) throws {
        let repo = try reviewersRepository(rules: "* @bob\n", teams: nil)
        let result = try run(["reviewers", "--base", "main"] + arguments, in: repo)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func theLargestHistoryOptionsWork() throws {
        let repo = try reviewersRepository(rules: "* @bob @carl\n")
        let json = try reviewersJSON(["--base", "main", "--days", "36500", "--max-commits", "1000000"], in: repo)
        #expect(names(json) == ["@bob"])
        let history = try #require(json["history"] as? [String: Any])
        #expect(history["days"] as? Int == 36_500)
        #expect(history["maxCommits"] as? Int == 1_000_000)
    }

    @Test func historyWindowsOfAnyLengthReadTheWholeHistory() throws {
        let repo = try reviewersRepository(rules: "* @bob\n", teams: nil)
        let repository = try Repository(discoveringFrom: repo.path)
        for days in [Int.max, Int.max / 86_400 + 1, 106_751_991_167_300] {
            let history = try repository.recentHistory(
                from: "main", touching: ["src/app.swift", "docs/guide.md"], window: HistoryWindow(maxCommits: .max, days: days))
            #expect(history.commitsRead == 2)
            #expect(history.boundary == nil)
        }
    }

    @Test func aSizeBaselineWithHugeFilesIsAnErrorWithItsLine() throws {
        let repo = try sizeRepository()
        try repo.write("base.json", """
            {"schemaVersion": 1,
             "budgets": [{"name": "everything", "compression": "none", "files": [
               {"path": "dist/app.js", "size": 9223372036854775807},
               {"path": "dist/app.css", "size": 9223372036854775807}
             ]}]}

            """)
        let result = try run(["check", "--size-baseline", "base.json"], in: repo)
        #expect(result.status == 2)
        #expect(result.stderr.contains("base.json:3:"), "\(result.stderr)")
        #expect(result.stderr.contains("more than the 9007199254740992 a snapshot can hold"), "\(result.stderr)")
    }
}
