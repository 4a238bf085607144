import Foundation
import GatehouseTestSupport
import Testing

/// A GitHub Actions event payload in a file of its own, as the runner writes $GITHUB_EVENT_PATH.
private func eventFile(_ json: String, beside repo: TestRepository) throws -> String {
    let path = repo.parentFolder + "/event-\(UUID().uuidString).json"
    try Data(json.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

private func contents(_ repo: TestRepository, _ path: String) -> String? {
    FileManager.default.contents(atPath: repo.path + "/" + path).map { String(decoding: $0, as: UTF8.self) }
}

@Suite("Review fixes: pull-request author, placeholder owners, rules check before a commit, init's base")
struct ReviewFixesTests {
    // MARK: The pull request's author

    @Test func theAuthorNamedByTheGitHubEventIsNeverSuggested() throws {
        // No people: in teams.yml, so alice@example.com, who wrote the branch, is not known as @alice.
        let repo = try reviewersRepository(rules: "* @alice\n", teams: nil)
        let local = try reviewersJSON(["--base", "main"], in: repo)
        #expect(names(local) == ["@alice"], "without the event nothing says @alice wrote the change")
        #expect(local["authors"] as? [String] == ["alice@example.com"])
        #expect(local["notes"] as? [String] == [
            "commit author alice@example.com matches no @name: list it under people: in rules/teams.yml, or an author who owns files as @name can be suggested",
        ])

        let event = try eventFile(#"{"pull_request": {"number": 7, "user": {"login": "alice"}, "base": {"ref": "main"}}}"#, beside: repo)
        let ci = try reviewersJSON(["--base", "main"], in: repo, environment: ["GITHUB_EVENT_PATH": event])
        #expect(names(ci).isEmpty)
        #expect(ci["authors"] as? [String] == ["alice@example.com", "@alice"])
        let unsatisfied = try #require(ci["unsatisfied"] as? [[String: Any]])
        #expect(unsatisfied.map { $0["reason"] as? String } == Array(
            repeating: "only the change's authors own it: @alice is an author of the change", count: 2))

        // The pull-request comment of `check` asks the same suggestion.
        let markdown = try GatehouseCLI.run(["check", "--base", "main", "--format", "markdown"], in: repo.path, environment: ["GITHUB_EVENT_PATH": event])
        #expect(markdown.output.contains("### Suggested reviewers"), "\(markdown.output)\(markdown.stderr)")
        #expect(markdown.output.contains("No reviewer can be suggested."), "\(markdown.output)")
        #expect(markdown.output.contains("Authors, never suggested: `alice@example.com`, `@alice`."), "\(markdown.output)")
    }

    @Test(arguments: [
        "{not json", "[]", #"{"pull_request": {"user": {"login": ""}}}"#, #"{"pull_request": {"user": {"login": "a b"}}}"#,
        #"{"pull_request": {"user": {"login": 12}}}"#, #"{"push": true}"#,
    ])
    func aMalformedEventIsIgnoredSilently(_ payload: String) throws {
        let repo = try reviewersRepository(rules: "* @alice\n", teams: nil)
        let event = try eventFile(payload, beside: repo)
        let result = try GatehouseCLI.run(["reviewers", "--base", "main"], in: repo.path, environment: ["GITHUB_EVENT_PATH": event])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(result.output.hasPrefix("Reviewers (exact: no smaller set covers every requirement; 1 candidate):\n  @alice  "), "\(result.output)")
    }

    @Test func aMissingOrUnreadableEventIsIgnoredSilently() throws {
        let repo = try reviewersRepository(rules: "* @alice\n", teams: nil)
        for path in [repo.parentFolder + "/no-such-event.json", repo.parentFolder, ""] {
            let json = try reviewersJSON(["--base", "main"], in: repo, environment: ["GITHUB_EVENT_PATH": path])
            #expect(names(json) == ["@alice"], "\(path)")
            #expect(json["authors"] as? [String] == ["alice@example.com"])
        }
    }

    @Test func theNoteNamesOnlyAddressesThatMatchNoName() throws {
        // Alice is listed; Carl's address is not, and the no-reply address is @erin by itself.
        let repo = try reviewersRepository(rules: "* @bob\n", teams: "people:\n  \"@alice\": [alice@example.com]\n")
        try repo.write("src/app.swift", "carl\n")
        try repo.commit("carl", author: "Carl <carl@example.com>", date: "2026-01-02T00:00:00Z")
        try repo.write("src/app.swift", "erin\n")
        try repo.commit("erin", author: "Erin <123+erin@users.noreply.github.com>", date: "2026-01-03T00:00:00Z")
        let json = try reviewersJSON(["--base", "main"], in: repo)
        #expect(Set(json["authors"] as? [String] ?? []) == ["@alice", "carl@example.com", "@erin"])
        #expect(json["notes"] as? [String] == [
            "commit author carl@example.com matches no @name: list it under people: in rules/teams.yml, or an author who owns files as @name can be suggested",
        ])
        // Everyone known: no note.
        try repo.commitOnBranch("main", ["rules/teams.yml": "people:\n  \"@alice\": [alice@example.com]\n  \"@carl\": [carl@example.com]\n"])
        #expect(try reviewersJSON(["--base", "main"], in: repo)["notes"] as? [String] == [])
    }

    // MARK: Placeholder owners

    @Test func rulesCheckWarnsAboutEveryPlaceholderInitWrote() throws {
        let repo = try TestRepository()
        try repo.write("src/main.go", "package main\n")
        try repo.write("docs/guide.md", "# Guide\n")
        try repo.write("README.md", "# Demo\n")  // so the default line decides a file
        try repo.commit("code")
        #expect(try GatehouseCLI.run(["init"], in: repo.path).status == 0)
        let codeowners = try #require(contents(repo, "rules/CODEOWNERS"))
        let lines = codeowners.split(separator: "\n", omittingEmptySubsequences: false)
        func position(_ owner: String) throws -> String {
            let index = try #require(lines.firstIndex { $0.contains(owner) })
            let column = try #require(lines[index].range(of: owner)).lowerBound
            return "\(index + 1):\(lines[index].distance(from: lines[index].startIndex, to: column) + 1)"
        }

        let check = try GatehouseCLI.run(["rules", "check"], in: repo.path)
        #expect(check.status == 0, "placeholders are warnings: \(check.output)\(check.stderr)")
        for owner in ["@your-org/maintainers", "@your-org/docs-owners", "@your-org/src-owners"] {
            let expected = "rules/CODEOWNERS:\(try position(owner)): warning: '\(owner)' is the placeholder owner `gatehouse init` wrote; "
                + "replace it with a real user (@name) or team (@org/team). [owner]\n"
            #expect(check.output.contains(expected), "\(check.output)")
        }
        #expect(check.output.hasSuffix("0 errors, 3 warnings\n"), "\(check.output)")

        let json = try GatehouseCLI.run(["rules", "check", "--format", "json"], in: repo.path)
        let problems = try #require((try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any])?["problems"] as? [[String: Any]])
        #expect(problems.count == 3)
        #expect(problems.allSatisfy { $0["kind"] as? String == "owner" && $0["severity"] as? String == "warning" })

        // Real owners leave nothing to warn about.
        try repo.write("rules/CODEOWNERS", codeowners.replacingOccurrences(of: "@your-org/", with: "@acme/"))
        let fixed = try GatehouseCLI.run(["rules", "check"], in: repo.path)
        #expect(fixed.output.hasSuffix("0 errors, 0 warnings\n"), "\(fixed.output)")
    }

    // MARK: rules check before the first commit

    @Test func rulesCheckBeforeTheFirstCommitChecksTheStagedFiles() throws {
        let repo = try TestRepository()
        try repo.write("src/main.go", "package main\n")
        try repo.write("rules/CODEOWNERS", "* @acme/all\n/src/ @acme/go\n/lib/ @acme/lib\n")

        let nothingStaged = try GatehouseCLI.run(["rules", "check"], in: repo.path)
        #expect(nothingStaged.status == 2)
        #expect(nothingStaged.stderr.contains("no commits yet and nothing is staged"), "\(nothingStaged.stderr)")
        #expect(nothingStaged.stderr.contains("then run gatehouse rules check"), "\(nothingStaged.stderr)")
        #expect(!nothingStaged.stderr.contains("--staged"), "rules check has no --staged: \(nothingStaged.stderr)")

        try repo.git(["add", "-A"])
        let staged = try GatehouseCLI.run(["rules", "check"], in: repo.path)
        #expect(staged.status == 0, "\(staged.stderr)")
        #expect(staged.stderr.contains("note: no commit yet, so the rules are checked against the 2 files staged in the index."), "\(staged.stderr)")
        #expect(staged.output == """
            rules/CODEOWNERS:3:1: warning: '/lib/' matches no tracked file. Fix the pattern, or remove the line if the files are gone. [no-match]
            rules/CODEOWNERS (github dialect, 3 rules): 0 errors, 1 warning

            """)

        let fromHead = try GatehouseCLI.run(["rules", "check", "--rules-from", "head"], in: repo.path)
        #expect(fromHead.status == 2)
        #expect(fromHead.stderr.contains("there is no commit yet, so the head has no rules to read"), "\(fromHead.stderr)")
        #expect(!fromHead.stderr.contains("--staged"), "\(fromHead.stderr)")

        // The staged change itself can be looked at: its base is the empty tree, which has no rules.
        let owners = try GatehouseCLI.run(["owners", "--staged"], in: repo.path)
        #expect(owners.status == 0, "\(owners.stderr)")
        #expect(owners.output.contains("src/main.go  (unowned)\n"), "\(owners.output)")
        #expect(owners.output.contains("src/main.go  (unowned) -> @acme/go\n"), "the new rules' effect: \(owners.output)")
    }

    // MARK: init's next steps name the repository's branch

    @Test func initNamesTheDefaultBranchOfTheRepository() throws {
        let master = try TestRepository()
        try master.git(["symbolic-ref", "HEAD", "refs/heads/master"])
        try master.write("README.md", "# Demo\n")
        try master.commit("start")
        try master.git(["checkout", "-q", "-b", "feature"])
        let onFeature = try GatehouseCLI.run(["init"], in: master.path)
        #expect(onFeature.status == 0, "\(onFeature.stderr)")
        #expect(onFeature.output.contains("'gatehouse checklist --base master' shows what a change gets."), "\(onFeature.output)")
        #expect(!onFeature.output.contains("--base main"))

        // Before the first commit the branch exists only in HEAD.
        let trunk = try TestRepository()
        try trunk.git(["symbolic-ref", "HEAD", "refs/heads/trunk"])
        let fresh = try GatehouseCLI.run(["init"], in: trunk.path)
        #expect(fresh.output.contains("'gatehouse checklist --base trunk' shows"), "\(fresh.output)")

        // A clone knows its remote's default branch.
        let clone = TestRepository(existing: master.parentFolder + "/clone")
        try master.git(["checkout", "-q", "master"])
        try master.git(["branch", "-m", "master", "develop"])
        try master.git(["clone", "-q", master.path, clone.path])
        let cloned = try GatehouseCLI.run(["init"], in: clone.path)
        #expect(cloned.output.contains("'gatehouse checklist --base develop' shows"), "\(cloned.output)")
    }
}
