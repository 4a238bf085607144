/// Whether the reports' paths reached the change's files: a report whose paths point elsewhere
/// (an installed copy, another checkout, another project) must not shrink the change silently and
/// pass on what is left.
public enum CoverageMapping {
    /// A changed file no report measures, and the unmapped report path that is probably it.
    public struct Join: Sendable, Hashable {
        public var file: RepoPath
        public var report: String
        public var reportPath: String
        /// The `coverage.path_rewrites` entry that maps one onto the other.
        public var from: String
        public var to: String
    }

    public struct Judgment: Sendable {
        public var status: GateStatus
        /// The cause, when it should be the gate's headline.
        public var headline: String?
        public var details: [String]
        public var joins: [Join]
    }

    /// - Parameter changed: the change's files that add lines (deletions have nothing to measure).
    public static func judge(_ evidence: CoverageEvidence, changed: [ChangedFile], settings: CoverageSettings) -> Judgment {
        let expected = settings.expectedOutside.isEmpty ? nil : OwnershipMatcher(patterns: settings.expectedOutside, dialect: .github)
        func isExpected(_ path: String) -> Bool {
            guard let expected else { return false }
            let trimmed = String(path.drop { $0 == "/" })
            return !expected.matches(RepoPath(trimmed.replacingOccurrences(of: "\\", with: "/"))).isEmpty
        }
        // Unmapped paths by file name, to find the one a changed file was measured under.
        var byName: [Substring: [(report: String, path: String)]] = [:]
        for entry in evidence.unmapped {
            let normalized = entry.path.replacingOccurrences(of: "\\", with: "/")
            guard let name = normalized.split(separator: "/").last else { continue }
            byName[name, default: []].append((entry.report, normalized))
        }
        var joins: [Join] = []
        for file in changed where file.status != .deleted && !file.added.isEmpty && evidence.files[file.path] == nil {
            let segments = file.path.string.split(separator: "/")
            guard let name = segments.last, let candidates = byName[name] else { continue }
            // The longest shared tail of segments wins: click/core.py over core.py alone.
            func shared(_ path: String) -> Int {
                zip(path.split(separator: "/").reversed(), segments.reversed()).prefix { $0 == $1 }.count
            }
            guard let best = candidates.max(by: { shared($0.path) < shared($1.path) }) else { continue }
            let tail = shared(best.path)
            let reportSegments = best.path.split(separator: "/", omittingEmptySubsequences: false)
            let from = reportSegments.dropLast(tail).joined(separator: "/") + "/"
            let to = segments.dropLast(tail).joined(separator: "/")
            joins.append(Join(file: file.path, report: best.report, reportPath: best.path, from: from, to: to.isEmpty ? "" : to + "/"))
        }

        var details: [String] = []
        var status: GateStatus = .pass
        var headline: String?
        for join in joins.prefix(10) {
            details.append(
                "\(PathQuoting.quote(join.file)) adds lines but no report measures it; \(join.report) has \(join.reportPath), which matches no file here. "
                    + "Join them with coverage.path_rewrites: [{from: \"\(join.from)\", to: \"\(join.to)\"}]")
        }
        if joins.count > 10 { details.append("... and \(joins.count - 10) more changed files measured under another path") }
        if !joins.isEmpty {
            status = .fail
            headline = "\(joins.count) changed file\(joins.count == 1 ? " is" : "s are") measured under another path, so \(joins.count == 1 ? "its" : "their") lines would be left out of the figures: add the coverage.path_rewrites entry below."
        }

        let unexpected = evidence.unmapped.filter { !isExpected($0.path) }
        if settings.unmapped != .ignore, !unexpected.isEmpty {
            for (report, path) in unexpected.prefix(10) {
                details.append("\(report): \(path) matches no file of this repository (add a coverage.path_rewrites entry, or list it in coverage.expected_outside)")
            }
            if unexpected.count > 10 { details.append("... and \(unexpected.count - 10) more paths that match no file") }
            if settings.unmapped == .fail {
                status = .fail
                headline = headline ?? "\(unexpected.count) report path\(unexpected.count == 1 ? "" : "s") match\(unexpected.count == 1 ? "es" : "") no file of this repository (coverage.unmapped: fail)."
            } else if status == .pass {
                status = .warn
            }
        }
        if settings.unmapped != .ignore, !evidence.untracked.isEmpty {
            for (report, path) in evidence.untracked.prefix(10) {
                details.append("\(report): \(path) is in the work tree but not tracked by git, so no change of it is judged")
            }
            if evidence.untrackedCount > 10 { details.append("... and \(evidence.untrackedCount - 10) more untracked paths") }
        }
        return Judgment(status: status, headline: headline, details: details, joins: joins)
    }
}
