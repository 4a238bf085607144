/// Every gate's result carries one of these: its name in every output format, its title for
/// people and its description for SARIF rule lists all live here, once.
public enum GateID: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    /// Where the judging rules came from, when not the change's base.
    case rulesSource = "rules.source"
    /// What the change does to the rules that judge changes.
    case rulesChanges = "rules.changes"
    case coverageReports = "coverage.reports"
    case changedLines = "coverage.changed_lines"
    case total = "coverage.total"
    case area = "coverage.area"
    case lint
    case size
    case ownersRules = "owners.rules"

    /// For people: the Markdown table, annotation titles.
    public var title: String {
        switch self {
        case .rulesSource: "Where the rules came from"
        case .rulesChanges: "Changes to the rules"
        case .coverageReports: "Coverage reports"
        case .changedLines: "Changed-line coverage"
        case .total: "Total coverage"
        case .area: "Area coverage"
        case .lint: "Lint"
        case .size: "Size budgets"
        case .ownersRules: "Ownership rules"
        }
    }

    /// Printed, it is the id every format shows (`coverage.changed_lines`).
    public var description: String { rawValue }

    /// One sentence for a SARIF rule's short description.
    public var summary: String {
        switch self {
        case .rulesSource: "The change was judged by rules other than its base's"
        case .rulesChanges: "The change edits the rules that judge changes"
        case .coverageReports: "Coverage reports missing or not matching the repository"
        case .changedLines: "Lines added by the change that no test ran"
        case .total: "Total coverage below its minimum"
        case .area: "Lines added in an area with its own coverage minimum that no test ran"
        case .lint: "Lint findings on the change beyond what lint.fail_on allows"
        case .size: "Build output over its size budget"
        case .ownersRules: "Errors in the ownership rules"
        }
    }

    /// The `hook.gates` group that switches it on; the rules notes belong to every run.
    public var group: GateGroup? {
        switch self {
        case .rulesSource, .rulesChanges: nil
        case .coverageReports, .changedLines, .total, .area: .coverage
        case .lint: .lint
        case .size: .size
        case .ownersRules: .owners
        }
    }
}

/// The gates a run may choose from, as `hook.gates` names them: each is a `Gate` registered in
/// `GateRegistry`, and each of its results has an id whose `group` is it.
public enum GateGroup: String, CaseIterable, Sendable, Hashable {
    case coverage, lint, size, owners
}
