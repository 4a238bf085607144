/// What happened to a file between the two sides of a change, in git's terms.
public enum FileStatus: String, Sendable, CaseIterable {
    case added
    case modified
    case deleted
    case renamed
    case copied
    case typeChanged = "type-changed"

    /// The letter `git diff --name-status` prints.
    public var letter: String {
        switch self {
        case .added: "A"
        case .modified: "M"
        case .deleted: "D"
        case .renamed: "R"
        case .copied: "C"
        case .typeChanged: "T"
        }
    }
}

public struct ChangedFile: Hashable, Sendable {
    /// The path on the new side (for a deletion, the path that was deleted).
    public var path: RepoPath
    /// The path on the old side when it differs (renames and copies).
    public var oldPath: RepoPath?
    public var status: FileStatus
    public var isBinary: Bool
    /// Line numbers of the new file that the change added.
    public var added: LineSet
    public var addedCount: Int
    public var deletedCount: Int
    /// Rename or copy similarity in percent, as git prints after R or C.
    public var similarity: Int?
    /// New-file lines `git diff` shows with 3 lines of context: the added lines and up to
    /// 3 lines on either side of every change (deletions included).
    public var context: LineSet
    /// Lines of the old file the change edits, as `git diff -U0`'s hunks show them: those it
    /// deletes or replaces, and for a pure insertion the old lines either side of it. Blame of
    /// these says who knows what the change touches.
    public var oldLinesEdited: LineSet

    public init(
        path: RepoPath, oldPath: RepoPath? = nil, status: FileStatus, isBinary: Bool = false,
        added: LineSet = LineSet(), addedCount: Int? = nil, deletedCount: Int = 0, similarity: Int? = nil,
        context: LineSet? = nil, oldLinesEdited: LineSet = LineSet()
    ) {
        self.path = path
        self.oldPath = oldPath
        self.status = status
        self.isBinary = isBinary
        self.added = added
        self.addedCount = addedCount ?? added.count
        self.deletedCount = deletedCount
        self.similarity = similarity
        self.context = context ?? added
        self.oldLinesEdited = oldLinesEdited
    }
}

/// Which two sides a change compares.
public enum ChangeMode: String, Sendable {
    /// `git diff base...head`: from the merge base of base and head to head.
    case threeDot = "three-dot"
    /// `git diff base..head`: base against head directly.
    case twoDot = "two-dot"
    /// The index against HEAD (`git diff --staged`).
    case staged
    /// The work tree and index against HEAD, tracked files only (`git diff HEAD`).
    case worktree
}

/// A change to a repository: the files it touches and the lines it adds.
public struct ChangeSet: Sendable {
    public var mode: ChangeMode
    /// The commit the change is measured against (nil for staged work in an empty repository).
    public var base: String?
    /// The commit the change ends at; nil for staged or work-tree changes.
    public var head: String?
    /// The commit the diff starts from: the merge base in three-dot mode, else the base.
    public var mergeBase: String?
    public var baseSelection: BaseSelection
    public var files: [ChangedFile]

    public init(
        mode: ChangeMode, base: String?, head: String?, mergeBase: String?,
        baseSelection: BaseSelection, files: [ChangedFile]
    ) {
        self.mode = mode
        self.base = base
        self.head = head
        self.mergeBase = mergeBase
        self.baseSelection = baseSelection
        self.files = files
    }

    public var addedCount: Int { files.reduce(0) { $0 + $1.addedCount } }
    public var deletedCount: Int { files.reduce(0) { $0 + $1.deletedCount } }
}
