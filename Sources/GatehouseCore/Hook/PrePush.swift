/// One line git writes to a pre-push hook's stdin: `<local ref> <local sha> <remote ref> <remote sha>`
/// (githooks(5)). Object names are 40 hex digits in SHA-1 repositories and 64 in SHA-256 ones.
public struct PushedRef: Sendable, Hashable {
    public var localRef: String
    public var localSHA: String
    public var remoteRef: String
    public var remoteSHA: String

    public init(localRef: String, localSHA: String, remoteRef: String, remoteSHA: String) {
        self.localRef = localRef
        self.localSHA = localSHA
        self.remoteRef = remoteRef
        self.remoteSHA = remoteSHA
    }

    static func isZero(_ sha: String) -> Bool { sha.allSatisfy { $0 == "0" } }

    /// `git push origin :branch` or `--delete`: nothing new reaches the remote.
    public var isDeletion: Bool { Self.isZero(localSHA) }
    /// The remote has no such ref yet.
    public var isNewRef: Bool { Self.isZero(remoteSHA) }

    /// `refs/heads/feature` as people say it: `feature`.
    public var shortRemoteRef: String {
        for prefix in ["refs/heads/", "refs/tags/"] where remoteRef.hasPrefix(prefix) {
            return String(remoteRef.dropFirst(prefix.count))
        }
        return remoteRef
    }
}

public enum PrePushInput {
    /// Reads every line git sent. Anything else is bad input: the hook was run by hand or by a
    /// tool that does not speak git's protocol, and checking nothing would look like a pass.
    public static func parse(_ bytes: [UInt8]) throws(GatehouseError) -> [PushedRef] {
        var refs: [PushedRef] = []
        // Split bytes, not Characters: Swift reads "\r\n" as one Character.
        for (index, lineBytes) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let line = String(decoding: lineBytes.last == 0x0D ? lineBytes.dropLast() : lineBytes, as: UTF8.self)
            let trimmed = line[...]
            if trimmed.isEmpty { continue }
            let fields = trimmed.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 4, !fields[0].isEmpty, !fields[2].isEmpty,
                  isObjectName(fields[1]), isObjectName(fields[3]), fields[1].count == fields[3].count else {
                throw GatehouseError(
                    .invalidArgument,
                    "line \(index + 1) of the input is not what git sends a pre-push hook ('<local ref> <local sha> <remote ref> <remote sha>'): "
                        + "'\(trimmed.prefix(120))'. Run this command from .githooks/pre-push (gatehouse hook install), not by hand.",
                    at: SourceLocation(file: "<stdin>", line: index + 1))
            }
            refs.append(PushedRef(
                localRef: String(fields[0]), localSHA: String(fields[1]).lowercased(),
                remoteRef: String(fields[2]), remoteSHA: String(fields[3]).lowercased()))
        }
        return refs
    }

    /// The ref pre-commit's pre-push stage hands its hooks, in its environment: pre-commit reads
    /// git's stdin itself and passes on the first ref that sends commits (PRE_COMMIT_FROM_REF and
    /// PRE_COMMIT_TO_REF; only the branches and the remote when the push holds the root commit).
    /// `resolve` names the commit of a local ref. Nil when the variables are not there.
    public static func fromPreCommit(
        _ environment: [String: String], resolve: (String) -> String?
    ) throws(GatehouseError) -> (remote: String, url: String?, ref: PushedRef)? {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let remote = value("PRE_COMMIT_REMOTE_NAME") else { return nil }
        let localRef = value("PRE_COMMIT_LOCAL_BRANCH") ?? "HEAD"
        let remoteRef = value("PRE_COMMIT_REMOTE_BRANCH") ?? localRef
        guard let local = value("PRE_COMMIT_TO_REF").map({ $0.lowercased() }) ?? resolve(localRef),
              isObjectName(local[...]) else {
            throw GatehouseError(
                .invalidArgument,
                "pre-commit named no pushed commit (PRE_COMMIT_TO_REF is '\(value("PRE_COMMIT_TO_REF") ?? "")', and \(localRef) names no commit here). "
                    + "Run this from pre-commit's pre-push stage (stages: [pre-push]).")
        }
        // A new branch arrives with the parent of its first new commit, which the remote has: the
        // range is then found from the remote's tracking refs, as for any new branch.
        let zero = String(repeating: "0", count: local.count)
        let from = value("PRE_COMMIT_FROM_REF").map { $0.lowercased() }
        let remoteSHA = from.flatMap { isObjectName($0[...]) && $0.count == local.count ? $0 : nil } ?? zero
        return (remote, value("PRE_COMMIT_REMOTE_URL"), PushedRef(localRef: localRef, localSHA: local, remoteRef: remoteRef, remoteSHA: remoteSHA))
    }

    static func isObjectName(_ text: Substring) -> Bool {
        (text.count == 40 || text.count == 64) && text.allSatisfy(\.isHexDigit)
    }
}

/// Where `gatehouse hook install` puts the hook: core.hooksPath, and the script in it.
public enum HookFiles {
    public static let folder = ".githooks"
    public static let prePush = folder + "/pre-push"
}

/// `hook:` in the configuration: what the pre-push hook runs.
public struct HookSettings: Sendable, Hashable {
    /// The gate groups the hook runs: coverage, lint, size, owners. Report-driven ones run only
    /// on reports newer than the pushed commits.
    public var gates: [GateGroup]
    /// Print the checklist for the pushed change.
    public var checklist: Bool
    /// Print suggested reviewers for the pushed change.
    public var reviewers: Bool

    /// What a report that did not measure the pushed commit does to its gate.
    public var stale: StalePolicy

    public enum StalePolicy: String, Sendable, Hashable, CaseIterable {
        /// The gate is skipped and says why; CI still runs it.
        case skip
        /// The gate fails, so the push waits for a fresh report.
        case fail
    }

    public init(gates: [GateGroup] = GateGroup.allCases, checklist: Bool = true, reviewers: Bool = true, stale: StalePolicy = .skip) {
        self.gates = gates
        self.checklist = checklist
        self.reviewers = reviewers
        self.stale = stale
    }
}
