/// A group of rules. GitHub files have one, unnamed; in GitLab each section applies on its own.
public struct OwnershipSection: Hashable, Sendable {
    /// nil for the unnamed section that holds the rules before the first header.
    public var name: String?
    public var isOptional: Bool
    /// Approvals required from the section's owners (GitLab `[Name][N]`); 1 by default.
    public var approvals: Int
    /// Line of the first header with this name (case-insensitive); 0 for the unnamed section.
    public var line: Int

    public init(name: String?, isOptional: Bool = false, approvals: Int = 1, line: Int = 0) {
        self.name = name
        self.isOptional = isOptional
        self.approvals = approvals
        self.line = line
    }
}

/// One pattern line.
public struct OwnershipRule: Hashable, Sendable {
    /// Position among the file's rules, in file order: a later rule has a larger index.
    public var index: Int
    public var line: Int
    /// 1-based column where the pattern starts.
    public var column: Int
    /// The pattern as written (escapes resolved: `\ ` is a space, a leading `\#` a `#`).
    public var pattern: String
    public var owners: [String]
    public var section: Int
    /// GitLab `!pattern`: matching paths need no approval from this section.
    public var isExclusion: Bool
    /// True when the owners are the section's default owners (GitLab).
    public var ownersFromSection: Bool

    public init(
        index: Int, line: Int, column: Int, pattern: String, owners: [String], section: Int = 0,
        isExclusion: Bool = false, ownersFromSection: Bool = false
    ) {
        self.index = index
        self.line = line
        self.column = column
        self.pattern = pattern
        self.owners = owners
        self.section = section
        self.isExclusion = isExclusion
        self.ownersFromSection = ownersFromSection
    }
}

/// A parsed CODEOWNERS file.
public struct CodeownersFile: Sendable {
    /// Where it came from, for messages (e.g. `.github/CODEOWNERS`).
    public var path: String
    public var dialect: OwnershipDialect
    public var sections: [OwnershipSection]
    public var rules: [OwnershipRule]
    /// Problems found while parsing: syntax, unsupported lines, malformed owners (each a
    /// `RulesCheck.Kind`'s finding).
    public var problems: [Finding]
    public var byteCount: Int

    public init(path: String, dialect: OwnershipDialect, sections: [OwnershipSection], rules: [OwnershipRule],
                problems: [Finding], byteCount: Int) {
        self.path = path
        self.dialect = dialect
        self.sections = sections
        self.rules = rules
        self.problems = problems
        self.byteCount = byteCount
    }

    /// The places GitHub and GitLab look for the file, in Gatehouse's order of preference.
    public static let searchPaths = ["rules/CODEOWNERS", ".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"]
}
