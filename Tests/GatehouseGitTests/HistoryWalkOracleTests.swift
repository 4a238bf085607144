import Foundation
import GatehouseCore
@testable import GatehouseGit
import GatehouseTestSupport
import Testing

/// A small deterministic generator (SplitMix64), so a failing seed can be replayed.
private struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// A random history written with `git fast-import`: files edited line by line (so blame has
/// something to do), added, deleted, renamed, made executable, turned into symbolic links,
/// submodules or folders and back, on a main line with side branches merged into it (merges
/// that take one side, and merges that mix both).
private struct RandomHistory {
    enum Kind: String { case file = "100644", executable = "100755", link = "120000", submodule = "160000" }
    struct Entry {
        var kind: Kind
        var lines: [String]
        var finalNewline = true
        var bytes: [UInt8] {
            if kind == .submodule { return [] }
            var text = lines.joined(separator: "\n")
            if finalNewline && !lines.isEmpty { text += "\n" }
            return Array(text.utf8)
        }
    }
    typealias Tree = [String: Entry]

    static let paths = [
        "README.md", "src/app.swift", "src/util.swift", "src/app", "src/app/deep/core.swift", "src/app/deep/more/x.txt",
        "src/app/deep", "docs/guide.md", "docs/api/index.md", "docs/api/index.md.orig", "lib/a-b.c", "lib/a/b.c", "lib/a",
        "vendor/module", "tools/run.sh",
    ]
    /// Paths libgit2 would read as patterns or trim, which the blame replay leaves to libgit2.
    static let oddPaths = ["notes/a b.txt", "notes/star*.txt"]
    static let vocabulary = ["{", "}", "", "return x", "let a = 1", "// note", "if x {", "} else {", "print(a)", "end"]

    var rng: SplitMix
    var stream: [UInt8] = []
    var mark = 0
    var time = 1_760_000_000
    let authors = ["Ada <ada@example.com>", "Bob <bob@example.com>", "Carol <carol@example.com>", "Dave <dave@old.example>"]

    init(seed: UInt64) { rng = SplitMix(state: seed) }

    mutating func randomLines(_ count: Int) -> [String] {
        (0..<count).map { _ in rng.chance(60) ? rng.pick(Self.vocabulary) : "line \(rng.below(100_000))" }
    }

    mutating func newEntry() -> Entry {
        let roll = rng.below(100)
        if roll < 4 { return Entry(kind: .link, lines: ["target/\(rng.below(100))"], finalNewline: false) }
        if roll < 7 { return Entry(kind: .submodule, lines: []) }
        // Some files are large enough for blame's 1 KiB tail trimming; some lack a final newline.
        let count = rng.chance(20) ? 150 + rng.below(150) : rng.below(25)
        return Entry(kind: .file, lines: randomLines(count), finalNewline: !rng.chance(15))
    }

    mutating func edit(_ entry: inout Entry) {
        switch entry.kind {
        case .submodule: return
        case .link: entry.lines = ["target/\(rng.below(100))"]; return
        default: break
        }
        for _ in 0..<(1 + rng.below(4)) {
            let count = entry.lines.count
            let at = rng.below(count + 1)
            switch rng.below(6) {
            case 0, 1: if count > 0 { entry.lines[min(at, count - 1)] = rng.pick(Self.vocabulary) }
            case 2: entry.lines.insert(contentsOf: randomLines(1 + rng.below(5)), at: at)
            case 3: if count > 0 { entry.lines.removeSubrange(min(at, count - 1)..<min(count, at + 1 + rng.below(4))) }
            case 4:  // near the end, inside the trimmed tail's last block
                if count > 3 { entry.lines[count - 1 - rng.below(3)] = "tail \(rng.below(1000))" }
            default:
                if count > 6 {  // move a block
                    let block = Array(entry.lines[at % (count - 3)..<(at % (count - 3) + 3)])
                    entry.lines.removeSubrange(at % (count - 3)..<(at % (count - 3) + 3))
                    entry.lines.insert(contentsOf: block, at: rng.below(entry.lines.count + 1))
                }
            }
        }
        if rng.chance(10) { entry.finalNewline.toggle() }
    }

    /// Random changes to `tree`, keeping it a valid tree (no path both a file and a folder).
    mutating func change(_ tree: inout Tree, allPaths: [String]) {
        for _ in 0..<(1 + rng.below(3)) {
            let path = rng.pick(allPaths)
            if var entry = tree[path] {
                switch rng.below(10) {
                case 0: tree[path] = nil
                case 1:  // rename (with or without an edit), to a free path
                    let target = rng.pick(allPaths)
                    if Self.canHold(tree, target, ignoring: path) {
                        tree[path] = nil
                        if rng.chance(50) { edit(&entry) }
                        tree[target] = entry
                    }
                case 2: if entry.kind == .file || entry.kind == .executable { entry.kind = entry.kind == .file ? .executable : .file; tree[path] = entry }
                case 3: tree[path] = newEntry()  // may change its kind
                default: edit(&entry); tree[path] = entry
                }
            } else if Self.canHold(tree, path, ignoring: nil) {
                tree[path] = newEntry()
            } else if rng.chance(30) {
                // Make room: drop what is in the way (a file above, or a folder's files below).
                for other in tree.keys where path.hasPrefix(other + "/") || other.hasPrefix(path + "/") { tree[other] = nil }
                tree[path] = newEntry()
            }
        }
    }

    static func canHold(_ tree: Tree, _ path: String, ignoring: String?) -> Bool {
        !tree.keys.contains { $0 != ignoring && ($0 == path || path.hasPrefix($0 + "/") || $0.hasPrefix(path + "/")) }
    }

    mutating func data(_ bytes: [UInt8]) {
        stream += Array("data \(bytes.count)\n".utf8) + bytes + [UInt8(ascii: "\n")]
    }

    /// Writes a commit whose tree is `tree`, relative to the tree of its first parent.
    mutating func commit(_ tree: Tree, from parentTree: Tree?, parents: [Int], author: String? = nil) -> Int {
        mark += 1
        time += 60 + rng.below(3600)  // distinct, increasing commit times
        let who = author ?? rng.pick(authors)
        stream += Array("commit refs/heads/main\nmark :\(mark)\nauthor \(who) \(time) +0000\ncommitter \(who) \(time) +0000\n".utf8)
        data(Array("commit \(mark)".utf8))
        if let first = parents.first { stream += Array("from :\(first)\n".utf8) } else { stream += Array("deleteall\n".utf8) }
        for other in parents.dropFirst() { stream += Array("merge :\(other)\n".utf8) }
        let before = parentTree ?? [:]
        for path in before.keys.sorted() where tree[path] == nil { stream += Array("D \(Self.quoted(path))\n".utf8) }
        for path in tree.keys.sorted() {
            let entry = tree[path]!
            if let old = before[path], old.kind == entry.kind, old.bytes == entry.bytes, old.lines == entry.lines { continue }
            if entry.kind == .submodule {
                let id = String(repeating: String(format: "%02x", (path.utf8.count * 7 + entry.lines.count + mark) % 256), count: 20)
                stream += Array("M 160000 \(id) \(Self.quoted(path))\n".utf8)
            } else {
                stream += Array("M \(entry.kind.rawValue) inline \(Self.quoted(path))\n".utf8)
                data(entry.bytes)
            }
        }
        stream += Array("\n".utf8)
        return mark
    }

    static func quoted(_ path: String) -> String { "\"" + path.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }

    /// Builds the history in `repo`: `count` commits on main, with side branches merged in.
    /// Returns the id of every commit by mark.
    mutating func build(in repo: TestRepository, count: Int, oddPaths: Bool = false, merges: Bool = true, rootFiles: [String: String] = [:]) throws -> [Int: String] {
        let all = Self.paths + (oddPaths ? Self.oddPaths : [])
        var main: Tree = [:]
        for (path, text) in rootFiles { main[path] = Entry(kind: .file, lines: text.split(separator: "\n").map(String.init)) }
        for path in ["README.md", "src/app.swift", "src/app/deep/core.swift", "docs/guide.md"] + (oddPaths ? Self.oddPaths : []) {
            main[path] = Entry(kind: .file, lines: randomLines(30 + rng.below(200)))
        }
        var tip = commit(main, from: nil, parents: [])
        var written = 1
        while written < count {
            if merges && rng.chance(15) && written + 4 < count {
                // A side branch of 1-3 commits from here, then main moves on, then a merge.
                var side = main
                var sideTip = tip
                for _ in 0..<(1 + rng.below(3)) {
                    let before = side
                    change(&side, allPaths: all)
                    sideTip = commit(side, from: before, parents: [sideTip])
                    written += 1
                }
                let before = main
                if rng.chance(70) {
                    change(&main, allPaths: all)
                    tip = commit(main, from: before, parents: [tip])
                    written += 1
                }
                // The merge: each path from main or from the side; sometimes an edit of its own.
                var merged = main
                for path in Set(main.keys).union(side.keys).sorted() where rng.chance(60) {
                    if let entry = side[path] {
                        if Self.canHold(merged, path, ignoring: path) { merged[path] = entry }
                    } else if main[path] != nil, Set(side.keys).count > 0, rng.chance(30) {
                        merged[path] = nil
                    }
                }
                if rng.chance(25), let path = merged.keys.sorted().first(where: { merged[$0]!.kind == .file }) {
                    var entry = merged[path]!
                    edit(&entry)
                    merged[path] = entry
                }
                tip = commit(merged, from: main, parents: [tip, sideTip])
                main = merged
                written += 1
            } else {
                let before = main
                change(&main, allPaths: all)
                tip = commit(main, from: before, parents: [tip])
                written += 1
            }
        }
        stream += Array("done\n".utf8)
        let input = NSTemporaryDirectory() + "gatehouse-history-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: input, contents: Data(stream))
        defer { try? FileManager.default.removeItem(atPath: input) }
        let result = try run(["sh", "-c", "git fast-import --quiet --done --export-marks=marks < '\(input)'"], in: repo.path, environment: TestRepository.gitEnvironment)
        guard result.status == 0 else { throw ShellError.failed(command: ["git", "fast-import"], status: result.status, stderr: result.stderr) }
        try repo.git(["reset", "-q", "--hard", "main"])
        var ids: [Int: String] = [:]
        for line in try String(contentsOfFile: repo.path + "/marks", encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: " ")
            ids[Int(parts[0].dropFirst())!] = String(parts[1])
        }
        try? FileManager.default.removeItem(atPath: repo.path + "/marks")
        return ids
    }
}

/// The commits git says touched each of `paths` (`git log --no-merges --full-history
/// --no-renames --name-only -- PATHS`, names matched exactly, as a file and not a folder),
/// among the non-merge commits `git rev-list` puts in the window.
private func gitTouched(_ repo: TestRepository, _ paths: [String], from revision: String, maxCount: Int, since: Int?) throws -> (window: [String], touched: [String: [String]]) {
    var list = ["rev-list", "--no-merges", "--max-count=\(maxCount)"]
    if let since { list.append("--since=\(since)") }
    let window = try repo.gitOutput(list + [revision]).split(separator: "\n").map(String.init)
    let log = try repo.git([
        "--literal-pathspecs", "-c", "log.showRoot=true", "log", "--no-merges", "--full-history", "--no-renames", "--format=%x01%H",
        "--name-only", "-z", revision, "--",
    ] + paths).output
    let asked = Set(paths)
    var touched: [String: [String]] = [:]
    for chunk in log.split(separator: "\u{1}") {
        let fields = chunk.split(whereSeparator: { $0 == "\0" || $0 == "\n" }).map(String.init)
        guard let commit = fields.first, commit.count == 40 else { continue }
        let names = Set(fields.dropFirst().filter { asked.contains($0) })
        if !names.isEmpty, window.contains(commit) { touched[commit] = names.sorted() }
    }
    return (window, touched)
}

@Suite("History walk and blame replay, against git log and libgit2's own blame")
struct HistoryWalkOracleTests {
    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6])
    func theCommitsTouchingEachPathAreGitLogs(_ seed: UInt64) throws {
        let repo = try TestRepository()
        var history = RandomHistory(seed: seed)
        _ = try history.build(in: repo, count: 70, oddPaths: seed % 2 == 0)
        // Files, folders at other times, paths never used, and a prefix of a name.
        let paths = RandomHistory.paths + RandomHistory.oddPaths + ["missing/file.txt", "src", "docs/api/index"]
        let repository = try Repository(discoveringFrom: repo.path)
        let headTime = Int(try repo.gitOutput(["log", "-1", "--format=%ct", "HEAD"]))!
        for (maxCommits, days) in [(1000, 36_500), (25, 36_500), (1000, 10), (1, 36_500)] {
            let history = try repository.recentHistory(from: "HEAD", touching: Set(paths.map { RepoPath($0) }), window: HistoryWindow(maxCommits: maxCommits, days: days))
            let since = days == 36_500 ? nil : headTime - days * 86_400
            let git = try gitTouched(repo, paths, from: "HEAD", maxCount: maxCommits, since: since)
            #expect(history.commitsRead == git.window.count, "seed \(seed), window \(maxCommits)/\(days)")
            #expect(history.window == Set(git.window), "seed \(seed), window \(maxCommits)/\(days)")
            let ours = Dictionary(uniqueKeysWithValues: history.commits.map { ($0.id, $0.paths.map(\.string)) })
            #expect(ours == git.touched, "seed \(seed), window \(maxCommits)/\(days)")
            // Newest first, in the walk's order, with each commit's (mailmapped) author.
            #expect(history.commits.map(\.id) == git.window.filter { git.touched[$0] != nil })
            for commit in history.commits.prefix(5) {
                #expect(commit.email == (try repo.gitOutput(["log", "-1", "--format=%aE", commit.id])))
            }
        }
    }

    @Test func aModeGitCanonicalisesIsNoChangeAsGitLogSays() throws {
        // An old git wrote 100664 for a plain file; git reads it as 100644, so the commit that
        // only rewrote the mode changed nothing. libgit2's diff compared the raw modes.
        let repo = try TestRepository()
        try repo.write("f.txt", "hello\n")
        try repo.write("g.txt", "other\n")
        try repo.commit("start", author: "Ada <ada@example.com>", date: "2026-01-01T00:00:00Z")
        let blob = try repo.revParse("HEAD:f.txt")
        let other = try repo.revParse("HEAD:g.txt")
        let raw = "100664 f.txt\0".utf8 + hexBytes(blob) + "100644 g.txt\0".utf8 + hexBytes(other)
        let input = NSTemporaryDirectory() + "gatehouse-tree-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: input, contents: Data(raw))
        defer { try? FileManager.default.removeItem(atPath: input) }
        let tree = try repo.gitOutput(["hash-object", "-t", "tree", "--literally", "-w", input])
        let commit = try repo.gitOutput(["commit-tree", tree, "-p", "HEAD", "-m", "modes"])
        try repo.git(["update-ref", "refs/heads/main", commit])
        let history = try Repository(discoveringFrom: repo.path).recentHistory(from: "main", touching: ["f.txt", "g.txt"], window: HistoryWindow())
        let git = try gitTouched(repo, ["f.txt", "g.txt"], from: "main", maxCount: 500, since: nil)
        #expect(git.touched[commit] == nil)
        #expect(Dictionary(uniqueKeysWithValues: history.commits.map { ($0.id, $0.paths.map(\.string)) }) == git.touched)
        #expect(history.commitsRead == 2)
    }

    /// Blame through the replay or libgit2, whichever applies, is libgit2's blame exactly:
    /// the same hunks, commits, authors and boundary flags; and the replay does the work
    /// wherever the history is a line of descent.
    @Test(arguments: [UInt64(11), 12, 13, 14, 15, 16, 17, 18])
    func blameIsLibgit2sBlame(_ seed: UInt64) throws {
        let repo = try TestRepository()
        var history = RandomHistory(seed: seed)
        let linear = seed % 3 == 0
        let ids = try history.build(
            in: repo, count: 60, oddPaths: seed % 2 == 1, merges: !linear, rootFiles: [".mailmap": "Dave Builder <dave@example.com> <dave@old.example>\n"])
        let repository = try Repository(discoveringFrom: repo.path)
        var rng = SplitMix(state: seed)
        var replayed = 0, compared = 0
        for revision in ["HEAD", "HEAD~3", ids[45]!, ids[30]!] {
            let files = try repo.gitOutput(["ls-tree", "-r", "--name-only", revision]).split(separator: "\n").map(String.init)
            for file in files where !file.hasPrefix("\"") && file != ".mailmap" {
                let lineCount = try repo.git(["cat-file", "-p", "\(revision):\(file)"], allowFailure: true).stdout.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
                var ranges: [ClosedRange<Int>?] = [nil]
                if lineCount > 2 {
                    let a = 1 + rng.below(lineCount), b = 1 + rng.below(lineCount)
                    ranges.append(min(a, b)...max(a, b))
                }
                for range in ranges {
                    for oldest in [nil, ids[20]!, ids[40]!] {
                        let newest = try repository.resolveCommit(revision, role: "revision")
                        let oldestID = try oldest.map { try repository.resolveCommit($0, role: "revision") }
                        let expected = try? repository.libgit2Blame(RepoPath(file), lines: range, newest: newest, oldest: oldestID)
                        let ours = try? repository.blame(RepoPath(file), lines: range, at: revision, oldest: oldest)
                        #expect(ours == expected, "seed \(seed): \(file) at \(revision), lines \(String(describing: range)), oldest \(oldest ?? "none")")
                        compared += 1
                        let replay = try? BlameReplay(repository: repository, path: RepoPath(file), trees: TreeCache(repository), mailmap: Mailmap(repository))?
                            .run(lines: range, newest: newest, oldest: oldestID)
                        if let replay {
                            replayed += 1
                            #expect(replay == expected, "seed \(seed): replay of \(file) at \(revision)")
                        }
                        if linear, !file.contains(" "), !file.contains("*"), expected != nil, file != "vendor/module", replay == nil {
                            // Only a rename search that could find something sends a linear history to libgit2.
                            let renamesSeen = try repo.gitOutput(["log", "--format=%H", "--diff-filter=D", revision, "--"])
                            #expect(!renamesSeen.isEmpty, "seed \(seed): \(file) at \(revision) was not replayed")
                        }
                    }
                }
            }
        }
        #expect(compared > 50)
        // Most blames are replayed, merges and renames notwithstanding.
        #expect(replayed * 2 > compared, "seed \(seed): \(replayed) of \(compared) replayed")
    }

    @Test func blameOfARangeInAFileWithoutAFinalNewlineAndEmptyParentsIsLibgit2s() throws {
        let repo = try TestRepository()
        try repo.write("a.txt", "")
        try repo.commit("empty", author: "Ada <ada@example.com>", date: "2026-01-01T00:00:00Z")
        try repo.write("a.txt", "one\ntwo\nthree")
        try repo.commit("fill", author: "Bob <bob@example.com>", date: "2026-01-02T00:00:00Z")
        try repo.write("a.txt", "one\n2\nthree\nfour")
        try repo.commit("edit", author: "Carol <carol@example.com>", date: "2026-01-03T00:00:00Z")
        let repository = try Repository(discoveringFrom: repo.path)
        let newest = try repository.resolveCommit("HEAD", role: "revision")
        for range in [nil, 1...1, 2...4, 4...4] as [ClosedRange<Int>?] {
            let replay = try BlameReplay(repository: repository, path: "a.txt", trees: TreeCache(repository), mailmap: Mailmap(repository))?
                .run(lines: range, newest: newest, oldest: nil)
            #expect(replay != nil)
            #expect(replay == (try repository.libgit2Blame("a.txt", lines: range, newest: newest, oldest: nil)))
        }
    }
}

extension HistoryWalkOracleTests {
    /// The old lines each file's change edits are those of `git diff -U0`'s hunks (a pure
    /// insertion's old lines either side), for modified, renamed, deleted and binary files, with
    /// the work tree's .gitattributes applied; blame takes the files with the most.
    @Test(arguments: [true, false])
    func oldLinesEditedAreGitsHunks(_ withAttributes: Bool) throws {
        let repo = try TestRepository()
        var rng = SplitMix(state: 99)
        for index in 0..<90 {
            let count = index % 9 == 0 ? 400 : 5 + rng.below(60)
            try repo.write("f\(index % 7)/file\(index).txt", (0..<count).map { _ in "l\(rng.below(8))\n" }.joined())
        }
        try repo.write("f0/data.bin", "a\u{0}b\nc\n")
        try repo.write("f1/forced.txt", "one\ntwo\n")
        if withAttributes { try repo.write("f1/.gitattributes", "*.txt diff\nforced.txt -diff\n") }
        try repo.commit("start", author: "Ada <ada@example.com>", date: "2026-01-01T00:00:00Z")
        try repo.git(["checkout", "-q", "-b", "feature"])
        for index in 0..<90 {
            let path = "f\(index % 7)/file\(index).txt"
            switch index % 5 {
            case 0: try repo.remove(path)
            case 1: try repo.move(path, "moved/\(index).txt")
            default:
                var text = try String(contentsOfFile: repo.path + "/" + path, encoding: .utf8).split(separator: "\n").map(String.init)
                for _ in 0..<(1 + rng.below(4)) {
                    let at = rng.below(text.count + 1)
                    if rng.chance(50), at < text.count { text.remove(at: at) } else { text.insert("new \(rng.below(9))", at: at) }
                }
                try repo.write(path, text.joined(separator: "\n") + (rng.chance(80) ? "\n" : ""))
            }
        }
        try repo.write("f0/data.bin", "a\u{0}b\nd\n")
        try repo.write("f1/forced.txt", "one\n2\n")
        try repo.commit("feature", author: "Bob <bob@example.com>", date: "2026-01-02T00:00:00Z")
        let repository = try Repository(discoveringFrom: repo.path)
        let change = try repository.readChange(ChangeRequest(base: "main"))
        let files = change.files.filter { $0.status != .added }
        #expect(files.count > 64)

        // git's hunks, per file in order: `@@ -s[,c] ...`; c = 0 is an insertion after line s.
        let patch = try repo.git(["diff", "--no-color", "-M", "-U0", "main...feature"]).output
        var sections: [LineSet] = []
        for line in patch.split(separator: "\n") {
            if line.hasPrefix("diff --git ") { sections.append(LineSet()) }
            guard line.hasPrefix("@@ "), !sections.isEmpty else { continue }
            let old = line.split(separator: " ")[1].dropFirst().split(separator: ",").compactMap { Int($0) }
            let start = old[0]
            let count = old.count > 1 ? old[1] : 1
            sections[sections.count - 1].append(count > 0 ? start...(start + count - 1) : max(1, start)...(start + 1))
        }
        let withOld = change.files.enumerated().filter { $0.element.status != .added }.map(\.offset)
        for index in withOld {
            let file = change.files[index]
            var expected = sections[index]
            // Clipped to the old file (an insertion after its last line edits that line only).
            let old = try repo.git(["show", "main:" + (file.oldPath ?? file.path).string]).stdout
            let oldLength = old.filter { $0 == UInt8(ascii: "\n") }.count + (old.last.map { $0 == UInt8(ascii: "\n") ? 0 : 1 } ?? 0)
            expected = LineSet(ranges: expected.ranges.compactMap { range in
                let upper = min(range.upperBound, oldLength)
                return upper >= range.lowerBound ? range.lowerBound...upper : nil
            })
            #expect(file.oldLinesEdited == (file.isBinary ? LineSet() : expected), "\(file.path)")
        }
        #expect(files.filter { !$0.oldLinesEdited.isEmpty }.count > 50)
        // The files chosen for blame: the most edited lines, ties by path.
        var all = files.filter { !$0.oldLinesEdited.isEmpty }.map { ($0, $0.oldLinesEdited) }
        all.sort { ($0.1.count, $1.0.path) > ($1.1.count, $0.0.path) }
        for limit in [1, 3, 10, 40, 100, 500] {
            let chosen = repository.blamedRegions(files, limit: limit)
            #expect(chosen.map(\.0.path) == all.prefix(limit).map(\.0.path), "limit \(limit)")
        }
        // `-diff` in the work tree's .gitattributes: binary to both, so nothing to blame.
        let forced = try #require(files.first { $0.path == "f1/forced.txt" })
        #expect(forced.oldLinesEdited.isEmpty == withAttributes)
    }
}

private func hexBytes(_ hex: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        bytes.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

/// The same checks on a large repository, when GATEHOUSE_SCALE_REPO names one made by
/// Benchmarks/make-scale-repo.py (branches `small` and `big`); skipped otherwise.
@Suite("History walk and blame replay on a scale repository")
struct HistoryScaleTests {
    static let repository = ProcessInfo.processInfo.environment["GATEHOUSE_SCALE_REPO"]

    @Test(.enabled(if: repository != nil), arguments: ["small", "big"])
    func blameAndRegionsAreLibgit2s(_ head: String) throws {
        let repository = try Repository(discoveringFrom: Self.repository!)
        let change = try repository.readChange(ChangeRequest(base: head + "~1", head: head))
        let start = try #require(change.mergeBase ?? change.base)
        let edited = change.files.filter { [.modified, .renamed, .deleted, .typeChanged].contains($0.status) && !$0.isBinary }
        var paths = Set<RepoPath>()
        for file in change.files {
            paths.insert(file.path)
            if let old = file.oldPath { paths.insert(old) }
        }
        let history = try repository.recentHistory(from: start, touching: paths, window: HistoryWindow())
        let newest = try repository.resolveCommit(start, role: "revision")
        let oldest = try history.boundary.map { try repository.resolveCommit($0, role: "revision") }
        var replayed = 0
        for (file, lines) in repository.blamedRegions(edited, limit: 100) {
            let path = file.oldPath ?? file.path
            let span = lines.ranges.first!.lowerBound...lines.ranges.last!.upperBound
            let expected = try? repository.libgit2Blame(path, lines: span, newest: newest, oldest: oldest)
            #expect((try? repository.blame(path, lines: span, at: start, oldest: history.boundary)) == expected, "\(path)")
            if try BlameReplay(repository: repository, path: path, trees: TreeCache(repository), mailmap: Mailmap(repository))?
                .run(lines: span, newest: newest, oldest: oldest) != nil { replayed += 1 }
        }
        #expect(replayed > 0)
    }
}
