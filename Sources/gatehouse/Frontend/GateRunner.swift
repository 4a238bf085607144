import Foundation
import GatehouseCore
import GatehouseGit

/// The gates a run may choose from, as `hook.gates` names them.
enum GateGroup: String, CaseIterable, Sendable {
    case coverage, lint, size, owners
}

/// What a run of the gates takes beyond the change and the configuration.
struct GateInputs {
    /// `--coverage`: replaces coverage.reports, and each must exist.
    var coverageReports: [String] = []
    /// `--lint`: replaces lint.reports, and each must exist.
    var lintReports: [String] = []
    /// `--size-baseline`: replaces size.baseline, and must exist.
    var sizeBaseline: String?
    /// For the pre-push hook: evidence (reports, measured build output) last written before this
    /// moment describes older code, so its gates are skipped as stale rather than trusted.
    var freshAfter: Date?
    /// For the pre-push hook: a gate whose report is missing is skipped, not failed; the push is
    /// about the commits, and CI still runs every gate.
    var missingIsSkip = false
    /// The gate groups to run; nil runs every configured one.
    var groups: Set<GateGroup>?
    /// For the pre-push hook: why the work tree's reports and build output cannot speak for the
    /// pushed commit (it is not the one checked out); their gates are skipped with this reason.
    var evidenceUnavailable: String?
    /// For the pre-push hook: read the ownership rules and tracked files from the pushed commit,
    /// not the work tree, so each ref is judged by its own rules.
    var rulesFromHead = false
}

/// Runs every configured gate on a change: what `gatehouse check` and the pre-push hook share.
enum GateRunner {
    static func run(repository: Repository, config: GatehouseConfig, change: ChangeSet, inputs: GateInputs) throws(GatehouseError) -> [GateResult] {
        var gates: [GateResult] = []
        func wanted(_ group: GateGroup) -> Bool { inputs.groups?.contains(group) ?? true }
        // Reports named on the command line must exist; configured ones follow missing_report.
        let root = repository.workdir ?? FileManager.default.currentDirectoryPath + "/"
        func shown(_ file: String) -> String { file.hasPrefix(root) ? String(file.dropFirst(root.count)) : file }
        // The coverage and lint gates map report paths onto the files at head, and the rules check
        // judges the rules against them: list that tree once.
        var trackedCache: (revision: String, files: [RepoPath])?
        func tracked(at revision: String) throws(GatehouseError) -> [RepoPath] {
            if let trackedCache, trackedCache.revision == revision { return trackedCache.files }
            let files = try repository.trackedFiles(at: revision)
            trackedCache = (revision, files)
            return files
        }
        var mapperCache: PathMapper?
        func mapper() throws(GatehouseError) -> PathMapper {
            if let mapperCache { return mapperCache }
            let head = change.head ?? repository.commitSHA("HEAD") ?? "HEAD"
            let files = try repository.repositoryFiles(at: head) { () throws(GatehouseError) -> [RepoPath] in try tracked(at: head) }
            let made = PathMapper(files: files, root: repository.workdir, rewrites: config.coverage.pathRewrites)
            mapperCache = made
            return made
        }

        if wanted(.coverage) {
            let (reportFiles, missing) = try reports(inputs.coverageReports, option: "--coverage", configured: config.coverage.reports, root: root)
            if !reportFiles.isEmpty || config.coverage.hasThresholds {
                if let reason = inputs.evidenceUnavailable {
                    gates.append(GateResult(id: "coverage.reports", status: .skip, message: reason))
                } else if let skip = skipReason(kind: "coverage", found: reportFiles, missing: missing, inputs: inputs, shown: shown) {
                    gates.append(GateResult(id: "coverage.reports", status: .skip, message: skip))
                } else {
                    let mapper = try mapper()
                    // One report at a time, each file's lines merged into the evidence as they are read.
                    var evidence = CoverageEvidence()
                    for file in reportFiles {
                        try CoverageReader.read(path: file, displayPath: shown(file), into: &evidence, mapper: mapper)
                    }
                    gates.append(reportsGate(evidence, missing: missing, policy: config.missingReport))
                    if evidence.reports.isEmpty {
                        // With nothing read, every line would pass as "not measured": say so instead.
                        gates.append(GateResult(
                            id: "coverage.changed_lines", status: .skip,
                            message: "no coverage report was read, so the change's lines cannot be judged."))
                    } else {
                        gates += CoverageGates.evaluate(change: change, evidence: evidence, settings: config.coverage)
                    }
                }
            }
        }

        if wanted(.lint) {
            let (lintFiles, lintMissing) = try reports(inputs.lintReports, option: "--lint", configured: config.lint.reports, root: root)
            if !lintFiles.isEmpty || !lintMissing.isEmpty {
                if let reason = inputs.evidenceUnavailable {
                    gates.append(GateResult(id: "lint", status: .skip, message: reason))
                } else if let skip = skipReason(kind: "lint", found: lintFiles, missing: lintMissing, inputs: inputs, shown: shown) {
                    gates.append(GateResult(id: "lint", status: .skip, message: skip))
                } else {
                    let lint = try lintFiles.map { file throws(GatehouseError) in try LintReader.read(path: file, displayPath: shown(file)) }
                    gates.append(LintGate.evaluate(
                        change: change, reports: lint, mapper: try mapper(), settings: config.lint,
                        missing: lintMissing, missingPolicy: config.missingReport))
                }
            }
        }

        if wanted(.size) {
            if !config.size.budgets.isEmpty {
                // Budgets measure what the build wrote into the work tree, so they need one.
                if let reason = inputs.evidenceUnavailable {
                    gates.append(GateResult(id: "size", status: .skip, message: reason))
                } else if let workdir = repository.workdir {
                    gates.append(try sizeGate(config: config, workdir: workdir, inputs: inputs, shown: shown))
                } else {
                    gates.append(GateResult(id: "size", status: .skip, message: "a bare repository has no work tree with build output to measure."))
                }
            } else if inputs.sizeBaseline != nil {
                throw GatehouseError(
                    .invalidArgument,
                    "--size-baseline was given but no size budget is configured. Add size.budgets to \(config.file ?? GatehouseConfig.defaultPath).")
            }
        }

        if let failure = mapperCache?.files.listingFailure {
            throw failure as? GatehouseError ?? GatehouseError(.git, "cannot list the files of the change's head: \(failure)")
        }

        if wanted(.owners) {
            gates.append(try ownershipGate(
                repository: repository, config: config, change: change, fromHead: inputs.rulesFromHead, tracked: tracked))
        }
        return gates
    }

    /// The size gate. For the hook, the matched files' ages are checked before anything is
    /// compressed (brotli at quality 11 is slow, and stale output would be thrown away), and a
    /// missing baseline is a note rather than a failure: it is written in CI.
    private static func sizeGate(
        config: GatehouseConfig, workdir: String, inputs: GateInputs, shown: (String) -> String
    ) throws(GatehouseError) -> GateResult {
        if let freshAfter = inputs.freshAfter {
            let matched = config.size.budgets.map { ReportFinder.expand($0.files, root: workdir).found }
            if let stale = matched.joined().first(where: { modified($0).map { $0 < freshAfter } ?? false }) {
                return GateResult(
                    id: "size", status: .skip,
                    message: "stale: size budget file \(shown(stale)) is older than the pushed commits; build, then push to have it checked.")
            }
            if inputs.missingIsSkip, matched.contains(where: \.isEmpty) {
                return GateResult(id: "size", status: .skip, message: "a size budget matches no file (no build output yet); CI runs this gate.")
            }
        }
        return try SizeEvaluation.run(
            config: config, root: workdir, baselineOverride: inputs.sizeBaseline, missingBaselineIsNote: inputs.missingIsSkip).0
    }

    /// The modification time of a file, if it has one.
    static func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    /// Why the pre-push hook does not run a report-driven gate: a report older than the pushed
    /// commits was written for other code, and a missing one was not written yet.
    private static func skipReason(
        kind: String, found: [String], missing: [String], inputs: GateInputs, shown: (String) -> String
    ) -> String? {
        if let freshAfter = inputs.freshAfter, let stale = found.first(where: { modified($0).map { $0 < freshAfter } ?? false }) {
            return "stale: \(kind) report \(shown(stale)) is older than the pushed commits; run the step that writes it, then push to have it checked."
        }
        if inputs.missingIsSkip, found.isEmpty || !missing.isEmpty {
            return "no \(kind) report yet (\(missing.joined(separator: ", "))); CI runs this gate."
        }
        return nil
    }

    /// Report files: those named with `option` (which must exist), else the configured globs.
    private static func reports(
        _ named: [String], option: String, configured: [String], root: String
    ) throws(GatehouseError) -> (found: [String], missing: [String]) {
        guard !named.isEmpty else { return ReportFinder.expand(configured, root: root) }
        for path in named where !FileManager.default.fileExists(atPath: path) {
            throw GatehouseError(.unreadableFile, "cannot read the report \(path). Check the path given to \(option).")
        }
        return (named, [])
    }

    private static func reportsGate(_ evidence: CoverageEvidence, missing: [String], policy: GatehouseConfig.MissingReport) -> GateResult {
        var details: [String] = []
        for (report, format, count) in evidence.reports {
            details.append("\(report): \(format.rawValue), \(evidence.mappedCount[report] ?? 0) of \(count) files mapped to this repository")
        }
        let unmapped = evidence.unmapped
        for (report, path) in unmapped.prefix(10) {
            details.append("\(report): \(path) matches no file of this repository (add a coverage.path_rewrites entry)")
        }
        if unmapped.count > 10 { details.append("... and \(unmapped.count - 10) more paths that match no file") }
        for (report, path, candidates) in evidence.ambiguous.prefix(10) {
            details.append("\(report): \(path) could be any of \(candidates.prefix(3).map(\.string).joined(separator: ", ")); add a coverage.path_rewrites entry")
        }
        if !missing.isEmpty {
            let status: GateStatus = policy == .fail ? .fail : .warn
            return GateResult(
                id: "coverage.reports", status: status,
                message: "no file matches the configured report\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")): did the step that writes \(missing.count == 1 ? "it" : "them") run? (missing_report: \(policy.rawValue))",
                details: details)
        }
        let status: GateStatus = evidence.reports.contains(where: { evidence.mappedCount[$0.file] ?? 0 == 0 && $0.files > 0 }) ? .warn : .pass
        let count = evidence.reports.count
        return GateResult(
            id: "coverage.reports", status: status,
            message: count == 0 ? "no coverage report was given." : "\(count) report\(count == 1 ? "" : "s") read\(status == .warn ? "; a report matches no file of this repository" : "").",
            details: details)
    }

    private static func ownershipGate(
        repository: Repository, config: GatehouseConfig, change: ChangeSet, fromHead: Bool,
        tracked: (String) throws(GatehouseError) -> [RepoPath]
    ) throws(GatehouseError) -> GateResult {
        let rules: OwnershipRules
        let trackedAt: String
        var source: [UInt8]?
        do {
            if fromHead, let head = change.head {
                // The pushed commit's own rules, as GitHub will read them once it lands.
                trackedAt = head
                rules = try RulesLocator.loadRules(configuredFile: config.owners.file, dialect: config.owners.dialect, source: "the pushed commit") {
                    path throws(GatehouseError) in
                    let bytes = try repository.fileContents(path, at: head)
                    source = bytes
                    return bytes
                }
            } else {
                guard let root = repository.workdir else {
                    return GateResult(id: "owners.rules", status: .skip, message: "a bare repository has no work tree rules to check.")
                }
                guard let head = change.head ?? repository.commitSHA("HEAD") else {
                    return GateResult(id: "owners.rules", status: .skip, message: "no commit yet, so no tracked file to check the rules against.")
                }
                trackedAt = head
                rules = try RulesLocator.loadRules(configuredFile: config.owners.file, dialect: config.owners.dialect, source: "the work tree") { path in
                    let bytes = FileManager.default.contents(atPath: root + path).map(Array.init)
                    source = bytes
                    return bytes
                }
            }
        } catch where error.kind == .noRules {
            return GateResult(id: "owners.rules", status: .skip, message: "no CODEOWNERS file, so there are no ownership rules to check.")
        }
        let file = rules.file
        // A change that leaves the rules as its base has them cannot have made the tree-wide
        // findings (patterns matching nothing, rules that never decide) worse than a warning, and
        // the files it does not touch were judged before: so it is judged on the rules file and
        // its own files, at the cost of the change rather than of the tree.
        let base = change.mergeBase ?? change.base
        let rulesUnchanged = source != nil && base.map { (try? repository.fileContents(file.path, at: $0)) == source } == true
        let changed = change.files.filter { $0.status != .deleted }.map(\.path)
        // The text lets problems point at the owner itself (a placeholder from gatehouse init).
        let problems = rulesUnchanged
            ? RulesCheck.problems(rules, changedPaths: changed, requireAll: config.owners.requireAll, source: source)
            : RulesCheck.problems(rules, trackedFiles: try tracked(trackedAt), requireAll: config.owners.requireAll, source: source)
        let errors = problems.filter { $0.severity == .error }
        let warnings = problems.count - errors.count
        let details = errors.prefix(20).map { problem in
            problem.line > 0 ? "\(file.path):\(problem.line):\(problem.column): \(problem.message)" : "\(file.path): \(problem.message)"
        }
        let counts = "\(errors.count) error\(errors.count == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
        let scope = rulesUnchanged
            ? "in the rules and the change's \(changed.count) file\(changed.count == 1 ? "" : "s") (the rules are unchanged; gatehouse rules check judges every file)"
            : "(gatehouse rules check shows them all)"
        return GateResult(
            id: "owners.rules", status: errors.isEmpty ? .pass : .fail,
            message: "\(file.path): \(counts) \(scope).",
            details: Array(details))
    }
}
