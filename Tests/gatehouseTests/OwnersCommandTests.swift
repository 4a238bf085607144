import Foundation
import GatehouseTestSupport
import Testing

/// main has CODEOWNERS giving src/ to @alice; the feature branch edits src/app.swift and,
/// in the same change, hands src/ to @mallory.
func ownedRepository() throws -> TestRepository {
    let repo = try TestRepository()
    try repo.write("rules/CODEOWNERS", "* @org/everyone\n/src/ @alice\n/docs/ @org/docs\n")
    try repo.write("src/app.swift", lines(5, "let a ="))
    try repo.write("src/lib/util.swift", lines(3, "func u"))
    try repo.write("docs/guide.md", "# Guide\n")
    try repo.write("README.md", "# Demo\n")
    try repo.commit("base")
    try repo.git(["checkout", "-q", "-b", "feature"])
    try repo.write("src/app.swift", lines(6, "let a ="))
    try repo.write("rules/CODEOWNERS", "* @org/everyone\n/src/ @mallory\n/docs/ @org/docs\n")
    try repo.commit("take over src")
    return repo
}

@Suite("gatehouse owners")
struct OwnersCommandTests {
    @Test func aChangeIsJudgedByTheBaseRulesSoItCannotLoosenItsOwnReview() throws {
        let repo = try ownedRepository()
        let result = try GatehouseCLI.run(["owners", "--base", "main"], in: repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.contains("rules/CODEOWNERS  @org/everyone"))
        #expect(lines.contains("src/app.swift  @alice"))
        #expect(result.output.contains("This change edits rules/CODEOWNERS"))
        #expect(result.output.contains("src/app.swift  @alice -> @mallory"))
        #expect(result.output.contains("src/lib/util.swift  @alice -> @mallory"))
        try Golden.check(result.stdout, against: "cli-owners-change.txt")

        let head = try GatehouseCLI.run(["owners", "--base", "main", "--rules-from", "head"], in: repo.path)
        #expect(head.output.contains("src/app.swift  @mallory"))
    }

    @Test func jsonNamesTheDecidingRuleOfEachSection() throws {
        let repo = try TestRepository()
        try repo.write(".gitlab/CODEOWNERS", """
            * @admin
            !*.lock

            [Docs][2] @docs-team
            docs/
            README.md @writer

            ^[Ruby]
            *.rb @ruby
            !/config/**/*.rb

            """)
        try repo.write("docs/README.md", "x\n")
        try repo.write("config/app.rb", "x\n")
        try repo.write("Gemfile.lock", "x\n")
        try repo.commit("rules")
        let result = try GatehouseCLI.run(
            ["owners", "--format", "json", "docs/README.md", "config/app.rb", "Gemfile.lock", "lib/x.rb"], in: repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        try Golden.check(result.stdout, against: "cli-owners-gitlab.json")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [[String: Any]])
        #expect(entries.map { $0["owners"] as? [String] ?? [] } == [
            ["@admin", "@writer"], ["@admin"], [], ["@admin", "@ruby"],
        ])
    }

    @Test func pathsAreRelativeToTheCurrentFolder() throws {
        let repo = try ownedRepository()
        let result = try GatehouseCLI.run(["owners", "app.swift", "lib/util.swift"], in: repo.path + "/src")
        #expect(result.output == "src/app.swift  @mallory\nsrc/lib/util.swift  @mallory\n")
    }

    @Test func allAndUnowned() throws {
        let repo = try TestRepository()
        try repo.write("CODEOWNERS", "/src/ @alice\n/src/generated/\n")
        try repo.write("src/a.swift", "a\n")
        try repo.write("src/generated/g.swift", "g\n")
        try repo.write("tools/t.sh", "t\n")
        try repo.commit("files")
        let all = try GatehouseCLI.run(["owners", "--all"], in: repo.path)
        #expect(all.output == "CODEOWNERS  (unowned)\nsrc/a.swift  @alice\nsrc/generated/g.swift  (unowned)\ntools/t.sh  (unowned)\n")
        let unowned = try GatehouseCLI.run(["owners", "--all", "--unowned"], in: repo.path)
        #expect(unowned.output == "CODEOWNERS\nsrc/generated/g.swift\ntools/t.sh\n")
    }

    @Test func rulesFileAndPathListWithoutARepository() throws {
        let repo = try ownedRepository()  // only for a temporary folder
        let folder = repo.parentFolder
        try "*.md @docs\n/src/ @dev\n".write(toFile: folder + "/RULES", atomically: true, encoding: .utf8)
        try "README.md\nsrc/x/y.go\nother\n".write(toFile: folder + "/paths.txt", atomically: true, encoding: .utf8)
        let result = try GatehouseCLI.run(["owners", "--rules", "RULES", "--paths-from", "paths.txt"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output == "README.md  @docs\nsrc/x/y.go  @dev\nother  (unowned)\n")
        let stdin = try run([GatehouseCLI.executable, "owners", "--rules", "RULES", "--paths-from", "-"], in: folder,
                            environment: TestRepository.gitEnvironment, stdin: Array("docs/a.md\n".utf8))
        #expect(stdin.output == "docs/a.md  @docs\n")
    }

    @Test func configurationNamesTheFileAndDialect() throws {
        let repo = try TestRepository()
        try repo.write("ownership/OWNERS", "[Core]\nsrc/ @core\n")
        try repo.write("rules/gatehouse.yml", "owners:\n  file: ownership/OWNERS\n  dialect: gitlab\n")
        try repo.write("src/deep/src/a.c", "x\n")
        try repo.commit("config")
        let result = try GatehouseCLI.run(["owners", "src/deep/src/a.c"], in: repo.path)
        #expect(result.output == "src/deep/src/a.c  @core\n", "\(result.stderr)")
    }

    @Test func aBaseWithoutRulesRequiresNoOwners() throws {
        let repo = try TestRepository()
        try repo.write("a.txt", "a\n")
        try repo.commit("no rules yet")
        try repo.git(["checkout", "-q", "-b", "feature"])
        try repo.write("CODEOWNERS", "* @alice\n")
        try repo.commit("add rules")
        let result = try GatehouseCLI.run(["owners", "--base", "main"], in: repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output.hasPrefix("CODEOWNERS  (unowned)\n"))
        #expect(result.stderr.contains("the base has no CODEOWNERS"))
        #expect(result.output.contains("a.txt  (unowned) -> @alice"))
    }
}

@Suite("gatehouse explain")
struct ExplainCommandTests {
    @Test func namesTheWinnerAndWhatItOverrode() throws {
        let repo = try ownedRepository()
        try repo.write("rules/CODEOWNERS", "* @org/everyone\n*.swift @org/swift\n/src/ @mallory\n/src/lib/ # no owners\n")
        let result = try GatehouseCLI.run(["explain", "src/app.swift"], in: repo.path)
        #expect(result.status == 0)
        try Golden.check(result.stdout, against: "cli-explain.txt")
        let unowned = try GatehouseCLI.run(["explain", "src/lib/util.swift"], in: repo.path)
        #expect(unowned.output.contains("lists no owners, so it leaves the path unowned on purpose"))
    }

    @Test func gitlabSectionsAndExclusions() throws {
        let repo = try TestRepository()
        try repo.write(".gitlab/CODEOWNERS", "* @admin\n[Ruby] @ruby\n*.rb\n!/config/**/*.rb\n")
        let result = try GatehouseCLI.run(["explain", "config/app.rb"], in: repo.path)
        try Golden.check(result.stdout, against: "cli-explain-gitlab.txt")
    }
}

@Suite("gatehouse rules check")
struct RulesCheckCommandTests {
    func problemRepository(requireAll: Bool = false) throws -> TestRepository {
        let repo = try TestRepository()
        try repo.write("CODEOWNERS", """
            # Problems on purpose
            *           @org/everyone
            /src/       @alice
            !/src/gen/  @bob
            /docs/*.md  not-an-owner @docs
            /src/       @carol
            /gone/      @dave
            /src/a.go   @erin
            /src/*.go   @frank
            [abc].txt   @gina

            """)
        try repo.write("src/a.go", "a\n")
        try repo.write("docs/x.md", "x\n")
        if requireAll {
            try repo.write("rules/gatehouse.yml", "owners:\n  require_all: true\n")
            try repo.write("CODEOWNERS", "/src/ @alice\n")
        }
        try repo.commit("files")
        return repo
    }

    @Test func reportsEveryKindWithLineAndColumnAndExitsOneOnErrors() throws {
        let repo = try problemRepository()
        let result = try GatehouseCLI.run(["rules", "check"], in: repo.path)
        #expect(result.status == 1, "\(result.output)")
        try Golden.check(result.stdout, against: "cli-rules-check.txt")
        let json = try GatehouseCLI.run(["rules", "check", "--format", "json"], in: repo.path)
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any])
        let problems = try #require(object["problems"] as? [[String: Any]])
        let kinds = Set(problems.compactMap { $0["kind"] as? String })
        #expect(kinds == ["unsupported", "owner", "duplicate", "no-match", "shadowed"])
        #expect(object["dialect"] as? String == "github")
    }

    @Test func unownedFilesAreErrorsOnlyWhenRequired() throws {
        let repo = try problemRepository(requireAll: true)
        let result = try GatehouseCLI.run(["rules", "check"], in: repo.path)
        #expect(result.status == 1)
        #expect(result.output.contains("CODEOWNERS: error: docs/x.md has no owners. [unowned]"))
        try repo.write("rules/gatehouse.yml", "owners:\n  require_all: false\n")
        let relaxed = try GatehouseCLI.run(["rules", "check"], in: repo.path)
        #expect(relaxed.status == 0)
        #expect(relaxed.output.contains("warning: docs/x.md has no owners."))
    }

    @Test func aCleanFilePasses() throws {
        let repo = try ownedRepository()
        let result = try GatehouseCLI.run(["rules", "check"], in: repo.path)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == "rules/CODEOWNERS (github dialect, 3 rules): 0 errors, 0 warnings\n")
    }

    @Test func badRulesFilesExitTwo() throws {
        let repo = try TestRepository()
        try repo.write("x.txt", "x\n")
        try repo.commit("no rules")
        let missing = try GatehouseCLI.run(["rules", "check"], in: repo.path)
        #expect(missing.status == 2)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderr.contains("no CODEOWNERS file in the work tree"))
        try repo.write("CODEOWNERS", bytes: Array("* @a\n/caf".utf8) + [0xE9] + Array(" @b\n".utf8))
        let latin1 = try GatehouseCLI.run(["owners", "x.txt"], in: repo.path)
        #expect(latin1.status == 2)
        #expect(latin1.stdout.isEmpty)
        #expect(latin1.stderr.contains("CODEOWNERS:2: error: the file is not UTF-8 text: byte 9"), "\(latin1.stderr)")
    }
}

/// Paths on the command line are read as git reads them: from the current folder, with `.` and
/// `..` resolved; one outside the repository is bad input, not a file with owners.
@Suite("gatehouse owners and explain: paths from the current folder")
struct OwnersPathArgumentTests {
    func repository() throws -> TestRepository {
        let repo = try TestRepository()
        try repo.write("rules/CODEOWNERS", "* @owners\n/src/ @src-team\n")
        try repo.write("README.md", "# x\n")
        try repo.write("src/app.py", "x = 1\n")
        try repo.commit("base")
        return repo
    }

    @Test func dotDotAndDotAreResolvedAgainstTheCurrentFolder() throws {
        let repo = try repository()
        let fromSrc = try GatehouseCLI.run(["owners", "../README.md", "./app.py", "../src/./app.py"], in: repo.path + "/src")
        #expect(fromSrc.status == 0, "\(fromSrc.stderr)")
        #expect(fromSrc.output == "README.md  @owners\nsrc/app.py  @src-team\nsrc/app.py  @src-team\n", "\(fromSrc.output)")
        let explained = try GatehouseCLI.run(["explain", "../README.md"], in: repo.path + "/src")
        #expect(explained.status == 0)
        #expect(explained.output.hasPrefix("README.md"), "\(explained.output)")
    }

    @Test(arguments: [
        ("/etc/passwd", "'/etc/passwd' is outside the repository ("),
        ("../../x", "'../../x' is outside the repository ("),
        ("..", "'..' is the repository's top folder, not a file in it"),
    ])
    func aPathOutsideTheRepositoryIsExitTwo(_ argument: String, _ message: String) throws {
        let repo = try repository()
        for command in [["owners", argument], ["explain", argument]] {
            let result = try GatehouseCLI.run(command, in: repo.path + "/src")
            #expect(result.status == 2, "\(command): \(result.output)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(!result.stderr.contains("did you mean 'etc/passwd'"))
        }
    }

    @Test func aLeadingSlashMeantFromTheTopIsPointedOut() throws {
        let repo = try repository()
        let result = try GatehouseCLI.run(["owners", "/README.md"], in: repo.path)
        #expect(result.status == 2)
        #expect(result.stderr.contains("did you mean 'README.md'?"), "\(result.stderr)")
    }
}

@Suite("rules check and explain: what README promises")
struct RulesCheckPathListTests {
    @Test func rulesCheckAgainstAPathListNeedsNoRepository() throws {
        let folder = try TestRepository(name: "plain").parentFolder + "/no-repo"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("* @all\n/docs/ @docs\n/gone/ @nobody\n".utf8).write(to: URL(fileURLWithPath: folder + "/CODEOWNERS"))
        try Data("docs/a.md\nsrc/x.py\n".utf8).write(to: URL(fileURLWithPath: folder + "/paths.txt"))
        let checked = try GatehouseCLI.run(["rules", "check", "--rules", "CODEOWNERS", "--paths-from", "paths.txt"], in: folder)
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.output.contains("CODEOWNERS:3:1: warning: "), "\(checked.output)")
        #expect(checked.output.contains("/gone/"), "\(checked.output)")
        // Without a list and outside a repository there is nothing to check against: say how to give one.
        let bare = try GatehouseCLI.run(["rules", "check", "--rules", "CODEOWNERS"], in: folder)
        #expect(bare.status == 2)
        #expect(bare.stderr.contains("Give them with --paths-from FILE"), "\(bare.stderr)")
    }

    @Test func explainTakesSeveralPaths() throws {
        let repo = try TestRepository()
        try repo.write("rules/CODEOWNERS", "* @all\n/docs/ @docs\n")
        try repo.write("docs/a.md", "a\n")
        try repo.commit("base")
        let result = try GatehouseCLI.run(["explain", "docs/a.md", "src/x.py"], in: repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output.hasPrefix("docs/a.md\n  owners: @docs\n"), "\(result.output)")
        #expect(result.output.contains("\n\nsrc/x.py\n  owners: @all\n"), "\(result.output)")
    }
}
