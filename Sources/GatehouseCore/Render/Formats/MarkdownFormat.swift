extension VerdictRenderer {
    /// GitHub refuses a comment longer than 65,536 characters (HTTP 422), and then no comment
    /// appears at all. A character is at least one UTF-8 byte, so capping bytes keeps under it
    /// whatever the text, with room to spare.
    static let commentLimit = 65_000
    /// Rows a table of the comment shows: enough to act on; the JSON and the job log have the rest.
    static let tableRows = 50
    /// Runs of lines a "Not covered" cell shows: one file with thousands of uncovered runs must
    /// not fill the comment on its own.
    static let cellRuns = 50
    /// Characters of a lint message shown in a cell: some tools write a whole explanation, and
    /// fifty of those would crowd out the rest of the comment.
    static let cellMessage = 500

    /// "… and 12 more files (gatehouse check --format json lists them all)", or nil when nothing is left out.
    static func more(_ count: Int, _ noun: String, shown: Int = tableRows, command: String = "gatehouse check") -> String? {
        guard count > shown else { return nil }
        return "… and \(count - shown) more \(noun) (\(command) --format json lists them all)"
    }

    /// A pull-request comment: a hidden marker first (so CI can find and update its own
    /// comment), a summary table, then collapsible details.
    public static func markdown(_ verdict: Verdict) -> String {
        fitted(markdownParts(verdict), limit: commentLimit)
    }

    /// The comment in pieces that can each be left out whole: the first holds the marker, each
    /// summary row is one, each gate's block is one, the reviewers and the checklists one each.
    static func markdownParts(_ verdict: Verdict) -> [String] {
        func icon(_ status: GateStatus) -> String {
            switch status {
            case .pass: "✅"
            case .fail: "❌"
            case .warn: "⚠️"
            case .skip: "⏭️"
            }
        }
        var parts: [String] = []
        let failed = verdict.gates.filter { $0.status == .fail }.count
        var head = "<!-- gatehouse -->\n"
        if failed > 0 {
            head += "## ❌ Gatehouse: \(failed) of \(verdict.gates.count) gate\(verdict.gates.count == 1 ? "" : "s") failed\n\n"
        } else {
            head += "## ✅ Gatehouse: \(summary(verdict))\n\n"
        }
        parts.append(head)
        if !verdict.gates.isEmpty {
            // The header travels with the first row, so a cut never leaves a table without rows.
            var row = "| | Gate | Result | Minimum |\n| --- | --- | --- | --- |\n"
            for gate in verdict.gates.prefix(tableRows) {
                var result = gate.actual.map { percent($0) } ?? ""
                if let lines = gate.details.changedLines {
                    result = lines.measured == 0 ? "no measured line" : "\(percent(gate.actual)) (\(lines.covered) of \(lines.measured) lines)"
                } else if gate.failsForAnotherCause {
                    result = gate.message
                } else if let lint = gate.details.lint {
                    result = "\(lint.kept.count) finding\(lint.kept.count == 1 ? "" : "s")"
                } else if let budgets = gate.details.size {
                    // A budget can fail on growth while under its maximum: "over" would be wrong.
                    let failedBudgets = budgets.filter { $0.status == .fail }.count
                    result = failedBudgets == 0 ? "\(budgets.count) within budget" : "\(failedBudgets) of \(budgets.count) failed"
                } else if result.isEmpty {
                    result = gate.status.rawValue
                }
                row += "| \(icon(gate.status)) | \(cell(gate.title)) | \(cell(result)) | \(cell(percent(gate.threshold))) |\n"
                parts.append(row)
                row = ""
            }
            parts.append(more(verdict.gates.count, "gates").map { "\n\($0)\n\n" } ?? "\n")
        }
        for gate in verdict.gates {
            if let lines = gate.details.changedLines, lines.files.contains(where: { !$0.uncovered.isEmpty }) {
                let missing = lines.measured - lines.covered
                let files = lines.files.filter { !$0.uncovered.isEmpty }
                var out = "<details><summary>\(html(gate.title)): \(missing) changed line\(missing == 1 ? "" : "s") not covered in \(files.count) file\(files.count == 1 ? "" : "s")</summary>\n\n"
                out += "| File | Covered | Not covered |\n| --- | --- | --- |\n"
                for file in files.prefix(tableRows) {
                    let total = file.covered.count + file.uncovered.count
                    out += "| \(code(file.path.string)) | \(file.covered.count) of \(total) | \(cellRanges(file.uncovered)) |\n"
                }
                if let more = more(files.count, "files") { out += "\n\(more)\n" }
                out += "\n</details>\n\n"
                parts.append(out)
            }
            if let lint = gate.details.lint, !lint.kept.isEmpty {
                var out = "<details><summary>\(html(gate.title)): \(lint.kept.count) finding\(lint.kept.count == 1 ? "" : "s")</summary>\n\n"
                out += "| File | Line | Severity | Rule | Message |\n| --- | --- | --- | --- | --- |\n"
                for finding in lint.kept.prefix(tableRows) {
                    let file = finding.path.map { code($0.string) } ?? cell(finding.reportPath)
                    let message = finding.message.count > cellMessage ? String(finding.message.prefix(cellMessage)) + "…" : finding.message
                    out += "| \(file) | \(finding.line.map(String.init) ?? "") | \(finding.severity.rawValue) | \(cell(finding.rule ?? "")) | \(cell(message)) |\n"
                }
                if let more = more(lint.kept.count, "findings") { out += "\n\(more)\n" }
                out += "\n</details>\n\n"
                parts.append(out)
            }
            if let budgets = gate.details.size, !budgets.isEmpty {
                // Shown open: sizes are short, and a reviewer wants to see the growth at a glance.
                var out = "### \(html(gate.title))\n\n"
                out += "| | Budget | Size | Max | Change | Files |\n| --- | --- | --- | --- | --- | --- |\n"
                for budget in budgets.prefix(tableRows) {
                    let size = budget.files.isEmpty ? "no file" : ByteSize.format(budget.size, binary: budget.binaryUnits)
                    let name = budget.compression == .none ? budget.name : "\(budget.name) (\(budget.compression.rawValue))"
                    out += "| \(icon(budget.status)) | \(cell(name)) | \(size) | \(budget.max.map(\.description) ?? "") | \(SizeGate.describeDelta(budget) ?? "") | \(budget.files.count) |\n"
                }
                if let more = more(budgets.count, "budgets") { out += "\n\(more)\n" }
                let reasons = budgets.flatMap { budget in budget.reasons.map { "\(budget.name): \($0)" } }
                if !reasons.isEmpty {
                    out += "\n"
                    for reason in reasons.prefix(tableRows) { out += "- \(escape(reason))\n" }
                    if let more = more(reasons.count, "reasons") { out += "- \(more)\n" }
                }
                for detail in gate.notes.prefix(tableRows) { out += "\n\(escape(detail))\n" }
                if let more = more(gate.notes.count, "notes") { out += "\n\(more)\n" }
                out += "\n"
                parts.append(out)
            }
            if gate.status != .pass, gate.details.lint == nil, gate.details.size == nil, !gate.notes.isEmpty || gate.details.changedLines == nil {
                var out = "<details><summary>\(html(gate.title)): \(html(gate.status.rawValue))</summary>\n\n\(escape(gate.message))\n"
                for detail in gate.notes.prefix(tableRows) { out += "- \(escape(detail))\n" }
                if let more = more(gate.notes.count, "notes") { out += "- \(more)\n" }
                out += "\n</details>\n\n"
                parts.append(out)
            }
        }
        // One comment says everything: who should review, then what they must check.
        if let reviewers = verdict.reviewers {
            var out = ReviewerRenderer.markdown(reviewers)
            if !out.hasSuffix("\n\n") { out += "\n" }
            parts.append(out)
        }
        if !verdict.checklists.isEmpty {
            var out = ChecklistRenderer.markdown(verdict.checklists)
            // Boxes ticked in a bot's comment are lost when it is rewritten, and verify reads the description.
            out += "\n<sub>Copy this list into the pull-request description and tick it there: `gatehouse checklist verify` reads the description.</sub>\n"
            parts.append(out)
        }
        return parts
    }

    /// Said where the comment stops when it had to be shortened.
    static let shortenedNote = "<sub>✂️ This comment was shortened to stay within GitHub's size limit for comments. The job log and `gatehouse check --format json` have everything.</sub>\n"

    /// `parts` joined; when that is longer than `limit` UTF-8 bytes, as many whole parts as fit,
    /// then `shortenedNote`. Cutting only between parts keeps every table row, `<details>` block
    /// and code span whole. The first part always stays: CI finds its comment by the marker in it.
    /// The cut is at the first part that does not fit, not around it, so the comment still reads
    /// in order and the note says where it stops.
    static func fitted(_ parts: [String], limit: Int) -> String {
        if parts.reduce(0, { $0 + $1.utf8.count }) <= limit { return parts.joined() }
        var out = parts.first ?? ""
        // Two newlines may be needed to end a table before the note, or it would read as a row.
        let room = limit - shortenedNote.utf8.count - 2
        var used = out.utf8.count
        for part in parts.dropFirst() {
            used += part.utf8.count
            guard used <= room else { break }
            out += part
        }
        while !out.hasSuffix("\n\n") { out += "\n" }
        return out + shortenedNote
    }

    /// Uncovered lines for a table cell: the first `cellRuns` runs and a count of the rest.
    static func cellRanges(_ lines: LineSet) -> String {
        let runs = lines.ranges
        guard runs.count > cellRuns else { return ranges(lines, dash: "–") }
        let shown = runs.prefix(cellRuns)
        let rest = lines.count - shown.reduce(0) { $0 + $1.count }
        let text = shown.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)–\($0.upperBound)" }.joined(separator: ", ")
        return "\(text) and \(rest) more line\(rest == 1 ? "" : "s")"
    }

    /// A table cell: pipes escaped, newlines folded.
    static func cell(_ text: String) -> String {
        escape(text).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// Text that Markdown would otherwise read as markup, on one line: a line break or another
    /// control character in input (a file name, a lint message) is shown as an escape, so it
    /// cannot end a table row or start a heading of its own.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in TextEscaping.line(text) {
            if "\\`*_<>[]#|".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    static func html(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A code span that holds any path: the fence is longer than any run of backticks inside.
    /// In a table cell (the default) a `|` is escaped, or it would end the cell.
    static func code(_ raw: String, inTable: Bool = true) -> String {
        // A name with a line break would end the span, the table row and start a heading or a
        // mention of its own: control characters are shown as escapes instead.
        let text = TextEscaping.line(raw)
        var longest = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padded = text.hasPrefix("`") || text.hasSuffix("`") ? " \(text) " : text
        let span = fence + padded + fence
        return inTable ? span.replacingOccurrences(of: "|", with: "\\|") : span
    }
}

/// `--format markdown`: a pull-request comment, with the suggested reviewers and the review checklist
public enum MarkdownFormat: OutputFormat {
    public static let name = "markdown"
    public static let summary = "a pull-request comment, with the suggested reviewers and the review checklist"
    public static let showsReviewAdvice = true

    public static func render(_ verdict: Verdict, _ context: RenderContext) -> [UInt8] {
        Array(VerdictRenderer.markdown(verdict).utf8)
    }
}
