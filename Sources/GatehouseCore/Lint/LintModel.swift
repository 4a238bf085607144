/// A lint report format Gatehouse reads, by the name users write and JSON output prints
/// (`sarif`, `eslint`). The formats are those `LintFormats.all` lists; each parser's file
/// declares its constant (`LintFormat.sarif`).
public struct LintFormat: RawRepresentable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    public let rawValue: String

    /// The format of that name, or nil when Gatehouse reads none by it.
    public init?(rawValue: String) {
        guard LintFormats.all.contains(where: { $0.name == rawValue }) else { return nil }
        self.rawValue = rawValue
    }

    init(name: String) {
        rawValue = name
    }

    public static var allCases: [LintFormat] { LintFormats.all.map { $0.format } }

    /// The formats as people name them, in the registry's order ("SARIF, …").
    public static var titles: [String] { LintFormats.all.map { $0.title } }

    public var description: String { rawValue }
}

/// A linter's finding is a `Finding`: its location is the file and line as the report names
/// them (absolute, relative, or a `file://` URI already decoded), its tool the linter (`ESLint`,
/// `SwiftLint`, a SARIF run's driver name), its rule the linter's rule id (`no-unused-vars`; nil
/// when the tool gives none), and its `path` the repository file once the lint gate maps it.
extension Finding {
    public static func lint(
        path: RepoPath? = nil, reportPath: String, line: Int?, endLine: Int? = nil, severity: Severity, rule: String?, message: String,
        tool: String
    ) -> Finding {
        Finding(severity, message, at: SourceLocation(file: reportPath, line: line), endLine: endLine, path: path, rule: rule, tool: tool)
    }

    /// The file as the report wrote it.
    public var reportPath: String {
        get { location?.file ?? "" }
        set {
            if location == nil { location = SourceLocation(file: newValue) } else { location?.file = newValue }
        }
    }
}

/// Everything one lint report says.
public struct LintReport: Sendable {
    public var file: String
    public var format: LintFormat
    public var findings: [Finding]

    public init(file: String, format: LintFormat, findings: [Finding]) {
        self.file = file
        self.format = format
        self.findings = findings
    }
}

/// Turns one lint report's bytes into findings. Malformed input throws `.invalidReport` naming
/// the report and, where there is one, the line; a parser never crashes.
public protocol LintParser: ReportFormat {
    /// Parses the whole report from `source`, from its first byte (whatever detection peeked at).
    static func parse(_ source: InputSource) throws(GatehouseError) -> LintReport
}

extension LintParser {
    public static var format: LintFormat { LintFormat(name: name) }

    /// Opens the report at `path` and parses it.
    public static func parse(path: String, displayPath: String) throws(GatehouseError) -> LintReport {
        try parse(LintReader.open(path: path, displayPath: displayPath))
    }
}
