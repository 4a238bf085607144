/// Someone who can be asked for a review: a person, or a team whose members are not known.
struct Identity: Hashable, Sendable {
    enum Kind: Hashable, Sendable { case person, team }
    /// Lowercased, for comparison: GitHub and GitLab names ignore case, and so do e-mail addresses in practice.
    var key: String
    /// As first written (teams.yml, CODEOWNERS, or the commit's address).
    var display: String
    var kind: Kind
}

/// An owner from CODEOWNERS, resolved through teams.yml.
struct OwnerExpansion: Sendable {
    var owner: String
    /// People (or the team itself when teams.yml does not list it).
    var identities: [Identity]
    /// The owner is a team listed in teams.yml: `identities` are its members.
    var isListedTeam: Bool
}

/// Resolves names and e-mail addresses to identities, and teams to their members.
struct ReviewerDirectory {
    let config: TeamsConfig
    private var personByEmail: [String: String] = [:]
    private var personByKey: [String: String] = [:]
    private var teamByKey: [String: String] = [:]

    init(_ config: TeamsConfig) {
        self.config = config
        for (person, emails) in config.people.sorted(by: { $0.key < $1.key }) {
            personByKey[person.lowercased()] = person
            for email in emails where personByEmail[email.lowercased()] == nil {
                personByEmail[email.lowercased()] = person
            }
        }
        for team in config.teams.keys.sorted() where teamByKey[team.lowercased()] == nil {
            teamByKey[team.lowercased()] = team
        }
    }

    /// A commit's or CODEOWNERS' e-mail address: the person teams.yml gives it to, else the person a
    /// GitHub or GitLab no-reply address names, else the address itself.
    func person(email: String) -> Identity {
        let lowered = email.lowercased()
        if let person = personByEmail[lowered] { return Identity(key: person.lowercased(), display: person, kind: .person) }
        if let user = Self.noReplyUser(lowered) {
            let name = "@" + user
            return Identity(key: name, display: personByKey[name] ?? name, kind: .person)
        }
        return Identity(key: lowered, display: email, kind: .person)
    }

    /// A name from teams.yml, `--author` or a load file: `@name`, `@org/team`, `@@role` or an e-mail address.
    func identity(of name: String) -> Identity {
        if !name.hasPrefix("@") { return person(email: name) }
        let key = name.lowercased()
        if let team = teamByKey[key] { return Identity(key: key, display: team, kind: .team) }
        if TeamsConfig.isTeamName(name) { return Identity(key: key, display: name, kind: .team) }
        return Identity(key: key, display: personByKey[key] ?? name, kind: .person)
    }

    /// An owner as CODEOWNERS names it, expanded: a listed team to its members (nested teams
    /// included), an unlisted team to itself (it can still be asked as a team), a person to themself.
    func expand(_ owner: String) -> OwnerExpansion {
        let key = owner.lowercased()
        guard let team = teamByKey[key] else {
            return OwnerExpansion(owner: owner, identities: [identity(of: owner)], isListedTeam: false)
        }
        var seen: Set<String> = [key]
        var people: [Identity] = []
        var pending = config.teams[team] ?? []
        while !pending.isEmpty {
            let member = pending.removeFirst()
            let memberKey = member.lowercased()
            if let nested = teamByKey[memberKey] {
                if seen.insert(memberKey).inserted { pending += config.teams[nested] ?? [] }
                continue
            }
            let identity = identity(of: member)
            if !people.contains(where: { $0.key == identity.key }) { people.append(identity) }
        }
        return OwnerExpansion(owner: owner, identities: people, isListedTeam: true)
    }

    /// `12345+alice@users.noreply.github.com`, `alice@users.noreply.github.com` and
    /// `12345-alice@users.noreply.gitlab.com` are the forges' private addresses for @alice.
    static func noReplyUser(_ email: String) -> String? {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return nil }
        let local = parts[0]
        switch parts[1] {
        case "users.noreply.github.com":
            if let plus = local.firstIndex(of: "+") { return String(local[local.index(after: plus)...]).nonEmpty }
            return String(local)
        case "users.noreply.gitlab.com":
            if let dash = local.firstIndex(of: "-"), local[..<dash].allSatisfy(\.isNumber) {
                return String(local[local.index(after: dash)...]).nonEmpty
            }
            return nil
        default:
            return nil
        }
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
