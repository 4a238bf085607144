import GatehouseCore
import Testing

extension OwnershipExample: CustomTestStringConvertible {
    public var testDescription: String { "\(dialect.rawValue): \(name)" }
}

/// True when `rules` has a line that opens a GitLab section (`[Name]`, `^[Name]`).
private func hasSectionHeader(_ rules: String) -> Bool {
    rules.split(separator: "\n").contains { line in
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        return (trimmed.hasPrefix("[") || trimmed.hasPrefix("^[")) && trimmed.contains("]")
    }
}

/// Parses an example in its dialect and checks the owners of every path it lists.
private func check(_ example: OwnershipExample, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let file = try CodeownersParser.parse(Array(example.rules.utf8), path: "CODEOWNERS", dialect: example.dialect)
    #expect(file.dialect == example.dialect, sourceLocation: sourceLocation)
    let rules = OwnershipRules(file)
    for expected in example.owned {
        let actual = rules.owners(of: RepoPath(expected.path))
        #expect(
            actual.owners == expected.owners,
            "\(expected.path) in \"\(example.name)\"\n\(example.rules)",
            sourceLocation: sourceLocation)
        #expect(actual.isOwned == !expected.owners.isEmpty, "\(expected.path)", sourceLocation: sourceLocation)
    }
}

@Suite("Ownership: the vendors' documented examples")
struct OwnershipExamplesTests {
    @Test("GitHub's documented examples", arguments: OwnershipExamples.github)
    func github(_ example: OwnershipExample) throws {
        try check(example)
        // Without a section header, detection reads the file as GitHub's.
        let detected = try CodeownersParser.parse(Array(example.rules.utf8), path: "CODEOWNERS", dialect: nil)
        #expect(detected.dialect == .github)
        // GitHub's examples are valid files: nothing to report.
        #expect(detected.problems.isEmpty, "\(detected.problems)")
    }

    @Test("GitLab's documented examples", arguments: OwnershipExamples.gitlab)
    func gitlab(_ example: OwnershipExample) throws {
        try check(example)
        // Only the examples of GitLab's "Error handling" section have something to report.
        let parsed = try CodeownersParser.parse(Array(example.rules.utf8), path: "CODEOWNERS", dialect: .gitlab)
        let problems = parsed.problems.map { "\($0.line ?? 0):\($0.location?.column ?? 0) \($0.rule ?? "")" }
        switch example.name {
        case "an unparsable section header after the default section": #expect(problems == ["3:1 syntax"])
        case "an unparsable section header after a named section": #expect(problems == ["4:1 syntax"])
        case "malformed owners are ignored": #expect(problems == ["1:16 owner"])
        default: #expect(problems.isEmpty)
        }
        if hasSectionHeader(example.rules) {
            let detected = try CodeownersParser.parse(Array(example.rules.utf8), path: "CODEOWNERS", dialect: nil)
            #expect(detected.dialect == .gitlab)
        }
    }

    @Test("every example is well formed: a vendor page, owned and unowned paths, each path once",
          arguments: OwnershipExamples.github + OwnershipExamples.gitlab)
    func wellFormed(_ example: OwnershipExample) {
        switch example.dialect {
        case .github: #expect(example.source.hasPrefix("https://docs.github.com/"))
        case .gitlab: #expect(example.source.hasPrefix("https://docs.gitlab.com/"))
        }
        #expect(!example.rules.isEmpty)
        #expect(example.owned.contains { !$0.owners.isEmpty }, "an example must own some path")
        // A catch-all `*` owns every path; any other example must also show a path it leaves unowned.
        let hasCatchAll = example.rules.split(separator: "\n").contains { $0.hasPrefix("* ") || $0.hasPrefix("*\t") }
        if !hasCatchAll {
            #expect(example.owned.contains { $0.owners.isEmpty }, "an example must leave some path unowned")
        }
        let paths = example.owned.map(\.path)
        #expect(Set(paths).count == paths.count, "a path is listed twice")
        #expect(paths.allSatisfy { !$0.hasPrefix("/") && !$0.hasSuffix("/") && !$0.isEmpty }, "paths are repository paths")
    }

    @Test func theExamplesCoverWhatTheDocumentationShows() {
        #expect(OwnershipExamples.github.count >= 14)
        #expect(OwnershipExamples.gitlab.count >= 25)
        let names = (OwnershipExamples.github + OwnershipExamples.gitlab).map { "\($0.dialect):\($0.name)" }
        #expect(Set(names).count == names.count, "example names are unique")
        let gitlabRules = OwnershipExamples.gitlab.map(\.rules).joined(separator: "\n")
        for needle in ["!pom.xml", "!*.rb", "/config/routes.rb @ops", "[Config]", "!**/generated/", "@@developer",
                       #"path\ with\ spaces"#, "^[Go]", "[Documentation] @docs-team", "/docs/**/index.md",
                       "/docs/*/README.md", "/docs/*spec*", "/docs/index.*", "/docs/*.md"] {
            #expect(gitlabRules.contains(needle), "no GitLab example shows \(needle)")
        }
        let githubRules = OwnershipExamples.github.map(\.rules).joined(separator: "\n")
        for needle in ["*.go docs@example.com", "*.txt @octo-org/octocats", "/build/logs/ @doctocat", "docs/*  docs@example.com",
                       "apps/ @octocat", "/docs/ @doctocat", "/scripts/ @doctocat @octocat", "**/logs @octocat",
                       "/apps/github\n", "/apps/github @doctocat"] {
            #expect(githubRules.contains(needle), "no GitHub example shows \(needle)")
        }
    }
}
