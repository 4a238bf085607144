import Foundation
import GatehouseTestSupport
import Testing

let reviewerTeams = """
    teams:
      "@org/backend": ["@alice", "@bob", "@carl"]
      "@org/docs": ["@dora", "@dan"]
    people:
      "@alice": [alice@example.com]
      "@bob": [bob@example.com]
      "@carl": [carl@example.com]
      "@dora": [dora@example.com]
      "@dan": [dan@example.com]
      "@ada": [ada@example.com]

    """

/// main: rules (and teams, when given) with files Bob and Dora wrote; Alice's branch `feature/login`
/// edits a line of each.
func reviewersRepository(rules: String, rulesPath: String = "rules/CODEOWNERS", teams: String? = reviewerTeams) throws -> TestRepository {
    let repo = try TestRepository()
    try repo.write(rulesPath, rules)
    if let teams { try repo.write("rules/teams.yml", teams) }
    try repo.write("src/app.swift", lines(20, "let a ="))
    try repo.write("docs/guide.md", lines(5, "guide"))
    try repo.commit("start", author: "Bob <bob@example.com>", date: "2025-12-01T00:00:00Z")
    try repo.write("docs/guide.md", lines(6, "guide"))
    try repo.commit("more docs", author: "Dora <dora@example.com>", date: "2025-12-02T00:00:00Z")
    try repo.git(["checkout", "-q", "-b", "feature/login"])
    try repo.write("src/app.swift", lines(20, "let a =").replacingOccurrences(of: "let a = 3\n", with: "let b = 3\n"))
    try repo.write("docs/guide.md", lines(6, "guide").replacingOccurrences(of: "guide 6\n", with: "the end\n"))
    try repo.commit("login", author: "Alice <alice@example.com>", date: "2026-01-01T00:00:00Z")
    return repo
}

func reviewersJSON(_ arguments: [String], in repo: TestRepository, environment: [String: String] = [:]) throws -> [String: Any] {
    let result = try GatehouseCLI.run(["reviewers", "--format", "json"] + arguments, in: repo.path, environment: environment)
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
}

func names(_ json: [String: Any]) -> [String] {
    (json["reviewers"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
}

@Suite("gatehouse reviewers")
struct ReviewersCommandTests {
    @Test func githubTeamsExpandToThePeopleWhoKnowTheFiles() throws {
        let repo = try reviewersRepository(rules: "* @org/backend\n/docs/ @org/docs\n")
        let json = try reviewersJSON(["--base", "main"], in: repo)
        // Bob and Dora wrote the edited lines; Carl and Dan own the files as much but never touched them.
        #expect(names(json) == ["@bob", "@dora"])
        #expect(json["authors"] as? [String] == ["@alice"])
        #expect(json["method"] as? String == "exact")
        #expect(json["seed"] as? String == "feature/login")
        let bob = try #require((json["reviewers"] as? [[String: Any]])?.first)
        #expect(bob["covers"] as? [String] == ["src/app.swift"])
        #expect(bob["reasons"] as? [String] == [
            "member of @org/backend, which owns this file (rules/CODEOWNERS:1)", "last wrote 1 of the lines this change edits",
            "made 1 of the recent commits to this file",
        ])
        let text = try GatehouseCLI.run(["reviewers", "--base", "main"], in: repo.path)
        #expect(text.status == 0, "\(text.stderr)")
        try Golden.check(text.stdout, against: "reviewers-cli.txt")
        let markdown = try GatehouseCLI.run(["reviewers", "--base", "main", "--format", "markdown"], in: repo.path)
        try Golden.check(markdown.stdout, against: "reviewers-cli.md")
    }

    @Test func theSameBranchGetsTheSamePicksAndCIBranchNamesCount() throws {
        // Six owners with no history: only the seed decides.
        let repo = try reviewersRepository(rules: "* @p1 @p2 @p3 @p4 @p5 @p6\n", teams: nil)
        let first = names(try reviewersJSON(["--base", "main"], in: repo))
        #expect(first.count == 1)
        #expect(names(try reviewersJSON(["--base", "main"], in: repo)) == first)
        var picks = Set(first)
        for seed in ["a", "b", "c", "d", "e", "f", "g", "h"] { picks.formUnion(names(try reviewersJSON(["--base", "main", "--seed", seed], in: repo))) }
        #expect(picks.count >= 3)
        // In CI the checkout is detached: the branch comes from the CI variables.
        try repo.git(["checkout", "-q", "--detach"])
        let ci = try reviewersJSON(["--base", "main"], in: repo, environment: ["GITHUB_HEAD_REF": "feature/login"])
        #expect(ci["seed"] as? String == "feature/login")
        #expect(names(ci) == first)
    }

    @Test func gitlabApprovalsUnavailablePeopleAndOptionalSections() throws {
        let repo = try reviewersRepository(
            rules: "[Backend][2] @org/backend\n/src/\n\n^[Docs] @org/docs\n/docs/\n",
            rulesPath: ".gitlab/CODEOWNERS", teams: reviewerTeams + "unavailable: [\"@carl\"]\n")
        let json = try reviewersJSON(["--base", "main"], in: repo)
        #expect(json["dialect"] as? String == "gitlab")
        #expect(names(json) == ["@bob"])
        let unsatisfied = try #require(json["unsatisfied"] as? [[String: Any]])
        #expect(unsatisfied.count == 1)
        #expect(unsatisfied.first?["path"] as? String == "src/app.swift")
        #expect(unsatisfied.first?["section"] as? String == "Backend")
        #expect(unsatisfied.first?["approvals"] as? Int == 2)
        #expect(unsatisfied.first?["available"] as? [String] == ["@bob"])
        #expect((unsatisfied.first?["reason"] as? String)?.contains("@carl is unavailable (rules/teams.yml)") == true)
        let optional = try #require(json["optional"] as? [[String: Any]])
        #expect(optional.first?["section"] as? String == "Docs")
        #expect(optional.first?["paths"] as? [String] == ["docs/guide.md"])
    }

    /// The author owns `*`: every file shares one cause, shown once with a count, not once per
    /// file (150 lines in the real case); JSON keeps the per-file list.
    @Test func anAuthorWhoOwnsEverythingGetsNoReviewerAndExitZero() throws {
        let repo = try reviewersRepository(rules: "* alice@example.com\n/docs/ alice@example.com @dora\n")
        for index in 1...150 { try repo.write(String(format: "src/gen/file%03d.swift", index), "let x = \(index)\n") }
        try repo.commit("generated", author: "Alice <alice@example.com>", date: "2026-01-02T00:00:00Z")
        let result = try GatehouseCLI.run(["reviewers", "--base", "main"], in: repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output.hasSuffix("""
            Cannot be satisfied:
              alice@example.com (151 files): only the change's authors own it: @alice is an author of the change
                src/app.swift, src/gen/file001.swift, src/gen/file002.swift, src/gen/file003.swift, src/gen/file004.swift, \
            src/gen/file005.swift, src/gen/file006.swift, src/gen/file007.swift, src/gen/file008.swift, src/gen/file009.swift and 141 more
            Authors (never suggested): @alice

            """), "\(result.output)")
        let json = try reviewersJSON(["--base", "main"], in: repo)
        #expect((json["unsatisfied"] as? [[String: Any]])?.count == 151)
    }

    @Test func authorsNamedOnTheCommandLineAreExcludedToo() throws {
        let repo = try reviewersRepository(rules: "* @bob @carl\n")
        let json = try reviewersJSON(["--base", "main", "--author", "@bob", "--author", "ZED@example.com"], in: repo)
        #expect(json["authors"] as? [String] == ["@alice", "@bob", "ZED@example.com"])
        #expect(names(json) == ["@carl"])
    }

    @Test func stagedWorkIsWrittenByTheConfiguredUser() throws {
        let repo = try reviewersRepository(rules: "* @ada @bob\n")
        try repo.write("src/app.swift", "staged\n")
        try repo.git(["add", "src/app.swift"])
        // TestRepository's environment makes Ada the author of new commits.
        let json = try reviewersJSON(["--staged"], in: repo)
        #expect(json["authors"] as? [String] == ["@ada"])
        #expect(names(json) == ["@bob"])
    }

    @Test func renamedFilesNeedTheOwnersOfBothPaths() throws {
        let repo = try reviewersRepository(rules: "/src/ @bob\n/lib/ @dora\n/docs/ @bob\n")
        try repo.move("src/app.swift", "lib/app.swift")
        try repo.commit("move", author: "Alice <alice@example.com>", date: "2026-01-02T00:00:00Z")
        let json = try reviewersJSON(["--base", "main"], in: repo)
        #expect(names(json) == ["@bob", "@dora"])
        let reviewers = try #require(json["reviewers"] as? [[String: Any]])
        #expect(reviewers[0]["covers"] as? [String] == ["docs/guide.md", "src/app.swift"])
        #expect(reviewers[1]["covers"] as? [String] == ["lib/app.swift"])
    }

    @Test func theOpenReviewCapReadsTheLoadFile() throws {
        let teams = reviewerTeams + "max_open_reviews: 2\nload: ci/load.json\n"
        let repo = try reviewersRepository(rules: "* @org/backend\n", teams: teams)
        let missing = try reviewersJSON(["--base", "main"], in: repo)
        #expect(names(missing) == ["@bob"])
        #expect(missing["notes"] as? [String] == ["the load file ci/load.json does not exist, so max_open_reviews is not applied"])
        try repo.write("ci/load.json", #"{"@bob": 2, "@carl": 1}"#)
        let capped = try reviewersJSON(["--base", "main"], in: repo)
        #expect(names(capped) == ["@carl"])
        #expect((capped["reviewers"] as? [[String: Any]])?.first?["openReviews"] as? Int == 1)
        try repo.write("ci/load.json", "{\"@bob\": \"lots\"}")
        let bad = try GatehouseCLI.run(["reviewers", "--base", "main"], in: repo.path)
        #expect(bad.status == 2)
        #expect(bad.stderr.hasPrefix("gatehouse: ci/load.json:1:"), "\(bad.stderr)")
    }

    @Test func badInputExitsTwoWithNothingOnStdout() throws {
        let repo = try reviewersRepository(rules: "* @bob\n", teams: "teams:\n  \"@org/x\": [\"@a\"]\n  backend: [\"@b\"]\n")
        let badTeams = try GatehouseCLI.run(["reviewers", "--base", "main"], in: repo.path)
        #expect(badTeams.status == 2)
        #expect(badTeams.stdout.isEmpty)
        #expect(badTeams.stderr.hasPrefix("gatehouse: rules/teams.yml:3:3: error: the team 'backend' must be written as in CODEOWNERS"), "\(badTeams.stderr)")
        let missing = try GatehouseCLI.run(["reviewers", "--base", "main", "--teams", "nowhere.yml"], in: repo.path)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read the teams file nowhere.yml"))
        let author = try GatehouseCLI.run(["reviewers", "--base", "main", "--author", "bob"], in: repo.path)
        #expect(author.status == 2)
        #expect(author.stderr.contains("--author bob: name a person as @name or by e-mail address."))
        #expect(author.stdout.isEmpty)
    }
}
