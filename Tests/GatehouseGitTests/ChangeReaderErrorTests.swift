import Foundation
import GatehouseCore
import GatehouseGit
import GatehouseTestSupport
import Testing

@Suite("errors people hit when reading a change")
struct ChangeReaderErrorTests {
    func expectError(_ kind: GatehouseError.Kind, mentioning words: [String] = [], _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected a \(kind) error")
        } catch let error as GatehouseError {
            #expect(error.kind == kind, "\(error)")
            for word in words { #expect(error.message.contains(word), "\(error.message)") }
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func notInsideARepository() throws {
        let folder = NSTemporaryDirectory() + "gatehouse-norepo-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        expectError(.notARepository, mentioning: [folder, "-C"]) { _ = try Repository(discoveringFrom: folder) }
    }

    @Test func unknownRevision() throws {
        let repo = try TestRepository()
        try branchFromMain(repo)
        let repository = try Repository(discoveringFrom: repo.path)
        // No remote here: nothing to fetch from, so no fetch advice.
        expectError(.unknownRevision, mentioning: ["--base", "no-such-branch", "Check the spelling"]) {
            _ = try repository.readChange(ChangeRequest(base: "no-such-branch"))
        }
        expectError(.unknownRevision, mentioning: ["Did you mean 'main'?"]) {
            _ = try repository.readChange(ChangeRequest(base: "mian"))
        }
        // With a remote, a name that could be its branch gets the fetch that brings it.
        try repo.git(["remote", "add", "origin", repo.path])
        expectError(.unknownRevision, mentioning: ["git fetch origin payments"]) {
            _ = try repository.readChange(ChangeRequest(base: "payments"))
        }
        expectError(.unknownRevision, mentioning: ["goes back past the start of its history"]) {
            _ = try repository.readChange(ChangeRequest(base: "HEAD~99999"))
        }
        expectError(.unknownRevision, mentioning: ["--head"]) {
            _ = try repository.readChange(ChangeRequest(base: "main", head: "nope"))
        }
    }

    @Test func aTreeIsNotACommit() throws {
        let repo = try TestRepository()
        try branchFromMain(repo)
        let repository = try Repository(discoveringFrom: repo.path)
        expectError(.unknownRevision, mentioning: ["tree", "not a commit"]) {
            _ = try repository.readChange(ChangeRequest(base: "HEAD^{tree}"))
        }
    }

    @Test func repositoryWithoutCommits() throws {
        let repo = try TestRepository()
        let repository = try Repository(discoveringFrom: repo.path)
        expectError(.emptyRepository, mentioning: ["no commits", "--staged"]) {
            _ = try repository.readChange(ChangeRequest(base: "main"))
        }
        expectError(.emptyRepository) {
            _ = try repository.readChange(ChangeRequest(baseCandidates: BasePolicy.candidates(environment: [:], configBase: nil)))
        }
    }

    @Test func unrelatedHistories() throws {
        let repo = try TestRepository()
        try branchFromMain(repo)
        try repo.git(["checkout", "-q", "--orphan", "other"])
        try repo.write("other.txt", "o\n")
        try repo.commit("unrelated root")
        let repository = try Repository(discoveringFrom: repo.path)
        expectError(.noMergeBase, mentioning: ["unrelated", "--range two-dot"]) {
            _ = try repository.readChange(ChangeRequest(base: "main"))
        }
        // The two trees can still be compared directly.
        let change = try repository.readChange(ChangeRequest(mode: .twoDot, base: "main"))
        #expect(!change.files.isEmpty)
    }

    /// A shallow clone (`git clone --depth`) whose history stops before the merge base.
    @Test func shallowCloneThatDoesNotReachTheMergeBase() throws {
        let origin = try TestRepository(name: "origin")
        try branchFromMain(origin)
        for i in 1...5 {
            try origin.write("f\(i).txt", "\(i)\n")
            try origin.commit("feature \(i)")
        }
        try origin.git(["checkout", "-q", "main"])
        try origin.write("main.txt", "m\n")
        try origin.commit("main moves")
        let clonePath = origin.parentFolder + "/shallow"
        _ = try run(["git", "clone", "-q", "--depth", "2", "--no-single-branch", "file://" + origin.path, clonePath],
                    in: origin.parentFolder, environment: TestRepository.gitEnvironment)
        let clone = TestRepository(existing: clonePath)
        try clone.git(["checkout", "-q", "feature"])
        #expect(try clone.gitOutput(["rev-parse", "--is-shallow-repository"]) == "true")

        let repository = try Repository(discoveringFrom: clonePath)
        #expect(repository.isShallow)
        expectError(.shallowHistory, mentioning: ["shallow", "git fetch --deepen", "fetch-depth: 0", "--range two-dot"]) {
            _ = try repository.readChange(ChangeRequest(base: "origin/main"))
        }
        // Two-dot needs no merge base: both tips are present, so it works and agrees with git.
        let change = try repository.readChange(ChangeRequest(mode: .twoDot, base: "origin/main"))
        let expected = try GitOracle.files(in: clone, diffArguments: ["-M", "origin/main..HEAD"])
        #expect(change.files.map(OracleFile.init) == expected)
    }

    /// A shallow clone deep enough to contain the merge base gives the same answer as git.
    @Test func shallowCloneThatReachesTheMergeBase() throws {
        let origin = try TestRepository(name: "origin")
        try branchFromMain(origin)
        try origin.write("f.txt", "f\n")
        try origin.commit("feature")
        let clonePath = origin.parentFolder + "/shallow"
        _ = try run(["git", "clone", "-q", "--depth", "50", "--no-single-branch", "file://" + origin.path, clonePath],
                    in: origin.parentFolder, environment: TestRepository.gitEnvironment)
        let clone = TestRepository(existing: clonePath)
        try clone.git(["checkout", "-q", "feature"])
        let repository = try Repository(discoveringFrom: clonePath)
        let change = try repository.readChange(ChangeRequest(base: "origin/main"))
        #expect(change.files.map(\.path) == ["f.txt"])
    }

    @Test func explicitCIBaseThatIsMissingIsAnErrorNotASilentFallback() throws {
        let repo = try TestRepository()
        try branchFromMain(repo)
        let repository = try Repository(discoveringFrom: repo.path)
        let candidates = BasePolicy.candidates(environment: ["GITHUB_BASE_REF": "release"], configBase: nil)
        expectError(.unknownRevision, mentioning: ["GITHUB_BASE_REF=release", "fetch-depth: 0"]) {
            _ = try repository.readChange(ChangeRequest(baseCandidates: candidates))
        }
    }

    @Test func noBaseAnywhere() throws {
        let repo = try TestRepository()
        try repo.write("a.txt", "a\n")
        try repo.commit("root")
        try repo.git(["branch", "-m", "trunk"])
        let repository = try Repository(discoveringFrom: repo.path)
        expectError(.noBase, mentioning: ["--base"]) {
            _ = try repository.readChange(ChangeRequest(baseCandidates: BasePolicy.candidates(environment: [:], configBase: nil)))
        }
    }

    @Test func baseFallsBackThroughOriginHeadThenMain() throws {
        let origin = try TestRepository(name: "origin")
        try branchFromMain(origin)
        try origin.git(["checkout", "-q", "main"])
        let clonePath = origin.parentFolder + "/clone"
        _ = try run(["git", "clone", "-q", "file://" + origin.path, clonePath], in: origin.parentFolder,
                    environment: TestRepository.gitEnvironment)
        let clone = TestRepository(existing: clonePath)
        try clone.git(["checkout", "-q", "-b", "work"])
        try clone.write("w.txt", "w\n")
        try clone.commit("work")
        let repository = try Repository(discoveringFrom: clonePath)
        let change = try repository.readChange(ChangeRequest(baseCandidates: BasePolicy.candidates(environment: [:], configBase: nil)))
        #expect(change.baseSelection.source == .remoteDefault)
        #expect(change.files.map(\.path) == ["w.txt"])

        let configured = try repository.readChange(ChangeRequest(baseCandidates: BasePolicy.candidates(environment: [:], configBase: "main")))
        #expect(configured.baseSelection.source == .config)
        #expect(configured.baseSelection.revision == "main")
    }
}
