/// Where a problem is: a file, and when known a 1-based line and column.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }
}

/// How much a finding matters; the one scale every finding and format shares.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
    case note
    case warning
    case error

    private var rank: Int {
        switch self {
        case .note: 0
        case .warning: 1
        case .error: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One thing found, whoever found it: a linter's finding, a problem `gatehouse rules check`
/// reports, a checklist item a description leaves unticked, an uncovered run of changed lines,
/// an error in an input. Every renderer takes these, and a person reads one the way compilers
/// print them: `file:line:column: error: message`.
public struct Finding: Hashable, Sendable, CustomStringConvertible {
    public var severity: Severity
    public var message: String
    /// Where its source says it is: a report's path as the report wrote it, a rules file and
    /// line, a checklist's file. Nil for a finding about no file.
    public var location: SourceLocation?
    /// The last line of a span that starts at `location.line`.
    public var endLine: Int?
    /// The repository file it is about, once known: a lint finding's path mapped onto the
    /// repository, the path a rules-check problem concerns (`unowned`).
    public var path: RepoPath?
    /// What found it: a linter's rule id (`no-unused-vars`), a rules-check kind (`no-match`), a
    /// gate's id. Nil when the tool gives none.
    public var rule: String?
    /// Who found it: the linter (`ESLint`, a SARIF run's driver), or nil for Gatehouse itself.
    public var tool: String?
    /// A heading for formats that show one (annotation titles), when it is not the rule.
    public var title: String?

    public init(
        _ severity: Severity, _ message: String, at location: SourceLocation? = nil, endLine: Int? = nil, path: RepoPath? = nil,
        rule: String? = nil, tool: String? = nil, title: String? = nil
    ) {
        self.severity = severity
        self.message = message
        self.location = location
        self.endLine = endLine
        self.path = path
        self.rule = rule
        self.tool = tool
        self.title = title
    }

    /// The 1-based line, when it has one.
    public var line: Int? { location?.line }

    public var description: String {
        if let location {
            return "\(location): \(severity.rawValue): \(message)"
        }
        return "\(severity.rawValue): \(message)"
    }
}
