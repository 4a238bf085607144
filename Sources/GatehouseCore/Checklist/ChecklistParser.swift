import Foundation
import Yams

/// Reads a checklist file: YAML front matter between `---` lines, then Markdown task items.
///
/// Every problem is an `.invalidRules` error naming the file and line, since a checklist that
/// silently applies to nothing is worse than one that stops the run.
public enum ChecklistParser {
    /// The front-matter keys, in the order the documentation lists them.
    static let knownKeys = ["title", "paths", "exclude", "required", "statuses"]

    public static func parse(_ data: [UInt8], file: String) throws(GatehouseError) -> Checklist {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = CodeownersParser.firstInvalidUTF8Offset(bytes) + (data.count - bytes.count)
            let line = data[..<offset].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw GatehouseError(
                .invalidRules, "the file is not UTF-8 text: byte \(offset) cannot be decoded. Save it as UTF-8.",
                at: SourceLocation(file: file, line: line))
        }
        let lines = TaskList.lines(text)
        guard let first = lines.first, isDelimiter(first, closing: false) else {
            throw GatehouseError(
                .invalidRules,
                "a checklist starts with front matter: a line '---', then title, paths and required, then '---' (see docs/CHECKLISTS.md).",
                at: SourceLocation(file: file, line: 1))
        }
        guard let close = lines.indices.dropFirst().first(where: { isDelimiter(lines[$0], closing: true) }) else {
            throw GatehouseError(
                .invalidRules, "the front matter that starts here is never closed; end it with a line '---' before the task items.",
                at: SourceLocation(file: file, line: 1))
        }
        var checklist = try frontMatter(lines[1..<close].joined(separator: "\n"), file: file)
        checklist.items = try items(lines[(close + 1)...], firstLine: close + 2, file: file)
        return checklist
    }

    private static func isDelimiter(_ line: Substring, closing: Bool) -> Bool {
        let trimmed = TaskList.trimmed(line)
        return trimmed == "---" || (closing && trimmed == "...")
    }

    // MARK: Front matter

    /// The YAML's own line numbers count from the line after the opening `---`.
    private static func frontMatter(_ yaml: String, file: String) throws(GatehouseError) -> Checklist {
        do {
            return try frontMatterFields(yaml, file: file)
        } catch {
            var moved = error
            moved.kind = .invalidRules
            if let line = moved.location?.line { moved.location?.line = line + 1 }
            throw moved
        }
    }

    private static func frontMatterFields(_ yaml: String, file: String) throws(GatehouseError) -> Checklist {
        guard let root = try YAMLDocument.compose(yaml, file: file, kind: .invalidRules, what: "YAML in the front matter") else {
            // Line 0 here is the opening `---` once moved.
            throw GatehouseError(
                .invalidRules, "the front matter is empty; it needs title, paths and required (see docs/CHECKLISTS.md).",
                at: SourceLocation(file: file, line: 0))
        }
        guard root.mapping != nil else {
            throw GatehouseError(
                .invalidRules, "the front matter must be keys and values (title: ..., paths: [...], required: true), found \(root.kindName).",
                at: root.location(in: file))
        }
        let map = try ConfigMap(root, path: "", file: file)
        for (key, _) in map.mapping where !knownKeys.contains(key.string ?? "") {
            throw GatehouseError(
                .invalidRules,
                "unknown front-matter key \(key.keyInMessage). Known keys: \(knownKeys.joined(separator: ", ")) (see docs/CHECKLISTS.md).",
                at: key.location(in: file))
        }
        // A missing key is reported at the opening `---` (line 0 of the YAML).
        let missingAt = SourceLocation(file: file, line: 0)
        guard let title = try map.string("title")?.trimmingCharacters(in: .whitespaces), !title.isEmpty else {
            throw GatehouseError(
                .invalidRules, "the checklist needs a 'title', e.g. title: Security review.",
                at: map.mapping["title"].map { $0.location(in: file) } ?? missingAt)
        }
        let paths = try globs("paths", in: map)
        guard !paths.isEmpty else {
            throw GatehouseError(
                .invalidRules, "the checklist needs 'paths', a list of globs such as [\"src/auth/**\", \"*.sql\"], to say which changes it applies to.",
                at: map.mapping["paths"].map { $0.location(in: file) } ?? missingAt)
        }
        let exclude = try globs("exclude", in: map)
        guard let required = try map.bool("required") else {
            throw GatehouseError(
                .invalidRules,
                "the checklist needs 'required: true' (verify fails until every item is ticked) or 'required: false'.",
                at: map.mapping["required"].map { $0.location(in: file) } ?? missingAt)
        }
        var statuses: [FileStatus]?
        if let names = try map.strings("statuses") {
            let nodes = map.mapping["statuses"]?.sequence.map(Array.init) ?? []
            let valid = FileStatus.allCases.map(\.rawValue).joined(separator: ", ")
            guard !names.isEmpty else {
                throw GatehouseError(
                    .invalidRules, "'statuses' is empty, so no change would trigger the checklist; list some of \(valid), or remove the key.",
                    at: map.location(of: "statuses"))
            }
            var chosen: [FileStatus] = []
            for (index, name) in names.enumerated() {
                guard let status = FileStatus(rawValue: name) else {
                    throw GatehouseError(
                        .invalidRules, "'\(name)' is not a change status; use \(valid).",
                        at: index < nodes.count ? nodes[index].location(in: file) : map.location(of: "statuses"))
                }
                if !chosen.contains(status) { chosen.append(status) }
            }
            statuses = chosen
        }
        return Checklist(file: file, title: title, paths: paths, exclude: exclude, isRequired: required, statuses: statuses, items: [])
    }

    /// A list of globs, each one that the GitHub dialect cannot read reported at its own line.
    private static func globs(_ key: String, in map: ConfigMap) throws(GatehouseError) -> [String] {
        guard let patterns = try map.strings(key) else { return [] }
        let nodes = map.mapping[key]?.sequence.map(Array.init) ?? []
        for (index, pattern) in patterns.enumerated() {
            if let problem = globProblem(pattern) {
                throw GatehouseError(
                    .invalidRules, "'\(pattern)' in '\(key)': \(problem)",
                    at: (index < nodes.count ? nodes[index] : map.mapping[key] ?? map.node).location(in: map.file))
            }
        }
        return patterns
    }

    /// Why GitHub's CODEOWNERS dialect cannot read `pattern`, or nil when it can. The same
    /// lines `CodeownersParser` reports and skips for GitHub, so a checklist glob means what
    /// the same line would mean in CODEOWNERS.
    static func globProblem(_ pattern: String) -> String? {
        if pattern.trimmingCharacters(in: .whitespaces).isEmpty || pattern.allSatisfy({ $0 == "/" }) {
            return "matches no path; write a file, folder or glob such as \"src/auth/**\"."
        }
        if pattern.hasPrefix("!") {
            return "'!' negation is not supported; list the files to leave out under 'exclude'."
        }
        if pattern.hasPrefix("#") || pattern.hasPrefix("\\#") {
            return "a pattern cannot start with '#' (GitHub's CODEOWNERS reads it as a comment); start it with '*' or a folder."
        }
        var escaped = false
        for scalar in pattern.unicodeScalars {
            if escaped { escaped = false; continue }
            if scalar == "\\" { escaped = true; continue }
            if scalar == "[" || scalar == "]" {
                return "character classes ('[ ]') are not supported in GitHub's dialect; list each alternative as its own glob."
            }
        }
        return nil
    }

    // MARK: Body

    /// Task items, nested by indentation. Indented lines that are not task items explain the item
    /// above them; other prose (headings, paragraphs) is for whoever edits the file and is not shown.
    private static func items(_ lines: ArraySlice<Substring>, firstLine: Int, file: String) throws(GatehouseError) -> [ChecklistItem] {
        var items: [ChecklistItem] = []
        var open: [Int] = []  // indentation of the items that can still take children
        var fence: (marker: String, explains: Bool)?
        // Explanations keep their own indentation relative to their first line (nested lists, code).
        var explanationIndent = 0
        var firstText: Int?
        func explain(_ line: Substring, indent: Int) {
            if items[items.count - 1].explanation.isEmpty { explanationIndent = indent }
            items[items.count - 1].explanation.append(String(dropColumns(line, min(indent, explanationIndent))))
        }
        for (offset, line) in lines.enumerated() {
            let number = firstLine + offset
            let (indent, content) = TaskList.indentation(line)
            if let open = fence {
                if content.hasPrefix(open.marker) { fence = nil }
                if open.explains { explain(line, indent: indent) }
                continue
            }
            if content.isEmpty { continue }
            if firstText == nil { firstText = number }
            let explains = indent > 0 && !items.isEmpty
            if let marker = TaskList.fence(content) {
                fence = (marker, explains)
                if explains { explain(line, indent: indent) }
                continue
            }
            if let task = TaskList.task(line) {
                guard !task.isTicked else {
                    throw GatehouseError(
                        .invalidRules, "items in a checklist file are written unticked: '- [ ] \(task.text)'. Reviewers tick them in the pull request.",
                        at: SourceLocation(file: file, line: number, column: indent + 1))
                }
                guard !task.text.isEmpty else {
                    throw GatehouseError(
                        .invalidRules, "this task item has no text; say what the reviewer must check, or remove the line.",
                        at: SourceLocation(file: file, line: number, column: indent + 1))
                }
                while let last = open.last, last >= indent { open.removeLast() }
                items.append(ChecklistItem(text: task.text, depth: open.count, line: number))
                open.append(indent)
                continue
            }
            if indent == 0, let text = TaskList.listItem(content) {
                throw GatehouseError(
                    .invalidRules,
                    "this list item has no box, so it cannot be ticked; write '- [ ] \(TaskList.trimmed(text))', or indent it under a task item as an explanation.",
                    at: SourceLocation(file: file, line: number, column: 1))
            }
            if explains { explain(line, indent: indent) }
        }
        guard let firstText else {
            throw GatehouseError(
                .invalidRules, "the checklist has no body; after the front matter, list task items such as '- [ ] Tests cover the change'.",
                at: SourceLocation(file: file, line: firstLine - 1))
        }
        guard !items.isEmpty else {
            throw GatehouseError(
                .invalidRules, "the checklist has no task item; write each thing to check as '- [ ] ...'.",
                at: SourceLocation(file: file, line: firstText))
        }
        return items
    }

    /// `line` without its first `columns` columns of indentation.
    private static func dropColumns(_ line: Substring, _ columns: Int) -> Substring {
        var seen = 0
        var rest = line
        while seen < columns, let first = rest.first, first == " " || first == "\t" {
            seen += first == "\t" ? 4 - seen % 4 : 1
            rest = rest.dropFirst()
        }
        return rest
    }
}
