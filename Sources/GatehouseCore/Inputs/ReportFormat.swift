/// A report format Gatehouse reads: the name users write and JSON output prints, how messages
/// call it, and how its first bytes are recognised. Each family (coverage, lint) adds its own
/// `parse` and lists its formats once, in a `ReportFamily` (`CoverageFormats`, `LintFormats`):
/// detection, the formats' names and the messages that list them all come from that list.
public protocol ReportFormat {
    /// The value users write and JSON output prints (`lcov`, `llvm-cov-json`, `sarif`).
    static var name: String { get }
    /// The format in a message that points at a file of it: "… at an LCOV, Cobertura … file".
    static var title: String { get }
    /// The format in a message that lists what Gatehouse reads: "Gatehouse reads LCOV, … and Go
    /// coverprofiles".
    static var listed: String { get }
    /// Whether `prefix` (the first bytes of a file, at most 4 KiB, a UTF-8 byte order mark and
    /// leading white space removed) looks like this format. At most one format of a family
    /// claims a prefix.
    static func detect(_ prefix: [UInt8]) -> Bool
}

/// The formats of one family of reports, in the order detection asks them, and what the
/// family's messages say when none of them matches.
struct ReportFamily<Parser> {
    /// "coverage report", "lint report".
    let report: String
    let parsers: [Parser]
    /// `parsers`, seen as formats (the same metatypes).
    let formats: [any ReportFormat.Type]
    /// After "the coverage report is empty (0 bytes).".
    let emptyAdvice: String
    /// Before the formats' titles in the message for a binary file: "Point coverage.reports at an".
    let pointAt: String
    /// After them: "file", "report".
    let pointNoun: String
    /// Whether the first bytes read (before trimming) are not text.
    let looksBinary: ([UInt8]) -> Bool

    init(
        report: String, parsers: [Parser], as format: (Parser) -> any ReportFormat.Type, emptyAdvice: String,
        pointAt: String, pointNoun: String, looksBinary: @escaping ([UInt8]) -> Bool
    ) {
        self.report = report
        self.parsers = parsers
        self.formats = parsers.map(format)
        self.emptyAdvice = emptyAdvice
        self.pointAt = pointAt
        self.pointNoun = pointNoun
        self.looksBinary = looksBinary
    }

    /// The names users write, in registry order.
    var names: [String] { formats.map { $0.name } }

    /// How many bytes detection reads ahead (the parser still reads them).
    static var prefixLength: Int { 4096 }

    /// The parser for the report, from its first 4 KiB (read ahead: the parser still reads them).
    func detect(_ source: InputSource) throws(GatehouseError) -> Parser {
        let shown = source.displayPath
        let prefix = try source.peek(Self.prefixLength)
        guard !prefix.isEmpty else {
            throw GatehouseError(.invalidReport, "the \(report) is empty (0 bytes). \(emptyAdvice)", at: SourceLocation(file: shown))
        }
        let head = ReportBytes.trimmedPrefix(prefix)
        for (index, format) in formats.enumerated() where format.detect(head) {
            return parsers[index]
        }
        if looksBinary(prefix) {
            throw GatehouseError(
                .invalidReport,
                "this is not a \(report) (it is binary). \(pointAt) \(Self.list(formats.map { $0.title }, "or")) \(pointNoun).",
                at: SourceLocation(file: shown, line: 1))
        }
        throw GatehouseError(
            .invalidReport, "unrecognised \(report) format. Gatehouse reads \(Self.list(formats.map { $0.listed }, "and")).",
            at: SourceLocation(file: shown, line: 1))
    }

    /// "A, B, C or D".
    static func list(_ items: [String], _ conjunction: String) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(conjunction) " + items[items.count - 1]
    }
}
