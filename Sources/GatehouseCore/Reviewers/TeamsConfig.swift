import Foundation
import Yams

/// Who is who, from `rules/teams.yml`: team members, people's e-mail addresses, who is away, and
/// an optional cap on open reviews. It lets `gatehouse reviewers` expand teams to people offline.
public struct TeamsConfig: Sendable, Hashable {
    /// Team (or GitLab group, or `@@role`) -> members as written: people, e-mails or other teams.
    public var teams: [String: [String]]
    /// Person (`@name`) -> the e-mail addresses their commits carry.
    public var people: [String: [String]]
    /// People (`@name` or e-mail) who must not be suggested.
    public var unavailable: [String]
    /// People with this many open reviews or more are not suggested.
    public var maxOpenReviews: Int?
    /// A YAML or JSON file mapping person -> open reviews, relative to the repository root.
    public var load: String?
    /// The file these settings came from, when there was one.
    public var file: String?
    /// Where `load` was set, for messages about the load file.
    public var loadLocation: SourceLocation?

    public static let defaultPath = "rules/teams.yml"
    /// The most open reviews a load file may give one person: no one has more, and a bound keeps
    /// the sums over a person's addresses far from overflow.
    public static let maxLoadCount = 100_000
    static let topLevelKeys = ["teams", "people", "unavailable", "max_open_reviews", "load"]

    public init(
        teams: [String: [String]] = [:], people: [String: [String]] = [:], unavailable: [String] = [],
        maxOpenReviews: Int? = nil, load: String? = nil, file: String? = nil, loadLocation: SourceLocation? = nil
    ) {
        self.teams = teams
        self.people = people
        self.unavailable = unavailable
        self.maxOpenReviews = maxOpenReviews
        self.load = load
        self.file = file
        self.loadLocation = loadLocation
    }

    public static func load(path: String, displayPath: String? = nil) throws(GatehouseError) -> TeamsConfig {
        let shown = displayPath ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GatehouseError(
                .unreadableFile, "cannot read the teams file \(shown). Check the path given to --teams, or create it (see docs/REVIEWERS.md).",
                at: SourceLocation(file: shown))
        }
        return try parse(data, file: shown)
    }

    public static func parse(_ data: Data, file: String) throws(GatehouseError) -> TeamsConfig {
        var config = TeamsConfig(file: file)
        guard let root = try ReviewerYAML.compose(data, file: file) else { return config }
        let map = try ConfigMap(root, path: "", file: file)
        try ReviewerYAML.rejectUnknownKeys(map, topLevelKeys)

        if let teams = try map.map("teams") {
            var seen: [String: String] = [:]
            for (key, value) in teams.mapping {
                let name = try ReviewerYAML.keyName(key, in: "teams", file: file)
                guard name.hasPrefix("@"), name.count > 1, !name.contains(where: \.isWhitespace) else {
                    throw GatehouseError(
                        .invalidConfig, "the team '\(name)' must be written as in CODEOWNERS: @org/team, @group or @@role.",
                        at: key.location(in: file))
                }
                if let other = seen[name.lowercased()] {
                    throw GatehouseError(.invalidConfig, "\(name) and \(other) are the same team (names ignore case); keep one.", at: key.location(in: file))
                }
                seen[name.lowercased()] = name
                let members = try teams.strings(name, value: value) ?? []
                for (index, member) in members.enumerated() where !Self.isPerson(member) && !Self.isEmail(member) && !Self.isTeamName(member) {
                    throw GatehouseError(
                        .invalidConfig, "'teams.\(name)' lists '\(member)'; members are @name, @org/team or e-mail addresses.",
                        at: ReviewerYAML.itemLocation(value, index, file: file))
                }
                config.teams[name] = members
            }
        }

        if let people = try map.map("people") {
            var owners: [String: String] = [:]
            var seen: [String: String] = [:]
            let teamNames = Set(config.teams.keys.map { $0.lowercased() })
            for (key, value) in people.mapping {
                let name = try ReviewerYAML.keyName(key, in: "people", file: file)
                guard Self.isPerson(name) else {
                    throw GatehouseError(.invalidConfig, "'people' keys are people written as @name, found '\(name)'.", at: key.location(in: file))
                }
                if let other = seen[name.lowercased()] {
                    throw GatehouseError(.invalidConfig, "\(name) and \(other) are the same person (names ignore case); keep one.", at: key.location(in: file))
                }
                seen[name.lowercased()] = name
                if teamNames.contains(name.lowercased()) {
                    throw GatehouseError(
                        .invalidConfig, "\(name) is both a team and a person; a name in 'people' cannot also be in 'teams'.", at: key.location(in: file))
                }
                let emails = try people.strings(name, value: value) ?? []
                for (index, email) in emails.enumerated() {
                    let location = ReviewerYAML.itemLocation(value, index, file: file)
                    guard Self.isEmail(email) else {
                        throw GatehouseError(.invalidConfig, "'people.\(name)' lists '\(email)', which is not an e-mail address.", at: location)
                    }
                    if let owner = owners[email.lowercased()], owner != name {
                        throw GatehouseError(.invalidConfig, "\(email) is listed for both \(owner) and \(name); an address belongs to one person.", at: location)
                    }
                    owners[email.lowercased()] = name
                }
                config.people[name] = emails
            }
        }

        if let unavailable = try map.strings("unavailable") {
            let node = map.mapping["unavailable"]!
            for (index, entry) in unavailable.enumerated() {
                let location = ReviewerYAML.itemLocation(node, index, file: file)
                if config.teams.keys.contains(where: { $0.lowercased() == entry.lowercased() }) {
                    throw GatehouseError(
                        .invalidConfig, "'unavailable' lists the team \(entry); list the members who are away instead.", at: location)
                }
                guard Self.isPerson(entry) || Self.isEmail(entry) || Self.isTeamName(entry) else {
                    throw GatehouseError(.invalidConfig, "'unavailable' lists '\(entry)'; write people as @name or an e-mail address.", at: location)
                }
            }
            config.unavailable = unavailable
        }

        if let value = map.mapping["max_open_reviews"], !value.isNull {
            guard case .scalar = value, let number = value.int, number >= 1 else {
                throw GatehouseError(
                    .invalidConfig, "'max_open_reviews' must be a whole number of at least 1, found \(value.string.map { "'\($0)'" } ?? value.kindName).",
                    at: value.location(in: file))
            }
            config.maxOpenReviews = number
        }
        config.load = try map.string("load")
        if config.load != nil { config.loadLocation = map.location(of: "load") }
        if config.load?.isEmpty == true {
            throw GatehouseError(.invalidConfig, "'load' must name a file, such as .gatehouse/load.json.", at: map.location(of: "load"))
        }
        // Each is meaningless without the other: a cap needs counts, and counts are only read for a cap.
        if config.maxOpenReviews != nil, config.load == nil {
            throw GatehouseError(
                .invalidConfig, "'max_open_reviews' needs 'load': the file that says how many reviews each person has open.",
                at: map.location(of: "max_open_reviews"))
        }
        if config.load != nil, config.maxOpenReviews == nil {
            throw GatehouseError(.invalidConfig, "'load' needs 'max_open_reviews': the number of open reviews at which a person is skipped.", at: map.location(of: "load"))
        }
        try config.checkNestedTeams(map)
        return config
    }

    /// Reads a load file: a mapping of person (`@name` or e-mail) to open reviews, in YAML or JSON.
    public static func parseLoad(_ data: Data, file: String) throws(GatehouseError) -> [String: Int] {
        guard let root = try ReviewerYAML.compose(data, file: file) else { return [:] }
        let map = try ConfigMap(root, path: "", file: file)
        var load: [String: Int] = [:]
        for (key, value) in map.mapping {
            let name = try ReviewerYAML.keyName(key, in: "the load file", file: file)
            guard isPerson(name) || isEmail(name) || isTeamName(name) else {
                throw GatehouseError(.invalidConfig, "'\(name)' is not a person; write @name or an e-mail address.", at: key.location(in: file))
            }
            func tooMany() -> GatehouseError {
                GatehouseError(
                    .invalidConfig,
                    "the open reviews of \(name) must be a whole number from 0 to \(maxLoadCount), found '\(InputText.token(value.string ?? ""))'. Check the job that writes this file.",
                    at: value.location(in: file))
            }
            guard case .scalar = value, !value.isNull, let count = value.int, count >= 0 else {
                // Digits too many for an Int are a count out of range, not a malformed one.
                if case .scalar = value, let text = value.string, !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) { throw tooMany() }
                throw GatehouseError(
                    .invalidConfig, "the open reviews of \(name) must be a whole number of 0 or more, found \(value.string.map { "'\($0)'" } ?? value.kindName).",
                    at: value.location(in: file))
            }
            guard count <= maxLoadCount else { throw tooMany() }
            load[name.lowercased()] = count
        }
        return load
    }

    /// Teams listed as members must have their own entry, and no team may contain itself.
    private func checkNestedTeams(_ map: ConfigMap) throws(GatehouseError) {
        let byKey = Dictionary(teams.map { ($0.key.lowercased(), $0.key) }, uniquingKeysWith: { first, _ in first })
        let teamsNode = map.mapping["teams"]
        for (name, members) in teams.sorted(by: { $0.key < $1.key }) {
            for member in members where Self.isTeamName(member) && byKey[member.lowercased()] == nil {
                throw GatehouseError(
                    .invalidConfig, "'teams.\(name)' lists the team \(member), which has no entry in 'teams'; add one, or list its people.",
                    at: teamsNode?.mapping?[name]?.location(in: file ?? "") ?? SourceLocation(file: file ?? ""))
            }
        }
        // Depth-first search for a cycle through team membership.
        var state: [String: Int] = [:]  // 1: on the current path, 2: done
        func visit(_ key: String, _ path: [String]) -> [String]? {
            if state[key] == 2 { return nil }
            if state[key] == 1 { return path + [byKey[key]!] }
            state[key] = 1
            for member in teams[byKey[key]!] ?? [] where byKey[member.lowercased()] != nil {
                if let cycle = visit(member.lowercased(), path + [byKey[key]!]) { return cycle }
            }
            state[key] = 2
            return nil
        }
        for key in byKey.keys.sorted() {
            if let cycle = visit(key, []) {
                throw GatehouseError(
                    .invalidConfig, "teams contain each other: \(cycle.joined(separator: " -> ")). Remove one of these memberships.",
                    at: teamsNode?.mapping?[cycle[0]]?.location(in: file ?? "") ?? SourceLocation(file: file ?? ""))
            }
        }
    }

    // These run on every member of every team, so they test bytes: `contains("/")` on a String
    // resolves to Foundation's substring search, which dominated reading a 5,000-team file.
    private static let at = UInt8(ascii: "@"), slash = UInt8(ascii: "/")

    /// `@name`: a person on GitHub, a person or a top-level group on GitLab.
    static func isPerson(_ text: String) -> Bool {
        let bytes = text.utf8
        return bytes.first == at && bytes.count > 1 && !bytes.dropFirst().contains(at) && !bytes.contains(slash)
            && !text.contains(where: \.isWhitespace)
    }

    /// `@org/team`, `@group/sub` or `@@role`.
    static func isTeamName(_ text: String) -> Bool {
        let bytes = text.utf8
        guard bytes.first == at, !text.contains(where: \.isWhitespace) else { return false }
        let rest = bytes.dropFirst()
        if rest.first == at {
            let role = rest.dropFirst()
            return !role.isEmpty && !role.contains(at)
        }
        return !rest.contains(at) && rest.contains(slash) && rest.first != slash && rest.last != slash
    }

    static func isEmail(_ text: String) -> Bool {
        let bytes = text.utf8
        guard let index = bytes.firstIndex(of: at), index != bytes.startIndex else { return false }
        let domain = bytes[bytes.index(after: index)...]
        return !domain.isEmpty && !domain.contains(at) && !text.contains(where: \.isWhitespace)
    }
}

/// YAML reading shared by the teams file and the load file: errors name the file, line and column.
enum ReviewerYAML {
    /// The document's root, or nil when it sets nothing (empty, only comments, or `~`).
    static func compose(_ data: Data, file: String) throws(GatehouseError) -> Node? {
        guard var text = String(data: data, encoding: .utf8) else {
            throw GatehouseError(.invalidConfig, "the file is not UTF-8 text; save it as UTF-8.", at: SourceLocation(file: file))
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return try YAMLDocument.compose(text, file: file, kind: .invalidConfig)
    }

    static func rejectUnknownKeys(_ map: ConfigMap, _ known: [String]) throws(GatehouseError) {
        for (key, _) in map.mapping {
            guard let name = key.string, known.contains(name) else {
                throw GatehouseError(
                    .invalidConfig,
                    "unknown key \(key.keyInMessage) at the top level. Known keys: \(known.joined(separator: ", ")) (see docs/REVIEWERS.md).",
                    at: key.location(in: map.file))
            }
        }
    }

    static func keyName(_ key: Node, in place: String, file: String) throws(GatehouseError) -> String {
        guard case .scalar(let scalar) = key, !scalar.string.isEmpty else {
            throw GatehouseError(.invalidConfig, "each key of \(place) must be a name, found \(key.kindName).", at: key.location(in: file))
        }
        return scalar.string
    }

    /// Where the index-th item of a list is; a single string stands for a list of one.
    static func itemLocation(_ node: Node, _ index: Int, file: String) -> SourceLocation {
        if case .sequence(let sequence) = node, index < sequence.count {
            return Array(sequence)[index].location(in: file)
        }
        return node.location(in: file)
    }
}
