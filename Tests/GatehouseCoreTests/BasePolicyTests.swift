import Foundation
import GatehouseCore
import Testing

/// A candidate as the tests spell it: where it comes from, what to try, and whether it is binding.
struct ExpectedCandidate: Hashable, Sendable, CustomStringConvertible {
    let source: BaseSelection.Source
    let revisions: [String]
    let isExplicit: Bool

    init(_ source: BaseSelection.Source, _ revisions: [String], explicit: Bool) {
        self.source = source
        self.revisions = revisions
        self.isExplicit = explicit
    }

    init(_ candidate: BaseCandidate) {
        self.init(candidate.source, candidate.revisions, explicit: candidate.isExplicit)
    }

    var description: String { "\(source.rawValue)\(revisions)\(isExplicit ? "!" : "")" }

    static let fallbacks = [
        ExpectedCandidate(.remoteDefault, ["refs/remotes/origin/HEAD"], explicit: false),
        ExpectedCandidate(.defaultBranch, ["main", "refs/remotes/origin/main"], explicit: false),
        ExpectedCandidate(.defaultBranch, ["master", "refs/remotes/origin/master"], explicit: false),
    ]
}

private let sha1 = "0123456789abcdef0123456789abcdef01234567"
private let sha2 = "89abcdef0123456789abcdef0123456789abcdef"

/// A GitHub Actions event payload for a pull request whose base is `sha`.
private func pullRequestPayload(baseSHA sha: String) -> String {
    #"{"action":"opened","number":7,"pull_request":{"head":{"sha":"\#(sha2)","ref":"feature"},"base":{"ref":"main","sha":"\#(sha)"}}}"#
}

struct BasePolicyCase: Sendable, CustomTestStringConvertible {
    let name: String
    var environment: [String: String] = [:]
    /// The contents of the file at GITHUB_EVENT_PATH, if there is one.
    var payload: String? = nil
    var configBase: String? = nil
    let expected: [ExpectedCandidate]

    var testDescription: String { name }
}

private let eventPath = "/ci/event.json"

@Suite("BasePolicy")
struct BasePolicyTests {
    static let cases: [BasePolicyCase] = [
        BasePolicyCase(name: "nothing configured: fallbacks only", expected: ExpectedCandidate.fallbacks),
        BasePolicyCase(
            name: "every source at once, in order",
            environment: [
                "GITHUB_EVENT_PATH": eventPath, "GITHUB_BASE_REF": "main",
                "CI_MERGE_REQUEST_DIFF_BASE_SHA": sha2,
                "BUILDKITE_PULL_REQUEST": "42", "BUILDKITE_PULL_REQUEST_BASE_BRANCH": "release",
                "CHANGE_TARGET": "develop",
            ],
            payload: pullRequestPayload(baseSHA: sha1), configBase: "trunk",
            expected: [
                ExpectedCandidate(.githubEvent, [sha1], explicit: true),
                ExpectedCandidate(.githubBaseRef, ["refs/remotes/origin/main", "main"], explicit: true),
                ExpectedCandidate(.gitlab, [sha2], explicit: true),
                ExpectedCandidate(.buildkite, ["refs/remotes/origin/release", "release"], explicit: true),
                ExpectedCandidate(.jenkins, ["refs/remotes/origin/develop", "develop"], explicit: true),
                ExpectedCandidate(.config, ["trunk", "refs/remotes/origin/trunk"], explicit: true),
            ] + ExpectedCandidate.fallbacks),
        BasePolicyCase(
            name: "GitHub pull request: payload sha, then GITHUB_BASE_REF",
            environment: ["GITHUB_EVENT_PATH": eventPath, "GITHUB_BASE_REF": "main"],
            payload: pullRequestPayload(baseSHA: sha1),
            expected: [
                ExpectedCandidate(.githubEvent, [sha1], explicit: true),
                ExpectedCandidate(.githubBaseRef, ["refs/remotes/origin/main", "main"], explicit: true),
            ] + ExpectedCandidate.fallbacks),
        BasePolicyCase(
            name: "GITHUB_BASE_REF alone",
            environment: ["GITHUB_BASE_REF": "release/2.x"],
            expected: [ExpectedCandidate(.githubBaseRef, ["refs/remotes/origin/release/2.x", "release/2.x"], explicit: true)]
                + ExpectedCandidate.fallbacks),
        BasePolicyCase(
            name: "GitHub push event: payload without pull_request adds nothing",
            environment: ["GITHUB_EVENT_PATH": eventPath, "GITHUB_BASE_REF": ""],
            payload: #"{"ref":"refs/heads/main","before":"\#(sha1)","after":"\#(sha2)","base_ref":null}"#,
            expected: ExpectedCandidate.fallbacks),
        BasePolicyCase(
            name: "payload file missing adds nothing",
            environment: ["GITHUB_EVENT_PATH": "/ci/missing.json"],
            expected: ExpectedCandidate.fallbacks),
        BasePolicyCase(
            name: "GitLab merge request",
            environment: ["CI_MERGE_REQUEST_DIFF_BASE_SHA": sha1, "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"],
            expected: [ExpectedCandidate(.gitlab, [sha1], explicit: true)] + ExpectedCandidate.fallbacks),
        BasePolicyCase(
            name: "GitLab merged results pipeline: the target's current tip comes first",
            environment: ["CI_MERGE_REQUEST_DIFF_BASE_SHA": sha1, "CI_MERGE_REQUEST_TARGET_BRANCH_SHA": sha2],
            expected: [ExpectedCandidate(.gitlab, [sha2], explicit: true), ExpectedCandidate(.gitlab, [sha1], explicit: true)]
                + ExpectedCandidate.fallbacks),
        BasePolicyCase(
            name: "Buildkite pull request",
            environment: ["BUILDKITE_PULL_REQUEST": "17", "BUILDKITE_PULL_REQUEST_BASE_BRANCH": "main"],
            expected: [ExpectedCandidate(.buildkite, ["refs/remotes/origin/main", "main"], explicit: true)]
                + ExpectedCandidate.fallbacks),
        BasePolicyCase(
            name: "Buildkite base branch without BUILDKITE_PULL_REQUEST",
            environment: ["BUILDKITE_PULL_REQUEST_BASE_BRANCH": "main"],
            expected: [ExpectedCandidate(.buildkite, ["refs/remotes/origin/main", "main"], explicit: true)]
                + ExpectedCandidate.fallbacks),
        BasePolicyCase(
            name: "Buildkite branch build (BUILDKITE_PULL_REQUEST=false) is ignored",
            environment: ["BUILDKITE_PULL_REQUEST": "false", "BUILDKITE_PULL_REQUEST_BASE_BRANCH": "main"],
            expected: ExpectedCandidate.fallbacks),
        BasePolicyCase(
            name: "Jenkins change request",
            environment: ["CHANGE_TARGET": "develop", "BRANCH_NAME": "PR-3"],
            expected: [ExpectedCandidate(.jenkins, ["refs/remotes/origin/develop", "develop"], explicit: true)]
                + ExpectedCandidate.fallbacks),
        BasePolicyCase(
            name: "config base: local branch first",
            configBase: "trunk",
            expected: [ExpectedCandidate(.config, ["trunk", "refs/remotes/origin/trunk"], explicit: true)]
                + ExpectedCandidate.fallbacks),
        BasePolicyCase(
            name: "CI variables come before the config base",
            environment: ["CHANGE_TARGET": "develop"], configBase: "trunk",
            expected: [
                ExpectedCandidate(.jenkins, ["refs/remotes/origin/develop", "develop"], explicit: true),
                ExpectedCandidate(.config, ["trunk", "refs/remotes/origin/trunk"], explicit: true),
            ] + ExpectedCandidate.fallbacks),
        BasePolicyCase(
            name: "empty and blank variables and config are ignored",
            environment: [
                "GITHUB_EVENT_PATH": "", "GITHUB_BASE_REF": "", "CI_MERGE_REQUEST_DIFF_BASE_SHA": "   ",
                "BUILDKITE_PULL_REQUEST_BASE_BRANCH": "", "CHANGE_TARGET": " \t ",
            ],
            configBase: "  ",
            expected: ExpectedCandidate.fallbacks),
        BasePolicyCase(
            name: "surrounding spaces are trimmed",
            environment: ["GITHUB_BASE_REF": "  main ", "GITHUB_EVENT_PATH": " \(eventPath) "],
            payload: pullRequestPayload(baseSHA: sha1),
            configBase: " trunk ",
            expected: [
                ExpectedCandidate(.githubEvent, [sha1], explicit: true),
                ExpectedCandidate(.githubBaseRef, ["refs/remotes/origin/main", "main"], explicit: true),
                ExpectedCandidate(.config, ["trunk", "refs/remotes/origin/trunk"], explicit: true),
            ] + ExpectedCandidate.fallbacks),
        BasePolicyCase(
            name: "variables of other names are ignored",
            environment: ["github_base_ref": "main", "BASE": "main", "GITHUB_HEAD_REF": "feature"],
            expected: ExpectedCandidate.fallbacks),
    ]

    @Test(arguments: cases)
    func candidates(_ example: BasePolicyCase) {
        var pathsRead: [String] = []
        let candidates = BasePolicy.candidates(
            environment: example.environment, configBase: example.configBase,
            readFile: { path in
                pathsRead.append(path)
                return path == eventPath ? example.payload.map { Data($0.utf8) } : nil
            })
        #expect(candidates.map(ExpectedCandidate.init) == example.expected)
        // The payload is read only when GITHUB_EVENT_PATH names it.
        let named = example.environment["GITHUB_EVENT_PATH"]?.trimmingCharacters(in: .whitespaces) ?? ""
        #expect(pathsRead == (named.isEmpty ? [] : [named]))
    }

    static let malformedPayloads: [String] = [
        "",
        "not json",
        "[]",
        #"{"pull_request":null}"#,
        #"{"pull_request":{"base":{"ref":"main"}}}"#,
        #"{"pull_request":{"base":{"sha":null}}}"#,
        #"{"pull_request":{"base":{"sha":12345}}}"#,
        #"{"pull_request":{"base":"\#(sha1)"}}"#,
        #"{"pull_request":{"base":{"sha":""}}}"#,
        #"{"pull_request":{"base":{"sha":"\#(sha1.dropLast())"}}}"#,
        #"{"pull_request":{"base":{"sha":"\#(sha1.dropLast())g"}}}"#,
        #"{"pull_request":{"base":{"sha":"\#(sha1.dropLast()) "}}}"#,
        #"{"pull_request":{"base":{"sha":"main"}}}"#,
        #"{"base":{"sha":"\#(sha1)"}}"#,
    ]

    @Test("a payload without a well-formed pull_request.base.sha adds nothing", arguments: malformedPayloads)
    func malformedPayload(_ payload: String) {
        let candidates = BasePolicy.candidates(
            environment: ["GITHUB_EVENT_PATH": eventPath], configBase: nil,
            readFile: { _ in Data(payload.utf8) })
        #expect(candidates.map(ExpectedCandidate.init) == ExpectedCandidate.fallbacks)
    }

    @Test("well-formed shas are accepted", arguments: [
        sha1, sha1.uppercased(), String(repeating: "ab", count: 32),  // SHA-256 repositories
    ])
    func wellFormedSHA(_ sha: String) {
        let candidates = BasePolicy.candidates(
            environment: ["GITHUB_EVENT_PATH": eventPath], configBase: nil,
            readFile: { _ in Data(pullRequestPayload(baseSHA: sha).utf8) })
        #expect(candidates.first.map(ExpectedCandidate.init) == ExpectedCandidate(.githubEvent, [sha], explicit: true))
    }

    @Test(
        "a sha that is not 40 or 64 ASCII hex digits is malformed",
        arguments: [
            String(repeating: "a", count: 41),
            String(repeating: "a", count: 50),
            String(repeating: "\u{FF41}", count: 40),  // fullwidth 'a'
        ])
    func malformedSHA(_ sha: String) {
        let candidates = BasePolicy.candidates(
            environment: ["GITHUB_EVENT_PATH": eventPath], configBase: nil,
            readFile: { _ in Data(pullRequestPayload(baseSHA: sha).utf8) })
        #expect(candidates.map(ExpectedCandidate.init) == ExpectedCandidate.fallbacks)
    }

    @Test func reasonsNameTheirSource() throws {
        let candidates = BasePolicy.candidates(
            environment: [
                "GITHUB_EVENT_PATH": eventPath, "GITHUB_BASE_REF": "main",
                "CI_MERGE_REQUEST_DIFF_BASE_SHA": sha2, "BUILDKITE_PULL_REQUEST_BASE_BRANCH": "release",
                "CHANGE_TARGET": "develop",
            ],
            configBase: "trunk", configFile: "conf/gate.yml",
            readFile: { _ in Data(pullRequestPayload(baseSHA: sha1).utf8) })
        let reasons = candidates.map(\.reason)
        try #require(reasons.count == 9)
        #expect(reasons[0].contains("GITHUB_EVENT_PATH"))
        #expect(reasons[1].contains("GITHUB_BASE_REF=main"))
        #expect(reasons[2].contains("CI_MERGE_REQUEST_DIFF_BASE_SHA=\(sha2)"))
        #expect(reasons[3].contains("BUILDKITE_PULL_REQUEST_BASE_BRANCH=release"))
        #expect(reasons[4].contains("CHANGE_TARGET=develop"))
        #expect(reasons[5] == "base: trunk in conf/gate.yml")
        #expect(reasons[6].contains("refs/remotes/origin/HEAD"))
        #expect(reasons[7].contains("main") && reasons[8].contains("master"))
    }

    @Test func configReasonDefaultsToTheDefaultPath() {
        let candidates = BasePolicy.candidates(environment: [:], configBase: "trunk")
        #expect(candidates.first?.reason == "base: trunk in rules/gatehouse.yml")
    }

    @Test("by default the payload is read from disk")
    func payloadFromDisk() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-event-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("event.json")
        try Data(pullRequestPayload(baseSHA: sha1).utf8).write(to: file)

        let candidates = BasePolicy.candidates(environment: ["GITHUB_EVENT_PATH": file.path], configBase: nil)
        #expect(candidates.map(ExpectedCandidate.init) == [ExpectedCandidate(.githubEvent, [sha1], explicit: true)] + ExpectedCandidate.fallbacks)
    }
}
