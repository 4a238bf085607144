import Foundation
import GatehouseCore
import Testing

private func placeholders(_ text: String, _ dialect: OwnershipDialect, withSource: Bool = true) throws -> [String] {
    let bytes = Array(text.utf8)
    let file = try CodeownersParser.parse(bytes, path: "CODEOWNERS", dialect: dialect)
    return RulesCheck.problems(OwnershipRules(file), trackedFiles: [], requireAll: false, source: withSource ? bytes : nil)
        .filter { RulesCheck.Kind($0) == .owner && $0.message.contains("placeholder") }
        .map { "\($0.line ?? 0):\($0.location?.column ?? 0) \($0.severity.rawValue) \($0.message.prefix { $0 != " " })" }
}

@Suite("Ownership: placeholder owners from gatehouse init")
struct PlaceholderOwnerTests {
    @Test func theSkeletonInitWritesIsFlaggedOwnerByOwner() throws {
        let tracked: [RepoPath] = ["README.md", "src/a.go", "docs/b.md"]
        let text = try #require(StarterRules.files(trackedFiles: tracked).first { $0.path == "rules/CODEOWNERS" }).contents
        let bytes = Array(text.utf8)
        let file = try CodeownersParser.parse(bytes, path: "rules/CODEOWNERS", dialect: .github)
        let problems = RulesCheck.problems(OwnershipRules(file), trackedFiles: tracked, requireAll: false, source: bytes)
        #expect(file.rules.allSatisfy { $0.owners.allSatisfy { $0.hasPrefix(StarterRules.placeholderOwnerPrefix) } })
        #expect(problems.count == file.rules.count, "\(problems)")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (problem, rule) in zip(problems, file.rules) {
            #expect(RulesCheck.Kind(problem) == .owner && problem.severity == .warning)
            #expect(problem.line == rule.line)
            let number = try #require(problem.line), column = try #require(problem.location?.column)
            let line = lines[number - 1]
            let owner = try #require(rule.owners.first)
            #expect(line.dropFirst(column - 1).hasPrefix(owner), "\(number):\(column) in '\(line)'")
            #expect(problem.message == "'\(owner)' is the placeholder owner `gatehouse init` wrote; replace it with a real user (@name) or team (@org/team).")
        }
    }

    @Test func githubOwnersAreFoundAtTheirColumnsAndCommentsAreNotOwners() throws {
        #expect(try placeholders("* @your-org/a @real # @your-org/b\n  /docs/\t@Your-Org/Docs\n/x/ @your-org\n", .github) == [
            "1:3 warning '@your-org/a'", "2:10 warning '@Your-Org/Docs'",
        ])
        // Without the text the rule's position is the best known.
        #expect(try placeholders("* @your-org/a @real\n  /docs/ @x @your-org/b\n", .github, withSource: false) == [
            "1:1 warning '@your-org/a'", "2:3 warning '@your-org/b'",
        ])
        // Unusable lines say what is wrong with them instead.
        #expect(try placeholders("!x @your-org/a\n", .github).isEmpty)
    }

    @Test func gitlabHeadersAndOwnersAfterAHashAreChecked() throws {
        let text = """
            [Docs][2] @your-org/docs
            *.md
            ^[Style] @real @your-org/style # @your-org/comment
            *.css
            *.go @your-org/go # @your-org/more
            [Broken @your-org/never

            """
        #expect(try placeholders(text, .gitlab) == [
            "1:11 warning '@your-org/docs'", "3:16 warning '@your-org/style'", "5:6 warning '@your-org/go'", "5:21 warning '@your-org/more'",
        ])
        #expect(try placeholders(text, .gitlab, withSource: false) == [
            "1:1 warning '@your-org/docs'", "3:1 warning '@your-org/style'", "5:1 warning '@your-org/go'", "5:1 warning '@your-org/more'",
        ])
    }

    // MARK: Commit addresses that match no @name

    @Test func theNoteListsUnlinkedAddressesOnOneLine() throws {
        let change = ChangeSet(
            mode: .threeDot, base: "base", head: "head", mergeBase: "base",
            baseSelection: BaseSelection(source: .option, revision: "main", reason: "--base main"),
            files: [ChangedFile(path: "a.swift", status: .modified)])
        let rules = OwnershipRules(try CodeownersParser.parse(Array("* @bob\n".utf8), path: "CODEOWNERS", dialect: .github))
        let teams = try TeamsConfig.parse(Data("people:\n  \"@alice\": [alice@example.com]\n".utf8), file: "rules/teams.yml")
        func note(_ emails: [String]) -> [String] {
            ReviewerPlanner.suggest(ReviewerInput(
                change: change, rules: rules, teams: teams, commitAuthors: emails.map { ChangeAuthor(name: "", email: $0) })).notes
        }
        #expect(note(["ALICE@example.com", "1+dan@users.noreply.github.com", ""]).isEmpty)
        #expect(note(["x@example.com", "X@example.com"]) == [
            "commit author x@example.com matches no @name: list it under people: in rules/teams.yml, or an author who owns files as @name can be suggested",
        ])
        let many = note(["a@x.org", "b@x.org", "alice@example.com", "c@x.org", "d@x.org", "e@x.org"])
        #expect(many == [
            "commit authors a@x.org, b@x.org, c@x.org and 2 more match no @name: list them under people: in rules/teams.yml, or an author who owns files as @name can be suggested",
        ])
        #expect(!many[0].contains("\n"))
    }
}
