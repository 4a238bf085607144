import Foundation
import GatehouseCore
import GatehouseGit
import GatehouseTestSupport
import Testing

/// A repository built step by step, and the change to read from it.
struct Scenario: CustomTestStringConvertible, Sendable {
    let name: String
    let request: ChangeRequest
    /// The same change in `git diff` arguments.
    let gitArguments: [String]
    let build: @Sendable (TestRepository) throws -> Void

    var testDescription: String { name }

    static func range(_ name: String, base: String = "main", mode: ChangeMode = .threeDot, renames: Bool = true,
                      build: @escaping @Sendable (TestRepository) throws -> Void) -> Scenario {
        let dots = mode == .twoDot ? ".." : "..."
        return Scenario(
            name: name, request: ChangeRequest(mode: mode, base: base, detectRenames: renames),
            gitArguments: (renames ? ["-M"] : ["--no-renames"]) + ["\(base)\(dots)HEAD"], build: build)
    }
}

/// Starts a feature branch from a main branch with a few files.
func branchFromMain(_ repo: TestRepository, files: [String: String] = ["a.txt": lines(10), "src/b.swift": lines(30, "let x =")]) throws {
    for (path, text) in files { try repo.write(path, text) }
    try repo.commit("base")
    try repo.git(["checkout", "-q", "-b", "feature"])
}

let scenarios: [Scenario] = [
    .range("add, modify, delete") { repo in
        try branchFromMain(repo, files: ["keep.txt": lines(20), "gone.txt": lines(5), "edit.txt": lines(40)])
        try repo.write("new/file.txt", lines(7, "fresh"))
        var edited = lines(40).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        edited[2] = "changed 3"
        edited[10] = "changed 11"
        edited.insert("inserted", at: 20)
        edited.remove(at: 30)
        try repo.write("edit.txt", edited.joined(separator: "\n"))
        try repo.remove("gone.txt")
        try repo.commit("feature work")
    },
    .range("rename with edits") { repo in
        try branchFromMain(repo, files: ["old/name.swift": lines(50, "func f")])
        try repo.move("old/name.swift", "new/name.swift")
        var text = lines(50, "func f")
        text = text.replacingOccurrences(of: "func f 7\n", with: "func seven\n") + "func tail\n"
        try repo.write("new/name.swift", text)
        try repo.commit("move and edit")
    },
    .range("pure rename") { repo in
        try branchFromMain(repo, files: ["x/one.txt": lines(12)])
        try repo.move("x/one.txt", "y/one.txt")
        try repo.commit("move")
    },
    .range("renames not detected with --no-renames", renames: false) { repo in
        try branchFromMain(repo, files: ["x/one.txt": lines(12)])
        try repo.move("x/one.txt", "y/one.txt")
        try repo.commit("move")
    },
    .range("binary files") { repo in
        try branchFromMain(repo, files: ["text.txt": "t\n"])
        try repo.write("image.png", bytes: [0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 3, 0, 0])
        try repo.commit("add image")
        try repo.write("image.png", bytes: [0x89, 0x50, 0x4E, 0x47, 0, 9, 9, 9, 0, 0, 7])
        try repo.write("blob.bin", bytes: Array(repeating: 0, count: 100))
        try repo.commit("change image")
    },
    .range("odd path names") { repo in
        try branchFromMain(repo)
        try repo.write("with space.txt", "a\n")
        try repo.write("tab\there.txt", "b\n")
        try repo.write("quote\"d.txt", "c\n")
        try repo.write("new\nline.txt", "d\n")
        try repo.write("back\\slash.txt", "e\n")
        try repo.write("ünïcødé/日本.txt", "f\n")
        try repo.write(Array("latin1-".utf8) + [0xE9] + Array(".txt".utf8), Array("g\n".utf8))
        try repo.write("-leading-dash.txt", "h\n")
        try repo.commit("odd names")
    },
    .range("base moved on after the branch point (merge base, not base)") { repo in
        try branchFromMain(repo)
        try repo.write("feature.txt", lines(3))
        try repo.commit("feature")
        try repo.git(["checkout", "-q", "main"])
        try repo.write("a.txt", lines(10) + "main only\n")
        try repo.write("main-only.txt", "m\n")
        try repo.commit("main moves on")
        try repo.git(["checkout", "-q", "feature"])
    },
    .range("two-dot range includes the base's own changes", mode: .twoDot) { repo in
        try branchFromMain(repo)
        try repo.write("feature.txt", lines(3))
        try repo.commit("feature")
        try repo.git(["checkout", "-q", "main"])
        try repo.write("main-only.txt", "m\n")
        try repo.commit("main moves on")
        try repo.git(["checkout", "-q", "feature"])
    },
    .range("head is a merge commit") { repo in
        try branchFromMain(repo)
        try repo.write("feature.txt", lines(3))
        try repo.commit("feature")
        try repo.git(["checkout", "-q", "main"])
        try repo.write("main-only.txt", "m\n")
        try repo.commit("main moves on")
        try repo.git(["checkout", "-q", "feature"])
        try repo.git(["merge", "-q", "--no-edit", "main"])
        try repo.write("after-merge.txt", lines(2))
        try repo.commit("after merge")
    },
    .range("type change, mode change, empty file, missing final newline") { repo in
        try branchFromMain(repo, files: ["link-me": "target\n", "script.sh": "echo\n", "tail.txt": "no newline"])
        try repo.remove("link-me")
        try repo.git(["commit", "-q", "-m", "rm"])
        _ = try run(["ln", "-s", "a.txt", "link-me"], in: repo.path)
        _ = try run(["chmod", "+x", "script.sh"], in: repo.path)
        try repo.write("empty.txt", "")
        try repo.write("tail.txt", "no newline\nstill none")
        try repo.commit("types")
    },
    .range("renames pair by unique basename first, as git does") { repo in
        // x.txt moved and edited (80% alike); y.txt is closer to the old x.txt (95%) but has another name.
        let original = lines(20, "shared")
        try branchFromMain(repo, files: ["a/x.txt": original])
        try repo.remove("a/x.txt")
        try repo.write("b/x.txt", lines(16, "shared") + lines(4, "new"))
        try repo.write("c/y.txt", lines(19, "shared") + lines(1, "other"))
        try repo.commit("move")
    },
    .range("several inexact renames compete for the best pairs") { repo in
        let common = lines(30, "body")
        try branchFromMain(repo, files: ["one/A.swift": common + "alpha\n", "one/B.swift": common + lines(8, "beta"),
                                         "one/C.swift": lines(10, "gamma")])
        for path in ["one/A.swift", "one/B.swift", "one/C.swift"] { try repo.remove(path) }
        try repo.write("two/Alpha.swift", common + "alpha\nalpha 2\n")
        try repo.write("two/Beta.swift", common + lines(6, "beta"))
        try repo.write("two/Gamma.swift", lines(3, "unrelated"))
        try repo.commit("reorganise")
    },
    .range("identical files moved: exact renames prefer the same basename") { repo in
        try branchFromMain(repo, files: ["p/same.txt": "same\n", "p/other.txt": "same\n", "p/sym": "x\n"])
        try repo.remove("p/same.txt")
        try repo.remove("p/other.txt")
        try repo.write("q/other.txt", "same\n")
        try repo.write("q/same.txt", "same\n")
        try repo.write("q/copy.txt", "same\n")
        try repo.commit("exact")
    },
    .range("CRLF text renamed with edits") { repo in
        let crlf = (1...30).map { "row \($0)\r\n" }.joined()
        try branchFromMain(repo, files: ["win/file.txt": crlf])
        try repo.remove("win/file.txt")
        try repo.write("win2/file.txt", crlf + "extra\r\n")
        try repo.commit("crlf")
    },
    .range("gitattributes in a subfolder mark text as binary") { repo in
        try branchFromMain(repo, files: ["data/.gitattributes": "*.csv binary\n", "data/table.csv": "a,b\n1,2\n"])
        try repo.write("data/table.csv", "a,b\n1,2\n3,4\n")
        try repo.write("data/more.csv", "x\n")
        try repo.write("data/notes.txt", "text\n")
        try repo.commit("csv")
    },
    .range("a file becomes a folder of its name, among names that sort around '/'") { repo in
        try branchFromMain(repo, files: ["a": "file\n", "a-b.txt": "1\n", "a.c": "2\n", "a0": "3\n", "b/x.txt": lines(4)])
        try repo.remove("a")
        try repo.write("a/inner.txt", "now a folder\n")
        try repo.write("a-b.txt", "1\nmore\n")
        try repo.write("a0", "3\n4\n")
        try repo.write("b/x.txt", lines(5))
        try repo.commit("file to folder")
    },
    .range("a folder becomes a file, deep unchanged folders beside it") { repo in
        var files = ["d/one.txt": "1\n", "d/two/three.txt": "3\n"]
        for depth in 1...12 { files[(1...depth).map { "level\($0)" }.joined(separator: "/") + "/leaf.txt"] = lines(depth) }
        try branchFromMain(repo, files: files)
        try repo.git(["rm", "-q", "-r", "d"])
        try repo.write("d", "now a file\n")
        try repo.write("level1/level2/level3/leaf.txt", lines(3) + "edited deep\n")
        try repo.commit("folder to file")
    },
    .range("submodule pointers: added, moved, removed") { repo in
        try branchFromMain(repo, files: ["x.txt": "x\n"])
        let first = try repo.revParse("HEAD")
        try repo.git(["update-index", "--add", "--cacheinfo", "160000,\(first),mod/moving"])
        try repo.git(["update-index", "--add", "--cacheinfo", "160000,\(first),mod/leaving"])
        try repo.git(["commit", "-q", "-m", "submodules"])
        let second = try repo.revParse("HEAD")
        try repo.git(["update-index", "--cacheinfo", "160000,\(second),mod/moving"])
        try repo.git(["update-index", "--force-remove", "mod/leaving"])
        try repo.git(["update-index", "--add", "--cacheinfo", "160000,\(second),mod/arriving"])
        try repo.git(["commit", "-q", "-m", "move submodules"])
    },
    .range("attributes come from the work tree for a range: a deleted file stops applying, an untracked one applies") { repo in
        try branchFromMain(repo, files: [".gitattributes": "*.txt -diff\n", "a.txt": "one\n", "sub/b.dat": "x\n"])
        try repo.write("a.txt", "one\ntwo\n")
        try repo.write("sub/b.dat", "x\ny\n")
        try repo.commit("edit")
        // git diff A B does not load the index: only the work tree's files count.
        try FileManager.default.removeItem(atPath: repo.path + "/.gitattributes")
        try repo.write("sub/.gitattributes", "*.dat binary\n")
    },
    .range("-U0 and --numstat disagree on real files: lines as -U0, counts as --numstat") { repo in
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/linediff")
        let names = ["cargo-bin-cargo.rs", "mypy-build.py", "vite-client.ts"]
        func side(_ name: String, _ which: String) throws -> [UInt8] {
            Array(try Data(contentsOf: fixtures.appendingPathComponent(name).appendingPathComponent(which)))
        }
        for name in names { try repo.write(name, bytes: try side(name, "old")) }
        try repo.commit("base")
        try repo.git(["checkout", "-q", "-b", "feature"])
        for name in names { try repo.write(name, bytes: try side(name, "new")) }
        try repo.commit("edit")
    },
    .range("many hunks in a large file") { repo in
        try branchFromMain(repo, files: ["big.txt": lines(5000)])
        let edited = (1...5000).map { $0 % 97 == 0 ? "edited \($0)\n" : ($0 % 89 == 0 ? "" : "line \($0)\n") }.joined()
        try repo.write("big.txt", edited + lines(30, "appended"))
        try repo.commit("scatter")
    },
]

@Suite("change reader agrees with git diff")
struct ChangeReaderOracleTests {
    @Test(arguments: scenarios)
    func agreesWithGit(_ scenario: Scenario) throws {
        let repo = try TestRepository()
        try scenario.build(repo)
        let expected = try GitOracle.files(in: repo, diffArguments: scenario.gitArguments)
        #expect(!expected.isEmpty, "the scenario should change something")
        let change = try Repository(discoveringFrom: repo.path).readChange(scenario.request)
        let actual = change.files.map(OracleFile.init)
        #expect(actual.count == expected.count)
        for (a, e) in zip(actual, expected) {
            #expect(a == e)
        }
        if scenario.request.mode == .threeDot {
            #expect(change.mergeBase == (try repo.gitOutput(["merge-base", scenario.request.base!, "HEAD"])))
        }
        // The lines `git diff -U3` shows, clamped to the file (context past its end shows nothing).
        if !expected.contains(where: { $0.status == "T" }) {
            let shown = try GitOracle.contextLines(in: repo, diffArguments: scenario.gitArguments)
            #expect(shown.count == change.files.count)
            // (A name that is not UTF-8 cannot be handed to `git show` as an argument to measure the file.)
            for (file, git) in zip(change.files, shown) where !file.isBinary && file.status != .deleted && file.path.isValidUTF8 {
                let content = try repo.git(["show", "HEAD:" + file.path.string], allowFailure: true).stdout
                let length = content.filter { $0 == UInt8(ascii: "\n") }.count + (content.last.map { $0 == UInt8(ascii: "\n") ? 0 : 1 } ?? 0)
                let ours = file.context.ranges.compactMap { range -> ClosedRange<Int>? in
                    let upper = Swift.min(range.upperBound, length)
                    return upper >= range.lowerBound ? range.lowerBound...upper : nil
                }
                #expect(LineSet(ranges: ours) == LineSet(ranges: git), "\(file.path): ours \(ours), git \(git)")
            }
        }
        #expect(change.head == (try repo.revParse("HEAD")))
    }

    @Test func stagedWorkAgreesWithGit() throws {
        let repo = try TestRepository()
        try branchFromMain(repo)
        try repo.write("a.txt", "first\n" + lines(10))
        try repo.write("staged-new.txt", lines(4))
        try repo.git(["add", "a.txt", "staged-new.txt"])
        try repo.write("unstaged.txt", "not staged\n")
        try repo.write("src/b.swift", lines(30, "let x =") + "unstaged edit\n")
        let expected = try GitOracle.files(in: repo, diffArguments: ["-M", "--cached"])
        let change = try Repository(discoveringFrom: repo.path).readChange(ChangeRequest(mode: .staged))
        #expect(change.files.map(OracleFile.init) == expected)
        #expect(change.base == (try repo.revParse("HEAD")))
        #expect(change.head == nil)
    }

    @Test func worktreeAgreesWithGit() throws {
        let repo = try TestRepository()
        try branchFromMain(repo)
        try repo.write("a.txt", "first\n" + lines(10))
        try repo.git(["add", "a.txt"])
        try repo.write("src/b.swift", lines(30, "let x =") + "unstaged edit\n")
        try repo.write("untracked.txt", "ignored by git diff HEAD\n")
        let expected = try GitOracle.files(in: repo, diffArguments: ["-M", "HEAD"])
        let change = try Repository(discoveringFrom: repo.path).readChange(ChangeRequest(mode: .worktree))
        #expect(change.files.map(OracleFile.init) == expected)
        #expect(expected.count == 2)
    }

    @Test func stagedWorkInARepositoryWithoutCommits() throws {
        let repo = try TestRepository()
        try repo.write("first.txt", lines(3))
        try repo.git(["add", "first.txt"])
        let expected = try GitOracle.files(in: repo, diffArguments: ["--cached"])
        let change = try Repository(discoveringFrom: repo.path).readChange(ChangeRequest(mode: .staged))
        #expect(change.files.map(OracleFile.init) == expected)
        #expect(change.base == nil)
    }

    @Test func detachedHeadIsJustACommit() throws {
        let repo = try TestRepository()
        try branchFromMain(repo)
        try repo.write("feature.txt", lines(3))
        let tip = try repo.commit("feature")
        try repo.git(["checkout", "-q", "--detach", tip])
        let change = try Repository(discoveringFrom: repo.path).readChange(ChangeRequest(base: "main"))
        #expect(change.files.map(\.path) == ["feature.txt"])
        #expect(change.head == tip)
    }

    @Test func opensFromASubfolder() throws {
        let repo = try TestRepository()
        try branchFromMain(repo)
        let repository = try Repository(discoveringFrom: repo.path + "/src")
        #expect(repository.workdir == repo.path + "/")
    }
}

extension OracleFile {
    init(_ file: ChangedFile) {
        let letter: Character = switch file.status {
        case .added: "A"
        case .modified: "M"
        case .deleted: "D"
        case .renamed: "R"
        case .copied: "C"
        case .typeChanged: "T"
        }
        self.init(
            status: letter, similarity: file.similarity, path: file.path.bytes, oldPath: file.oldPath?.bytes, binary: file.isBinary,
            added: file.added.ranges, addedCount: file.addedCount, deletedCount: file.deletedCount)
    }
}
