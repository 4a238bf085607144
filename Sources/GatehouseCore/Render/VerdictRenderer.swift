/// `gatehouse check` output: text for people, JSON for machines, Markdown for a pull request.
public enum VerdictRenderer {
    /// `app (gzip): 12.3 kB of 250 kB, +1.2 kB (+4.0%) against the baseline`.
    static func describe(_ budget: BudgetResult) -> String {
        var text = "\(budget.name)"
        if budget.compression != .none { text += " (\(budget.compression.rawValue))" }
        if budget.files.isEmpty { return text + ": no file" }
        text += ": \(ByteSize.format(budget.size, binary: budget.binaryUnits))"
        if let max = budget.max { text += " of \(max)" }
        text += " in \(budget.files.count) file\(budget.files.count == 1 ? "" : "s")"
        if let delta = SizeGate.describeDelta(budget) { text += ", \(delta) against the baseline" }
        return text
    }

    /// `path:line: severity: message [rule] (tool)`.
    static func describe(_ finding: Finding) -> String {
        let shown = TextEscaping.line(finding.shownPath)
        let place = finding.line.map { "\(shown):\($0)" } ?? shown
        let rule = finding.rule.map { " [\(TextEscaping.line($0))]" } ?? ""
        return "\(place.isEmpty ? "(no file)" : place): \(finding.severity.rawValue): \(TextEscaping.line(finding.message))\(rule) (\(TextEscaping.line(finding.tool ?? "")))"
    }

    static func percent(_ value: Double?) -> String {
        guard let value else { return "" }
        return CoverageGates.format(value)
    }

    /// Line numbers as `3-5, 9`.
    static func ranges(_ lines: LineSet, dash: String = "-") -> String {
        lines.ranges.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)\(dash)\($0.upperBound)" }.joined(separator: ", ")
    }
}
