import Foundation
import GatehouseCore
import GatehouseGit
import GatehouseTestSupport
import Testing

/// Who last changed each line, as `git blame --porcelain` says: line number -> (commit, e-mail).
private func gitBlame(_ repo: TestRepository, _ path: String, at revision: String, lines: ClosedRange<Int>? = nil) throws -> [Int: (String, String)] {
    var arguments = ["blame", "--porcelain"]
    if let lines { arguments += ["-L", "\(lines.lowerBound),\(lines.upperBound)"] }
    let output = try repo.gitOutput(arguments + [revision, "--", path])
    var emails: [String: String] = [:]
    var result: [Int: (String, String)] = [:]
    var current: (commit: String, line: Int)?
    var pending: [(String, Int)] = []
    for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
        let words = line.split(separator: " ")
        if words.count >= 3, words[0].count == 40, words[0].allSatisfy(\.isHexDigit) {
            current = (String(words[0]), Int(words[2])!)
            pending.append((String(words[0]), Int(words[2])!))
        } else if line.hasPrefix("author-mail "), let current {
            emails[current.commit] = String(line.dropFirst("author-mail <".count).dropLast())
        }
    }
    for (commit, line) in pending { result[line] = (commit, emails[commit] ?? "?") }
    return result
}

/// The same, from libgit2's hunks.
private func ourBlame(_ hunks: [BlameHunk]) -> [Int: (String, String)] {
    var result: [Int: (String, String)] = [:]
    for hunk in hunks {
        for line in hunk.lines { result[line] = (hunk.commit, hunk.email) }
    }
    return result
}

private func expectSameBlame(_ ours: [Int: (String, String)], _ git: [Int: (String, String)], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(ours.keys.sorted() == git.keys.sorted(), sourceLocation: sourceLocation)
    for (line, expected) in git {
        #expect(ours[line]?.0 == expected.0, "line \(line): commit", sourceLocation: sourceLocation)
        #expect(ours[line]?.1 == expected.1, "line \(line): e-mail", sourceLocation: sourceLocation)
    }
}

/// A file edited by three people over five commits, with a .mailmap that merges two of Bob's addresses.
private func historyRepository() throws -> TestRepository {
    let repo = try TestRepository()
    try repo.write(".mailmap", "Bob Builder <bob@example.com> <bob@old.example>\n")
    try repo.write("src/app.swift", lines(20, "let a ="))
    try repo.write("README.md", "# Demo\n")
    try repo.commit("start", author: "Ada <ada@example.com>", date: "2025-12-01T10:00:00Z")
    var text = lines(20, "let a =").split(separator: "\n").map(String.init)
    text[2] = "bob 3"
    text[3] = "bob 4"
    try repo.write("src/app.swift", text.joined(separator: "\n") + "\n")
    try repo.commit("bob's edit", author: "Bob <bob@old.example>", date: "2025-12-05T10:00:00Z")
    text[10] = "carol 11"
    text.insert("carol new", at: 15)
    try repo.write("src/app.swift", text.joined(separator: "\n") + "\n")
    try repo.write("docs/guide.md", "guide\n")
    try repo.commit("carol's edit", author: "Carol <carol@example.com>", date: "2025-12-10T10:00:00Z")
    text[0] = "bob 1"
    try repo.write("src/app.swift", text.joined(separator: "\n") + "\n")
    try repo.commit("bob again", author: "Bob Builder <bob@example.com>", date: "2025-12-20T10:00:00Z")
    try repo.write("README.md", "# Demo\nmore\n")
    try repo.commit("readme", author: "Ada <ada@example.com>", date: "2025-12-21T10:00:00Z")
    return repo
}

@Suite("History: authors, recent commits and blame through libgit2, against the git CLI")
struct HistoryTests {
    @Test func blameOfTheWholeFileAgreesWithGit() throws {
        let repo = try historyRepository()
        let ours = try Repository(discoveringFrom: repo.path).blame("src/app.swift", at: "HEAD")
        let git = try gitBlame(repo, "src/app.swift", at: "HEAD")
        #expect(git.count == 21)
        expectSameBlame(ourBlame(ours), git)
        // The mailmap turns Bob's old address into his current one, as git blame does.
        #expect(ours.contains { $0.email == "bob@example.com" && $0.lines.contains(3) })
    }

    @Test(arguments: [1...1, 2...5, 10...17, 21...21])
    func blameOfALineRangeAgreesWithGit(_ lines: ClosedRange<Int>) throws {
        let repo = try historyRepository()
        let ours = try Repository(discoveringFrom: repo.path).blame("src/app.swift", lines: lines, at: "HEAD~1")
        let git = try gitBlame(repo, "src/app.swift", at: "HEAD~1", lines: lines)
        #expect(ours.allSatisfy { $0.lines.lowerBound >= lines.lowerBound && $0.lines.upperBound <= lines.upperBound })
        expectSameBlame(ourBlame(ours), git)
    }

    @Test func blameWithAnOldestCommitStopsThereAsGitDoes() throws {
        let repo = try historyRepository()
        let oldest = try repo.revParse("HEAD~3")
        let ours = try Repository(discoveringFrom: repo.path).blame("src/app.swift", at: "HEAD", oldest: oldest)
        // git blame OLDEST..HEAD marks lines older than OLDEST as boundary, blamed on OLDEST.
        let git = try gitBlame(repo, "src/app.swift", at: "\(oldest)..HEAD")
        expectSameBlame(ourBlame(ours), git)
        #expect(ours.filter(\.isBoundary).allSatisfy { $0.commit == oldest })
        #expect(ours.contains { $0.isBoundary })
    }

    @Test func blameFollowsAFileAcrossARenameAsGitDoes() throws {
        let repo = try TestRepository()
        try repo.write("a.txt", lines(10))
        try repo.commit("a", author: "Ada <ada@example.com>")
        try repo.write("a.txt", lines(10).replacingOccurrences(of: "line 3\n", with: "three\n"))
        try repo.commit("b", author: "Bob <bob@example.com>")
        try repo.move("a.txt", "b.txt")
        try repo.commit("move", author: "Carol <carol@example.com>")
        try repo.write("b.txt", lines(10).replacingOccurrences(of: "line 3\n", with: "three\n").replacingOccurrences(of: "line 5\n", with: "five\n"))
        try repo.commit("d", author: "Dave <dave@example.com>")
        let ours = try Repository(discoveringFrom: repo.path).blame("b.txt", at: "HEAD")
        expectSameBlame(ourBlame(ours), try gitBlame(repo, "b.txt", at: "HEAD"))
    }

    @Test func authorsOfAChangeAgreeWithGitLog() throws {
        let repo = try historyRepository()
        try repo.git(["checkout", "-q", "-b", "feature"])
        try repo.write("src/app.swift", "changed\n")
        try repo.commit("dave", author: "Dave <dave@example.com>", date: "2026-01-02T00:00:00Z")
        try repo.write("docs/guide.md", "changed\n")
        try repo.commit("bob", author: "Bob <bob@old.example>", date: "2026-01-03T00:00:00Z")
        try repo.write("README.md", "changed\n")
        try repo.commit("dave again", author: "Dave <dave@example.com>", date: "2026-01-04T00:00:00Z")
        let repository = try Repository(discoveringFrom: repo.path)
        let change = try repository.readChange(ChangeRequest(base: "main"))
        let ours = try repository.changeAuthors(change).map(\.email)
        var expected: [String] = []
        for email in try repo.gitOutput(["log", "--reverse", "--format=%aE", "main..HEAD"]).split(separator: "\n").map(String.init)
        where !expected.contains(email) {
            expected.append(email)
        }
        #expect(ours == expected)
        #expect(ours == ["dave@example.com", "bob@example.com"])
        // Staged work has no commits yet.
        try repo.write("a.txt", "a\n")
        try repo.git(["add", "a.txt"])
        let staged = try repository.readChange(ChangeRequest(mode: .staged))
        #expect(try repository.changeAuthors(staged).isEmpty)
        try repo.git(["config", "user.email", "erin@example.com"])
        #expect(try Repository(discoveringFrom: repo.path).configuredAuthor()?.email == "erin@example.com")
    }

    @Test(arguments: [(500, 90), (2, 90), (500, 12)])
    func recentHistoryAgreesWithGitRevList(_ limits: (Int, Int)) throws {
        let repo = try historyRepository()
        // A merge and a side branch: merges are skipped, side commits count.
        try repo.git(["checkout", "-q", "-b", "side", "HEAD~2"])
        try repo.write("docs/guide.md", "side\n")
        try repo.commit("side", author: "Erin <erin@example.com>", date: "2025-12-22T10:00:00Z")
        try repo.git(["checkout", "-q", "main"])
        try repo.git(["merge", "-q", "--no-ff", "-m", "merge", "side"])
        let window = HistoryWindow(maxCommits: limits.0, days: limits.1)
        let paths: Set<RepoPath> = ["src/app.swift", "docs/guide.md"]
        let history = try Repository(discoveringFrom: repo.path).recentHistory(from: "HEAD", touching: paths, window: window)

        let headTime = Int(try repo.gitOutput(["log", "-1", "--format=%ct", "HEAD"]))!
        let since = headTime - limits.1 * 86_400
        let listed = try repo.gitOutput([
            "rev-list", "--no-merges", "--max-count=\(limits.0)", "--since=\(since)", "HEAD",
        ]).split(separator: "\n").map(String.init)
        #expect(history.commitsRead == listed.count)
        #expect(history.window == Set(listed))
        var expected: [String: [String]] = [:]
        for commit in listed {
            let touched = try repo.gitOutput(["diff-tree", "--no-commit-id", "--name-only", "-r", "--root", commit])
                .split(separator: "\n").map(String.init).filter { paths.contains(RepoPath($0)) }
            if !touched.isEmpty { expected[commit] = touched.sorted() }
        }
        #expect(Dictionary(uniqueKeysWithValues: history.commits.map { ($0.id, $0.paths.map(\.string).sorted()) }) == expected)
        for commit in history.commits {
            #expect(commit.email == (try repo.gitOutput(["log", "-1", "--format=%aE", commit.id])))
        }
        // Stopping early leaves a boundary for blame; reading everything leaves none.
        let total = try repo.gitOutput(["rev-list", "--no-merges", "--count", "HEAD"])
        #expect((history.boundary == nil) == (listed.count == Int(total)!))
    }

    @Test func expertiseCountsTheBlamedLinesTheChangeEditsAsGitSeesThem() throws {
        let repo = try historyRepository()
        try repo.git(["checkout", "-q", "-b", "feature"])
        var text = try String(contentsOfFile: repo.path + "/src/app.swift", encoding: .utf8).split(separator: "\n").map(String.init)
        text[2] = "edited"        // Bob's line 3
        text.remove(at: 10)       // Carol's line 11
        text.insert("added", at: 18)
        try repo.write("src/app.swift", text.joined(separator: "\n") + "\n")
        try repo.remove("docs/guide.md")
        try repo.commit("feature", author: "Dave <dave@example.com>", date: "2026-01-02T00:00:00Z")
        let repository = try Repository(discoveringFrom: repo.path)
        let change = try repository.readChange(ChangeRequest(base: "main"))
        let expertise = try repository.expertise(for: change)

        // The oracle: old-side lines of git's zero-context hunks (pure insertions: the lines either
        // side), blamed by git at the merge base.
        var expected: [String: [String: Int]] = [:]
        for path in ["src/app.swift", "docs/guide.md"] {
            let diff = try repo.gitOutput(["diff", "-U0", "main...HEAD", "--", path])
            let oldLines = try repo.git(["show", "main:\(path)"]).stdout.filter { $0 == UInt8(ascii: "\n") }.count
            var wanted = Set<Int>()
            for line in diff.split(separator: "\n") where line.hasPrefix("@@ ") {
                let old = line.split(separator: " ")[1].dropFirst()
                let parts = old.split(separator: ",").map { Int($0)! }
                let start = parts[0]
                let count = parts.count > 1 ? parts[1] : 1
                let range = count > 0 ? start...(start + count - 1) : start...(start + 1)
                for number in range where number >= 1 && number <= oldLines { wanted.insert(number) }
            }
            for (line, (_, email)) in try gitBlame(repo, path, at: "main") where wanted.contains(line) {
                expected[email, default: [:]][path, default: 0] += 1
            }
        }
        var ours: [String: [String: Int]] = [:]
        for (email, paths) in expertise.scores {
            for (path, score) in paths where score.lines > 0 { ours[email, default: [:]][path.string] = score.lines }
        }
        #expect(ours == expected)
        #expect(ours["bob@example.com"]?["src/app.swift"] == 1)
        #expect(ours["carol@example.com"]?["docs/guide.md"] == 1)
        // Commits: the four commits before the change that touched the files, by their authors.
        #expect(expertise.scores["bob@example.com"]?[RepoPath("src/app.swift")]?.commits.count == 2)
        #expect(expertise.scores["carol@example.com"]?[RepoPath("docs/guide.md")]?.commits.count == 1)
        #expect(expertise.scores["dave@example.com"] == nil)
    }
}
