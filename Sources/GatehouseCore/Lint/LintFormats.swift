/// The lint report formats Gatehouse reads, listed once.
///
/// Adding a format is its parser file (a `LintParser`), one line here and its tests; its row in
/// docs/CONFIG.md's table is checked against this list by a test. Messages list the formats in
/// this order; detection asks them in it too, though at most one claims a report.
enum LintFormats {
    static var all: [any LintParser.Type] {
        [
            SARIFParser.self,
            CheckstyleParser.self,
            ESLintParser.self,
            SwiftLintParser.self,
            RDJSONParser.self,
        ]
    }

    static var family: ReportFamily<any LintParser.Type> {
        ReportFamily(
            report: "lint report", parsers: all, as: { $0 },
            emptyAdvice: "Did the linter run, and write its report with a reporter Gatehouse reads?",
            pointAt: "Point Gatehouse at a", pointNoun: "report",
            looksBinary: LintBytes.looksBinary)
    }
}
