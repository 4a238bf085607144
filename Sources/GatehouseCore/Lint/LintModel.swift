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

    public var description: String { rawValue }
}

/// One finding of a linter, as its report states it (paths not yet mapped to the repository).
public struct LintFinding: Sendable, Hashable {
    /// The file as the report names it (absolute, relative, or a `file://` URI already decoded).
    public var path: String
    /// 1-based; nil when the finding is about the whole file.
    public var line: Int?
    public var endLine: Int?
    public var severity: Severity
    /// The rule's id (`no-unused-vars`, `line_length`); nil when the tool gives none.
    public var rule: String?
    public var message: String
    /// The tool that found it (`ESLint`, `SwiftLint`, a SARIF run's driver name).
    public var tool: String

    public init(path: String, line: Int?, endLine: Int? = nil, severity: Severity, rule: String?, message: String, tool: String) {
        self.path = path
        self.line = line
        self.endLine = endLine
        self.severity = severity
        self.rule = rule
        self.message = message
        self.tool = tool
    }
}

/// Everything one lint report says.
public struct LintReport: Sendable {
    public var file: String
    public var format: LintFormat
    public var findings: [LintFinding]

    public init(file: String, format: LintFormat, findings: [LintFinding]) {
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
