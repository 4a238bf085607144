import Foundation
import GatehouseTestSupport
import Testing

/// The fixture every CLI test starts from: `main` with three files, and `feature` with an
/// addition, an edit, a rename and a deletion. Fixed dates make the commit ids stable.
func featureRepository() throws -> TestRepository {
    let repo = try TestRepository()
    try repo.write("README.md", "# Demo\n\nA demo.\n")
    try repo.write("Sources/App/main.swift", lines(12, "print"))
    try repo.write("Sources/App/Old.swift", lines(20, "let old ="))
    try repo.write("docs/obsolete.md", "gone\n")
    try repo.commit("base")
    try repo.git(["checkout", "-q", "-b", "feature"])
    try repo.write("Sources/App/main.swift", lines(12, "print").replacingOccurrences(of: "print 5\n", with: "print(5)\nprint(6)\n"))
    try repo.move("Sources/App/Old.swift", "Sources/Core/Old.swift")
    try repo.write("Sources/Core/Old.swift", lines(20, "let old =") + "let added = true\n")
    try repo.write("Sources/App/New.swift", lines(3, "func f"))
    try repo.remove("docs/obsolete.md")
    try repo.commit("feature")
    return repo
}

@Suite("gatehouse diff")
struct DiffCommandTests {
    @Test func textOutputMatchesGolden() throws {
        let repo = try featureRepository()
        let result = try GatehouseCLI.run(["diff", "--base", "main"], in: repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        try Golden.check(result.stdout, against: "cli-diff.txt")
    }

    @Test func jsonOutputMatchesGoldenAndParses() throws {
        let repo = try featureRepository()
        let result = try GatehouseCLI.run(["diff", "--base", "main", "--format", "json"], in: repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        try Golden.check(result.stdout, against: "cli-diff.json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        #expect(object["head"] as? String == (try repo.revParse("HEAD")))
        #expect(object["mergeBase"] as? String == (try repo.gitOutput(["merge-base", "main", "HEAD"])))
        #expect(object["baseSource"] as? String == "option")
    }

    @Test func runsFromASubfolderAndWithDashC() throws {
        let repo = try featureRepository()
        let inside = try GatehouseCLI.run(["diff", "--base", "main"], in: repo.path + "/Sources/App")
        let outside = try GatehouseCLI.run(["diff", "-C", repo.path, "--base", "main"], in: "/")
        #expect(inside.status == 0 && outside.status == 0)
        #expect(inside.output == outside.output)
    }

    @Test func verboseSaysWhichBaseAndWhy() throws {
        let repo = try featureRepository()
        let result = try GatehouseCLI.run(["diff", "--verbose"], in: repo.path)
        #expect(result.status == 0)
        #expect(result.stderr.contains("base main"))
        #expect(result.stderr.contains("a branch named main exists"))
    }

    @Test func baseFromConfiguration() throws {
        let repo = try featureRepository()
        try repo.git(["branch", "develop", "main"])
        try repo.write("rules/gatehouse.yml", "base: develop\n")
        let result = try GatehouseCLI.run(["diff", "--format", "json", "--verbose"], in: repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output.contains(#""baseSource": "config""#))
        #expect(result.stderr.contains("base: develop in rules/gatehouse.yml"))
    }

    @Test func baseFromGitHubActionsEventPayload() throws {
        let repo = try featureRepository()
        let mainSHA = try repo.revParse("main")
        let payload = repo.parentFolder + "/event.json"
        try #"{"pull_request": {"base": {"sha": "\#(mainSHA)", "ref": "main"}}}"#.write(toFile: payload, atomically: true, encoding: .utf8)
        try repo.git(["branch", "-m", "main", "trunk"])  // nothing but the payload names the base now
        let result = try GatehouseCLI.run(
            ["diff", "--format", "json"], in: repo.path,
            environment: ["GITHUB_ACTIONS": "true", "GITHUB_EVENT_PATH": payload, "GITHUB_BASE_REF": "main"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output.contains(#""baseSource": "github-event""#))
        #expect(result.output.contains(mainSHA))
    }

    @Test func baseFromGitLabMergeRequestVariable() throws {
        let repo = try featureRepository()
        let mainSHA = try repo.revParse("main")
        let result = try GatehouseCLI.run(
            ["diff", "--format", "json"], in: repo.path, environment: ["CI_MERGE_REQUEST_DIFF_BASE_SHA": mainSHA])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output.contains(#""baseSource": "gitlab""#))
    }

    @Test func stagedAndWorktree() throws {
        let repo = try featureRepository()
        try repo.write("README.md", "# Demo\n\nA demo.\nMore.\n")
        try repo.git(["add", "README.md"])
        try repo.write("Sources/App/New.swift", lines(4, "func f"))
        let staged = try GatehouseCLI.run(["diff", "--staged"], in: repo.path)
        #expect(staged.output == "M\t1\t0\tREADME.md\n1 file changed, 1 insertion(+), 0 deletions(-)\n")
        let worktree = try GatehouseCLI.run(["diff", "--worktree"], in: repo.path)
        #expect(worktree.output.contains("Sources/App/New.swift"))
        #expect(worktree.output.contains("README.md"))
    }

    @Test func pathsThatAreNotUTF8SurviveInJSON() throws {
        let repo = try featureRepository()
        try repo.write(Array("caf".utf8) + [0xE9] + Array(".txt".utf8), Array("x\n".utf8))
        try repo.commit("latin-1 name")
        let result = try GatehouseCLI.run(["diff", "--base", "main", "--format", "json"], in: repo.path)
        #expect(result.status == 0)
        #expect(result.output.contains(#""pathBytes": "Y2Fm6S50eHQ=""#))  // base64 of the exact bytes
        let text = try GatehouseCLI.run(["diff", "--base", "main"], in: repo.path)
        #expect(text.output.contains(#""caf\351.txt""#))
    }
}

/// Bad input: exit code 2, one message on stderr that says what to do, nothing on stdout.
@Suite("gatehouse diff: bad input")
struct DiffErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let arguments: [String]
        let setup: @Sendable (TestRepository) throws -> String  // returns the folder to run in
        let mentions: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "not a repository", arguments: ["diff"], setup: { $0.parentFolder }, mentions: ["not inside a git repository", "-C"]),
        Case(name: "unknown base", arguments: ["diff", "--base", "nope"], setup: { $0.path }, mentions: ["'nope'", "Check the spelling"]),
        Case(name: "unknown head", arguments: ["diff", "--base", "main", "--head", "v9"], setup: { $0.path }, mentions: ["--head 'v9'"]),
        Case(name: "no commits yet", arguments: ["diff", "--base", "main"],
             setup: { repo in
                 let empty = repo.parentFolder + "/empty"
                 _ = try run(["git", "init", "-q", empty], in: repo.parentFolder, environment: TestRepository.gitEnvironment)
                 return empty
             }, mentions: ["no commits yet"]),
        Case(name: "unrelated histories", arguments: ["diff", "--base", "orphan"],
             setup: { repo in
                 try repo.git(["checkout", "-q", "--orphan", "orphan"])
                 try repo.write("x.txt", "x\n")
                 try repo.commit("orphan root")
                 try repo.git(["checkout", "-q", "feature"])
                 return repo.path
             }, mentions: ["unrelated histories", "--range two-dot"]),
        Case(name: "unknown flag", arguments: ["diff", "--bse", "main"], setup: { $0.path }, mentions: ["--bse"]),
        Case(name: "conflicting flags", arguments: ["diff", "--staged", "--worktree"], setup: { $0.path }, mentions: ["--staged", "--worktree"]),
        Case(name: "bad range kind", arguments: ["diff", "--range", "three"], setup: { $0.path }, mentions: ["three"]),
        Case(name: "missing -C folder", arguments: ["diff", "-C", "/no/such/folder"], setup: { $0.path }, mentions: ["/no/such/folder"]),
        Case(name: "missing --config file", arguments: ["diff", "--config", "nope.yml"], setup: { $0.path }, mentions: ["nope.yml", "--config"]),
        Case(name: "invalid configuration", arguments: ["diff"],
             setup: { repo in
                 try repo.write("rules/gatehouse.yml", "base: main\ncoverge: {}\n")
                 return repo.path
             }, mentions: ["rules/gatehouse.yml:2:1", "unknown key 'coverge'"]),
        Case(name: "CI base that was not fetched", arguments: ["diff"], setup: { $0.path }, mentions: ["GITHUB_BASE_REF=release", "fetch-depth: 0"]),
    ]

    @Test(arguments: cases)
    func failsCleanly(_ testCase: Case) throws {
        let repo = try featureRepository()
        let folder = try testCase.setup(repo)
        let environment = testCase.name.hasPrefix("CI base") ? ["GITHUB_BASE_REF": "release"] : [:]
        let result = try GatehouseCLI.run(testCase.arguments, in: folder, environment: environment)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stdout.isEmpty, "nothing may be written to stdout on bad input")
        for word in testCase.mentions {
            #expect(result.stderr.contains(word), "\(result.stderr)")
        }
        #expect(!result.stderr.contains("Fatal error"), "\(result.stderr)")
    }

    @Test func helpExitsZero() throws {
        let repo = try featureRepository()
        let result = try GatehouseCLI.run(["diff", "--help"], in: repo.path)
        #expect(result.status == 0)
        #expect(result.output.contains("--base"))
    }
}

/// During a conflicted merge `git diff HEAD` shows each conflicted file as HEAD's version against
/// the work-tree file, markers and all; `diff --worktree` showed nothing (issue 14).
@Suite("gatehouse diff --worktree during a conflicted merge")
struct ConflictedMergeDiffTests {
    @Test func conflictedFilesAreShownAsGitDiffHEADShowsThem() throws {
        let repo = try TestRepository()
        try repo.write("both.txt", "a\nb\nc\n")
        try repo.write("gone-theirs.txt", "keep\nme\n")
        try repo.write("gone-ours.txt", "keep\nme\n")
        try repo.write("calm.txt", "x\n")
        try repo.commit("base")
        try repo.git(["checkout", "-q", "-b", "other"])
        try repo.write("both.txt", "a\nB from other\nc\n")
        try repo.remove("gone-theirs.txt")
        try repo.write("gone-ours.txt", "keep\nchanged by other\n")
        try repo.write("added.txt", "other's\n")
        try repo.commit("other")
        try repo.git(["checkout", "-q", "main"])
        try repo.write("both.txt", "a\nB from main\nc\n")
        try repo.write("gone-theirs.txt", "keep\nchanged by main\n")
        try repo.remove("gone-ours.txt")
        try repo.write("added.txt", "main's\n")
        try repo.write("calm.txt", "x\ny\n")
        try repo.commit("main")
        let merge = try repo.git(["merge", "other"], allowFailure: true)
        #expect(merge.status != 0, "the merge must conflict")
        // A resolved file next to the conflicts, and an edit of a clean one.
        try repo.write("calm.txt", "x\ny\nz\n")

        let git = try repo.gitOutput(["diff", "HEAD", "--numstat", "--no-renames"])
            .split(separator: "\n").map { String($0) }.sorted()
        let ours = try GatehouseCLI.run(["diff", "--worktree", "--no-renames"], in: repo.path)
        #expect(ours.status == 0, "\(ours.stderr)")
        let lines = ours.output.split(separator: "\n").dropLast().map { line in
            // "M\t4\t0\tpath" as git's "4\t0\tpath".
            String(line.split(separator: "\t", maxSplits: 1)[1])
        }.sorted()
        #expect(!git.isEmpty)
        #expect(lines == git, "git diff HEAD: \(git)\ngatehouse: \(ours.output)")
    }
}
