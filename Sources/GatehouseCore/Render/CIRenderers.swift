/// What the CI formats (GitHub annotations, SARIF, GitLab Code Quality) list: `Finding`s, each
/// with a rule (a gate's id, or a linter's rule) and a title.
public enum CIRenderers {
    /// Uncovered changed-line runs (errors when their gate failed, warnings otherwise), then
    /// every failing or warning gate that has no lines of its own.
    public static func findings(_ verdict: Verdict) -> [Finding] {
        var findings: [Finding] = []
        for gate in verdict.gates {
            let level: Severity = gate.status == .fail ? .error : .warning
            var hasLines = false
            if let lines = gate.details.changedLines, gate.id == .changedLines || gate.status == .fail {
                for file in lines.files {
                    for range in file.uncovered.ranges {
                        hasLines = true
                        let span = range.count == 1 ? "Line \(range.lowerBound) was" : "Lines \(range.lowerBound)-\(range.upperBound) were"
                        findings.append(Finding(
                            level, "\(span) added by this change, but no test ran \(range.count == 1 ? "it" : "them")\(gate.name.map { " (\($0))" } ?? "").",
                            at: SourceLocation(file: file.path.string, line: range.lowerBound), endLine: range.upperBound, path: file.path,
                            rule: gate.id.rawValue, title: "Changed lines not covered by tests"))
                    }
                }
            }
            if let lint = gate.details.lint {
                for finding in lint.kept {
                    var annotated = finding
                    annotated.endLine = finding.endLine ?? finding.line
                    annotated.title = finding.rule.map { "\(finding.tool ?? ""): \($0)" } ?? finding.tool
                    findings.append(annotated)
                }
                hasLines = true
            }
            for budget in gate.details.size ?? [] where budget.status == .fail {
                // A bundle is not a source line: the annotation points at the budget in the configuration.
                hasLines = true
                findings.append(Finding(
                    .error,
                    budget.reasons.joined(separator: "; ") + (budget.files.isEmpty ? "" : " (\(budget.files.map(\.path).prefix(5).joined(separator: ", "))\(budget.files.count > 5 ? ", ..." : ""))"),
                    at: budget.location, endLine: budget.location?.line, path: budget.location.map { RepoPath($0.file) },
                    rule: GateID.size.rawValue, title: "Size budget \(budget.name)"))
            }
            // A gate that fails for a cause beyond its lines (a missing report) says so too.
            if !hasLines || gate.failsForAnotherCause, gate.status == .fail || gate.status == .warn {
                findings.append(Finding(
                    level, gate.message + gate.notes.map { "\n" + $0 }.joined(), rule: gate.id.rawValue, title: gate.title))
            }
        }
        // Several changed-line gates (the whole change, an area) can name the same lines: once is
        // enough. Lint findings are each their own, several on one line included.
        var seen = Set<String>()
        return findings.filter { finding in
            guard GateID(rawValue: finding.ciRule)?.group == .coverage, let path = finding.path, let start = finding.line else { return true }
            return seen.insert("\(path.string)\u{0}\(start)\u{0}\(finding.endLine ?? start)").inserted
        }
    }
}

extension Finding {
    /// The rule a CI format files it under: its rule, else its tool, else Gatehouse's own.
    var ciRule: String { rule ?? tool ?? "gatehouse" }
    var ciTitle: String { title ?? ciRule }
}
