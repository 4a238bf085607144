import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseGit

enum ReviewersFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case markdown
    case json
}

struct Reviewers: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Suggest the fewest reviewers who satisfy every code-owner requirement of a change.",
        discussion: """
            Requirements come from the base's CODEOWNERS (GitHub: one owner of each file; GitLab: each \
            required section's approvals). Teams are expanded to people with rules/teams.yml; the change's \
            authors (in GitHub Actions the pull request's author too, from $GITHUB_EVENT_PATH), unavailable \
            people and people at their open-review cap are never suggested. Ties go to recent authorship of \
            the files, then to a seed from the branch name. See docs/REVIEWERS.md.

            Exit 0 whatever the suggestion (it is advice); 2 for bad input.
            """)

    @OptionGroup var change: ChangeOptions
    @OptionGroup var rules: RulesOptions

    @Option(help: ArgumentHelp("The teams file. Default: rules/teams.yml where the rules are read (the change's base), if present.", valueName: "path"))
    var teams: String?

    @Option(name: .customLong("author"), help: ArgumentHelp(
        "Someone else who wrote the change and must not review it: @name or an e-mail address (repeatable).", valueName: "name"))
    var authors: [String] = []

    @Option(help: ArgumentHelp("Break ties with this instead of the branch name.", valueName: "text"))
    var seed: String?

    @Option(name: .customLong("max-commits"), help: ArgumentHelp("Read at most this many recent commits for expertise (1 to 1000000).", valueName: "n"))
    var maxCommits = 500

    @Option(help: ArgumentHelp("Read no commit older than this many days before the change for expertise (1 to 36500).", valueName: "n"))
    var days = 90

    @Option(help: "Output format: text, markdown or json.")
    var format: ReviewersFormat = .text

    mutating func validate() throws {
        for author in authors where !(author.hasPrefix("@") && author.count > 1) && !(author.contains("@") && !author.hasPrefix("@")) {
            throw ValidationError("--author \(author): name a person as @name or by e-mail address.")
        }
        guard Self.commitRange.contains(maxCommits) else {
            throw ValidationError("--max-commits must be from \(Self.commitRange.lowerBound) to \(Self.commitRange.upperBound), found \(maxCommits).")
        }
        guard Self.dayRange.contains(days) else {
            throw ValidationError("--days must be from \(Self.dayRange.lowerBound) to \(Self.dayRange.upperBound) (100 years), found \(days).")
        }
    }

    /// A million commits and a century already reach past any history worth reading for expertise;
    /// beyond, the numbers only risk overflowing the date arithmetic.
    static let commitRange = 1...1_000_000
    static let dayRange = 1...36_500

    func run() throws {
        let (repository, _, changeSet) = try change.readChange(prefetchingRules: true)
        let judging = try change.judgingRules(repository: repository, change: changeSet, from: rules.rulesFrom)
        let ownership = try rules.load(for: changeSet, repository: repository, judging: judging)
        let suggestion = try suggestReviewers(
            repository: repository, judging: judging, change: changeSet, rules: ownership, teamsPath: teams, authors: authors, seed: seed,
            window: HistoryWindow(maxCommits: maxCommits, days: days), headName: change.head)
        switch format {
        case .text: Output.write(ReviewerRenderer.text(suggestion))
        case .markdown: Output.write(ReviewerRenderer.markdown(suggestion))
        case .json: Output.write(ReviewerRenderer.json(suggestion))
        }
    }
}

/// Reviewer suggestion for a change, as `gatehouse reviewers` makes it: `rules` are the ownership
/// rules the change is judged by (default: `judging`'s, the base's unless chosen otherwise), the
/// teams file is `teamsPath` or `judging`'s rules/teams.yml, and history gives the expertise tie-break.
func suggestReviewers(
    repository: Repository, judging: JudgingRules, change: ChangeSet, rules: OwnershipRules? = nil, teamsPath: String? = nil,
    authors: [String] = [], seed: String? = nil, window: HistoryWindow = HistoryWindow(), headName: String = "HEAD"
) throws(GatehouseError) -> ReviewerSuggestion {
    let ownership: OwnershipRules
    if let rules { ownership = rules } else { ownership = try judging.ownershipRules() }
    let root = repository.workdir ?? FileManager.default.currentDirectoryPath + "/"
    let teams: TeamsConfig
    if let teamsPath {
        teams = try TeamsConfig.load(path: teamsPath)
    } else {
        teams = try judging.teams()
    }

    var notes: [String] = []
    var load: [String: Int]?
    if let loadPath = teams.load {
        let full = loadPath.hasPrefix("/") ? loadPath : root + loadPath
        if let data = FileManager.default.contents(atPath: full) {
            load = try TeamsConfig.parseLoad(data, file: loadPath)
        } else {
            // The file is written by a CI job: on a laptop it is usually absent, which is no error.
            notes.append("the load file \(loadPath) does not exist, so max_open_reviews is not applied")
        }
    }

    var commitAuthors = try repository.changeAuthors(change)
    if change.mode == .staged || change.mode == .worktree, let me = repository.configuredAuthor() {
        commitAuthors.append(me)
    }
    var authors = authors
    if let login = pullRequestAuthor(ProcessInfo.processInfo.environment) { authors.append(login) }
    let expertise = try repository.expertise(for: change, window: window)
    var suggestion = ReviewerPlanner.suggest(ReviewerInput(
        change: change, rules: ownership, teams: teams, commitAuthors: commitAuthors, authors: authors, expertise: expertise,
        load: load, seed: seed ?? branchSeed(repository: repository, change: change, headName: headName), notes: notes))
    if teams.file == nil, suggestion.reviewers.contains(where: \.isTeam) {
        suggestion.notes.append("no \(TeamsConfig.defaultPath): teams are suggested as teams; list their members there to have people suggested")
    }
    return suggestion
}

/// `@login` of the pull request's author from the GitHub Actions event payload, which names the
/// author even when their commit address is linked to no @name. The payload is context, not input
/// the user gave: when it is missing, unreadable or not the expected JSON it is ignored.
func pullRequestAuthor(_ environment: [String: String]) -> String? {
    guard let path = environment["GITHUB_EVENT_PATH"], !path.isEmpty,
          let data = FileManager.default.contents(atPath: path),
          let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let pullRequest = root["pull_request"] as? [String: Any],
          let user = pullRequest["user"] as? [String: Any],
          let login = user["login"] as? String, !login.isEmpty, login.count <= 100,
          // Logins are letters, digits and dashes (apps add "[bot]"); anything else is not a login.
          login.unicodeScalars.allSatisfy({
              $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_[].".unicodeScalars.contains($0))
          })
    else { return nil }
    return "@" + login
}

/// The name of the branch under review, so that the same branch gets the same picks: from CI
/// (where the checkout is usually detached), else --head when it names a branch, else the
/// checked-out branch, else the head commit.
func branchSeed(repository: Repository, change: ChangeSet, headName: String) -> String {
    let environment = ProcessInfo.processInfo.environment
    for variable in ["GITHUB_HEAD_REF", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "BUILDKITE_BRANCH", "CHANGE_BRANCH"] {
        if let value = environment[variable], !value.isEmpty { return value }
    }
    if headName != "HEAD", !headName.hasPrefix("HEAD~"), !headName.hasPrefix("HEAD^"), repository.resolves("refs/heads/" + headName) {
        return headName
    }
    return repository.headBranch() ?? change.head ?? change.base ?? ""
}

extension RulesOptions {
    /// No --rules, --dialect or --rules-from: the configuration decides, for commands without these options.
    static var defaults: RulesOptions {
        do {
            return try RulesOptions.parse([])
        } catch {
            fatalError("RulesOptions must parse an empty command line: \(error)")
        }
    }
}
