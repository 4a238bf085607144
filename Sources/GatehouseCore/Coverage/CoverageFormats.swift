/// The coverage report formats Gatehouse reads, listed once.
///
/// Adding a format is its parser file (a `CoverageParser`), one line here and its tests; its row
/// in docs/CONFIG.md's table is checked against this list by a test. Detection asks the formats
/// in this order, and messages list them in it.
enum CoverageFormats {
    static var all: [any CoverageParser.Type] {
        [
            LCOVParser.self,
            CoberturaParser.self,
            JaCoCoParser.self,
            CloverParser.self,
            LLVMCovJSONParser.self,
            GoCoverprofileParser.self,
            CoveragePyJSONParser.self,
        ]
    }

    static var family: ReportFamily<any CoverageParser.Type> {
        ReportFamily(
            report: "coverage report", parsers: all, as: { $0 },
            emptyAdvice: "Did the test run that writes it fail?",
            pointAt: "Point coverage.reports at an", pointNoun: "file",
            looksBinary: { $0.contains(0) })
    }
}
