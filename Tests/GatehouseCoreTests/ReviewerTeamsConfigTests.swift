import Foundation
@testable import GatehouseCore
import Testing

private let file = "rules/teams.yml"

private func parse(_ yaml: String) throws(GatehouseError) -> TeamsConfig {
    try TeamsConfig.parse(Data(yaml.utf8), file: file)
}

/// The error names the file and line, and says what is wrong.
private func expectError(
    _ yaml: String, line: Int, _ fragment: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    do {
        let config = try parse(yaml)
        Issue.record("accepted: \(config)", sourceLocation: sourceLocation)
    } catch {
        #expect(error.kind == .invalidConfig, sourceLocation: sourceLocation)
        #expect(error.location?.file == file, sourceLocation: sourceLocation)
        #expect(error.location?.line == line, "\(error)", sourceLocation: sourceLocation)
        #expect(error.message.contains(fragment), "\(error)", sourceLocation: sourceLocation)
        #expect(error.description.hasPrefix("\(file):\(line):"), sourceLocation: sourceLocation)
    }
}

@Suite("Reviewers: rules/teams.yml")
struct ReviewerTeamsConfigTests {
    @Test func everyKey() throws {
        let config = try parse("""
            # who is who
            teams:
              "@org/backend": ["@alice", "@bob"]
              "@org/all": ["@org/backend", "carol@example.com"]
              "@@maintainer": "@dave"
            people:
              "@alice": ["alice@example.com", "Alice@Home.example"]
              "@bob": bob@example.com
            unavailable: ["@bob", "erin@example.com"]
            max_open_reviews: 5
            load: .gatehouse/load.json
            """)
        #expect(config.teams == [
            "@org/backend": ["@alice", "@bob"], "@org/all": ["@org/backend", "carol@example.com"], "@@maintainer": ["@dave"],
        ])
        #expect(config.people == ["@alice": ["alice@example.com", "Alice@Home.example"], "@bob": ["bob@example.com"]])
        #expect(config.unavailable == ["@bob", "erin@example.com"])
        #expect(config.maxOpenReviews == 5)
        #expect(config.load == ".gatehouse/load.json")
        #expect(config.loadLocation?.line == 11)
        #expect(config.file == file)
    }

    @Test(arguments: ["", "# nothing yet\n", "---\n", "~\n", "\u{FEFF}teams: {}\r\n"])
    func emptyFilesSetNothing(_ text: String) throws {
        let config = try parse(text)
        #expect(config.teams.isEmpty && config.people.isEmpty && config.unavailable.isEmpty && config.maxOpenReviews == nil)
    }

    @Test func unknownKeysAndWrongTypes() {
        expectError("teams: {}\nteamz: {}\n", line: 2, "unknown key 'teamz'")
        expectError("teams:\n  - \"@a\"\n", line: 2, "'teams' must be a mapping")
        expectError("people: \"@alice\"\n", line: 1, "'people' must be a mapping")
        expectError("teams:\n  \"@org/x\": {a: 1}\n", line: 2, "must be a list of strings")
        expectError("unavailable: {a: 1}\n", line: 1, "'unavailable' must be a list of strings")
        expectError("load: [a]\nmax_open_reviews: 2\n", line: 1, "'load' must be a string")
        expectError("[1, 2]\n", line: 1, "must be a mapping")
    }

    @Test func namesMustLookLikeCodeownersNames() {
        expectError("teams:\n  backend: [\"@alice\"]\n", line: 2, "@org/team, @group or @@role")
        expectError("teams:\n  \"@org/x\":\n    - \"@alice\"\n    - alice\n", line: 4, "lists 'alice'")
        expectError("people:\n  \"@org/x\": [a@example.com]\n", line: 2, "'people' keys are people")
        expectError("people:\n  \"@alice\":\n    - alice@example.com\n    - alice\n", line: 4, "not an e-mail address")
        expectError("people:\n  \"@alice\": [a@example.com]\n  \"@bob\": [A@example.com]\n", line: 3, "listed for both @alice and @bob")
        expectError("people:\n  \"@alice\": [a@example.com]\n  \"@Alice\": [b@example.com]\n", line: 3, "same person")
        expectError("teams:\n  \"@org/x\": []\n  \"@ORG/X\": []\n", line: 3, "same team")
        expectError("teams:\n  \"@devs\": [\"@alice\"]\npeople:\n  \"@devs\": [d@example.com]\n", line: 4, "both a team and a person")
        expectError("unavailable:\n  - \"@alice\"\n  - nobody\n", line: 3, "'unavailable' lists 'nobody'")
    }

    @Test func unavailableListsPeopleNotListedTeams() throws {
        expectError("teams:\n  \"@org/x\": [\"@alice\"]\nunavailable: [\"@org/x\"]\n", line: 3, "list the members who are away")
        // A team teams.yml does not list can be asked as a whole, so it can be away as a whole.
        #expect(try parse("unavailable: [\"@org/y\"]\n").unavailable == ["@org/y"])
    }

    @Test func nestedTeamsMustBeListedAndAcyclic() {
        expectError("teams:\n  \"@org/a\": [\"@org/b\"]\n", line: 2, "has no entry in 'teams'")
        expectError("teams:\n  \"@org/a\": [\"@org/b\"]\n  \"@org/b\": [\"@org/c\"]\n  \"@org/c\": [\"@org/a\"]\n", line: 2, "@org/a -> @org/b -> @org/c -> @org/a")
    }

    @Test func openReviewCapNeedsALoadFileAndAPositiveNumber() {
        expectError("max_open_reviews: three\nload: l.json\n", line: 1, "whole number of at least 1, found 'three'")
        expectError("max_open_reviews: 0\nload: l.json\n", line: 1, "at least 1")
        expectError("max_open_reviews: 2.5\nload: l.json\n", line: 1, "whole number")
        expectError("teams: {}\nmax_open_reviews: 3\n", line: 2, "needs 'load'")
        expectError("\nload: l.json\n", line: 2, "needs 'max_open_reviews'")
        expectError("load: \"\"\nmax_open_reviews: 3\n", line: 1, "must name a file")
    }

    @Test func yamlErrorsNameTheirLine() {
        expectError("teams:\n  \"@org/x\": [\"@a\"\npeople: {}\n", line: 3, "invalid YAML")
        expectError("teams: {}\nteams: {}\n", line: 2, "appears more than once")  // the second time it is written
        expectError("people:\n  \"@a\": [a@x]\nteams:\n  \"@org/x\": [\"@a\"]\n  \"@org/x\": [\"@b\"]\n", line: 5, "'@org/x' appears more than once")
        do {
            _ = try TeamsConfig.parse(Data([0x74, 0x3A, 0x20, 0xFF, 0x0A]), file: file)
            Issue.record("accepted bytes that are not UTF-8")
        } catch {
            #expect(error.message.contains("not UTF-8"))
        }
    }

    @Test func aMissingFileSaysWhatToDo() {
        #expect {
            _ = try TeamsConfig.load(path: "/nonexistent/teams.yml", displayPath: "teams.yml")
        } throws: { error in
            let error = error as! GatehouseError
            return error.kind == .unreadableFile && error.message.contains("--teams") && error.location?.file == "teams.yml"
        }
    }

    @Test func loadFilesAreYAMLOrJSON() throws {
        #expect(try TeamsConfig.parseLoad(Data(#"{"@Alice": 3, "bob@example.com": 0}"#.utf8), file: "load.json") == ["@alice": 3, "bob@example.com": 0])
        #expect(try TeamsConfig.parseLoad(Data("\"@alice\": 2\n\"@org/x\": 1\n".utf8), file: "load.yml") == ["@alice": 2, "@org/x": 1])
        #expect(try TeamsConfig.parseLoad(Data("".utf8), file: "load.yml").isEmpty)
        for (text, line, fragment) in [
            ("\"@alice\": 2\n\"@bob\": -1\n", 2, "whole number of 0 or more, found '-1'"),
            ("{\n  \"@alice\": \"many\"\n}\n", 2, "found 'many'"),
            ("\"@alice\": [1]\n", 1, "found a list"),
            ("alice: 2\n", 1, "'alice' is not a person"),
            ("- 1\n", 1, "must be a mapping"),
        ] {
            do {
                _ = try TeamsConfig.parseLoad(Data(text.utf8), file: "load.yml")
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.location?.file == "load.yml")
                #expect(error.location?.line == line, "\(error)")
                #expect(error.message.contains(fragment), "\(error)")
            }
        }
    }
}

/// How a member is read: the three kinds are exclusive, and anything else is rejected.
@Suite("Reviewers: member names")
struct ReviewerMemberNameTests {
    @Test(arguments: [
        ("@alice", "person"), ("@a", "person"), ("@ünï", "person"),
        ("@org/team", "team"), ("@group/sub/deeper", "team"), ("@@maintainers", "team"),
        ("alice@example.com", "email"), ("a@b", "email"),
        ("@", "none"), ("@@", "none"), ("@/team", "none"), ("@org/", "none"), ("@org/te@m", "none"),
        ("@al ice", "none"), ("@@ro le", "none"), ("@@ro@le", "none"), ("@a@b", "none"), ("@alice\t", "none"),
        ("alice", "none"), ("a@b@c", "none"), ("a@", "none"), ("", "none"),
    ])
    func kind(_ text: String, _ expected: String) {
        let kinds = [
            TeamsConfig.isPerson(text) ? "person" : nil, TeamsConfig.isTeamName(text) ? "team" : nil,
            TeamsConfig.isEmail(text) ? "email" : nil,
        ].compactMap { $0 }
        #expect(kinds == (expected == "none" ? [] : [expected]), "\(text)")
    }
}
