/// Which vendor's reading of a CODEOWNERS file applies.
///
/// Everything the vendors read differently is a property or method here, so that the parser,
/// the pattern compiler, `rules check`, the renderers and the rules' loading ask the dialect
/// instead of naming a vendor: a new dialect is a new case, its answers below, and its tests.
public enum OwnershipDialect: String, Sendable, Hashable, CaseIterable {
    /// GitHub: gitignore-style patterns, the last matching line wins, no sections.
    case github
    /// GitLab: sections (each applies on its own), approvals, `!` exclusions, `@@role` owners,
    /// paths without a leading slash match at any depth.
    case gitlab

    /// The vendor's name, for messages.
    public var vendor: String {
        switch self {
        case .github: "GitHub"
        case .gitlab: "GitLab"
        }
    }

    // MARK: Which dialect a file is in

    /// A file that shows no other dialect's marks (a section header, a vendor's own folder) is
    /// read as GitHub reads it, the reading most forges share.
    public static let fallback: OwnershipDialect = .github

    /// A folder only this vendor reads CODEOWNERS from: a file there is in this dialect, whatever
    /// its lines look like. GitHub has none: a `.github/CODEOWNERS` is read by its lines like any
    /// other (a section header in it means GitLab's dialect), as it always was.
    var ownFolder: String? {
        switch self {
        case .github: nil
        case .gitlab: ".gitlab/"
        }
    }

    /// The dialect the place of a rules file implies, or nil when its lines must decide.
    /// `path` is from the repository's top (`.gitlab/CODEOWNERS`, as the locator's candidates and
    /// `owners.file` are written); with `anywhere`, a file named on the command line, the
    /// folder may appear anywhere in it (`../x/.gitlab/CODEOWNERS`).
    public static func implied(byPath path: String, anywhere: Bool = false) -> OwnershipDialect? {
        allCases.first { dialect in
            guard let folder = dialect.ownFolder else { return false }
            return anywhere ? path.contains(folder) : path.hasPrefix(folder)
        }
    }

    /// The dialect of a file whose place implied none: the one whose section header a line opens,
    /// else the fallback.
    static func detected(in lines: [Substring]) -> OwnershipDialect {
        allCases.first { $0.opensSections(lines) } ?? fallback
    }

    /// Whether a line is a section header as this dialect writes them.
    private func opensSections(_ lines: [Substring]) -> Bool {
        switch self {
        case .github: false
        case .gitlab: lines.contains { GitLabHeader.looksLikeHeader($0) }
        }
    }

    // MARK: Sections

    /// Whether `[Name]` lines open sections, each applying on its own with its own approvals and
    /// default owners, and an entry without owners takes its section's.
    public var hasSections: Bool {
        switch self {
        case .github: false
        case .gitlab: true
        }
    }

    // MARK: Pattern lines

    /// Whether `!pattern` excludes paths from its section; otherwise such a line is unsupported.
    var hasExclusions: Bool {
        switch self {
        case .github: false
        case .gitlab: true
        }
    }

    /// Whether a leading `\#` escapes a pattern starting with `#`; otherwise such a line is
    /// unsupported.
    var escapesLeadingHash: Bool {
        switch self {
        case .github: false
        case .gitlab: true
        }
    }

    /// Whether `[...]` in a pattern is a character class; otherwise such a line is unsupported.
    var hasCharacterClasses: Bool {
        switch self {
        case .github: false
        case .gitlab: true
        }
    }

    /// Whether owners written after a `#` word are still read (GitLab has no inline comments, but
    /// reads owner-like words wherever they are); otherwise a `#` word ends the owners.
    var readsOwnersAfterHash: Bool {
        switch self {
        case .github: false
        case .gitlab: true
        }
    }

    /// Why a pattern line is skipped in this dialect, or nil when it is read.
    func unsupported(pattern: String) -> String? {
        if !escapesLeadingHash, pattern.hasPrefix("\\#") {
            return "\(vendor) does not support escaping '#' with a backslash; this line is skipped."
        }
        if !hasExclusions, pattern.hasPrefix("!") {
            return "\(vendor) does not support '!' negation in CODEOWNERS; this line is skipped. To leave files unowned, list the pattern with no owners."
        }
        if !hasCharacterClasses, Self.hasUnescapedBracket(pattern) {
            return "\(vendor) does not support character ranges ('[ ]') in CODEOWNERS; this line is skipped."
        }
        return nil
    }

    private static func hasUnescapedBracket(_ pattern: String) -> Bool {
        // Brackets are ASCII, and no byte of a longer character is: most patterns have none.
        guard pattern.utf8.contains(where: { $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "]") }) else { return false }
        var escaped = false
        for scalar in pattern.unicodeScalars {
            if escaped { escaped = false; continue }
            if scalar == "\\" { escaped = true; continue }
            if scalar == "[" || scalar == "]" { return true }
        }
        return false
    }

    /// The pattern compiled to the segment steps the matcher walks.
    func compile(_ pattern: String) -> CompiledPattern {
        switch self {
        case .github: PatternCompiler.github(pattern)
        case .gitlab: PatternCompiler.gitlab(pattern)
        }
    }

    // MARK: Owners

    /// The `@@role` owners (lowercased), each meaning the project's members of that role.
    var roles: Set<String> {
        switch self {
        case .github: []
        case .gitlab: ["developer", "developers", "maintainer", "maintainers", "owner", "owners"]
        }
    }

    /// The most `/`-separated parts of an `@name` owner (`@org/team` is 2), nil for any number
    /// (GitLab's `@group/subgroup/...`).
    var maxOwnerNameParts: Int? {
        switch self {
        case .github: 2
        case .gitlab: nil
        }
    }

    /// What a malformed owner should have been, for messages.
    var ownerForms: String {
        switch self {
        case .github: "@user, @org/team or an e-mail address"
        case .gitlab: "@user, @group, @group/subgroup, @@role or an e-mail address"
        }
    }
}
