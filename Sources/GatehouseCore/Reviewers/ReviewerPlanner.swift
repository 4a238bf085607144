/// Everything reviewer suggestion needs, gathered by the caller (the history parts through libgit2).
public struct ReviewerInput: Sendable {
    public var change: ChangeSet
    /// The rules the change is judged by: the base's, as GitHub reads them.
    public var rules: OwnershipRules
    public var teams: TeamsConfig
    /// Authors of the commits in the change.
    public var commitAuthors: [ChangeAuthor]
    /// More authors, as `--author` names them: `@name` or an e-mail address.
    public var authors: [String]
    public var expertise: Expertise
    /// Open reviews per person (keys lowercased), when a load file was read.
    public var load: [String: Int]?
    /// Ties between equally good sets are settled by this (the branch name), so the same branch
    /// gets the same picks.
    public var seed: String
    /// Said alongside the suggestion (a missing load file, for instance).
    public var notes: [String]
    /// Search exhaustively up to this many candidates; greedy beyond.
    public var exactLimit: Int

    public init(
        change: ChangeSet, rules: OwnershipRules, teams: TeamsConfig = TeamsConfig(), commitAuthors: [ChangeAuthor] = [],
        authors: [String] = [], expertise: Expertise = Expertise(), load: [String: Int]? = nil, seed: String = "",
        notes: [String] = [], exactLimit: Int = 20
    ) {
        self.change = change
        self.rules = rules
        self.teams = teams
        self.commitAuthors = commitAuthors
        self.authors = authors
        self.expertise = expertise
        self.load = load
        self.seed = seed
        self.notes = notes
        self.exactLimit = exactLimit
    }
}

/// Who should review a change, and what nobody can cover.
public struct ReviewerSuggestion: Sendable, Hashable {
    public struct Reviewer: Sendable, Hashable {
        /// `@name`, an e-mail address (a person teams.yml does not name), or a team asked as a whole.
        public var name: String
        public var isTeam: Bool
        /// The paths whose requirements this reviewer counts towards.
        public var covers: [RepoPath]
        public var reasons: [String]
        /// Expertise points over `covers` (see `Expertise.Score.points`).
        public var expertise: Int
        public var openReviews: Int?
    }

    /// A path whose requirement cannot be met in full.
    public struct Unsatisfied: Sendable, Hashable {
        public var path: RepoPath
        /// The GitLab section; nil for GitHub rules and GitLab's unnamed section.
        public var section: String?
        public var owners: [String]
        public var approvals: Int
        /// Who can still review it, when some approvals can be had.
        public var available: [String]
        public var reason: String
    }

    /// The unsatisfied requirements grouped by section, owners and reason, with their paths in
    /// order: when the author owns `*`, 150 files share one cause and are one line, not 150.
    public struct UnsatisfiedGroup: Sendable, Hashable {
        public var section: String?
        public var owners: [String]
        public var reason: String
        public var paths: [RepoPath]
    }

    public var unsatisfiedGroups: [UnsatisfiedGroup] {
        var groups: [UnsatisfiedGroup] = []
        var index: [UnsatisfiedGroup: Int] = [:]
        for entry in unsatisfied {
            let key = UnsatisfiedGroup(section: entry.section, owners: entry.owners, reason: entry.reason, paths: [])
            if let at = index[key] {
                groups[at].paths.append(entry.path)
            } else {
                index[key] = groups.count
                groups.append(UnsatisfiedGroup(section: entry.section, owners: entry.owners, reason: entry.reason, paths: [entry.path]))
            }
        }
        return groups
    }

    /// A GitLab optional section (`^[Name]`): its owners may review, but none is required.
    public struct OptionalSection: Sendable, Hashable {
        public var section: String
        public var owners: [String]
        public var paths: [RepoPath]
    }

    public var authors: [String]
    public var reviewers: [Reviewer]
    public var unsatisfied: [Unsatisfied]
    public var optional: [OptionalSection]
    /// Paths of the change that no rule gives an owner.
    public var unowned: [RepoPath]
    public var method: CoverSolution.Method
    /// The suggestion has at most `bound` times as many reviewers as the smallest possible (1: exact).
    public var bound: Double
    /// No suggestion can have fewer reviewers than this.
    public var lowerBound: Int
    public var candidateCount: Int
    public var requirementCount: Int
    public var seed: String
    public var rulesFile: String
    public var dialect: OwnershipDialect
    public var teamsFile: String?
    public var window: HistoryWindow
    public var notes: [String]
}

/// Turns ownership requirements, teams, authors and expertise into the smallest set of reviewers.
public enum ReviewerPlanner {
    /// What one rule asks of the files it decides: approvals from its owners.
    struct Requirement {
        var section: Int
        var sectionName: String?
        var owners: [String]
        var approvals: Int
        var isOptional: Bool
        var paths: [RepoPath] = []
        var lines: [Int] = []
    }

    /// Someone available for a requirement: what they give it, and through which owner.
    struct Member {
        var identity: Identity
        /// Approvals they can give: one for a person, all the section needs for a team asked whole.
        var units: Int
        /// The listed team the person belongs to, when that is how they own the files.
        var team: String?
    }

    public static func suggest(_ input: ReviewerInput) -> ReviewerSuggestion {
        let directory = ReviewerDirectory(input.teams)
        let teamsFile = input.teams.file ?? TeamsConfig.defaultPath

        var authors: [Identity] = []
        for identity in input.commitAuthors.map({ directory.person(email: $0.email) }) + input.authors.map(directory.identity(of:))
        where !authors.contains(where: { $0.key == identity.key }) {
            authors.append(identity)
        }
        // Why an identity cannot review, by key.
        var excluded: [String: String] = [:]
        for author in authors { excluded[author.key] = "\(author.display) is an author of the change" }
        for name in input.teams.unavailable {
            let identity = directory.identity(of: name)
            if excluded[identity.key] == nil { excluded[identity.key] = "\(identity.display) is unavailable (\(teamsFile))" }
        }
        var openReviews: [String: Int] = [:]
        if let load = input.load {
            // Several load-file entries can name one person; counts are user input, so the sum saturates.
            for (name, count) in load {
                let key = directory.identity(of: name).key
                openReviews[key] = CoverSolver.saturatingAdd(openReviews[key] ?? 0, count)
            }
            if let cap = input.teams.maxOpenReviews {
                for (key, count) in openReviews where count >= cap && excluded[key] == nil {
                    excluded[key] = "\(directory.identity(of: key).display) has \(count) open review\(count == 1 ? "" : "s") (max_open_reviews: \(cap))"
                }
            }
        }

        let (required, optional, unowned) = requirements(input.change, input.rules)

        // Candidates: everyone available for some requirement, in a fixed order.
        var identities: [String: Identity] = [:]
        var resolved: [(requirement: Requirement, members: [Member], demand: Int)] = []
        var unsatisfied: [ReviewerSuggestion.Unsatisfied] = []
        for requirement in required {
            var available: [Member] = []
            // Who is in `available`: a search of it per owner was quadratic in a rule's owners.
            var availableKeys = Set<String>()
            var why: [String] = []
            var onlyAuthors = true
            for owner in requirement.owners {
                let expansion = directory.expand(owner)
                if expansion.isListedTeam, expansion.identities.isEmpty {
                    why.append("\(owner) has no members in \(teamsFile)")
                    onlyAuthors = false
                    continue
                }
                var reasons: [String] = []
                for identity in expansion.identities {
                    if let reason = excluded[identity.key] {
                        reasons.append(reason)
                        if !authors.contains(where: { $0.key == identity.key }) { onlyAuthors = false }
                        continue
                    }
                    guard availableKeys.insert(identity.key).inserted else { continue }
                    available.append(Member(
                        identity: identity, units: identity.kind == .team ? requirement.approvals : 1,
                        team: expansion.isListedTeam ? expansion.owner : nil))
                    identities[identity.key] = identity
                }
                if !reasons.isEmpty {
                    why.append(expansion.isListedTeam ? "\(owner): \(reasons.joined(separator: ", "))" : reasons.joined(separator: ", "))
                }
            }
            let units = CoverSolver.saturatingSum(available.lazy.map(\.units))
            let demand = min(requirement.approvals, units)
            if demand < requirement.approvals {
                let reason: String
                if available.isEmpty {
                    reason = (onlyAuthors ? "only the change's authors own it: " : "no owner can review it: ") + why.joined(separator: "; ")
                } else {
                    let names = available.map(\.identity.display).joined(separator: ", ")
                    reason = "needs \(requirement.approvals) approvals, but only \(units) owner\(units == 1 ? "" : "s") can review (\(names)): "
                        + why.joined(separator: "; ")
                }
                for path in requirement.paths {
                    unsatisfied.append(ReviewerSuggestion.Unsatisfied(
                        path: path, section: requirement.sectionName, owners: requirement.owners, approvals: requirement.approvals,
                        available: available.map(\.identity.display), reason: reason))
                }
            }
            if demand > 0 { resolved.append((requirement, available, demand)) }
        }

        let keys = identities.keys.sorted()
        let index = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        let scores = expertiseByIdentity(input.expertise, directory)
        var covers = Array(repeating: Set<RepoPath>(), count: keys.count)
        var problem = CoverProblem(candidateCount: keys.count, requirements: [])
        for (requirement, available, demand) in resolved {
            let members = available.map { index[$0.identity.key]! }
            for member in members { covers[member].formUnion(requirement.paths) }
            problem.requirements.append(CoverProblem.Requirement(members: members, units: available.map(\.units), demand: demand))
        }
        problem.weights = keys.indices.map { candidate in
            CoverSolver.saturatingSum(covers[candidate].lazy.map { scores[keys[candidate]]?[$0]?.points ?? 0 })
        }
        problem.ranks = keys.map { StableHash.fnv1a(input.seed + "\u{0}" + $0) }
        let solution = CoverSolver.solve(problem, exactLimit: input.exactLimit)

        // Each chosen reviewer's requirements, in one pass: a search of every requirement per
        // reviewer was quadratic when each section has its own owner.
        let chosenKeys = Set(solution.chosen.map { keys[$0] })
        var membershipsByKey: [String: [(Requirement, String?)]] = [:]
        for (requirement, available, _) in resolved {
            var seen = Set<String>()
            for member in available where chosenKeys.contains(member.identity.key) && seen.insert(member.identity.key).inserted {
                membershipsByKey[member.identity.key, default: []].append((requirement, member.team))
            }
        }
        var reviewers: [ReviewerSuggestion.Reviewer] = []
        for candidate in solution.chosen {
            let identity = identities[keys[candidate]]!
            let memberships = membershipsByKey[identity.key] ?? []
            var reasons = ownershipReasons(
                identity, memberships, covers: covers[candidate], rulesFile: input.rules.file.path, teamsFile: teamsFile)
            let score = covers[candidate].reduce(into: Expertise.Score()) { total, path in
                if let score = scores[identity.key]?[path] {
                    total.commits.formUnion(score.commits)
                    total.lines += score.lines
                }
            }
            if score.lines > 0 {
                reasons.append("last wrote \(score.lines) of the lines this change edits")
            }
            if !score.commits.isEmpty {
                reasons.append("made \(score.commits.count) of the recent commits to \(covers[candidate].count == 1 ? "this file" : "these files")")
            }
            let open = input.load == nil || identity.kind == .team ? nil : openReviews[identity.key] ?? 0
            if let open, let cap = input.teams.maxOpenReviews {
                reasons.append("has \(open) open review\(open == 1 ? "" : "s") (max_open_reviews: \(cap))")
            }
            reviewers.append(ReviewerSuggestion.Reviewer(
                name: identity.display, isTeam: identity.kind == .team, covers: covers[candidate].sorted(), reasons: reasons,
                expertise: problem.weights[candidate], openReviews: open))
        }
        reviewers.sort {
            ($0.covers.count, $0.expertise) != ($1.covers.count, $1.expertise)
                ? ($0.covers.count, $0.expertise) > ($1.covers.count, $1.expertise)
                : $0.name.lowercased() < $1.name.lowercased()
        }

        return ReviewerSuggestion(
            authors: authors.map(\.display), reviewers: reviewers,
            unsatisfied: unsatisfied.sorted { ($0.path, $0.section ?? "") < ($1.path, $1.section ?? "") },
            optional: optional.map { ReviewerSuggestion.OptionalSection(section: $0.sectionName ?? "", owners: $0.owners, paths: $0.paths) },
            unowned: unowned, method: solution.method, bound: solution.bound, lowerBound: solution.lowerBound,
            candidateCount: keys.count, requirementCount: problem.requirements.count, seed: input.seed,
            rulesFile: input.rules.file.path, dialect: input.rules.file.dialect, teamsFile: input.teams.file,
            window: input.expertise.window,
            notes: input.notes + [unlinkedAuthorsNote(input.commitAuthors, directory, teamsFile: teamsFile)].compactMap { $0 }
                + cappedApprovalNotes(required, input.rules.file))
    }

    /// Commit addresses that resolve to no @name: such an author who owns files as @name is not
    /// recognised and can be suggested, and nothing else would tell the user why.
    static func unlinkedAuthorsNote(_ commitAuthors: [ChangeAuthor], _ directory: ReviewerDirectory, teamsFile: String) -> String? {
        var addresses: [String] = []
        var seen = Set<String>()
        for author in commitAuthors where !author.email.isEmpty {
            let identity = directory.person(email: author.email)
            if !identity.display.hasPrefix("@"), seen.insert(identity.key).inserted { addresses.append(author.email) }
        }
        guard !addresses.isEmpty else { return nil }
        let shown = addresses.prefix(3).joined(separator: ", ") + (addresses.count > 3 ? " and \(addresses.count - 3) more" : "")
        let one = addresses.count == 1
        return "commit author\(one ? "" : "s") \(shown) match\(one ? "es" : "") no @name: list \(one ? "it" : "them") under people: in \(teamsFile), "
            + "or an author who owns files as @name can be suggested"
    }

    /// Requirements of every path of the change (a renamed file at its old path too, as GitHub asks
    /// the owners of both), grouped by section and owners so each is solved once.
    static func requirements(_ change: ChangeSet, _ rules: OwnershipRules) -> (required: [Requirement], optional: [Requirement], unowned: [RepoPath]) {
        var paths: [RepoPath] = []
        var seen = Set<RepoPath>()
        for file in change.files {
            for path in [file.path] + (file.status == .renamed ? [file.oldPath].compactMap { $0 } : []) where seen.insert(path).inserted {
                paths.append(path)
            }
        }
        var groups: [Requirement] = []
        var groupIndex: [String: Int] = [:]
        var unowned: [RepoPath] = []
        var scratch = OwnershipMatcher.Scratch()
        for path in paths {
            var owned = false
            for match in rules.owners(of: path, scratch: &scratch).sections where match.exclusion == nil {
                guard let ruleIndex = match.rule else { continue }
                let rule = rules.file.rules[ruleIndex]
                guard !rule.owners.isEmpty else { continue }
                owned = true
                let section = rules.file.sections[rule.section]
                let key = "\(rule.section)\u{0}" + rule.owners.joined(separator: "\u{0}")
                let position: Int
                if let existing = groupIndex[key] {
                    position = existing
                } else {
                    position = groups.count
                    groupIndex[key] = position
                    groups.append(Requirement(
                        section: rule.section, sectionName: section.name, owners: rule.owners,
                        approvals: rules.file.dialect.hasSections ? max(1, section.approvals) : 1, isOptional: section.isOptional))
                }
                if groups[position].paths.last != path { groups[position].paths.append(path) }
                if !groups[position].lines.contains(rule.line) { groups[position].lines.append(rule.line) }
            }
            if !owned { unowned.append(path) }
        }
        return (groups.filter { !$0.isOptional }, groups.filter(\.isOptional), unowned)
    }

    /// The parser caps a section's approvals; say so where the cap decides the demand, since the
    /// warning itself is only shown by `gatehouse rules check`.
    static func cappedApprovalNotes(_ required: [Requirement], _ file: CodeownersFile) -> [String] {
        var notes: [String] = []
        for requirement in required where requirement.approvals >= CodeownersParser.maxApprovals {
            let section = file.sections[requirement.section]
            let note = "[\(section.name ?? "")] needs \(CodeownersParser.maxApprovals) approvals (\(file.path):\(section.line)), the most Gatehouse reads: a larger count is read as \(CodeownersParser.maxApprovals) (see `gatehouse rules check`)"
            if !notes.contains(note) { notes.append(note) }
        }
        return notes
    }

    /// Expertise regrouped from e-mail addresses to the identities they belong to.
    static func expertiseByIdentity(_ expertise: Expertise, _ directory: ReviewerDirectory) -> [String: [RepoPath: Expertise.Score]] {
        var result: [String: [RepoPath: Expertise.Score]] = [:]
        for (email, paths) in expertise.scores {
            let key = directory.person(email: email).key
            for (path, score) in paths {
                result[key, default: [:]][path, default: Expertise.Score()].commits.formUnion(score.commits)
                result[key, default: [:]][path, default: Expertise.Score()].lines += score.lines
            }
        }
        return result
    }

    static func ownershipReasons(
        _ identity: Identity, _ memberships: [(Requirement, String?)], covers: Set<RepoPath>, rulesFile: String, teamsFile: String
    ) -> [String] {
        var reasons: [String] = []
        var grouped: [(String, [RepoPath], [Int])] = []  // prefix, paths, rule lines
        // Lookups by table: one membership per GitLab section, and a search of the groups (and of
        // their paths and lines) for each was quadratic (100,000 sections never finished).
        var positionOf: [String: Int] = [:]
        var seenPaths: [Set<RepoPath>] = []
        var seenLines: [Set<Int>] = []
        var seenReasons = Set<String>()
        for (requirement, team) in memberships {
            var prefix = requirement.sectionName.map { "[\($0)] " } ?? ""
            if identity.kind == .team {
                prefix += "asked as a team (\(teamsFile) does not list its members): owns "
            } else if let team {
                prefix += "member of \(team), which owns "
            } else {
                prefix += "owns "
            }
            if let position = positionOf[prefix] {
                for path in requirement.paths where seenPaths[position].insert(path).inserted { grouped[position].1.append(path) }
                for line in requirement.lines where seenLines[position].insert(line).inserted { grouped[position].2.append(line) }
            } else {
                positionOf[prefix] = grouped.count
                grouped.append((prefix, requirement.paths, requirement.lines))
                seenPaths.append(Set(requirement.paths))
                seenLines.append(Set(requirement.lines))
            }
            if requirement.approvals > 1 {
                let note = "[\(requirement.sectionName ?? "")] needs \(requirement.approvals) approvals"
                if seenReasons.insert(note).inserted { reasons.append(note) }
            }
        }
        let ownership = grouped.map { prefix, paths, lines in
            // The covered paths are listed beside the reviewer: name them again only when they differ.
            let owned = Set(paths) == covers ? (paths.count == 1 ? "this file" : "these files") : list(paths)
            return "\(prefix)\(owned) (\(rulesFile):\(lines.sorted().map(String.init).joined(separator: ", ")))"
        }
        return ownership + reasons
    }

    /// Up to `limit` paths, then how many more.
    static func list(_ paths: [RepoPath], limit: Int = 3) -> String {
        let shown = paths.prefix(limit).map(PathQuoting.quote).joined(separator: ", ")
        return paths.count > limit ? "\(shown) and \(paths.count - limit) more" : shown
    }
}
