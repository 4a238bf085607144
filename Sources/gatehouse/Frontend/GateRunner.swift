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
    /// Evidence written from the work tree (reports, measured build output) must have measured
    /// exactly this (EvidenceFreshness); nil judges no freshness, as in CI's clean checkout.
    var freshness: Freshness?
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

/// How a run judges whether its evidence measured the change: against what, what a stale report
/// does, and the work tree's state, read once per process (the hook checks several refs).
final class Freshness {
    let target: EvidenceFreshness.Target
    /// `hook.stale: fail`: a stale report fails its gate instead of skipping it.
    let staleFails: Bool
    private let repository: Repository
    private var snapshots: [Set<RepoPath>: WorkTreeSnapshot] = [:]

    init(repository: Repository, target: EvidenceFreshness.Target, staleFails: Bool) {
        self.repository = repository
        self.target = target
        self.staleFails = staleFails
    }

    /// Why the oldest of `files` cannot judge the change, or nil. `evidence` are every report
    /// and build file of the run: they are not the code they measured.
    func staleReason(kind: String, files: [String], evidence: [String], shown: (String) -> String) throws(GatehouseError) -> String? {
        let timed = files.compactMap { file in FileTime.ofFile(file).map { (file, $0) } }
        guard let oldest = timed.min(by: { $0.1 < $1.1 }) else { return nil }
        let root = repository.workdir ?? ""
        let excluded = Set(evidence.compactMap { $0.hasPrefix(root) ? RepoPath(String($0.dropFirst(root.count))) : nil })
        let snapshot: WorkTreeSnapshot
        if let cached = snapshots[excluded] {
            snapshot = cached
        } else {
            snapshot = try repository.workTreeSnapshot { excluded.contains($0) || EvidenceFreshness.isTestRunOutput($0) }
            snapshots[excluded] = snapshot
        }
        return EvidenceFreshness.staleReason(evidence: shown(oldest.0), kind: kind, written: oldest.1, snapshot: snapshot, target: target)
    }
}

/// Runs every configured gate on a change: what `gatehouse check` and the pre-push hook share.
enum GateRunner {
    /// The gates of `rules.config` on `change`, after the notes on where the rules came from and
    /// what the change does to them.
    static func run(repository: Repository, rules: JudgingRules, change: ChangeSet, inputs: GateInputs) throws(GatehouseError) -> [GateResult] {
        let config = rules.config
        var gates: [GateResult] = rules.notices(change: change)
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

        let none: (found: [String], missing: [String]) = ([], [])
        let coverageReports = wanted(.coverage)
            ? try reports(inputs.coverageReports, option: "--coverage", configured: config.coverage.reports, root: root) : none
        let lintReports = wanted(.lint) ? try reports(inputs.lintReports, option: "--lint", configured: config.lint.reports, root: root) : none
        let sizeFiles = wanted(.size) && inputs.freshness != nil && inputs.evidenceUnavailable == nil
            ? Array(try budgetFiles(config, root: root).joined()) : []
        // Each report and build file is evidence, not code it measured.
        let evidence = coverageReports.found + lintReports.found + sizeFiles
        func notJudged(_ id: String, kind: String, found: [String], missing: [String]) throws(GatehouseError) -> GateResult? {
            if let reason = try skipReason(kind: kind, found: found, missing: missing, evidence: evidence, inputs: inputs, shown: shown) {
                return GateResult(id: id, status: reason.fails ? .fail : .skip, message: reason.message)
            }
            return nil
        }

        if wanted(.coverage) {
            let (reportFiles, missing) = coverageReports
            if !reportFiles.isEmpty || config.coverage.hasThresholds {
                if let reason = inputs.evidenceUnavailable {
                    gates.append(GateResult(id: "coverage.reports", status: .skip, message: reason))
                } else if let gate = try notJudged("coverage.reports", kind: "coverage report", found: reportFiles, missing: missing) {
                    gates.append(gate)
                } else {
                    let mapper = try mapper()
                    // One report at a time, each file's lines merged into the evidence as they are read.
                    var evidence = CoverageEvidence()
                    for file in reportFiles {
                        try CoverageReader.read(path: file, displayPath: shown(file), into: &evidence, mapper: mapper)
                    }
                    gates.append(reportsGate(evidence, missing: missing, policy: config.missingReport, change: change, settings: config.coverage))
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
            let (lintFiles, lintMissing) = lintReports
            if !lintFiles.isEmpty || !lintMissing.isEmpty {
                if let reason = inputs.evidenceUnavailable {
                    gates.append(GateResult(id: "lint", status: .skip, message: reason))
                } else if let gate = try notJudged("lint", kind: "lint report", found: lintFiles, missing: lintMissing) {
                    gates.append(gate)
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
                    if let freshness = inputs.freshness,
                       let stale = try freshness.staleReason(kind: "size budget file", files: sizeFiles, evidence: evidence, shown: shown) {
                        gates.append(GateResult(id: "size", status: freshness.staleFails ? .fail : .skip, message: stale))
                    } else {
                        gates.append(try sizeGate(config: config, workdir: workdir, inputs: inputs))
                    }
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
                repository: repository, judging: rules, config: config, change: change, fromHead: inputs.rulesFromHead, tracked: tracked))
        }
        return gates
    }

    /// The size gate. Freshness is judged before anything is compressed (brotli at quality 11 is
    /// slow, and stale output would be thrown away). For the hook a budget matching no file and a
    /// missing baseline are notes rather than failures: the build output and baseline come in CI.
    private static func sizeGate(
        config: GatehouseConfig, workdir: String, inputs: GateInputs
    ) throws(GatehouseError) -> GateResult {
        if inputs.missingIsSkip, try budgetFiles(config, root: workdir).contains(where: \.isEmpty) {
            return GateResult(id: "size", status: .skip, message: "a size budget matches no file (no build output yet); CI runs this gate.")
        }
        return try SizeEvaluation.run(
            config: config, root: workdir, baselineOverride: inputs.sizeBaseline, missingBaselineIsNote: inputs.missingIsSkip).0
    }

    /// The files each size budget's globs match (an error when one resolves outside the repository).
    private static func budgetFiles(_ config: GatehouseConfig, root: String) throws(GatehouseError) -> [[String]] {
        var files: [[String]] = []
        for budget in config.size.budgets { files.append(try ReportFinder.expand(budget.files, root: root).found) }
        return files
    }

    /// Why a report-driven gate is not run: its report did not measure the change (stale; a
    /// failure under `hook.stale: fail`), or, for the hook, it was not written yet.
    private static func skipReason(
        kind: String, found: [String], missing: [String], evidence: [String], inputs: GateInputs, shown: (String) -> String
    ) throws(GatehouseError) -> (message: String, fails: Bool)? {
        if let freshness = inputs.freshness, let stale = try freshness.staleReason(kind: kind, files: found, evidence: evidence, shown: shown) {
            return (stale, freshness.staleFails)
        }
        if inputs.missingIsSkip, found.isEmpty || !missing.isEmpty {
            return ("no \(kind) yet (\(missing.joined(separator: ", "))); CI runs this gate.", false)
        }
        return nil
    }

    /// Report files: those named with `option` (which must exist), else the configured globs.
    private static func reports(
        _ named: [String], option: String, configured: [String], root: String
    ) throws(GatehouseError) -> (found: [String], missing: [String]) {
        guard !named.isEmpty else { return try ReportFinder.expand(configured, root: root) }
        for path in named where !FileManager.default.fileExists(atPath: path) {
            throw GatehouseError(.unreadableFile, "cannot read the report \(path). Check the path given to \(option).")
        }
        return (named, [])
    }

    private static func reportsGate(
        _ evidence: CoverageEvidence, missing: [String], policy: GatehouseConfig.MissingReport, change: ChangeSet, settings: CoverageSettings
    ) -> GateResult {
        var details: [String] = []
        for (report, format, count) in evidence.reports {
            details.append("\(report): \(format.rawValue), \(evidence.mappedCount[report] ?? 0) of \(count) files mapped to this repository")
        }
        // A changed file measured under another path, and every unmapped path, in every mode.
        let mapping = CoverageMapping.judge(evidence, changed: change.files, settings: settings)
        details += mapping.details
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
        let noneMapped = evidence.reports.contains(where: { evidence.mappedCount[$0.file] ?? 0 == 0 && $0.files > 0 })
        var status: GateStatus = noneMapped ? .warn : .pass
        if mapping.status == .fail || (mapping.status == .warn && status == .pass) { status = mapping.status }
        let count = evidence.reports.count
        var message = count == 0 ? "no coverage report was given." : "\(count) report\(count == 1 ? "" : "s") read\(noneMapped ? "; a report matches no file of this repository" : "")."
        if let headline = mapping.headline { message = headline }
        else if mapping.status == .warn && !noneMapped { message = "\(count) report\(count == 1 ? "" : "s") read; some paths match no file of this repository (listed below)." }
        var result = GateResult(id: "coverage.reports", status: status, message: message, details: details)
        result.failsForAnotherCause = mapping.headline != nil
        return result
    }

    private static func ownershipGate(
        repository: Repository, judging: JudgingRules, config: GatehouseConfig, change: ChangeSet, fromHead: Bool,
        tracked: (String) throws(GatehouseError) -> [RepoPath]
    ) throws(GatehouseError) -> GateResult {
        let rules: OwnershipRules
        var source: [UInt8]?
        // The rules as the change leaves them: what will judge once it is merged.
        guard let place = judging.own else {
            return GateResult(id: "owners.rules", status: .skip, message: "no head or work tree to read the change's rules from.")
        }
        guard let trackedAt = change.head ?? repository.commitSHA("HEAD") else {
            return GateResult(id: "owners.rules", status: .skip, message: "no commit yet, so no tracked file to check the rules against.")
        }
        do {
            let words = switch place {
            case .commit: fromHead ? "the pushed commit" : "the change's head"
            case .index: "the index"
            case .workTree: "the work tree"
            }
            rules = try RulesLocator.loadRules(configuredFile: config.owners.file, dialect: config.owners.dialect, source: words) {
                path throws(GatehouseError) in
                let bytes = try JudgingRules.read(path, at: place, repository: repository)
                source = bytes
                return bytes
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
            problem.line.map { "\(file.path):\($0):\(problem.location?.column ?? 0): \(problem.message)" } ?? "\(file.path): \(problem.message)"
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
