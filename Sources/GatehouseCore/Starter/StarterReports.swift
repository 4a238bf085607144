/// The coverage and lint reports `gatehouse init` turns gates on for: those the project's tools
/// already wrote into the work tree, else what each detected language's usual tools write, with
/// the command that writes them.
public struct StarterReports: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        /// The path or glob from the top of the work tree.
        public var report: String
        /// How to produce it.
        public var how: String
        /// Whether the file is in the work tree already.
        public var found: Bool
    }

    public var coverage: [Entry]
    public var lint: [Entry]

    /// What each language's usual tools write, in a format Gatehouse reads.
    static let usualCoverage: [(StarterLanguage, String, String)] = [
        (.swift, ".build/debug/codecov/*.json", "swift test --enable-code-coverage"),
        (.go, "coverage.out", "go test -coverprofile=coverage.out ./..."),
        (.javascript, "coverage/lcov.info", "jest --coverage, or vitest run --coverage --coverage.reporter=lcov"),
        (.python, "coverage.xml", "pytest --cov --cov-report=xml, or coverage run -m pytest && coverage xml"),
        (.ruby, "coverage/lcov.info", "SimpleCov with the simplecov-lcov formatter"),
        (.java, "build/reports/jacoco/test/jacocoTestReport.xml", "gradle test jacocoTestReport"),
        (.rust, "lcov.info", "cargo llvm-cov --lcov --output-path lcov.info"),
    ]

    static let usualLint: [(StarterLanguage, String, String)] = [
        (.swift, "swiftlint.json", "swiftlint lint --reporter json > swiftlint.json"),
        (.javascript, "eslint.json", "eslint . --format json --output-file eslint.json"),
        (.python, "ruff.sarif", "ruff check --output-format sarif --output-file ruff.sarif"),
        (.java, "build/reports/checkstyle/main.xml", "gradle checkstyleMain"),
        (.rust, "clippy.sarif", "cargo clippy --message-format=json | clippy-sarif > clippy.sarif"),
    ]

    /// Report files `init` looks for in the work tree, by kind: what common tools write by default.
    public static let candidates: [(path: String, coverage: Bool, how: String)] = [
        ("coverage.xml", true, "coverage.py's Cobertura XML (coverage xml, pytest --cov-report=xml)"),
        ("coverage/lcov.info", true, "an LCOV report (jest, vitest, c8, SimpleCov)"),
        ("lcov.info", true, "an LCOV report"),
        ("coverage.out", true, "a Go coverprofile (go test -coverprofile=coverage.out)"),
        ("coverage/cobertura-coverage.xml", true, "a Cobertura report (jest, nyc, c8)"),
        ("build/reports/jacoco/test/jacocoTestReport.xml", true, "JaCoCo XML (gradle jacocoTestReport)"),
        ("target/site/jacoco/jacoco.xml", true, "JaCoCo XML (mvn jacoco:report)"),
        ("ruff.sarif", false, "ruff's SARIF (ruff check --output-format sarif)"),
        ("eslint.json", false, "ESLint's JSON (eslint --format json)"),
        ("swiftlint.json", false, "SwiftLint's JSON (swiftlint --reporter json)"),
        ("build/reports/checkstyle/main.xml", false, "Checkstyle XML (gradle checkstyleMain)"),
        ("target/checkstyle-result.xml", false, "Checkstyle XML (mvn checkstyle:check)"),
    ]

    /// Reports found in the work tree come first; a language none of them covers gets its usual
    /// tools' report. With neither, coverage asks for an LCOV report, and lint stays off.
    public static func choose(languages: [StarterLanguage], existing: Set<String>) -> StarterReports {
        var coverage: [Entry] = []
        var lint: [Entry] = []
        for candidate in candidates where existing.contains(candidate.path) {
            let entry = Entry(report: candidate.path, how: candidate.how, found: true)
            if candidate.coverage { coverage.append(entry) } else { lint.append(entry) }
        }
        func add(_ usual: [(StarterLanguage, String, String)], to entries: inout [Entry], foundAlready: Bool) {
            // A report found in the work tree shows what the project runs; guessing others beside
            // it would fail CI for reports nobody writes.
            guard !foundAlready else { return }
            for (language, report, how) in usual where languages.contains(language) && !entries.contains(where: { $0.report == report }) {
                entries.append(Entry(report: report, how: how, found: false))
            }
        }
        add(usualCoverage, to: &coverage, foundAlready: !coverage.isEmpty)
        add(usualLint, to: &lint, foundAlready: !lint.isEmpty)
        if coverage.isEmpty {
            coverage = [Entry(report: "coverage/lcov.info", how: CoverageFormats.all.map { $0.title }.joined(separator: ", "), found: false)]
        }
        return StarterReports(coverage: coverage, lint: lint)
    }
}
