import Foundation
import GatehouseCore
import Testing

/// One example path of one starter checklist, as a test argument.
struct StarterExample: Sendable, CustomTestStringConvertible {
    var checklist: StarterChecklist
    var example: StarterChecklist.Example
    var testDescription: String { "\(checklist.name): \(example)" }

    static let all: [StarterExample] = StarterChecklist.all.flatMap { checklist in
        checklist.examples.map { StarterExample(checklist: checklist, example: $0) }
    }
}

/// The language sets every starter file must be valid for: none, each alone, and all together.
private let languageSets: [[StarterLanguage]] = [[]] + StarterLanguage.allCases.map { [$0] } + [StarterLanguage.allCases]

/// A tracked tree with files of `languages`.
private func tree(_ languages: [StarterLanguage]) -> [RepoPath] {
    let samples: [StarterLanguage: RepoPath] = [
        .swift: "Sources/App/main.swift", .go: "cmd/server/main.go", .javascript: "web/src/index.ts", .python: "app/views.py",
        .ruby: "lib/billing.rb", .java: "src/main/java/App.java", .rust: "src/lib.rs",
    ]
    return ["README.md", "docs/guide.md"] + languages.compactMap { samples[$0] }
}

@Suite("gatehouse init's starter rules")
struct ChecklistStarterTests {
    // MARK: Examples: each starter checklist triggers on its examples and only on them

    @Test(arguments: StarterExample.all)
    func example(_ case: StarterExample) throws {
        let example = `case`.example
        // With only the example's language detected, and with every language: more globs must not
        // make a non-triggering example trigger.
        for languages in [example.language.map { [$0] } ?? StarterLanguage.allCases, StarterLanguage.allCases] {
            let file = "rules/checklists/\(`case`.checklist.name).md"
            let checklist = try ChecklistParser.parse(Array(`case`.checklist.file(for: languages).utf8), file: file)
            let status: FileStatus = .added
            let applies = !Checklists.applicable([checklist], to: [ChangedFile(path: RepoPath(example.path), status: status)]).isEmpty
            #expect(applies == example.triggers, "with \(languages.map(\.name)): paths \(checklist.paths), exclude \(checklist.exclude)")
        }
    }

    @Test func everyStarterChecklistHasExamplesBothWays() {
        for checklist in StarterChecklist.all {
            #expect(checklist.examples.contains { $0.triggers }, "\(checklist.name)")
            #expect(checklist.examples.contains { !$0.triggers }, "\(checklist.name)")
        }
    }

    // MARK: Every starter file is valid for every language mix

    @Test(arguments: languageSets)
    func starterFilesAreValid(_ languages: [StarterLanguage]) throws {
        let files = StarterRules.files(trackedFiles: tree(languages))
        #expect(files.map(\.path) == ["rules/gatehouse.yml", "rules/CODEOWNERS"] + StarterChecklist.all.map { "rules/checklists/\($0.name).md" })
        for file in files where file.path.hasPrefix("rules/checklists/") {
            let checklist = try ChecklistParser.parse(Array(file.contents.utf8), file: file.path)
            #expect(checklist.items.count >= 4, "\(file.path)")
            #expect(!checklist.paths.isEmpty, "\(file.path)")
        }
        let config = try GatehouseConfig.parse(Data(files[0].contents.utf8), file: files[0].path)
        // Only what holds for any repository is set: the dialect, for one, is detected from the file.
        #expect(config.owners == GatehouseConfig.OwnersSettings())
        #expect(config.base == nil)
        #expect(config.missingReport == .fail)
        // The gates are on from the first push, reading what each language's usual tools write.
        #expect(config.coverage.changedLines == 90)
        #expect(config.coverage.reports.contains("coverage/lcov.info") == (languages.isEmpty || languages.contains(.javascript) || languages.contains(.ruby)))
        #expect(config.coverage.reports.contains("coverage.xml") == languages.contains(.python))
        let linted: Set<StarterLanguage> = [.swift, .javascript, .python, .java, .rust]
        #expect(config.lint.reports.isEmpty == !languages.contains { linted.contains($0) })
        #expect(config.lint.reports.contains("ruff.sarif") == languages.contains(.python))
    }

    @Test func theChecklistsCoverTheAreasTheIssueNames() {
        let required = StarterChecklist.all.filter(\.isRequired).map(\.name)
        #expect(StarterChecklist.all.map(\.name) == [
            "functionality", "code-quality", "architecture", "security", "testing", "database", "infrastructure", "documentation",
        ])
        #expect(required == ["functionality", "security", "database"])
    }

    @Test func globsFollowTheLanguagesFound() throws {
        let goOnly = try ChecklistParser.parse(Array(StarterChecklist.all[4].file(for: [.go]).utf8), file: "testing.md")
        #expect(goOnly.paths.contains("*_test.go"))
        #expect(!goOnly.paths.contains("test_*.py"))
        let generic = try ChecklistParser.parse(Array(StarterChecklist.all[4].file(for: []).utf8), file: "testing.md")
        #expect(generic.paths.contains("tests/"))
        #expect(!generic.paths.contains("*_test.go"))
    }

    // MARK: Languages

    @Test func languagesAreDetectedFromExtensionsOutsideVendoredTrees() {
        let files: [RepoPath] = [
            "Package.swift", "cmd/main.go", "web/node_modules/left-pad/index.js", "vendor/github.com/x/y.rb", "tools/gen.py",
            ".eslintrc", "Makefile", "src/App.tsx", "lib.rs/README",
        ]
        #expect(StarterLanguage.detect(in: files) == [.swift, .go, .javascript, .python])
        #expect(StarterLanguage.detect(in: []) == [])
    }

    // MARK: CODEOWNERS skeleton

    @Test func codeownersHasAPlaceholderOwnerPerTopLevelFolderAndNoProblem() throws {
        let tracked: [RepoPath] = [
            "README.md", "Sources/App/main.swift", "Tests/AppTests/a.swift", ".github/workflows/ci.yml", "my docs/a.md",
            "web_ui/src/x.ts", "[legacy]/x", "!bang/x", RepoPath(bytes: Array("caf".utf8) + [0xE9] + Array("/x".utf8)),
        ]
        let text = try #require(StarterRules.files(trackedFiles: tracked).first { $0.path == "rules/CODEOWNERS" }).contents
        let file = try CodeownersParser.parse(Array(text.utf8), path: "rules/CODEOWNERS", dialect: .github)
        #expect(file.problems.isEmpty, "\(file.problems)")
        #expect(file.rules.map(\.pattern) == ["*", "/Sources/", "/Tests/", "/my docs/", "/web_ui/"])
        #expect(file.rules.map(\.owners) == [
            ["@your-org/maintainers"], ["@your-org/sources-owners"], ["@your-org/tests-owners"], ["@your-org/my-docs-owners"],
            ["@your-org/web-ui-owners"],
        ])
        #expect(text.contains("REPLACE THE PLACEHOLDERS"))
        let problems = RulesCheck.problems(OwnershipRules(file), trackedFiles: tracked, requireAll: true)
        #expect(problems.filter { $0.severity == .error }.isEmpty, "\(problems)")
    }

    // MARK: Dogfood: this repository's own checklists

    static let repositoryChecklists = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("rules/checklists")

    @Test(arguments: [
        ("Sources/GatehouseGit/TreeReader.swift", "libgit2"),
        ("Sources/CLibGit2/shim.h", "libgit2"),
        ("Sources/GatehouseCore/Coverage/LCOVParser.swift", "parsers"),
        ("Sources/GatehouseCore/Lint/SARIFParser.swift", "parsers"),
        ("Sources/GatehouseCore/Support/XMLReportReader.swift", "parsers"),
        ("Sources/gatehouse/Subcommands/Check.swift", "cli"),
        ("Sources/GatehouseCore/Render/VerdictRenderer.swift", "cli"),
        ("docs/CONFIG.md", "documentation"),
        ("README.md", "documentation"),
        ("Sources/GatehouseCore/Ownership/OwnershipMatcher.swift", "swift-api"),
    ])
    func thisRepositorysChecklistsApply(_ path: String, _ name: String) throws {
        let checklists = try #require(try Checklists.load(folder: Self.repositoryChecklists.path, displayFolder: "rules/checklists"))
        let applied = Checklists.applicable(checklists, to: [ChangedFile(path: RepoPath(path), status: .modified)])
        #expect(applied.map(\.checklist.file).contains("rules/checklists/\(name).md"), "\(applied.map(\.checklist.file))")
    }

    @Test func thisRepositorysChecklistsLeaveUnrelatedFilesAlone() throws {
        let checklists = try #require(try Checklists.load(folder: Self.repositoryChecklists.path, displayFolder: "rules/checklists"))
        #expect(Checklists.applicable(checklists, to: [ChangedFile(path: "Benchmarks/data.txt", status: .modified)]).isEmpty)
    }
}

@Suite("gatehouse init: the reports its gates read")
struct StarterReportsTests {
    @Test func reportsFoundInTheWorkTreeComeFirstAndReplaceGuesses() {
        let found = StarterReports.choose(languages: [.python, .javascript], existing: ["coverage/lcov.info", "ruff.sarif"])
        #expect(found.coverage.map(\.report) == ["coverage/lcov.info"])
        #expect(found.coverage.allSatisfy { $0.found })
        #expect(found.lint.map(\.report) == ["ruff.sarif"])

        let guessed = StarterReports.choose(languages: [.python, .javascript], existing: [])
        #expect(guessed.coverage.map(\.report) == ["coverage/lcov.info", "coverage.xml"])
        #expect(guessed.lint.map(\.report) == ["eslint.json", "ruff.sarif"])
        #expect(guessed.coverage.allSatisfy { !$0.found })

        // Go and Ruby have no linter whose report Gatehouse reads without another tool: lint stays off.
        #expect(StarterReports.choose(languages: [.go, .ruby], existing: []).lint.isEmpty)
    }
}
