import Foundation
import GatehouseTestSupport
import Testing

/// feature changes src/app.js: line 10 edited, lines 20-21 added; src/other.js is untouched.
func lintRepository(lint: String) throws -> TestRepository {
    let repo = try TestRepository()
    try repo.write("src/app.js", lines(40, "let a ="))
    try repo.write("src/other.js", lines(10, "let b ="))
    try repo.commit("base")
    try repo.git(["checkout", "-q", "-b", "feature"])
    var text = lines(40, "let a =").split(separator: "\n").map(String.init)
    text[9] = "let a = 'changed'"
    text.insert(contentsOf: ["let added1 = 1", "let added2 = 2"], at: 19)
    try repo.write("src/app.js", text.joined(separator: "\n") + "\n")
    try repo.write("rules/gatehouse.yml", "base: main\nlint:\n  reports: [eslint.json]\n" + lint)
    try repo.commit("feature")
    return repo
}

/// ESLint JSON with a finding on an added line (20), one in its context (8), one further away
/// in the changed file (35), one in an untouched file, and one spanning lines 14-22.
func eslintReport(root: String) -> String {
    """
    [{"filePath": "\(root)/src/app.js", "messages": [
        {"ruleId": "no-unused-vars", "severity": 2, "message": "'added1' is assigned a value but never used.", "line": 20, "column": 5},
        {"ruleId": "semi", "severity": 1, "message": "Missing semicolon.", "line": 8, "column": 12},
        {"ruleId": "eqeqeq", "severity": 2, "message": "Expected '===' and instead saw '=='.", "line": 35, "column": 3},
        {"ruleId": "max-statements", "severity": 1, "message": "Block has too many statements.", "line": 14, "column": 1, "endLine": 22, "endColumn": 2}
      ], "errorCount": 2, "warningCount": 2},
     {"filePath": "\(root)/src/other.js", "messages": [
        {"ruleId": "no-console", "severity": 2, "message": "Unexpected console statement.", "line": 3, "column": 1}
      ], "errorCount": 1, "warningCount": 0}]
    """
}

@Suite("gatehouse check: lint")
struct LintCommandTests {
    func findings(_ repo: TestRepository) throws -> (status: Int32, rules: [String], dropped: Int) {
        let result = try GatehouseCLI.run(["check", "--format", "json"], in: repo.path)
        let verdict = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any], "\(result.stderr)")
        let gate = try #require((verdict["gates"] as? [[String: Any]])?.first { $0["id"] as? String == "lint" })
        let rules = (gate["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        return (result.status, rules, gate["dropped"] as? Int ?? -1)
    }

    @Test(arguments: [
        ("added", ["max-statements", "no-unused-vars"], 3, Int32(1)),
        ("context", ["semi", "max-statements", "no-unused-vars"], 2, Int32(1)),
        ("files", ["semi", "max-statements", "no-unused-vars", "eqeqeq"], 1, Int32(1)),
        ("all", ["semi", "max-statements", "no-unused-vars", "eqeqeq", "no-console"], 0, Int32(1)),
    ])
    func scopesKeepWhatReviewdogsFiltersKeep(_ scope: String, _ expected: [String], _ dropped: Int, _ status: Int32) throws {
        let repo = try lintRepository(lint: "  scope: \(scope)\n")
        try repo.write("eslint.json", eslintReport(root: repo.path))
        let (exit, rules, droppedCount) = try findings(repo)
        #expect(exit == status)
        #expect(rules == expected)
        #expect(droppedCount == dropped)
    }

    @Test func failOnDecidesWhichSeverityFails() throws {
        let repo = try lintRepository(lint: "  scope: context\n  fail_on: never\n")
        try repo.write("eslint.json", eslintReport(root: repo.path))
        #expect(try findings(repo).status == 0)
        try repo.write("rules/gatehouse.yml", "base: main\nlint: {reports: [eslint.json], scope: context, fail_on: warning}\n")
        try repo.git(["commit", "-qam", "fail on warnings"])
        #expect(try findings(repo).status == 1)
    }

    @Test func textMarkdownAndAnnotations() throws {
        let repo = try lintRepository(lint: "")
        try repo.write("eslint.json", eslintReport(root: repo.path))
        let text = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(text.status == 1)
        #expect(text.output.contains("FAIL lint: 2 findings on lines this change added (1 error, 1 warning); 3 elsewhere not counted; lint.fail_on: error."))
        #expect(text.output.contains("    src/app.js:20: error: 'added1' is assigned a value but never used. [no-unused-vars] (ESLint)"))
        let markdown = try GatehouseCLI.run(["check", "--format", "markdown"], in: repo.path)
        try Golden.check(markdown.stdout, against: "cli-check-lint.md")
        let github = try GatehouseCLI.run(["check", "--format", "github"], in: repo.path)
        #expect(github.output.contains("::error file=src/app.js,line=20,endLine=20,title=ESLint%3A no-unused-vars::'added1' is assigned a value but never used."))
        #expect(github.output.contains("::warning file=src/app.js,line=14,endLine=22,title=ESLint%3A max-statements::Block has too many statements."))
    }

    @Test func missingAndMalformedLintReports() throws {
        let repo = try lintRepository(lint: "")
        let missing = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(missing.status == 1)
        #expect(missing.output.contains("no file matches the configured lint report eslint.json"))
        try repo.write("bad.json", "[{\"filePath\": \"x\", \"messages\": [{\"line\": \"x\"}]}]")
        let bad = try GatehouseCLI.run(["check", "--lint", "bad.json"], in: repo.path)
        #expect(bad.status == 2)
        #expect(bad.stdout.isEmpty)
        #expect(bad.stderr.contains("bad.json"))
    }
}

/// A lint report that was never written is the headline of the lint gate in every format, not
/// "no finding", which reads as a clean result.
@Suite("lint: a missing report is the headline")
struct LintMissingHeadlineTests {
    @Test(arguments: ["text", "markdown", "github", "junit", "sarif", "json"])
    func theCauseIsTheHeadline(_ format: String) throws {
        let repo = try lintRepository(lint: "")
        let result = try GatehouseCLI.run(["check", "--format", format], in: repo.path)
        #expect(result.status == 1, "\(result.output)")
        // (Markdown escapes the underscore of missing_report, so the test stops before it.)
        let headline = "no file matches the configured lint report eslint.json: did the linter run?"
        #expect(result.output.contains(headline), "\(format): \(result.output)")
        if format == "text" {
            #expect(result.output.contains("FAIL lint: \(headline) (missing_report: fail)"), "\(result.output)")
            #expect(!result.output.contains("FAIL lint: no finding"))
        }
    }
}

/// A lint message is input: it must not become a workflow command or drive the terminal.
@Suite("lint: hostile messages")
struct LintHostileMessageTests {
    @Test(arguments: ["text", "github"])
    func aMessageCannotInjectAWorkflowCommandOrAnEscape(_ format: String) throws {
        let repo = try lintRepository(lint: "")
        let message = "bad\\n::error file=README.md,line=1::pwned\\u001b]0;owned\\u0007\\u001b[2J"
        try repo.write("eslint.json", """
            [{"filePath": "\(repo.path)/src/app.js", "messages": [
                {"ruleId": "x\\u001b[31m", "severity": 2, "message": "\(message)", "line": 20, "column": 5}
              ], "errorCount": 1, "warningCount": 0}]
            """)
        let result = try GatehouseCLI.run(["check", "--format", format], in: repo.path)
        #expect(result.status == 1, "\(result.output)")
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(!lines.contains { $0.hasPrefix("::error file=README.md") }, "\(result.output)")
        #expect(!result.output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "no escape reaches the reader")
        #expect(result.output.contains("bad\\n::error file=README.md,line=1::pwned\\u{1B}]0;owned\\u{7}\\u{1B}[2J"), "\(result.output)")
    }
}
