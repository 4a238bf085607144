import Foundation
import GatehouseCore
import GatehouseTestSupport
import PropertyBased
import Testing

@Suite("pre-push input and hook settings")
struct PrePushTests {
    static let sha1 = "1f7a7a472abf3dd9643fd615f6da379c4acb3e3a"
    static let zero1 = String(repeating: "0", count: 40)
    static let sha256 = "9b127bdc6739288aa701a7f73eab5360c777be8a3785e6f0634fc3a1cea5f37b"
    static let zero256 = String(repeating: "0", count: 64)

    @Test func readsEveryLineGitSends() throws {
        let input = """
            refs/heads/main \(Self.sha1) refs/heads/main \(Self.sha1.uppercased())
            refs/heads/new \(Self.sha1) refs/heads/new \(Self.zero1)
            (delete) \(Self.zero1) refs/heads/old \(Self.sha1)\r
            refs/tags/v1 \(Self.sha1) refs/tags/v1 \(Self.zero1)

            """
        let refs = try PrePushInput.parse(Array(input.utf8))
        #expect(refs.count == 4)
        #expect(refs[0].remoteSHA == Self.sha1, "object names are compared lowercased")
        #expect(!refs[0].isNewRef && !refs[0].isDeletion)
        #expect(refs[1].isNewRef && refs[1].shortRemoteRef == "new")
        #expect(refs[2].isDeletion && refs[2].remoteSHA == Self.sha1)
        #expect(refs[3].shortRemoteRef == "v1")
        #expect(try PrePushInput.parse([]).isEmpty, "a push with nothing to send")
    }

    @Test func sha256NamesAreReadAndNewBranchesRecognised() throws {
        let refs = try PrePushInput.parse(Array("refs/heads/a \(Self.sha256) refs/heads/a \(Self.zero256)\n".utf8))
        #expect(refs.first?.isNewRef == true)
        #expect(refs.first?.localSHA.count == 64)
    }

    @Test(arguments: [
        "refs/heads/main \(sha1) refs/heads/main",
        "refs/heads/main abc refs/heads/main \(sha1)",
        "refs/heads/main \(sha1) refs/heads/main \(sha256)",
        "refs/heads/main  \(sha1) refs/heads/main \(sha1)",
        "refs/heads/main \(sha1) refs/heads/main \(String(repeating: "g", count: 40))",
        "origin main",
    ])
    func anythingElseIsBadInputNamingTheLine(line: String) {
        #expect {
            _ = try PrePushInput.parse(Array("refs/heads/x \(Self.sha1) refs/heads/x \(Self.zero1)\n\(line)\n".utf8))
        } throws: { error in
            let error = error as? GatehouseError
            return error?.kind == .invalidArgument && error?.location?.line == 2 && error?.message.contains("not what git sends") == true
        }
    }

    @Test func mutatedInputNeverCrashes() async {
        let original = Array("refs/heads/main \(Self.sha1) refs/heads/main \(Self.zero1)\n(delete) \(Self.zero1) refs/heads/x \(Self.sha1)\n".utf8)
        await propertyCheck(count: 500, input: Gen.int(in: 0...100_000).array(of: 0...6)) { edits in
            do throws(GatehouseError) {
                for ref in try PrePushInput.parse(mutate(original, edits: edits)) {
                    #expect(ref.localSHA.count == ref.remoteSHA.count)
                }
            } catch {
                #expect(error.location?.line != nil)
            }
        }
    }

    @Test func hookSettings() throws {
        let defaults = try GatehouseConfig.parse(Data("base: main\n".utf8), file: "g.yml")
        #expect(defaults.hook == HookSettings())
        let config = try GatehouseConfig.parse(Data("hook:\n  gates: [owners, lint]\n  checklist: false\n".utf8), file: "g.yml")
        #expect(config.hook == HookSettings(gates: [.owners, .lint], checklist: false, reviewers: true))
        #expect {
            _ = try GatehouseConfig.parse(Data("hook:\n  gates: [owners, tests]\n".utf8), file: "g.yml")
        } throws: { error in
            let error = error as? GatehouseError
            return error?.message.contains("'hook.gates' lists 'tests'") == true && error?.location?.line == 2
        }
    }
}

@Suite("pre-push: the ref pre-commit hands on")
struct PreCommitInputTests {
    let local = String(repeating: "a", count: 40)
    let remote = String(repeating: "b", count: 40)

    @Test func anUpdateANewBranchAndTheRootCommit() throws {
        let update = try #require(try PrePushInput.fromPreCommit([
            "PRE_COMMIT_REMOTE_NAME": "origin", "PRE_COMMIT_REMOTE_URL": "git@host:repo.git",
            "PRE_COMMIT_LOCAL_BRANCH": "refs/heads/feature", "PRE_COMMIT_REMOTE_BRANCH": "refs/heads/feature",
            "PRE_COMMIT_FROM_REF": remote, "PRE_COMMIT_TO_REF": local.uppercased(),
        ], resolve: { _ in nil }))
        #expect(update.remote == "origin" && update.url == "git@host:repo.git")
        #expect(update.ref == PushedRef(localRef: "refs/heads/feature", localSHA: local, remoteRef: "refs/heads/feature", remoteSHA: remote))

        // A new branch: pre-commit names a parent the remote has, resolved to its id; a revision
        // that is not an object name is read as a new ref, whose range git's tracking refs give.
        let fresh = try #require(try PrePushInput.fromPreCommit([
            "PRE_COMMIT_REMOTE_NAME": "origin", "PRE_COMMIT_FROM_REF": "HEAD~2", "PRE_COMMIT_TO_REF": local,
        ], resolve: { _ in nil }))
        #expect(fresh.ref.isNewRef && fresh.ref.localRef == "HEAD" && fresh.ref.remoteRef == "HEAD")

        // Pushing the root commit: no refs at all, the local branch names the commit.
        let root = try #require(try PrePushInput.fromPreCommit([
            "PRE_COMMIT_REMOTE_NAME": "origin", "PRE_COMMIT_LOCAL_BRANCH": "refs/heads/main", "PRE_COMMIT_REMOTE_BRANCH": "refs/heads/main",
        ], resolve: { $0 == "refs/heads/main" ? local : nil }))
        #expect(root.ref.localSHA == local && root.ref.isNewRef)
    }

    @Test func withoutPreCommitsVariablesThereIsNothingOrAClearError() {
        #expect((try? PrePushInput.fromPreCommit([:], resolve: { _ in nil })) == nil)
        #expect(throws: GatehouseError.self) {
            try PrePushInput.fromPreCommit(["PRE_COMMIT_REMOTE_NAME": "origin", "PRE_COMMIT_TO_REF": "not-a-sha"], resolve: { _ in nil })
        }
    }
}
