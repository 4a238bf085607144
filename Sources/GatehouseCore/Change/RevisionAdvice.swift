/// What to tell someone whose revision names no commit: only advice that would work. `git fetch
/// origin <name>` helps when the name could be a branch on a remote, not when it is a spelling
/// mistake of one that exists, nor for `HEAD~99999`, which no fetch makes valid.
public enum RevisionAdvice {
    /// - Parameters:
    ///   - revision: what was given.
    ///   - resolves: whether a revision (the part before `~`, `^` or `@{`) names a commit here.
    ///   - remotes: the configured remotes.
    ///   - branches: local branches and remote-tracking ones (`origin/main`), short names.
    ///   - isShallow: whether history was cut off at a clone's depth.
    public static func advice(
        for revision: String, resolves: (String) -> Bool, remotes: [String], branches: [String], isShallow: Bool
    ) -> String {
        // A walk back from something that exists: HEAD~99999, main^2, v1.0~3.
        if let cut = revision.firstIndex(where: { $0 == "~" || $0 == "^" }) ?? revision.range(of: "@{")?.lowerBound,
           cut != revision.startIndex, resolves(String(revision[..<cut])) {
            let start = String(revision[..<cut])
            return isShallow
                ? "\(start) exists, but this shallow clone's history ends before '\(revision)'. Fetch more of it (git fetch --deepen=N, or git fetch --unshallow), or pick a nearer commit."
                : "\(start) exists, but '\(revision)' goes back past the start of its history (or names a parent it does not have). Pick a nearer commit."
        }
        var advice: [String] = []
        let close = branches.filter { $0 != revision && distance($0, revision, limit: 2) <= 2 }.sorted()
        if !close.isEmpty {
            advice.append("Did you mean \(close.prefix(3).map { "'\($0)'" }.joined(separator: " or "))?")
        }
        let isHex = (7...64).contains(revision.count) && revision.allSatisfy(\.isHexDigit)
        if isHex {
            advice.append(isShallow
                ? "If it is a commit this shallow clone has not fetched, fetch more history (git fetch --unshallow)."
                : "If it is a commit of a branch not fetched here, fetch it (git fetch \(remotes.first ?? "origin")).")
        } else if close.isEmpty, let remote = remotes.first(where: { revision.hasPrefix($0 + "/") }) {
            // origin/feature: fetch the branch from that remote.
            let branch = revision.dropFirst(remote.count + 1)
            if isBranchName(branch) { advice.append("If '\(branch)' is a branch on \(remote), fetch it: git fetch \(remote) \(branch).") }
        } else if close.isEmpty, isBranchName(revision[...]), let remote = remotes.first {
            advice.append("If it is a branch on \(remote), fetch it: git fetch \(remote) \(revision).")
        }
        if advice.isEmpty { advice.append("Check the spelling: no branch, tag or commit of that name is here.") }
        return advice.joined(separator: " ")
    }

    /// Whether `name` could be a branch name (git check-ref-format's main rules).
    static func isBranchName(_ name: Substring) -> Bool {
        !name.isEmpty && !name.hasPrefix("-") && !name.hasPrefix("/") && !name.hasSuffix("/") && !name.hasSuffix(".lock")
            && !name.hasSuffix(".") && !name.contains("..") && !name.contains("@{") && !name.contains("//")
            && !name.contains { $0.isWhitespace || "~^:?*[\\".contains($0) || ($0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) }
    }

    /// Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`.
    static func distance(_ a: String, _ b: String, limit: Int) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        if abs(a.count - b.count) > limit { return limit + 1 }
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            var best = current[0]
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                best = min(best, current[j])
            }
            if best > limit { return limit + 1 }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
