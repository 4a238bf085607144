import Foundation
import GatehouseCore
import GatehouseGit
import GatehouseSize

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
            snapshot = try repository.workTreeSnapshot { excluded.contains($0) || EvidenceFreshness.neverMeasured($0) }
            snapshots[excluded] = snapshot
        }
        return EvidenceFreshness.staleReason(evidence: shown(oldest.0), kind: kind, written: oldest.1, snapshot: snapshot, target: target)
    }
}

/// Runs the registered gates on a change: what `gatehouse check` and the pre-push hook share.
/// The gates live in Core (`GateRegistry`); this reads their evidence through GatehouseGit and
/// GatehouseSize.
enum GateRunner {
    /// The gates of `rules.config` on `change`, after the notes on where the rules came from and
    /// what the change does to them.
    static func run(repository: Repository, rules: JudgingRules, change: ChangeSet, inputs: GateInputs) throws(GatehouseError) -> [GateResult] {
        let config = rules.config
        func wanted(_ group: GateGroup) -> Bool { inputs.groups?.contains(group) ?? true }
        let source = RepositoryEvidence(repository: repository, rules: rules, change: change, inputs: inputs)
        let root = source.root
        // Reports named on the command line must exist; configured ones follow missing_report.
        var run = GateRun(change: change, config: config, source: source)
        if wanted(.coverage) {
            run.coverageReports = try reports(inputs.coverageReports, option: "--coverage", configured: config.coverage.reports, root: root)
        }
        if wanted(.lint) {
            run.lintReports = try reports(inputs.lintReports, option: "--lint", configured: config.lint.reports, root: root)
        }
        if wanted(.size), inputs.freshness != nil, inputs.evidenceUnavailable == nil {
            run.sizeFiles = try SizeGate.budgetFiles(config.size, root: root)
        }
        run.sizeBaseline = inputs.sizeBaseline
        run.missingIsSkip = inputs.missingIsSkip
        run.evidenceUnavailable = inputs.evidenceUnavailable
        run.staleFails = inputs.freshness?.staleFails ?? false
        // Each report and build file is evidence, not code it measured.
        source.evidenceFiles = run.coverageReports.found + run.lintReports.found + Array(run.sizeFiles.joined())
        return rules.notices(change: change) + (try GateRegistry.evaluate(run, groups: inputs.groups))
    }

    /// Report files: those named with `option` (which must exist), else the configured globs.
    private static func reports(_ named: [String], option: String, configured: [String], root: String) throws(GatehouseError) -> ReportFiles {
        guard !named.isEmpty else {
            let (found, missing) = try ReportFinder.expand(configured, root: root)
            return ReportFiles(found: found, missing: missing)
        }
        for path in named where !FileManager.default.fileExists(atPath: path) {
            throw GatehouseError(.unreadableFile, "cannot read the report \(path). Check the path given to \(option).")
        }
        return ReportFiles(found: named)
    }
}

/// The gates' evidence from a repository: its files through libgit2, the work tree's state for
/// freshness, and sizes through GatehouseSize. Each is read at most once per run.
final class RepositoryEvidence: EvidenceSource {
    private let repository: Repository
    private let rules: JudgingRules
    private let change: ChangeSet
    private let inputs: GateInputs
    /// Every report and build file of the run, which freshness does not count as code.
    var evidenceFiles: [String] = []
    /// The work tree (or, bare, the current folder), ending in `/`.
    let root: String
    private var trackedCache: (revision: String, files: [RepoPath])?
    private var mapperCache: PathMapper?

    init(repository: Repository, rules: JudgingRules, change: ChangeSet, inputs: GateInputs) {
        self.repository = repository
        self.rules = rules
        self.change = change
        self.inputs = inputs
        self.root = repository.workdir ?? FileManager.default.currentDirectoryPath + "/"
    }

    var workTree: String? { repository.workdir }

    func shown(_ file: String) -> String { file.hasPrefix(root) ? String(file.dropFirst(root.count)) : file }

    var trackedRevision: String? { change.head ?? repository.commitSHA("HEAD") }

    func trackedFiles(at revision: String) throws(GatehouseError) -> [RepoPath] {
        if let trackedCache, trackedCache.revision == revision { return trackedCache.files }
        let files = try repository.trackedFiles(at: revision)
        trackedCache = (revision, files)
        return files
    }

    // The coverage and lint gates map report paths onto the files at head, and the rules check
    // judges the rules against them: that tree is listed once.
    func pathMapper() throws(GatehouseError) -> PathMapper {
        if let mapperCache { return mapperCache }
        let head = change.head ?? repository.commitSHA("HEAD") ?? "HEAD"
        let files = try repository.repositoryFiles(at: head) { () throws(GatehouseError) -> [RepoPath] in try self.trackedFiles(at: head) }
        let made = PathMapper(files: files, root: repository.workdir, rewrites: rules.config.coverage.pathRewrites)
        mapperCache = made
        return made
    }

    func checkListing() throws(GatehouseError) {
        if let failure = mapperCache?.files.listingFailure {
            throw failure as? GatehouseError ?? GatehouseError(.git, "cannot list the files of the change's head: \(failure)")
        }
    }

    var judgesFreshness: Bool { inputs.freshness != nil }

    func staleReason(kind: String, files: [String]) throws(GatehouseError) -> String? {
        try inputs.freshness?.staleReason(kind: kind, files: files, evidence: evidenceFiles, shown: shown)
    }

    func measure(_ budgets: [SizeSettings.Budget]) throws(GatehouseError) -> [BudgetMeasurement] {
        try SizeMeasurer.measure(budgets, root: root)
    }

    var ownRulesWords: String? {
        switch rules.own {
        case nil: nil
        case .commit: inputs.rulesFromHead ? "the pushed commit" : "the change's head"
        case .index: "the index"
        case .workTree: "the work tree"
        }
    }

    func ownRulesFile(_ path: String) throws(GatehouseError) -> [UInt8]? {
        guard let place = rules.own else { return nil }
        return try JudgingRules.read(path, at: place, repository: repository)
    }

    func isUnchangedAtBase(_ path: String, _ bytes: [UInt8]) -> Bool {
        guard let base = change.mergeBase ?? change.base else { return false }
        return (try? repository.fileContents(path, at: base)) == bytes
    }
}
