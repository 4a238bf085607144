/// Changed-line and total coverage, as diff-cover, Codecov's patch status and SonarQube's
/// "coverage on new code" mean them: the change's added lines that a report measures are the
/// changed lines; a line is covered when it ran at least once; percent = covered / measured.
public enum CoverageGates {
    public static func evaluate(change: ChangeSet, evidence: CoverageEvidence, settings: CoverageSettings) -> [GateResult] {
        var results: [GateResult] = []
        if settings.changedLines != nil || !settings.areas.isEmpty || settings.total == nil {
            results.append(changedLineGate(
                id: .changedLines, name: nil, files: change.files, evidence: evidence,
                threshold: settings.changedLines, noChangedLines: settings.noChangedLines,
                partialIsUncovered: settings.branches && settings.partial == .uncovered))
        }
        if let threshold = settings.total {
            let (lines, coveredLines) = evidence.total
            let branches = settings.branches ? evidence.branchTotal : (total: 0, covered: 0)
            let measured = lines + branches.total, covered = coveredLines + branches.covered
            let percent = measured == 0 ? nil : Double(covered) * 100 / Double(measured)
            if let percent {
                let passed = percent + 1e-9 >= threshold
                let what = settings.branches
                    ? "\(lines) measured lines and \(branches.total) branches are covered (\(coveredLines) lines, \(branches.covered) branches)"
                    : "\(measured) measured lines are covered (\(covered) lines)"
                results.append(GateResult(
                    id: .total, status: passed ? .pass : .fail, actual: percent, threshold: threshold,
                    message: "\(format(percent)) of \(what); the minimum is \(format(threshold))."))
            } else {
                results.append(GateResult(
                    id: .total, status: .fail, threshold: threshold,
                    message: "the coverage reports measure no line of this repository's files, so total coverage cannot be judged. Check the report paths (coverage.path_rewrites)."))
            }
        }
        for area in settings.areas {
            let matcher = OwnershipMatcher(patterns: area.paths, dialect: .github)
            let files = change.files.filter { !matcher.matches($0.path).isEmpty }
            results.append(changedLineGate(
                id: .area, name: area.label, files: files, evidence: evidence,
                threshold: area.changedLines, noChangedLines: settings.noChangedLines,
                partialIsUncovered: settings.branches && settings.partial == .uncovered))
        }
        return results
    }

    static func changedLineGate(
        id: GateID, name: String?, files: [ChangedFile], evidence: CoverageEvidence, threshold: Double?,
        noChangedLines: CoverageSettings.NoChangedLines, partialIsUncovered: Bool = false
    ) -> GateResult {
        var measured = 0
        var covered = 0
        var perFile: [FileLineCoverage] = []
        for file in files where file.status != .deleted && !file.isBinary {
            guard let lines = evidence.files[file.path] else { continue }
            var hit: [ClosedRange<Int>] = []
            var missed: [ClosedRange<Int>] = []
            for line in file.added where lines.measured.contains(line) {
                // A line that ran but left some of its branches untaken, when partial is uncovered.
                let partlyTaken = partialIsUncovered && (lines.branches[line]?.isPartial ?? false)
                if lines.covered.contains(line) && !partlyTaken { hit.append(line...line) } else { missed.append(line...line) }
            }
            guard !hit.isEmpty || !missed.isEmpty else { continue }
            measured += hit.count + missed.count
            covered += hit.count
            perFile.append(FileLineCoverage(path: file.path, covered: LineSet(ranges: hit), uncovered: LineSet(ranges: missed)))
        }
        let scope = name.map { "in \($0), " } ?? ""
        guard measured > 0 else {
            // Unlike diff-cover, no measured line is not silently 100%: the setting decides.
            let status: GateStatus = switch noChangedLines {
            case .pass: .pass
            case .warn: .warn
            case .fail: .fail
            }
            return GateResult(
                id: id, name: name, status: status, threshold: threshold,
                message: "\(scope)no added line of this change is measured by the coverage reports (coverage.no_changed_lines: \(noChangedLines.rawValue)).",
                details: .changedLines(ChangedLineCoverage(measured: 0, covered: 0, files: [])))
        }
        let percent = Double(covered) * 100 / Double(measured)
        let status: GateStatus = threshold.map { percent + 1e-9 >= $0 ? .pass : .fail } ?? .pass
        var message = "\(scope)\(format(percent)) of \(measured) changed line\(measured == 1 ? "" : "s") covered (\(covered) covered, \(measured - covered) not)"
        message += threshold.map { "; the minimum is \(format($0))." } ?? "; no minimum is set."
        return GateResult(
            id: id, name: name, status: status, actual: percent, threshold: threshold, message: message,
            details: .changedLines(ChangedLineCoverage(measured: measured, covered: covered, files: perFile)))
    }

    static func format(_ percent: Double) -> String {
        let rounded = (percent * 10).rounded(.down) / 10  // never round a failing 89.96 up to 90.0
        return rounded == rounded.rounded() ? "\(Int(rounded))%" : "\(rounded)%"
    }
}
