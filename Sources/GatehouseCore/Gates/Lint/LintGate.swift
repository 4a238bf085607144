/// A finding the lint gate kept is a `Finding` whose location is where the report put it and
/// whose `path` is that file in the repository, when it maps onto one.
extension Finding {
    /// The repository path when known (quoted as git does), else the report's.
    public var shownPath: String { path.map { PathQuoting.quote($0) } ?? reportPath }
}

public enum LintGate: Gate {
    public static let group = GateGroup.lint

    public static func evaluate(_ run: GateRun) throws(GatehouseError) -> [GateResult] {
        let reports = run.lintReports
        guard !reports.found.isEmpty || !reports.missing.isEmpty else { return [] }
        if let gate = try run.notJudged(.lint, kind: "lint report", reports: reports) { return [gate] }
        let lint = try reports.found.map { file throws(GatehouseError) in try LintReader.read(path: file, displayPath: run.source.shown(file)) }
        return [evaluate(
            change: run.change, reports: lint, mapper: try run.source.pathMapper(), settings: run.config.lint,
            missing: reports.missing, missingPolicy: run.config.missingReport)]
    }

    public static func evaluate(
        change: ChangeSet, reports: [LintReport], mapper: PathMapper, settings: LintSettings, missing: [String] = [],
        missingPolicy: GatehouseConfig.MissingReport = .fail
    ) -> GateResult {
        var changed: [RepoPath: ChangedFile] = [:]
        for file in change.files where file.status != .deleted { changed[file.path] = file }
        var kept: [Finding] = []
        var total = 0
        var mappedPaths: [String: PathMapper.Result] = [:]
        for report in reports {
            for finding in report.findings {
                total += 1
                let mapped: PathMapper.Result
                let reportPath = finding.reportPath
                if let known = mappedPaths[reportPath] {
                    mapped = known
                } else {
                    mapped = reportPath.isEmpty ? .unmapped : mapper.map(reportPath)
                    mappedPaths[reportPath] = mapped
                }
                var path: RepoPath?
                if case .mapped(let repoPath) = mapped { path = repoPath }
                guard keeps(finding, path: path, changed: changed, scope: settings.scope) else { continue }
                var found = finding
                found.path = path
                kept.append(found)
            }
        }
        kept.sort { ($0.shownPath, $0.line ?? 0, $0.rule ?? "") < ($1.shownPath, $1.line ?? 0, $1.rule ?? "") }

        let threshold: Severity? = switch settings.failOn {
        case .error: .error
        case .warning: .warning
        case .note: .note
        case .never: nil
        }
        let failing = threshold.map { level in kept.filter { $0.severity >= level }.count } ?? 0
        let where_ = switch settings.scope {
        case .added: "on lines this change added"
        case .context: "on lines this change shows (3 lines of context)"
        case .files: "in files this change touches"
        case .all: "in the whole repository"
        }
        let bySeverity = [Severity.error, .warning, .note].compactMap { severity -> String? in
            let count = kept.filter { $0.severity == severity }.count
            return count == 0 ? nil : "\(count) \(severity.rawValue)\(count == 1 ? "" : "s")"
        }
        var message = kept.isEmpty ? "no finding \(where_)" : "\(kept.count) finding\(kept.count == 1 ? "" : "s") \(where_) (\(bySeverity.joined(separator: ", ")))"
        if total > kept.count { message += "; \(total - kept.count) elsewhere not counted" }
        message += "; lint.fail_on: \(settings.failOn.rawValue)."
        var status: GateStatus = failing > 0 ? .fail : .pass
        var details: [String] = []
        if !missing.isEmpty {
            // The cause is the headline, in every format: "no finding" from a report that was
            // never written would read as a clean result.
            details.append((reports.isEmpty ? "nothing was read, so " : "from the reports that were read: ") + message)
            message = "no file matches the configured lint report\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")): did the linter run? (missing_report: \(missingPolicy.rawValue))"
            if missingPolicy == .fail { status = .fail } else if status == .pass { status = .warn }
        }
        var result = GateResult(
            id: .lint, status: status, actual: Double(failing), threshold: nil, message: message,
            details: .lint(LintOutcome(kept: kept, dropped: total - kept.count)), notes: details)
        result.failsForAnotherCause = !missing.isEmpty
        return result
    }

    /// reviewdog's filters: a finding spanning several lines counts if any of its lines does.
    static func keeps(_ finding: Finding, path: RepoPath?, changed: [RepoPath: ChangedFile], scope: LintSettings.Scope) -> Bool {
        if scope == .all { return true }
        guard let path, let file = changed[path] else { return false }
        if scope == .files { return true }
        guard let start = finding.line else { return false }
        let lines = scope == .added ? file.added : file.context
        let end = Swift.max(start, finding.endLine ?? start)
        return lines.ranges.contains { $0.overlaps(start...end) }
    }
}
