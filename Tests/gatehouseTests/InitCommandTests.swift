import Foundation
import GatehouseTestSupport
import Testing

private let starterPaths = [
    "rules/gatehouse.yml", "rules/CODEOWNERS",
    "rules/checklists/functionality.md", "rules/checklists/code-quality.md", "rules/checklists/architecture.md",
    "rules/checklists/security.md", "rules/checklists/testing.md", "rules/checklists/database.md",
    "rules/checklists/infrastructure.md", "rules/checklists/documentation.md",
]

/// A repository with Swift, Go, TypeScript and Python code and their tests, committed on main.
private func polyglotRepository() throws -> TestRepository {
    let repo = try TestRepository()
    try repo.write("Package.swift", "// swift-tools-version: 6.0\n")
    try repo.write("Sources/App/main.swift", "print(1)\n")
    try repo.write("Tests/AppTests/AppTests.swift", "import Testing\n")
    try repo.write("services/api/main.go", "package main\n")
    try repo.write("services/api/main_test.go", "package main\n")
    try repo.write("web/src/app.ts", "export {}\n")
    try repo.write("web/src/app.test.ts", "test()\n")
    try repo.write("tools/report.py", "print(1)\n")
    try repo.write("tools/test_report.py", "def test(): pass\n")
    try repo.write("README.md", "# Demo\n")
    try repo.commit("code")
    return repo
}

private func contents(_ repo: TestRepository, _ path: String) -> String? {
    FileManager.default.contents(atPath: repo.path + "/" + path).map { String(decoding: $0, as: UTF8.self) }
}

@Suite("gatehouse init")
struct InitCommandTests {
    @Test func freshRepositoryGetsRulesThatWorkRightAway() throws {
        let repo = try polyglotRepository()
        let result = try GatehouseCLI.run(["init"], in: repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output.hasPrefix("Languages found: Swift, Go, JavaScript/TypeScript, Python.\n"))
        for path in starterPaths {
            #expect(result.output.contains("Wrote \(path)\n"), "\(path)")
            #expect(contents(repo, path) != nil, "\(path)")
        }
        #expect(result.output.contains("Next steps:\n  1. Replace every @your-org/... owner in rules/CODEOWNERS"))

        #expect(result.output.contains("'gatehouse checklist --base main' shows what a change gets."))

        // The skeleton passes the rules check, with a placeholder per top-level folder that the
        // check keeps pointing at until it is replaced.
        let codeowners = try #require(contents(repo, "rules/CODEOWNERS"))
        #expect(codeowners.contains("/services/  @your-org/services-owners\n"))
        #expect(codeowners.contains("REPLACE THE PLACEHOLDERS"))
        let check = try GatehouseCLI.run(["rules", "check"], in: repo.path)
        #expect(check.status == 0, "\(check.output)\(check.stderr)")
        #expect(check.output.contains("0 errors"))
        #expect(check.output.contains(": warning: '@your-org/services-owners' is the placeholder owner `gatehouse init` wrote"), "\(check.output)")
        // Before rules/ is committed, the catch-all still owns it: no warning that `*` decides nothing.
        #expect(!check.output.contains("[shadowed]"), "\(check.output)")

        // Globs fit the languages found.
        let testing = try #require(contents(repo, "rules/checklists/testing.md"))
        for glob in ["\"Tests/\"", "\"*_test.go\"", "\"*.test.ts\"", "\"test_*.py\""] {
            #expect(testing.contains(glob), "\(glob)")
        }
        #expect(!testing.contains("_spec.rb"))

        // The configuration is valid, and the checklists apply to a change.
        try repo.commit("rules")
        try repo.git(["checkout", "-q", "-b", "feature"])
        try repo.write("services/api/auth/token.go", "package auth\n")
        try repo.write("services/api/auth/token_test.go", "package auth\n")
        try repo.write("migrations/0001_users.sql", "create table users (id int);\n")
        try repo.commit("auth")
        let checklist = try GatehouseCLI.run(["checklist", "--base", "main", "--format", "text"], in: repo.path)
        #expect(checklist.status == 0, "\(checklist.stderr)")
        let titles = checklist.output.split(separator: "\n").filter { !$0.hasPrefix(" ") && !$0.isEmpty }
        #expect(titles == [
            "Database and migrations (required, rules/checklists/database.md)",
            "Functionality (required, rules/checklists/functionality.md)",
            "Security (required, rules/checklists/security.md)",
            "Code quality (rules/checklists/code-quality.md)",
            "Tests (rules/checklists/testing.md)",
        ])
        let verify = try GatehouseCLI.run(["checklist", "verify", "--base", "main", "--body", "/dev/null"], in: repo.path)
        #expect(verify.status == 1)
    }

    @Test func initNeverOverwrites() throws {
        let repo = try polyglotRepository()
        let ownSecurity = "---\ntitle: Our security\npaths: [\"*\"]\nrequired: true\n---\n- [ ] Ours.\n"
        try repo.write("rules/checklists/security.md", ownSecurity)
        try repo.write(".github/CODEOWNERS", "* @acme/all\n")
        try repo.commit("own rules")

        let first = try GatehouseCLI.run(["init"], in: repo.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.output.contains("Skipped rules/checklists/security.md (it exists; init never overwrites a file)\n"))
        #expect(first.output.contains("Skipped rules/CODEOWNERS (the ownership rules are in .github/CODEOWNERS)\n"))
        #expect(first.output.contains("Wrote rules/checklists/testing.md\n"))
        #expect(!first.output.contains("Replace every @your-org"), "no CODEOWNERS was written, so there is nothing to replace")
        #expect(contents(repo, "rules/checklists/security.md") == ownSecurity)
        #expect(contents(repo, "rules/CODEOWNERS") == nil)

        let written = try repo.gitOutput(["status", "--porcelain", "--untracked-files=all"])
        let second = try GatehouseCLI.run(["init"], in: repo.path)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(!second.output.contains("Wrote "))
        #expect(second.output.hasSuffix("Nothing was written: the starter files exist already.\n"))
        #expect(try repo.gitOutput(["status", "--porcelain", "--untracked-files=all"]) == written)
    }

    @Test func aBlockedTargetStopsInitBeforeAnythingIsWritten() throws {
        let repo = try polyglotRepository()
        try repo.write("rules/checklists", "a file where the folder should be\n")
        let result = try GatehouseCLI.run(["init"], in: repo.path)
        #expect(result.status == 2)
        #expect(result.output.isEmpty)
        #expect(result.stderr.contains("rules/checklists is a file, not a folder"), "\(result.stderr)")
        #expect(contents(repo, "rules/gatehouse.yml") == nil)
        #expect(contents(repo, "rules/CODEOWNERS") == nil)
    }

    @Test func beforeTheFirstCommitTheGlobsAreGeneric() throws {
        let repo = try TestRepository()
        try repo.write("main.go", "package main\n")
        let result = try GatehouseCLI.run(["init"], in: repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output.hasPrefix("No commit yet, so no language was detected: the checklists' globs are generic.\n"))
        #expect(contents(repo, "rules/checklists/testing.md")?.contains("\"tests/\"") == true)
    }

    @Test func outsideARepositoryIsAUsageError() throws {
        let folder = NSTemporaryDirectory() + "gatehouse-not-a-repo-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try GatehouseCLI.run(["init"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr.contains("not inside a git repository"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/rules"))
    }
}
