import GatehouseCore
import Testing

private func parse(_ text: String, _ dialect: OwnershipDialect? = nil) throws -> CodeownersFile {
    try CodeownersParser.parse(Array(text.utf8), path: "CODEOWNERS", dialect: dialect)
}

/// A problem as (line, column, kind), the part of a report a user navigates by.
private struct Place: Hashable, CustomStringConvertible {
    var line: Int
    var column: Int
    var kind: RulesCheck.Kind?
    init(_ line: Int, _ column: Int, _ kind: RulesCheck.Kind?) {
        self.line = line
        self.column = column
        self.kind = kind
    }
    var description: String { "\(line):\(column) \(kind?.rawValue ?? "?")" }
}

private func places(_ file: CodeownersFile) -> [Place] {
    file.problems.map { Place($0.line ?? 0, $0.location?.column ?? 0, RulesCheck.Kind($0)) }
}

@Suite("Ownership: CodeownersParser")
struct OwnershipParserTests {
    // MARK: GitLab sections

    @Test func sectionsGroupTheRulesThatFollowThem() throws {
        let file = try parse("""
            * @admin

            [README Owners]
            README.md @user1 @user2
            internal/README.md @user4

            [README other owners]
            README.md @user3
            """)
        #expect(file.dialect == .gitlab)
        #expect(file.problems.isEmpty)
        #expect(file.sections.map(\.name) == [nil, "README Owners", "README other owners"])
        #expect(file.sections.map(\.line) == [0, 3, 7])
        #expect(file.rules.map(\.index) == [0, 1, 2, 3])
        #expect(file.rules.map(\.section) == [0, 1, 1, 2])
        #expect(file.rules.map(\.line) == [1, 4, 5, 8])
        #expect(file.rules.map(\.pattern) == ["*", "README.md", "internal/README.md", "README.md"])
        #expect(file.rules.map(\.owners) == [["@admin"], ["@user1", "@user2"], ["@user4"], ["@user3"]])
    }

    @Test func approvalsAndOptionalSections() throws {
        let file = try parse("""
            [Documentation][2] @docs-team
            docs/
            ^[Go]
            *.go @gophers
            [Ruby]
            *.rb @rubyists
            [Five][5]
            *.md @writers
            """)
        #expect(file.problems.isEmpty, "\(file.problems)")
        #expect(file.sections.map(\.name) == [nil, "Documentation", "Go", "Ruby", "Five"])
        #expect(file.sections.map(\.approvals) == [1, 2, 1, 1, 5])
        #expect(file.sections.map(\.isOptional) == [false, false, true, false, false])
        #expect(file.rules.map(\.section) == [1, 2, 3, 4])
    }

    @Test func sectionsWithTheSameNameAreOneSectionAndRequiredWins() throws {
        let file = try parse("""
            ^[Documentation]
            ee/docs/    @docs

            [Database]
            README.md  @database
            model/db/   @database

            [DOCUMENTATION]
            README.md  @docs
            """)
        #expect(file.problems.isEmpty)
        // Names are case-insensitive; the first spelling is kept.
        #expect(file.sections.map(\.name) == [nil, "Documentation", "Database"])
        #expect(file.sections[1].line == 1)
        #expect(file.sections[1].isOptional == false, "a required duplicate makes the section required")
        #expect(file.rules.map(\.section) == [1, 2, 2, 1])
    }

    @Test func optionalDuplicatesStayOptional() throws {
        let file = try parse("^[Go]\n*.go @a\n^[GO]\ngo.mod @b\n")
        #expect(file.sections.count == 2)
        #expect(file.sections[1].isOptional)
        #expect(file.rules.map(\.section) == [1, 1])
    }

    @Test func defaultOwnersApplyToEntriesWithoutOwnersOfTheirSectionOnly() throws {
        let file = try parse("""
            [Documentation] @docs-team @writers
            docs/
            README.md @alice

            [Database] @database-team @agarcia
            model/db/
            config/db/database-setup.md @docs-team
            [Ruby]
            *.rb
            """)
        #expect(file.rules.map(\.owners) == [
            ["@docs-team", "@writers"], ["@alice"], ["@database-team", "@agarcia"], ["@docs-team"], [],
        ])
        #expect(file.rules.map(\.ownersFromSection) == [true, false, true, false, false])
        // [Ruby] has no default owners, so `*.rb` has none: that is reported.
        #expect(places(file) == [Place(9, 1, .owner)])
    }

    @Test func reopeningASectionTakesTheDefaultsOfTheNewHeader() throws {
        let file = try parse("[Docs] @docs\na.md\n[Other] @other\n[docs]\nb.md\n")
        #expect(file.rules.map(\.owners) == [["@docs"], []])
        #expect(file.rules.map(\.section) == [1, 1])
        #expect(places(file) == [Place(5, 1, .owner)])
    }

    @Test func defaultOwnersStopAtACommentAndMalformedOnesAreReported() throws {
        let file = try parse("[Docs] @docs # ask @nobody\na.md\n[Ruby] @ruby notanowner @@developer\nb.rb\n")
        #expect(file.rules.map(\.owners) == [["@docs"], ["@ruby", "@@developer"]])
        #expect(places(file) == [Place(3, 14, .owner)])
    }

    @Test func aGitLabEntryWithoutOwnersInASectionWithoutDefaultsIsReportedAndKept() throws {
        let file = try parse("* @all\n[Docs]\n  docs/\n", .gitlab)
        #expect(places(file) == [Place(3, 3, .owner)])
        #expect(file.problems.first?.severity == .error)
        #expect(file.rules.map(\.pattern) == ["*", "docs/"])
        #expect(file.rules[1].owners.isEmpty)
        // The entry still decides its section: docs/ is owned only by the unnamed section.
        #expect(OwnershipRules(file).owners(of: "docs/index.md").owners == ["@all"])
    }

    @Test func aGitLabEntryWithoutOwnersBeforeAnySectionIsReported() throws {
        let file = try parse("docs/\n[Docs] @d\n", .gitlab)
        #expect(places(file) == [Place(1, 1, .owner)])
    }

    @Test func aGitHubEntryWithoutOwnersIsValid() throws {
        let file = try parse("/apps/ @octocat\n/apps/github\n")
        #expect(file.problems.isEmpty)
        #expect(file.rules.map(\.owners) == [["@octocat"], []])
    }

    // MARK: Header errors

    @Test func aHeaderWithoutItsClosingBracketIsReportedAndSkipped() throws {
        let file = try parse("* @group\n\n  [Section name\ndocs/ @docs_group\n", .gitlab)
        #expect(places(file) == [Place(3, 3, .syntax)])
        #expect(file.problems.first?.severity == .error)
        #expect(file.sections.count == 1)
        #expect(file.rules.map(\.pattern) == ["*", "docs/"])
        #expect(file.rules.map(\.section) == [0, 0])
    }

    @Test(arguments: ["[]", "[ ]", "^[]", "[\t][2] @a"])
    func aHeaderWithoutANameIsReported(_ header: String) throws {
        let file = try parse("\(header)\ndocs/ @docs\n", .gitlab)
        #expect(places(file) == [Place(1, 1, .syntax)])
        #expect(file.sections.count == 1)
        #expect(file.rules.count == 1)
    }

    @Test func aHeaderFollowedByTextIsReported() throws {
        let file = try parse("[Docs]x @a\n", .gitlab)
        #expect(places(file) == [Place(1, 1, .syntax)])
    }

    @Test(arguments: ["0", "abc"])
    func invalidApprovalsAreReported(_ approvals: String) throws {
        let file = try parse("* @admin\n[Docs][\(approvals)]\ndocs/ @docs\n", .gitlab)
        #expect(places(file) == [Place(2, 1, .syntax)])
        #expect(file.problems.first?.message.contains(approvals) == true)
    }

    /// GitLab, "Advanced CODEOWNERS configuration", "Require multiple approvals from Code Owners":
    /// "Valid entries for n are integers ≥ 1 ... Invalid values for n are treated as 1", and
    /// "Minimum approvals": "Setting the number of approvals to 0 results in GitLab requiring one
    /// approval." The header still opens its section (GitLab's SectionParser matches `[Docs]` and
    /// ignores the invalid count), so `docs/` belongs to [Docs], not to the section before it.
    @Test(arguments: ["0", "abc"])
    func invalidApprovalsStillOpenTheSection(_ approvals: String) throws {
        let file = try parse("* @admin\n[Docs][\(approvals)]\ndocs/ @docs\n", .gitlab)
        #expect(file.sections.map(\.name) == [nil, "Docs"])
        #expect(file.sections.last?.approvals == 1)
        #expect(file.rules.map(\.section) == [0, 1])
        #expect(OwnershipRules(file).owners(of: "docs/index.md").owners == ["@admin", "@docs"])
    }

    // MARK: GitHub: unsupported syntax

    @Test func unsupportedGitHubLinesAreReportedWhereTheyStartAndSkipped() throws {
        let file = try parse("""
            *.rb @ruby
            !vendor/*.rb @ruby
            \\#notes.md @notes
              docs/[ab].md @docs
            \t!tmp/ @a
            src/ @src
            """, .github)
        #expect(places(file) == [Place(2, 1, .unsupported), Place(3, 1, .unsupported), Place(4, 3, .unsupported), Place(5, 2, .unsupported)])
        #expect(file.problems.allSatisfy { $0.severity == .warning })
        #expect(file.rules.map(\.pattern) == ["*.rb", "src/"])
        #expect(file.rules.map(\.line) == [1, 6])
        #expect(file.rules.map(\.index) == [0, 1])
        let rules = OwnershipRules(file)
        // `!vendor/*.rb` was skipped, not read as a negation.
        #expect(rules.owners(of: "vendor/lib.rb").owners == ["@ruby"])
        #expect(rules.owners(of: "docs/a.md").owners == [])
        #expect(rules.owners(of: "#notes.md").owners == [])
    }

    @Test func anEscapedBracketIsNotARange() throws {
        let file = try parse(#"docs/\[draft\].md @docs"#, .github)
        #expect(file.problems.isEmpty)
        #expect(OwnershipRules(file).owners(of: "docs/[draft].md").owners == ["@docs"])
    }

    @Test func gitHubInlineCommentsAreIgnored() throws {
        let file = try parse("*.js    @js-owner #This is an inline comment.\n*.ts @a # @b\n")
        #expect(file.problems.isEmpty)
        #expect(file.rules.map(\.owners) == [["@js-owner"], ["@a"]])
    }

    // MARK: Owners

    @Test func malformedGitHubOwnersAreReportedAndTheValidOnesKept() throws {
        let file = try parse("*.rb @good bad @org/team dev@example.com @a/b/c @@developer\n", .github)
        #expect(file.rules.map(\.owners) == [["@good", "@org/team", "dev@example.com"]])
        #expect(places(file) == [Place(1, 12, .owner), Place(1, 42, .owner), Place(1, 49, .owner)])
        #expect(file.problems.allSatisfy { $0.severity == .error })
        #expect(file.problems[0].message.contains("'bad'"))
    }

    @Test func malformedGitLabOwnersAreReportedAndTheValidOnesKept() throws {
        let file = try parse("*.rb @good bad @org/team dev@example.com @a/b/c @@developer\n", .gitlab)
        #expect(file.rules.map(\.owners) == [["@good", "@org/team", "dev@example.com", "@a/b/c", "@@developer"]])
        #expect(places(file) == [Place(1, 12, .owner)])
    }

    @Test func gitLabMalformedOwnersExampleKeepsTheOthers() throws {
        let file = try parse("/path/* @group user_without_at_symbol @user_with_at_symbol\n", .gitlab)
        #expect(file.rules.map(\.owners) == [["@group", "@user_with_at_symbol"]])
        #expect(places(file) == [Place(1, 16, .owner)])
    }

    @Test(arguments: [
        ("@@developer", true), ("@@developers", true), ("@@maintainer", true), ("@@maintainers", true),
        ("@@owner", true), ("@@owners", true), ("@@Maintainer", true),
        ("@@guest", false), ("@@reporter", false), ("@@", false), ("@@@developer", false),
    ])
    func gitLabRoles(_ owner: String, _ valid: Bool) throws {
        let file = try parse("file.md \(owner)\n", .gitlab)
        #expect(file.rules.first?.owners == (valid ? [owner] : []))
        #expect(places(file).contains(Place(1, 9, .owner)) == !valid)
    }

    @Test(arguments: ["@user", "@org/team", "first.last@example.com", "@my-org/my_team.v2"])
    func validGitHubOwners(_ owner: String) throws {
        let file = try parse("* \(owner)\n", .github)
        #expect(file.problems.isEmpty)
        #expect(file.rules.first?.owners == [owner])
    }

    @Test(arguments: ["user", "@", "@org/", "@/team", "@org//team", "@a/b/c", "user@", "user@example", "a@b@c.com", "user@.com", "@@developer"])
    func invalidGitHubOwners(_ owner: String) throws {
        let file = try parse("* \(owner)\n", .github)
        #expect(places(file) == [Place(1, 3, .owner)])
        #expect(file.rules.first?.owners == [])
    }

    @Test func gitLabReadsOwnersNamedInAComment() throws {
        // "Inline comments are unsupported. Any Code Owners listed in a comment are parsed."
        let file = try parse("*.rb @ruby-team # ping @bob and carol\n", .gitlab)
        #expect(file.rules.map(\.owners) == [["@ruby-team", "@bob"]])
        #expect(file.problems.isEmpty)
    }

    // MARK: GitLab escapes and exclusions

    @Test func gitLabEscapes() throws {
        let file = try parse(##"""
            \#notes.md @a
            path\ with\ spaces/*.md @b
            \!literal @c
            """##, .gitlab)
        #expect(file.problems.isEmpty)
        #expect(file.rules.map(\.pattern) == ["#notes.md", "path with spaces/*.md", #"\!literal"#])
        #expect(file.rules.map(\.isExclusion) == [false, false, false])
        let rules = OwnershipRules(file)
        #expect(rules.owners(of: "#notes.md").owners == ["@a"])
        #expect(rules.owners(of: "docs/#notes.md").owners == ["@a"])
        #expect(rules.owners(of: "path with spaces/x.md").owners == ["@b"])
        #expect(rules.owners(of: "!literal").owners == ["@c"])
    }

    @Test func ownersOnAnExclusionAreReportedAndIgnored() throws {
        let file = try parse("* @all\n!vendor/ @a @b\n", .gitlab)
        #expect(file.rules.map(\.isExclusion) == [false, true])
        #expect(file.rules.map(\.pattern) == ["*", "vendor/"])
        #expect(file.rules[1].owners.isEmpty)
        #expect(places(file) == [Place(2, 10, .owner)])
        #expect(file.problems.first?.severity == .warning)
    }

    @Test(arguments: [OwnershipDialect.github, .gitlab])
    func aPatternThatMatchesNothingIsASyntaxError(_ dialect: OwnershipDialect) throws {
        let file = try parse("/ @root\n* @all\n", dialect)
        #expect(places(file) == [Place(1, 1, .syntax)])
        #expect(file.rules.map(\.pattern) == ["*"])
    }

    @Test func aLoneExclusionMarkIsASyntaxError() throws {
        let file = try parse("* @all\n!\n", .gitlab)
        #expect(places(file) == [Place(2, 1, .syntax)])
        #expect(file.rules.count == 1)
    }

    // MARK: Lines, columns, comments

    @Test(arguments: [OwnershipDialect.github, .gitlab])
    func columnsCountLeadingSpacesAndTabs(_ dialect: OwnershipDialect) throws {
        let file = try parse("# comment\n\n   \n\t  docs/ @a\n  # indented comment\nsrc/\t@b\n", dialect)
        #expect(file.rules.map(\.line) == [4, 6])
        #expect(file.rules.map(\.column) == [4, 1])
        #expect(file.rules.map(\.owners) == [["@a"], ["@b"]])
    }

    @Test func theByteCountIsThatOfTheWholeFile() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("* @a\n".utf8)
        let file = try CodeownersParser.parse(bytes, path: "x/CODEOWNERS", dialect: nil)
        #expect(file.byteCount == 8)
        #expect(file.path == "x/CODEOWNERS")
    }

    // MARK: Encodings

    @Test(arguments: [OwnershipDialect.github, .gitlab])
    func aByteOrderMarkIsAccepted(_ dialect: OwnershipDialect) throws {
        let text = "* @a\n\n/docs/ @doctocat docs@example.com\n  *.md @writers\n"
        let plain = try parse(text, dialect)
        let marked = try CodeownersParser.parse([0xEF, 0xBB, 0xBF] + Array(text.utf8), path: "CODEOWNERS", dialect: dialect)
        #expect(marked.problems.isEmpty, "\(marked.problems)")
        #expect(marked.rules == plain.rules)
        #expect(marked.rules.map(\.pattern) == ["*", "/docs/", "*.md"])
        #expect(marked.rules.map(\.column) == [1, 1, 3])
    }

    @Test func aByteOrderMarkDoesNotHideASectionHeader() throws {
        let file = try CodeownersParser.parse([0xEF, 0xBB, 0xBF] + Array("[Docs] @docs\ndocs/\n".utf8), path: "CODEOWNERS", dialect: nil)
        #expect(file.dialect == .gitlab)
        #expect(file.sections.map(\.name) == [nil, "Docs"])
    }

    /// Windows line endings. GitLab reads the file with Ruby's `String#lines` and strips each line
    /// (ee/lib/gitlab/code_owners/file.rb), so a CRLF file reads exactly as an LF one; the parser's
    /// own comment says it drops a trailing "\r". But in Swift "\r\n" is a single Character, so
    /// `text.split(separator: "\n")` never splits a CRLF file: the whole file is one line.
    @Test(arguments: [OwnershipDialect.github, .gitlab])
    func crlfLineEndingsAreAccepted(_ dialect: OwnershipDialect) throws {
        let text = "* @a\n\n/docs/ @doctocat docs@example.com\n  *.md @writers\n"
        let unix = try parse(text, dialect)
        let windows = try parse(text.replacingOccurrences(of: "\n", with: "\r\n"), dialect)
        #expect(unix.rules.count == 3)
        #expect(windows.problems.isEmpty, "\(windows.problems)")
        #expect(windows.rules == unix.rules)
        #expect(OwnershipRules(windows).owners(of: "docs/guide.md").owners == ["@writers"])
    }

    @Test func crlfGitLabHeadersAreDetected() throws {
        let file = try parse("* @a\r\n[Docs] @docs\r\ndocs/\r\n")
        #expect(file.dialect == .gitlab)
        #expect(file.sections.map(\.name) == [nil, "Docs"])
        #expect(file.rules.map(\.owners) == [["@a"], ["@docs"]])
    }

    @Test func aCarriageReturnEndingTheLastLineIsDropped() throws {
        let file = try parse("/docs/ @doctocat\r", .github)
        #expect(file.problems.isEmpty)
        #expect(file.rules.map(\.owners) == [["@doctocat"]])
    }

    @Test(arguments: [
        // (bytes before the bad one, the bad bytes, line of the bad byte)
        (Array("* @a\n/docs/ @b\n".utf8), [UInt8(0xFF)], 3),
        (Array("é @a\n".utf8), [0xE2, 0x82], 2),  // a sequence cut short at the end
        ([0xEF, 0xBB, 0xBF] + Array("ab".utf8), [0xC3, 0x28], 1),  // after a byte order mark
        ([], [0x80], 1),
        (Array("x @a\n".utf8), [0xED, 0xA0, 0x80], 2),  // an encoded surrogate
        (Array("x @a ".utf8), [0xC0, 0xAF], 1),  // an overlong encoding
    ] as [([UInt8], [UInt8], Int)])
    func invalidUTF8ThrowsNamingTheByteOffset(_ prefix: [UInt8], _ bad: [UInt8], _ line: Int) {
        let bytes = prefix + bad + Array(" @x\n".utf8)
        let error = #expect(throws: GatehouseError.self) {
            try CodeownersParser.parse(bytes, path: "CODEOWNERS", dialect: nil)
        }
        #expect(error?.kind == .invalidRules)
        #expect(error?.message.contains("byte \(prefix.count) ") == true, "\(error?.message ?? "")")
        #expect(error?.location?.file == "CODEOWNERS")
        #expect(error?.location?.line == line)
    }

    // MARK: Detection

    @Test(arguments: [
        ("* @a", OwnershipDialect.github),
        ("[Docs]\n* @a", .gitlab),
        ("* @a\n^[Optional]\n*.go @b", .gitlab),
        ("* @a\n  [Indented] @docs", .gitlab),
        ("[Docs][2] @d\ndocs/", .gitlab),
        ("docs/[ab].md @a", .github),
        ("[Unclosed\n* @a", .github),
        ("# [Commented]\n* @a", .github),
        ("*.md @a # see [Docs]", .github),
        ("", .github),
    ])
    func anySectionHeaderMeansGitLab(_ text: String, _ expected: OwnershipDialect) throws {
        #expect(try parse(text).dialect == expected)
    }

    @Test func aGivenDialectOverridesDetection() throws {
        let github = try parse("[Docs]\n* @a\n", .github)
        #expect(github.dialect == .github)
        #expect(places(github) == [Place(1, 1, .unsupported)])
        #expect(github.sections.count == 1)
        let gitlab = try parse("* @a\n", .gitlab)
        #expect(gitlab.dialect == .gitlab)
    }
}
