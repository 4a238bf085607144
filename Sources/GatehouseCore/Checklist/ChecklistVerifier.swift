/// Whether a pull-request description ticks every item of the required checklists.
public struct ChecklistVerification: Sendable, Hashable {
    /// The rule of a finding whose item the description does not have at all.
    public static let missingRule = "checklist.missing"
    /// The rule of a finding whose item the description has, unticked.
    public static let untickedRule = "checklist.unticked"

    /// Required items the description leaves unticked or lacks, in checklist order: each an
    /// error at the item's line of the checklist's file (`rules/checklists/security.md`), its
    /// message the item's text as written, its title the checklist's.
    public var problems: [Finding]
    /// Required checklists that apply, and their distinct items.
    public var requiredChecklists: Int
    public var requiredItems: Int

    public var passed: Bool { problems.isEmpty }
}

public enum ChecklistVerifier {
    /// Matches the required checklists' items with the description's task items by normalised
    /// text; `[x]` and `[X]` are ticked. Items in fenced code or HTML comments do not count, as
    /// GitHub does not render them as boxes.
    public static func verify(_ checklists: [AppliedChecklist], body: String) -> ChecklistVerification {
        let ticks = ticks(in: body)
        var problems: [Finding] = []
        var seen = Set<String>()
        var required = 0
        for applied in checklists where applied.checklist.isRequired {
            required += 1
            // Every item of the checklist, including those shown under an earlier checklist.
            for item in applied.checklist.items where seen.insert(item.key).inserted {
                if ticks[item.key] == true { continue }
                problems.append(Finding(
                    .error, item.text, at: SourceLocation(file: applied.checklist.file, line: item.line),
                    rule: ticks[item.key] == nil ? ChecklistVerification.missingRule : ChecklistVerification.untickedRule,
                    title: applied.checklist.title))
            }
        }
        return ChecklistVerification(problems: problems, requiredChecklists: required, requiredItems: seen.count)
    }

    /// Each task item of a description by normalised text: ticked if any copy of it is ticked.
    ///
    /// A box counts only where GitHub renders one: not in fenced code, and not four or more
    /// columns past its container (the top level, or the list item it sits in), where Markdown
    /// makes it an indented code block or a paragraph's continuation. Otherwise a description
    /// could quote the checklist, ticked, as code and pass.
    static func ticks(in body: String) -> [String: Bool] {
        var ticks: [String: Bool] = [:]
        var fence: String?
        // The content column of each open list item, outermost first.
        var items: [Int] = []
        var afterBlank = true
        for line in TaskList.lines(withoutComments(body)) {
            let (indent, content) = TaskList.indentation(line)
            if let marker = fence {
                if content.hasPrefix(marker) { fence = nil }
                continue
            }
            if content.isEmpty {
                afterBlank = true
                continue
            }
            let wasAfterBlank = afterBlank
            afterBlank = false
            let marker = TaskList.listItem(content)
            // A line left of an item's content ends the item: after a blank line for any line,
            // at once for another item (a line of text right after one is its lazy continuation).
            var open = items
            if marker != nil || wasAfterBlank {
                while let last = open.last, last > indent { open.removeLast() }
            }
            let container = open.last ?? 0
            if indent - container >= 4 {
                // Indented code after a blank line; else a paragraph's lazy continuation, which
                // leaves the items open.
                if wasAfterBlank { items = open }
                continue
            }
            items = open
            if let opening = TaskList.fence(content) {
                fence = opening
                continue
            }
            if let rest = marker {
                let width = content.count - rest.count
                let markerWidth = content.first.map { "-*+".contains($0) } == true ? 1 : content.prefix { $0.isNumber }.count + 1
                // No content, or more than four spaces after the marker: the content starts one space after it.
                items.append(indent + (rest.isEmpty || width - markerWidth > 4 ? markerWidth + 1 : width))
            }
            guard let task = TaskList.task(line), !task.text.isEmpty else { continue }
            let key = ChecklistItem.normalize(task.text)
            ticks[key] = (ticks[key] ?? false) || task.isTicked
        }
        return ticks
    }

    /// The text without `<!-- ... -->` comments (pull-request templates are full of them); an
    /// unclosed comment runs to the end, as in HTML.
    static func withoutComments(_ text: String) -> String {
        var out = ""
        var rest = text[...]
        while let open = rest.range(of: "<!--") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "-->") else { return out }
            // Keep the line breaks, so lines around the comment stay apart.
            out += String(rest[open.lowerBound..<close.upperBound].filter { $0 == "\n" || $0 == "\r\n" })
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// One line per checklist with something left to do, then the items; or one line saying all is ticked.
    public static func text(_ verification: ChecklistVerification) -> String {
        guard !verification.passed else {
            if verification.requiredChecklists == 0 { return "No required checklist applies to this change.\n" }
            return "All \(verification.requiredItems) required item\(verification.requiredItems == 1 ? " is" : "s are") ticked "
                + "(\(verification.requiredChecklists) checklist\(verification.requiredChecklists == 1 ? "" : "s")).\n"
        }
        var out = ""
        var current: String?
        for problem in verification.problems {
            let file = problem.location?.file ?? ""
            if file != current {
                current = file
                let count = verification.problems.filter { $0.location?.file == file }.count
                out += "\(problem.title ?? "") (\(file)): \(count) required item\(count == 1 ? "" : "s") not ticked\n"
            }
            let missing = problem.rule == ChecklistVerification.missingRule
            out += "  \(missing ? "missing:    " : "not ticked: ")\(problem.message)  [line \(problem.line ?? 0)]\n"
        }
        let count = verification.problems.count
        out += "\(count) of \(verification.requiredItems) required item\(verification.requiredItems == 1 ? "" : "s") "
            + "\(count == 1 ? "is" : "are") missing from the description or not ticked. "
            + "Paste the list from 'gatehouse checklist' into the description and tick each item once it is done.\n"
        return out
    }
}
