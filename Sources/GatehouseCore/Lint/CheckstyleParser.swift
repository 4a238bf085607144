import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Checkstyle XML: what Checkstyle (`-f xml`) writes, and what many other linters offer as an
/// interchange format (ESLint's `checkstyle` formatter, SwiftLint's `checkstyle` reporter,
/// golangci-lint, ktlint, PHP_CodeSniffer).
///
/// `checkstyle/file[@name]/error[@line,@column,@severity,@message,@source]`. Severity `error`,
/// `warning`, `info` map to error, warning, note; `ignore` findings are dropped. A missing severity
/// is an error (Checkstyle's own default severity). The rule is `@source` (Checkstyle writes the
/// check's class name, ESLint the rule id). Parsed with the streaming reader the coverage parsers
/// share, which refuses entity declarations, deep nesting and `<?x?>`.
public enum CheckstyleParser: LintParser {
    public static let name = "checkstyle"
    public static let title = "Checkstyle XML"
    public static let listed = "Checkstyle XML"

    /// XML whose root element is `<checkstyle>`.
    public static func detect(_ prefix: [UInt8]) -> Bool {
        let prolog = XMLProlog.scan(prefix)
        return prolog.outcome == .root && prolog.rootName == "checkstyle"
    }

    public static func parse(_ source: InputSource) throws(GatehouseError) -> LintReport {
        let reader = Reader(displayPath: source.displayPath)
        try XMLReportReader.run(reader, source: source)
        return LintReport(file: source.displayPath, format: format, findings: reader.findings)
    }

    private final class Reader: XMLReportReader {
        var findings: [Finding] = []
        private var file: String?

        init(displayPath: String) { super.init(displayPath: displayPath, formatName: "Checkstyle", producer: "the linter") }

        override func start(_ name: String, _ attributes: [String: String]) throws(GatehouseError) {
            let depth = stack.count
            if depth == 1 {
                guard name == "checkstyle" else {
                    throw error("the root element is <\(InputText.token(name))>, not <checkstyle>. Check that this file is a Checkstyle XML report.")
                }
                return
            }
            switch name {
            case "file" where depth == 2:
                guard let name = attributes["name"] else {
                    throw error("<file> has no name attribute, so its findings belong to no file. Regenerate the Checkstyle report.")
                }
                file = name
            case "error" where depth == 3 && parent == "file":
                let severity: Severity
                switch (attributes["severity"] ?? "error").trimmingCharacters(in: .whitespaces).lowercased() {
                case "error": severity = .error
                case "warning": severity = .warning
                case "info": severity = .note
                case "ignore": return
                case let other:
                    throw error("<error severity=\"\(InputText.token(other))\">: Checkstyle severities are error, warning, info and ignore. Regenerate the report.")
                }
                var line: Int?
                if let raw = attributes["line"], !raw.trimmingCharacters(in: .whitespaces).isEmpty {
                    line = try lineNumber(attributes, "line")
                }
                findings.append(
                    Finding.lint(
                        reportPath: file ?? "", line: line, severity: severity, rule: attributes["source"].flatMap { $0.isEmpty ? nil : $0 },
                        message: attributes["message"] ?? "", tool: "Checkstyle"))
            default:
                break
            }
        }

        override func end(_ name: String) throws(GatehouseError) {
            if name == "file", stack.count == 2 { file = nil }
        }
    }
}

extension LintFormat {
    public static let checkstyle = LintFormat(name: "checkstyle")
}
