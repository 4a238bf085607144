public enum GateStatus: String, Sendable, Hashable {
    case pass
    case fail
    case warn
    case skip
}

/// Changed-line coverage of one file: which of its added, measured lines ran.
public struct FileLineCoverage: Sendable, Hashable {
    public var path: RepoPath
    public var covered: LineSet
    public var uncovered: LineSet

    public init(path: RepoPath, covered: LineSet, uncovered: LineSet) {
        self.path = path
        self.covered = covered
        self.uncovered = uncovered
    }
}

/// The outcome of one gate.
public struct GateResult: Sendable {
    /// `coverage.changed_lines`, `coverage.total`, `coverage.area`, `coverage.reports`, `owners.rules`, ...
    public var id: String
    /// For gates that repeat (areas): which one.
    public var name: String?
    public var status: GateStatus
    /// The measured value, in the gate's unit (percent for coverage).
    public var actual: Double?
    public var threshold: Double?
    public var message: String
    /// Counts and per-file lines, for the changed-line gates.
    public var changedLines: (measured: Int, covered: Int, files: [FileLineCoverage])?
    /// Further lines worth showing under the gate (unmapped report paths, rule problems).
    public var details: [String]
    /// For the lint gate: the findings it kept, and how many it dropped as out of scope.
    public var lint: (kept: [KeptLintFinding], dropped: Int)?
    /// For the size gate: each budget's verdict.
    public var size: [BudgetResult]?
    /// The message names a cause beyond the gate's own findings (a report that was never
    /// written): every format shows it as the gate's headline, not only its lines.
    public var failsForAnotherCause = false

    public init(
        id: String, name: String? = nil, status: GateStatus, actual: Double? = nil, threshold: Double? = nil,
        message: String, changedLines: (measured: Int, covered: Int, files: [FileLineCoverage])? = nil, details: [String] = [],
        lint: (kept: [KeptLintFinding], dropped: Int)? = nil, size: [BudgetResult]? = nil
    ) {
        self.id = id
        self.name = name
        self.status = status
        self.actual = actual
        self.threshold = threshold
        self.message = message
        self.changedLines = changedLines
        self.details = details
        self.lint = lint
        self.size = size
    }
}

/// Every gate's result for one change.
public struct Verdict: Sendable {
    public var change: ChangeSet
    public var gates: [GateResult]

    /// What review will ask, for the pull-request comment: the applicable checklists and the
    /// suggested reviewers. Empty when not gathered (formats other than Markdown do not show them).
    public var checklists: [AppliedChecklist]
    public var reviewers: ReviewerSuggestion?

    public init(change: ChangeSet, gates: [GateResult], checklists: [AppliedChecklist] = [], reviewers: ReviewerSuggestion? = nil) {
        self.change = change
        self.gates = gates
        self.checklists = checklists
        self.reviewers = reviewers
    }

    public var passed: Bool { !gates.contains { $0.status == .fail } }
}
