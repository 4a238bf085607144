/// A format `gatehouse check` writes (`--format NAME`, `--output NAME=PATH`). Adding one is a
/// file here with a type conforming to this, one line in `OutputFormats.all`, and its tests;
/// the CLI's values, help and errors, and the docs' lists, follow from the registry.
public protocol OutputFormat {
    /// The value of `--format`.
    static var name: String { get }
    /// One line for help text.
    static var summary: String { get }
    /// Shows the suggested reviewers and the review checklist, so the run gathers them.
    static var showsReviewAdvice: Bool { get }
    /// In GitHub Actions, the Markdown report also goes to the job's summary page.
    static var writesStepSummary: Bool { get }
    static func render(_ verdict: Verdict, _ context: RenderContext) -> [UInt8]
}

extension OutputFormat {
    public static var showsReviewAdvice: Bool { false }
    public static var writesStepSummary: Bool { false }
}

/// What a format may need besides the verdict.
public struct RenderContext: Sendable {
    /// ANSI colour (a person at a terminal).
    public var color: Bool
    /// Gatehouse's version, for formats that name their tool.
    public var version: String
    /// The configuration file, where findings without a file of their own point.
    public var configFile: String

    public init(color: Bool, version: String, configFile: String) {
        self.color = color
        self.version = version
        self.configFile = configFile
    }
}

/// Every output format of `gatehouse check`, in the order help lists them.
public enum OutputFormats {
    public static let all: [any OutputFormat.Type] = [
        TextFormat.self, JSONFormat.self, MarkdownFormat.self, GitHubFormat.self, JUnitFormat.self, SARIFFormat.self, CodeQualityFormat.self,
    ]

    public static func named(_ name: String) -> (any OutputFormat.Type)? { all.first { $0.name == name } }

    /// `text, json, markdown, ... or codequality`.
    public static var names: String {
        let names = all.map { $0.name }
        return names.dropLast().joined(separator: ", ") + (names.count > 1 ? " or " : "") + (names.last ?? "")
    }
}
