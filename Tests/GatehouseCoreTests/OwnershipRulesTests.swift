import GatehouseCore
import Testing

private func rules(_ text: String, _ dialect: OwnershipDialect) throws -> OwnershipRules {
    OwnershipRules(try CodeownersParser.parse(Array(text.utf8), path: "CODEOWNERS", dialect: dialect))
}

/// `PathOwnership.SectionMatch`'s fields, to compare with.
private struct Match: Equatable, CustomStringConvertible {
    var section: Int
    var rule: Int?
    var exclusion: Int?
    var overridden: [Int]
    var description: String { "section \(section): rule \(rule.map(String.init) ?? "-"), exclusion \(exclusion.map(String.init) ?? "-"), overridden \(overridden)" }
}

private func match(_ section: Int, rule: Int?, exclusion: Int? = nil, overridden: [Int] = []) -> Match {
    Match(section: section, rule: rule, exclusion: exclusion, overridden: overridden)
}

extension PathOwnership {
    fileprivate var matches: [Match] {
        sections.map { Match(section: $0.section, rule: $0.rule, exclusion: $0.exclusion, overridden: $0.overridden) }
    }
}

@Suite("Ownership: OwnershipRules")
struct OwnershipRulesTests {
    @Test func gitHubTheLastMatchWinsAndTheOthersAreOverridden() throws {
        let rules = try rules("* @a\n*.md @b\ndocs/ @c\n/docs/*.md @d\n*.go @e\n", .github)
        let docs = rules.owners(of: "docs/guide.md")
        #expect(docs.owners == ["@d"])
        #expect(docs.matches == [match(0, rule: 3, overridden: [0, 1, 2])])
        let go = rules.owners(of: "cmd/main.go")
        #expect(go.owners == ["@e"])
        #expect(go.matches == [match(0, rule: 4, overridden: [0])])
        #expect(go.path == "cmd/main.go")
    }

    @Test func aPathNoRuleMatchesHasNoSectionsAndNoOwners() throws {
        let rules = try rules("docs/ @docs\n", .github)
        let ownership = rules.owners(of: "src/main.swift")
        #expect(ownership.owners.isEmpty)
        #expect(!ownership.isOwned)
        #expect(ownership.sections.isEmpty)
    }

    @Test func aWinningLineWithoutOwnersLeavesThePathUnowned() throws {
        let rules = try rules("/apps/ @octocat\n/apps/github\n", .github)
        let ownership = rules.owners(of: "apps/github/main.rb")
        #expect(!ownership.isOwned)
        #expect(ownership.matches == [match(0, rule: 1, overridden: [0])])
    }

    @Test func gitLabSectionsRecordTheirWinnerAndExclusion() throws {
        let rules = try rules("""
            * @all
            !*.lock
            [Ruby]
            *.rb @ruby
            !/config/**/*.rb
            [Docs] @docs
            *.md
            *.rb @all
            """, .gitlab)
        let config = rules.owners(of: "config/initializers/session.rb")
        #expect(config.matches == [match(0, rule: 0), match(1, rule: 2, exclusion: 3), match(2, rule: 5)])
        // @all appears once though two sections name it.
        #expect(config.owners == ["@all"])
        let model = rules.owners(of: "app/models/user.rb")
        #expect(model.owners == ["@all", "@ruby"])
        let lock = rules.owners(of: "Gemfile.lock")
        #expect(lock.matches == [match(0, rule: 0, exclusion: 1)])
        #expect(lock.owners.isEmpty)
        let readme = rules.owners(of: "README.md")
        #expect(readme.owners == ["@all", "@docs"])
    }

    @Test(arguments: ["*.rb @ruby\n!/config/**\n", "!/config/**\n*.rb @ruby\n", "!/config/**\n*.rb @ruby\n!/config/**\n"])
    func anExclusionAnywhereInTheSectionExcludes(_ section: String) throws {
        let rules = try rules("* @all\n[Ruby]\n" + section, .gitlab)
        #expect(rules.owners(of: "config/routes.rb").owners == ["@all"])
        #expect(rules.owners(of: "app/user.rb").owners == ["@all", "@ruby"])
        #expect(rules.owners(of: "config/routes.rb").sections.last?.exclusion != nil)
    }

    @Test func ownersComeInSectionOrderNotLineOrder() throws {
        // [a] reopens [A]: its entry is the last in section A, which comes before B.
        let rules = try rules("[A]\nx @a\n[B]\nx @b\n[a]\nx @c\n", .gitlab)
        let ownership = rules.owners(of: "x")
        #expect(ownership.owners == ["@c", "@b"])
        #expect(ownership.matches == [match(1, rule: 2, overridden: [0]), match(2, rule: 1)])
    }

    @Test(arguments: OwnershipDialect.allCases)
    func reusingScratchGivesTheSameAnswers(_ dialect: OwnershipDialect) throws {
        let rules = try rules("""
            * @all
            *.md @md
            docs/ @docs
            /docs/**/index.md @index
            a*/b?/ @ab
            **/logs @logs
            """, dialect)
        let names = ["docs", "index.md", "a1", "b2", "logs", "x.md", ".h"]
        var paths: [RepoPath] = []
        for first in names {
            for second in names {
                paths += [RepoPath(first), RepoPath("\(first)/\(second)"), RepoPath("\(first)/\(second)/index.md")]
            }
        }
        var scratch = OwnershipMatcher.Scratch()
        for path in paths + paths.reversed() {
            #expect(rules.owners(of: path, scratch: &scratch) == rules.owners(of: path), "\(path)")
        }
        // A spot check that the file does decide something.
        #expect(rules.owners(of: "docs/api/index.md").owners == ["@index"])
        #expect(rules.owners(of: "a1/b2/c").owners == ["@ab"])
    }

    @Test func pathsThatAreNotUTF8AreMatchedByTheirBytes() throws {
        let rules = try rules("*.md @md\n/bin/ @bin\n", .github)
        #expect(rules.owners(of: RepoPath(bytes: Array("bin/".utf8) + [0xFF, 0xFE])).owners == ["@bin"])
        #expect(rules.owners(of: RepoPath(bytes: [0xFF] + Array(".md".utf8))).owners == ["@md"])
    }
}
