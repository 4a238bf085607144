/// A review checklist: one Markdown file of `rules/checklists/`, with front matter that says
/// which changes it applies to and a body of task items for the reviewer.
public struct Checklist: Sendable, Hashable {
    /// The file it came from, as messages and output name it (e.g. `rules/checklists/security.md`).
    public var file: String
    public var title: String
    /// Globs read as CODEOWNERS patterns in GitHub's dialect.
    public var paths: [String]
    /// Globs (same dialect) of files that never trigger the checklist.
    public var exclude: [String]
    /// A required checklist must be ticked in full for `gatehouse checklist verify` to pass.
    public var isRequired: Bool
    /// When set, only files changed in one of these ways trigger the checklist.
    public var statuses: [FileStatus]?
    public var items: [ChecklistItem]

    public init(
        file: String, title: String, paths: [String], exclude: [String] = [], isRequired: Bool,
        statuses: [FileStatus]? = nil, items: [ChecklistItem]
    ) {
        self.file = file
        self.title = title
        self.paths = paths
        self.exclude = exclude
        self.isRequired = isRequired
        self.statuses = statuses
        self.items = items
    }
}

/// One task item (`- [ ] ...`) of a checklist.
public struct ChecklistItem: Sendable, Hashable {
    /// The item's text as written, without the list marker and box.
    public var text: String
    /// 0 for a top-level item, 1 for an item nested under one, and so on.
    public var depth: Int
    /// The 1-based line of the checklist file.
    public var line: Int
    /// Lines written indented under the item, shown with it: a short explanation for the reviewer.
    public var explanation: [String]

    public init(text: String, depth: Int = 0, line: Int, explanation: [String] = []) {
        self.text = text
        self.depth = depth
        self.line = line
        self.explanation = explanation
    }

    /// What identifies the item when deduplicating and verifying, so that re-wrapping or
    /// re-indenting it in a pull-request description does not make it a different item.
    public var key: String { Self.normalize(text) }

    /// Trimmed, with every run of whitespace as one space.
    public static func normalize(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}

/// A checklist that applies to a change.
public struct AppliedChecklist: Sendable, Hashable {
    public var checklist: Checklist
    /// The changed files that made it apply, in the change's order.
    public var files: [ChangedFile]
    /// The items to show: the checklist's own, less those an earlier checklist already shows.
    /// Depths are those shown, so an item whose parent was left out moves up a level.
    public var items: [ChecklistItem]

    public init(checklist: Checklist, files: [ChangedFile], items: [ChecklistItem]) {
        self.checklist = checklist
        self.files = files
        self.items = items
    }
}
