/// `owners.rules`: the ownership rules as the change leaves them (what will judge once it is
/// merged) checked against the files they decide, as `gatehouse rules check` does.
public enum OwnersRulesGate: Gate {
    public static let group = GateGroup.owners

    public static func evaluate(_ run: GateRun) throws(GatehouseError) -> [GateResult] {
        let source = run.source
        let config = run.config
        guard let words = source.ownRulesWords else {
            return [.skipped(.ownersRules, "no head or work tree to read the change's rules from.")]
        }
        guard let trackedAt = source.trackedRevision else {
            return [.skipped(.ownersRules, "no commit yet, so no tracked file to check the rules against.")]
        }
        let rules: OwnershipRules
        let bytes: [UInt8]?
        do {
            (rules, bytes) = try RulesLocator.loadRulesWithSource(
                configuredFile: config.owners.file, dialect: config.owners.dialect, source: words, read: source.ownRulesFile)
        } catch where error.kind == .noRules {
            return [.skipped(.ownersRules, "no CODEOWNERS file, so there are no ownership rules to check.")]
        }
        let file = rules.file
        // A change that leaves the rules as its base has them cannot have made the tree-wide
        // findings (patterns matching nothing, rules that never decide) worse than a warning, and
        // the files it does not touch were judged before: so it is judged on the rules file and
        // its own files, at the cost of the change rather than of the tree.
        let rulesUnchanged = bytes.map { source.isUnchangedAtBase(file.path, $0) } ?? false
        let changed = run.change.files.filter { $0.status != .deleted }.map(\.path)
        // The text lets problems point at the owner itself (a placeholder from gatehouse init).
        let problems = rulesUnchanged
            ? RulesCheck.problems(rules, changedPaths: changed, requireAll: config.owners.requireAll, source: bytes)
            : RulesCheck.problems(rules, trackedFiles: try source.trackedFiles(at: trackedAt), requireAll: config.owners.requireAll, source: bytes)
        let errors = problems.filter { $0.severity == .error }
        let warnings = problems.count - errors.count
        let notes = errors.prefix(20).map { problem in
            problem.line.map { "\(file.path):\($0):\(problem.location?.column ?? 0): \(problem.message)" } ?? "\(file.path): \(problem.message)"
        }
        let counts = "\(errors.count) error\(errors.count == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
        let scope = rulesUnchanged
            ? "in the rules and the change's \(changed.count) file\(changed.count == 1 ? "" : "s") (the rules are unchanged; gatehouse rules check judges every file)"
            : "(gatehouse rules check shows them all)"
        return [GateResult(
            id: .ownersRules, status: errors.isEmpty ? .pass : .fail,
            message: "\(file.path): \(counts) \(scope).",
            notes: Array(notes))]
    }
}
