import Foundation
import GatehouseCore
import GatehouseTestSupport
import Testing

private func change(_ files: [ChangedFile]) -> ChangeSet {
    ChangeSet(
        mode: .threeDot, base: "base", head: "head", mergeBase: "base",
        baseSelection: BaseSelection(source: .option, revision: "main", reason: "--base main"), files: files)
}

private func modified(_ paths: String...) -> [ChangedFile] {
    paths.map { ChangedFile(path: RepoPath($0), status: .modified) }
}

private func rules(_ text: String, path: String = "CODEOWNERS", dialect: OwnershipDialect? = nil) throws -> OwnershipRules {
    OwnershipRules(try CodeownersParser.parse(Array(text.utf8), path: path, dialect: dialect))
}

private func teams(_ yaml: String) throws -> TeamsConfig {
    try TeamsConfig.parse(Data(yaml.utf8), file: "rules/teams.yml")
}

private func suggest(
    _ files: [ChangedFile], rules: OwnershipRules, teams: TeamsConfig = TeamsConfig(), authors: [ChangeAuthor] = [],
    extra: [String] = [], expertise: Expertise = Expertise(), load: [String: Int]? = nil, seed: String = "feature"
) -> ReviewerSuggestion {
    ReviewerPlanner.suggest(ReviewerInput(
        change: change(files), rules: rules, teams: teams, commitAuthors: authors, authors: extra, expertise: expertise,
        load: load, seed: seed))
}

private let backend = """
    teams:
      "@org/backend": ["@alice", "@bob"]
      "@org/docs": ["@dora"]
      "@org/empty": []
    people:
      "@alice": [alice@example.com]
      "@bob": [bob@example.com]
      "@carol": [carol@example.com]
    """

@Suite("Reviewers: requirements, exclusions and choices")
struct ReviewerPlannerTests {
    @Test func githubNeedsOneOwnerOfEachFilesWinningRule() throws {
        let owners = try rules("* @carol\n/src/ @org/backend\n/docs/ @org/docs @carol\n")
        let result = suggest(modified("src/a.swift", "src/b.swift", "docs/x.md", "README.md"), rules: owners, teams: try teams(backend))
        // @carol owns README.md and docs/ (either owner of a rule will do); one of the backend for src/.
        #expect(result.reviewers.count == 2)
        #expect(result.reviewers.map(\.name).contains("@carol"))
        #expect(Set(result.reviewers.flatMap(\.covers)) == ["src/a.swift", "src/b.swift", "docs/x.md", "README.md"])
        #expect(result.method == .exact)
        #expect(result.unsatisfied.isEmpty)
        let member = try #require(result.reviewers.first { $0.name != "@carol" })
        #expect(["@alice", "@bob"].contains(member.name))
        #expect(member.reasons == ["member of @org/backend, which owns these files (CODEOWNERS:2)"])
    }

    @Test func authorsAreNeverSuggestedWhetherFromCommitsOrFlags() throws {
        let owners = try rules("* @alice @bob @carol\n")
        let byCommit = suggest(modified("a.txt"), rules: owners, teams: try teams(backend),
                               authors: [ChangeAuthor(name: "A", email: "Alice@Example.com"), ChangeAuthor(name: "B", email: "bob@example.com")])
        #expect(byCommit.authors == ["@alice", "@bob"])
        #expect(byCommit.reviewers.map(\.name) == ["@carol"])
        let byFlag = suggest(modified("a.txt"), rules: owners, teams: try teams(backend), extra: ["@carol", "bob@example.com"])
        #expect(byFlag.authors == ["@carol", "@bob"])
        #expect(byFlag.reviewers.map(\.name) == ["@alice"])
        // A GitHub no-reply address names the person without any people entry.
        let noReply = suggest(modified("a.txt"), rules: try rules("* @dan @erin\n"), authors: [ChangeAuthor(name: "D", email: "123+dan@users.noreply.github.com")])
        #expect(noReply.authors == ["@dan"])
        #expect(noReply.reviewers.map(\.name) == ["@erin"])
    }

    @Test func anAuthorWhoOwnsEverythingLeavesItUnsatisfied() throws {
        let owners = try rules("* @alice\n/docs/ @org/backend\n")
        let result = suggest(modified("src/a.swift", "docs/x.md"), rules: owners, teams: try teams(backend), extra: ["@alice"])
        #expect(result.reviewers.map(\.name) == ["@bob"])
        #expect(result.unsatisfied.map(\.path) == ["src/a.swift"])
        let entry = try #require(result.unsatisfied.first)
        #expect(entry.owners == ["@alice"])
        #expect(entry.section == nil)
        #expect(entry.reason == "only the change's authors own it: @alice is an author of the change")
        let alone = suggest(modified("src/a.swift"), rules: owners, teams: try teams(backend), extra: ["@alice"])
        #expect(alone.reviewers.isEmpty)
        #expect(ReviewerRenderer.text(alone).hasPrefix("No reviewer can be suggested.\n"))
    }

    @Test func unavailablePeopleAndEmptyTeamsAreReportedWithTheirReason() throws {
        var config = try teams(backend)
        config.unavailable = ["@bob", "carol@example.com"]
        let owners = try rules("/src/ @org/backend\n/lib/ @carol\n/empty/ @org/empty\n/mixed/ @org/empty @alice\n")
        let result = suggest(modified("src/a.swift", "lib/b.swift", "empty/c.txt", "mixed/d.txt"), rules: owners, teams: config, extra: ["@alice"])
        #expect(result.reviewers.isEmpty)
        let reasons = Dictionary(uniqueKeysWithValues: result.unsatisfied.map { ($0.path.string, $0.reason) })
        #expect(reasons["src/a.swift"] == "no owner can review it: @org/backend: @alice is an author of the change, @bob is unavailable (rules/teams.yml)")
        #expect(reasons["lib/b.swift"] == "no owner can review it: @carol is unavailable (rules/teams.yml)")
        #expect(reasons["empty/c.txt"] == "no owner can review it: @org/empty has no members in rules/teams.yml")
        #expect(reasons["mixed/d.txt"] == "no owner can review it: @org/empty has no members in rules/teams.yml; @alice is an author of the change")
    }

    @Test func teamsWithoutAnEntryAreAskedAsTeams() throws {
        let owners = try rules("/src/ @org/unknown\n/docs/ docs@example.com\n")
        let result = suggest(modified("src/a.swift", "docs/b.md"), rules: owners, teams: try teams(backend + "\n  \"@dora\": [docs@example.com]\n"))
        #expect(result.reviewers.map(\.name).sorted() == ["@dora", "@org/unknown"])
        let team = try #require(result.reviewers.first { $0.isTeam })
        #expect(team.reasons.first?.hasPrefix("asked as a team (rules/teams.yml does not list its members)") == true)
        // An e-mail owner teams.yml does not know stays an address.
        let bare = suggest(modified("docs/b.md"), rules: owners)
        #expect(bare.reviewers.map(\.name) == ["docs@example.com"])
        #expect(bare.reviewers.first?.isTeam == false)
    }

    @Test func gitlabSectionsNeedTheirApprovalsFromDistinctPeopleAndOptionalOnesAreListed() throws {
        let owners = try rules("""
            [Backend][2] @org/backend @carol
            /src/

            ^[Style] @dora
            *.swift

            [Docs]
            /docs/ @carol
            """, path: ".gitlab/CODEOWNERS")
        let result = suggest(modified("src/a.swift", "docs/x.md"), rules: owners, teams: try teams(backend))
        // Two of alice, bob and carol for src/, and carol for docs/: carol and one other.
        #expect(result.reviewers.count == 2)
        #expect(result.reviewers.first?.name == "@carol")
        #expect(result.reviewers.first?.covers == ["docs/x.md", "src/a.swift"])
        #expect(result.reviewers.first?.reasons.contains("[Backend] needs 2 approvals") == true)
        #expect(result.optional.map { [$0.section] + $0.owners + $0.paths.map(\.string) } == [["Style", "@dora", "src/a.swift"]])
        #expect(!result.reviewers.contains { $0.name == "@dora" })

        // With carol writing the change, two backend people remain for src/, and docs/ is nobody's.
        let carol = suggest(modified("src/a.swift", "docs/x.md"), rules: owners, teams: try teams(backend), extra: ["@carol"])
        #expect(carol.reviewers.map(\.name).sorted() == ["@alice", "@bob"])
        #expect(carol.unsatisfied.map(\.path) == ["docs/x.md"])
        #expect(carol.unsatisfied.first?.section == "Docs")

        // With bob away too, one approval of two can be had: suggested, and the gap reported.
        var away = try teams(backend)
        away.unavailable = ["@bob"]
        let short = suggest(modified("src/a.swift"), rules: owners, teams: away, extra: ["@carol"])
        #expect(short.reviewers.map(\.name) == ["@alice"])
        let gap = try #require(short.unsatisfied.first)
        #expect(gap.approvals == 2)
        #expect(gap.available == ["@alice"])
        #expect(gap.reason.hasPrefix("needs 2 approvals, but only 1 owner can review (@alice): "))
    }

    @Test func peopleAtTheirOpenReviewCapAreSkipped() throws {
        var config = try teams(backend)
        config.maxOpenReviews = 3
        config.load = "load.json"
        let owners = try rules("* @org/backend\n")
        let result = suggest(modified("a.txt"), rules: owners, teams: config, load: ["@alice": 3, "bob@example.com": 1])
        #expect(result.reviewers.map(\.name) == ["@bob"])
        #expect(result.reviewers.first?.openReviews == 1)
        #expect(result.reviewers.first?.reasons.last == "has 1 open review (max_open_reviews: 3)")
        let full = suggest(modified("a.txt"), rules: owners, teams: config, load: ["@alice": 3, "@bob": 7])
        #expect(full.unsatisfied.first?.reason == "no owner can review it: @org/backend: @alice has 3 open reviews (max_open_reviews: 3), @bob has 7 open reviews (max_open_reviews: 3)")
    }

    @Test func renamedFilesNeedTheOwnersOfBothPathsAndDeletedFilesCount() throws {
        let owners = try rules("/old/ @alice\n/new/ @bob\n/gone/ @carol\n")
        let files = [
            ChangedFile(path: "new/a.swift", oldPath: "old/a.swift", status: .renamed, similarity: 100),
            ChangedFile(path: "gone/b.txt", status: .deleted),
            ChangedFile(path: "new/copy.swift", oldPath: "old/src.swift", status: .copied, similarity: 100),
        ]
        let result = suggest(files, rules: owners)
        #expect(result.reviewers.map(\.name).sorted() == ["@alice", "@bob", "@carol"])
        #expect(result.reviewers.first { $0.name == "@alice" }?.covers == ["old/a.swift"])
        // A copy leaves its source as it was: only the new path needs review.
        #expect(!result.reviewers.contains { $0.covers.contains("old/src.swift") })
    }

    @Test func unownedPathsNeedNobody() throws {
        let result = suggest(modified("a.txt", "src/b.txt"), rules: try rules("/src/ @alice\n/a.txt\n"))
        #expect(result.unowned == ["a.txt"])
        #expect(result.reviewers.map(\.name) == ["@alice"])
        let none = suggest(modified("a.txt"), rules: try rules("/src/ @alice\n"))
        #expect(ReviewerRenderer.text(none).hasPrefix("No reviewer needed"))
    }

    @Test func expertiseBreaksTiesBeforeTheSeed() throws {
        let owners = try rules("* @org/backend\n")
        var expertise = Expertise()
        expertise.recordLines(4, email: "bob@example.com", path: "a.txt")
        for seed in ["one", "two", "three", "four", "five"] {
            let result = suggest(modified("a.txt"), rules: owners, teams: try teams(backend), expertise: expertise, seed: seed)
            #expect(result.reviewers.map(\.name) == ["@bob"])
            #expect(result.reviewers.first?.expertise == 4)
            #expect(result.reviewers.first?.reasons.contains("last wrote 4 of the lines this change edits") == true)
        }
        expertise.recordCommit("abc", email: "alice@example.com", path: "a.txt")
        let commits = suggest(modified("a.txt"), rules: owners, teams: try teams(backend), expertise: expertise)
        #expect(commits.reviewers.map(\.name) == ["@alice"])
        #expect(commits.reviewers.first?.reasons.last == "made 1 of the recent commits to this file")
    }

    @Test func theBranchSeedSettlesRemainingTiesTheSameWayEveryTime() throws {
        let owners = try rules("* @p1 @p2 @p3 @p4 @p5 @p6\n")
        var picks = Set<String>()
        for seed in (0..<20).map({ "feature/\($0)" }) {
            let first = suggest(modified("a.txt"), rules: owners, seed: seed).reviewers.map(\.name)
            let again = suggest(modified("a.txt"), rules: owners, seed: seed).reviewers.map(\.name)
            #expect(first == again)
            #expect(first.count == 1)
            picks.formUnion(first)
            // The pick is the owner whose FNV-1a of seed and name is smallest: stable across runs and machines.
            let expected = (1...6).map { "@p\($0)" }.min { StableHash.fnv1a(seed + "\u{0}" + $0) < StableHash.fnv1a(seed + "\u{0}" + $1) }
            #expect(first == [expected!])
        }
        #expect(picks.count >= 3)
    }

    @Test func manyCandidatesAreChosenGreedilyWithTheBoundStated() throws {
        let text = (0..<30).map { "/d\($0)/ @p\($0) @p\(($0 + 1) % 30)" }.joined(separator: "\n")
        let files = (0..<30).map { ChangedFile(path: RepoPath("d\($0)/f.txt"), status: .modified) }
        let result = suggest(files, rules: try rules(text))
        #expect(result.method == .greedy)
        #expect(result.candidateCount == 30)
        #expect(result.reviewers.count >= 15 && Double(result.reviewers.count) <= result.bound * 15)
        #expect(abs(result.bound - 1.5) < 1e-9)  // each person can meet 2 requirements: H(2)
        #expect(ReviewerRenderer.text(result).contains("greedy: at most 1.5 times the smallest set, which has at least 15; 30 candidates"))
    }

    @Test func renderedOutputMatchesTheGoldenFiles() throws {
        let owners = try rules("""
            * @org/backend
            [Docs][2] @org/docs @carol
            /docs/
            ^[Style]
            *.md @dora
            [Secrets]
            /secrets/ @alice
            """, path: ".gitlab/CODEOWNERS")
        var config = try teams(backend + "\n  \"@dora\": [dora@example.com]\n")
        config.teams["@org/docs"] = ["@dora", "@erin"]
        config.maxOpenReviews = 4
        config.load = "load.json"
        var expertise = Expertise()
        expertise.recordLines(12, email: "bob@example.com", path: "src/app.swift")
        expertise.recordCommit("c1", email: "bob@example.com", path: "src/app.swift")
        expertise.recordCommit("c2", email: "dora@example.com", path: "docs/guide.md")
        let files = [
            ChangedFile(path: "src/app.swift", status: .modified), ChangedFile(path: "docs/guide.md", status: .modified),
            ChangedFile(path: "secrets/key_1.txt", status: .added),
            ChangedFile(path: "src/new.swift", oldPath: "src/old.swift", status: .renamed, similarity: 90),
        ]
        let result = ReviewerPlanner.suggest(ReviewerInput(
            change: change(files), rules: owners, teams: config, commitAuthors: [ChangeAuthor(name: "Alice", email: "alice@example.com")],
            expertise: expertise, load: ["@erin": 4, "@dora": 1], seed: "feature/login",
            notes: ["the load file is a day old"]))
        try Golden.check(ReviewerRenderer.text(result), against: "reviewers-gitlab.txt")
        try Golden.check(ReviewerRenderer.markdown(result), against: "reviewers-gitlab.md")
        try Golden.check(ReviewerRenderer.json(result), against: "reviewers-gitlab.json")
        #expect(result.reviewers.map(\.name) == ["@bob", "@dora", "@carol"])
        #expect(!ReviewerRenderer.markdown(result).contains(" @"), "Markdown must not mention anyone")
    }
}
