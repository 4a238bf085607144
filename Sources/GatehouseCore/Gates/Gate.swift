/// A gate: one unit that judges a change on one kind of evidence, with its settings (a key of
/// the configuration), its evaluation and its ids (titles in `GateID`). Adding a gate is a
/// folder under Gates/ with a type conforming to this, and one line in `GateRegistry.all`.
public protocol Gate {
    /// The `hook.gates` name that selects it.
    static var group: GateGroup { get }
    /// Its results for `run`: none when it is not configured, a skipped result that says why
    /// when it cannot judge (a stale or missing report, no work tree).
    static func evaluate(_ run: GateRun) throws(GatehouseError) -> [GateResult]
}

/// Every gate, in the order their results are shown. `gatehouse check` and the pre-push hook
/// both run this list.
public enum GateRegistry {
    public static let all: [any Gate.Type] = [CoverageGate.self, LintGate.self, SizeGate.self, OwnersRulesGate.self]

    /// The gates of `groups` (nil: all) on `run`, in order.
    public static func evaluate(_ run: GateRun, groups: Set<GateGroup>?) throws(GatehouseError) -> [GateResult] {
        var results: [GateResult] = []
        for gate in all where groups?.contains(gate.group) ?? true {
            results += try gate.evaluate(run)
            // A listing of the head's files that failed part-way must not pass as a short list.
            try run.source.checkListing()
        }
        return results
    }
}

/// What the front end reads for the gates through GatehouseGit (git objects, the work tree's
/// state) and GatehouseSize (compressed sizes); Core never touches either. Asked lazily, so a
/// gate that does not run costs nothing.
public protocol EvidenceSource: AnyObject {
    /// The work tree's folder, ending in `/`; nil in a bare repository.
    var workTree: String? { get }
    /// A report or build file as messages name it (relative to the work tree when inside).
    func shown(_ file: String) -> String
    /// Maps report paths onto the files at the change's head (listed once).
    func pathMapper() throws(GatehouseError) -> PathMapper
    /// Throws when listing the head's files for the path mapper failed.
    func checkListing() throws(GatehouseError)
    /// The commit whose tracked files the rules are checked against: the change's head, else
    /// HEAD; nil before the first commit.
    var trackedRevision: String? { get }
    func trackedFiles(at revision: String) throws(GatehouseError) -> [RepoPath]
    /// Why the oldest of `files` did not measure the change (`kind`: "coverage report"); nil
    /// when it did, or when this run does not judge freshness (a clean checkout in CI).
    func staleReason(kind: String, files: [String]) throws(GatehouseError) -> String?
    /// Whether this run judges freshness at all.
    var judgesFreshness: Bool { get }
    /// Measures the size budgets in the work tree.
    func measure(_ budgets: [SizeSettings.Budget]) throws(GatehouseError) -> [BudgetMeasurement]
    /// Where the change's own rules are read from, in words ("the change's head"); nil when
    /// there is nowhere (no head and no work tree).
    var ownRulesWords: String? { get }
    /// A rules file as the change leaves it; nil when absent.
    func ownRulesFile(_ path: String) throws(GatehouseError) -> [UInt8]?
    /// Whether `path` holds exactly `bytes` at the change's merge base (false with no base).
    func isUnchangedAtBase(_ path: String, _ bytes: [UInt8]) -> Bool
}

/// The report files of one family: found, and the configured globs that matched nothing.
public struct ReportFiles: Sendable, Hashable {
    public var found: [String]
    public var missing: [String]

    public init(found: [String] = [], missing: [String] = []) {
        self.found = found
        self.missing = missing
    }
}

/// One run of the gates: the change, the configuration that judges it, and its evidence.
public struct GateRun {
    public var change: ChangeSet
    public var config: GatehouseConfig
    public var source: any EvidenceSource
    public var coverageReports = ReportFiles()
    public var lintReports = ReportFiles()
    /// Each size budget's files, when freshness is judged (they are evidence, not code).
    public var sizeFiles: [[String]] = []
    /// `--size-baseline`: replaces size.baseline, and must exist.
    public var sizeBaseline: String?
    /// For the pre-push hook: a gate whose report is missing is skipped, not failed; the push is
    /// about the commits, and CI still runs every gate.
    public var missingIsSkip = false
    /// For the pre-push hook: why the work tree's reports and build output cannot speak for the
    /// pushed commit (it is not the one checked out); their gates are skipped with this reason.
    public var evidenceUnavailable: String?
    /// `hook.stale: fail`: a stale report fails its gate instead of skipping it.
    public var staleFails = false

    public init(change: ChangeSet, config: GatehouseConfig, source: any EvidenceSource) {
        self.change = change
        self.config = config
        self.source = source
    }

    /// Why a report-driven gate does not run: the work tree's evidence is not the change's, its
    /// report did not measure the change (stale; a failure under `hook.stale: fail`), or, for
    /// the hook, it was not written yet. Nil when it runs.
    public func notJudged(_ id: GateID, kind: String, reports: ReportFiles) throws(GatehouseError) -> GateResult? {
        if let evidenceUnavailable { return .skipped(id, evidenceUnavailable) }
        if let stale = try source.staleReason(kind: kind, files: reports.found) {
            return GateResult(id: id, status: staleFails ? .fail : .skip, message: stale)
        }
        if missingIsSkip, reports.found.isEmpty || !reports.missing.isEmpty {
            return .skipped(id, "no \(kind) yet (\(reports.missing.joined(separator: ", "))); CI runs this gate.")
        }
        return nil
    }
}
