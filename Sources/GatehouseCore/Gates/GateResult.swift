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

/// Changed-line coverage of a changed-line gate (the whole change, or an area).
public struct ChangedLineCoverage: Sendable, Hashable {
    /// Added lines a report measures, and how many of them ran.
    public var measured: Int
    public var covered: Int
    public var files: [FileLineCoverage]

    public init(measured: Int, covered: Int, files: [FileLineCoverage]) {
        self.measured = measured
        self.covered = covered
        self.files = files
    }
}

/// The lint gate's findings: those it kept, and how many it dropped as out of scope.
public struct LintOutcome: Sendable, Hashable {
    public var kept: [Finding]
    public var dropped: Int

    public init(kept: [Finding], dropped: Int) {
        self.kept = kept
        self.dropped = dropped
    }
}

/// What a gate found beyond its message, for the renderers to show in their way.
public enum GateDetails: Sendable, Hashable {
    case none
    /// A changed-line gate's per-file lines.
    case changedLines(ChangedLineCoverage)
    case lint(LintOutcome)
    /// Each size budget's verdict.
    case size([BudgetResult])

    public var changedLines: ChangedLineCoverage? { if case .changedLines(let value) = self { value } else { nil } }
    public var lint: LintOutcome? { if case .lint(let value) = self { value } else { nil } }
    public var size: [BudgetResult]? { if case .size(let value) = self { value } else { nil } }
}

/// The outcome of one gate.
public struct GateResult: Sendable {
    public var id: GateID
    /// For gates that repeat (areas): which one.
    public var name: String?
    public var status: GateStatus
    /// The measured value, in the gate's unit (percent for coverage).
    public var actual: Double?
    public var threshold: Double?
    public var message: String
    /// What the gate found, by kind of gate.
    public var details: GateDetails
    /// Further lines worth showing under the gate (unmapped report paths, rule problems).
    public var notes: [String]
    /// The message names a cause beyond the gate's own findings (a report that was never
    /// written): every format shows it as the gate's headline, not only its lines.
    public var failsForAnotherCause = false

    public init(
        id: GateID, name: String? = nil, status: GateStatus, actual: Double? = nil, threshold: Double? = nil,
        message: String, details: GateDetails = .none, notes: [String] = []
    ) {
        self.id = id
        self.name = name
        self.status = status
        self.actual = actual
        self.threshold = threshold
        self.message = message
        self.details = details
        self.notes = notes
    }

    /// A gate that did not run, and why.
    public static func skipped(_ id: GateID, _ reason: String) -> GateResult {
        GateResult(id: id, status: .skip, message: reason)
    }

    /// The title people read: the gate's, with the area's name when it repeats.
    public var title: String { name.map { "\(id.title): \($0)" } ?? id.title }
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
