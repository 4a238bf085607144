import GatehouseCore
import Testing

private func check(_ text: String, _ dialect: OwnershipDialect, tracked: [RepoPath], requireAll: Bool = false) throws -> [Finding] {
    let file = try CodeownersParser.parse(Array(text.utf8), path: "CODEOWNERS", dialect: dialect)
    return RulesCheck.problems(OwnershipRules(file), trackedFiles: tracked, requireAll: requireAll)
}

private func summary(_ problems: [Finding]) -> [String] {
    // Line and column 0: none (an unowned file is about no line of the rules).
    problems.map { "\($0.line ?? 0):\($0.location?.column ?? 0) \($0.rule ?? "")\($0.path.map { " \($0)" } ?? "")" }
}

@Suite("Ownership: RulesCheck")
struct OwnershipRulesCheckTests {
    @Test func duplicatesNoMatchesAndShadowedRulesInLineOrder() throws {
        let problems = try check("""
            * @a
            *.md @b
            *.md @c
            /nothing/ @d
              docs/ @e
            /src/*.go @f
            *.go @g
            """, .github, tracked: ["README.md", "docs/guide.md", "src/main.go", "LICENSE"])
        // Line 2 never wins, but the duplicate warning on line 3 already says why: no "shadowed" for it.
        #expect(summary(problems) == ["3:1 duplicate", "4:1 no-match", "6:1 shadowed"])
        #expect(problems.allSatisfy { $0.severity == .warning })
        #expect(problems[0].message.contains("line 2"), "names the earlier line: \(problems[0].message)")
        #expect(problems[2].message.contains("line 7"), "names the rule that beat it: \(problems[2].message)")
    }

    @Test(arguments: [false, true])
    func unownedFilesComeLastAndAreErrorsWhenAllMustBeOwned(_ requireAll: Bool) throws {
        let problems = try check("/apps/ @octocat\n/apps/github\n!x\n", .github,
                                 tracked: ["apps/github/main.rb", "apps/web/index.js", "README.md"], requireAll: requireAll)
        #expect(summary(problems) == ["3:1 unsupported", "0:0 unowned apps/github/main.rb", "0:0 unowned README.md"])
        #expect(problems.filter { RulesCheck.Kind($0) == .unowned }.allSatisfy { $0.severity == (requireAll ? .error : .warning) })
    }

    @Test func gitLabDuplicatesAreCountedPerSectionAndExclusionsCountAsMatches() throws {
        let problems = try check("""
            * @all
            !*.lock
            [Docs]
            *.md @docs
            [Other]
            *.md @other
            [docs]
            *.md @writers
            """, .gitlab, tracked: ["README.md", "Gemfile.lock"])
        // The exclusion matched Gemfile.lock (no no-match for it), which it leaves unowned.
        #expect(summary(problems) == ["8:1 duplicate", "0:0 unowned Gemfile.lock"])
        #expect(problems[0].message.contains("in section [Docs]"), "\(problems[0].message)")
    }

    @Test func aFileOverTheSizeLimitIsReported() {
        func problems(_ size: Int) -> [Finding] {
            let file = CodeownersFile(path: "CODEOWNERS", dialect: .github, sections: [OwnershipSection(name: nil)],
                                      rules: [], problems: [], byteCount: size)
            return RulesCheck.problems(OwnershipRules(file), trackedFiles: [], requireAll: false)
        }
        #expect(RulesCheck.sizeLimit == 3 * 1024 * 1024)
        #expect(problems(RulesCheck.sizeLimit).isEmpty)
        #expect(summary(problems(RulesCheck.sizeLimit + 1)) == ["1:1 size"])
        #expect(problems(RulesCheck.sizeLimit + 1).first?.severity == .error)
    }

    @Test func parseProblemsAreKeptAndSortedWithTheOthers() throws {
        let problems = try check("* @all\ndocs/ @docs bad\n[Docs\n", .gitlab, tracked: ["docs/a.md", "README.md"])
        #expect(summary(problems) == ["2:13 owner", "3:1 syntax"])
    }
}
