import Foundation

/// How the base of a change was chosen, kept so that `--verbose` and JSON can say why.
public struct BaseSelection: Hashable, Sendable {
    public enum Source: String, Sendable {
        /// `--base` on the command line.
        case option
        /// `pull_request.base.sha` in the GitHub Actions event payload.
        case githubEvent = "github-event"
        /// `GITHUB_BASE_REF` (GitHub Actions pull_request events).
        case githubBaseRef = "github-base-ref"
        /// `CI_MERGE_REQUEST_DIFF_BASE_SHA` (GitLab merge-request pipelines).
        case gitlab
        /// `BUILDKITE_PULL_REQUEST_BASE_BRANCH`.
        case buildkite
        /// `CHANGE_TARGET` (Jenkins multibranch pipelines).
        case jenkins
        /// `base:` in the configuration file.
        case config
        /// The remote's default branch, `refs/remotes/origin/HEAD`.
        case remoteDefault = "remote-default"
        /// A branch named `main` or `master`.
        case defaultBranch = "default-branch"
        /// `HEAD`, for staged and work-tree changes.
        case head
        /// What a `git push` sends, from the pre-push hook's input.
        case push
    }

    public var source: Source
    /// The revision that was resolved (a branch, a ref or a sha).
    public var revision: String
    /// Why this base, in words: "GITHUB_BASE_REF=main (GitHub Actions pull request)".
    public var reason: String

    public init(source: Source, revision: String, reason: String) {
        self.source = source
        self.revision = revision
        self.reason = reason
    }
}

/// One place a base may come from, with the revisions to try for it, in order.
public struct BaseCandidate: Hashable, Sendable {
    public var source: BaseSelection.Source
    public var revisions: [String]
    public var reason: String
    /// When true the person (or their CI) asked for this base explicitly, so if none of
    /// `revisions` resolves that is an error rather than a reason to try the next candidate:
    /// silently diffing against some other branch would gate the wrong change.
    public var isExplicit: Bool

    public init(source: BaseSelection.Source, revisions: [String], reason: String, isExplicit: Bool) {
        self.source = source
        self.revisions = revisions
        self.reason = reason
        self.isExplicit = isExplicit
    }
}

/// The order in which Gatehouse looks for a base when `--base` is not given:
/// CI variables, then `base:` in the configuration, then the remote's default branch,
/// then `main`, then `master`.
public enum BasePolicy {
    public static func candidates(
        environment: [String: String],
        configBase: String?,
        configFile: String = "rules/gatehouse.yml",
        readFile: (String) -> Data? = { FileManager.default.contents(atPath: $0) }
    ) -> [BaseCandidate] {
        var result: [BaseCandidate] = []
        func value(_ name: String) -> String? {
            guard let v = environment[name]?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
            return v
        }
        // A branch named by CI lives on the remote; the local branch of that name may be stale or absent.
        func branchRevisions(_ branch: String) -> [String] {
            ["refs/remotes/origin/\(branch)", branch]
        }

        if let path = value("GITHUB_EVENT_PATH"), let sha = githubEventBaseSHA(readFile(path)) {
            result.append(BaseCandidate(
                source: .githubEvent, revisions: [sha],
                reason: "pull_request.base.sha in $GITHUB_EVENT_PATH (GitHub Actions pull request)",
                isExplicit: true))
        }
        if let ref = value("GITHUB_BASE_REF") {
            result.append(BaseCandidate(
                source: .githubBaseRef, revisions: branchRevisions(ref),
                reason: "GITHUB_BASE_REF=\(ref) (GitHub Actions pull request)", isExplicit: true))
        }
        // Merged-results pipelines build a merge of the source into the target's current tip: that
        // tip is the base, or everything merged into the target since the branch forked would count.
        if let sha = value("CI_MERGE_REQUEST_TARGET_BRANCH_SHA") {
            result.append(BaseCandidate(
                source: .gitlab, revisions: [sha],
                reason: "CI_MERGE_REQUEST_TARGET_BRANCH_SHA=\(sha) (GitLab merged results pipeline)", isExplicit: true))
        }
        if let sha = value("CI_MERGE_REQUEST_DIFF_BASE_SHA") {
            result.append(BaseCandidate(
                source: .gitlab, revisions: [sha],
                reason: "CI_MERGE_REQUEST_DIFF_BASE_SHA=\(sha) (GitLab merge request pipeline)", isExplicit: true))
        }
        if let branch = value("BUILDKITE_PULL_REQUEST_BASE_BRANCH"), value("BUILDKITE_PULL_REQUEST") != "false" {
            result.append(BaseCandidate(
                source: .buildkite, revisions: branchRevisions(branch),
                reason: "BUILDKITE_PULL_REQUEST_BASE_BRANCH=\(branch) (Buildkite pull request)", isExplicit: true))
        }
        if let branch = value("CHANGE_TARGET") {
            result.append(BaseCandidate(
                source: .jenkins, revisions: branchRevisions(branch),
                reason: "CHANGE_TARGET=\(branch) (Jenkins pull request)", isExplicit: true))
        }
        if let base = configBase?.trimmingCharacters(in: .whitespaces), !base.isEmpty {
            result.append(BaseCandidate(
                source: .config, revisions: [base, "refs/remotes/origin/\(base)"],
                reason: "base: \(base) in \(configFile)", isExplicit: true))
        }
        result.append(BaseCandidate(
            source: .remoteDefault, revisions: ["refs/remotes/origin/HEAD"],
            reason: "the default branch of remote origin (refs/remotes/origin/HEAD)", isExplicit: false))
        for branch in ["main", "master"] {
            result.append(BaseCandidate(
                source: .defaultBranch, revisions: [branch, "refs/remotes/origin/\(branch)"],
                reason: "no base was configured, and a branch named \(branch) exists", isExplicit: false))
        }
        return result
    }

    /// `pull_request.base.sha` from a GitHub Actions event payload, if it has one.
    static func githubEventBaseSHA(_ data: Data?) -> String? {
        guard let data,
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let pullRequest = root["pull_request"] as? [String: Any],
              let base = pullRequest["base"] as? [String: Any],
              let sha = base["sha"] as? String,
              sha.utf8.count == 40 || sha.utf8.count == 64,  // SHA-1 or SHA-256 object names
              sha.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) })
        else { return nil }
        return sha
    }
}
