import Foundation

/// SwiftLint `--reporter json` (SwiftLint 0.50 to 0.59, `JSONReporter`): an array of
/// `{"file", "line", "character", "severity": "Warning"|"Error", "type", "rule_id", "reason"}`.
/// `file` is absolute (null for violations without a file); `line` and `character` are null for
/// violations about a whole file.
public enum SwiftLintParser: LintParser {
    public static let name = "swiftlint"
    public static let title = "SwiftLint JSON"
    public static let listed = "SwiftLint `--reporter json`"

    /// A JSON array whose first element has `rule_id` or `reason` (and no ESLint `filePath`), or the
    /// empty array `[]`: SwiftLint writes it for a clean run; ESLint only when it linted no file.
    /// Either way it is zero findings, and ESLint's parser reads it too.
    public static func detect(_ prefix: [UInt8]) -> Bool {
        let json = JSONPrefix.scan(prefix)
        guard json.root == UInt8(ascii: "[") else { return false }
        if json.isEmptyArray { return true }
        return json.firstElementIsObject && !json.has("filePath") && (json.has("rule_id") || json.has("reason"))
    }

    public static func parse(_ source: InputSource) throws(GatehouseError) -> LintReport {
        let displayPath = source.displayPath
        let input = try LintBytes.read(source, formatName: "SwiftLint")
        let json = LintJSONReader(displayPath: displayPath, formatName: "SwiftLint")
        var parser = LintJSON.Parser(input: input, formatName: "SwiftLint")
        parser.skipByteOrderMark()
        var findings = Findings(displayPath: displayPath)
        // Streamed: each violation is built alone (only the members read) and dropped.
        try parser.forEachElement("the document") { (parser) throws(GatehouseError) in
            let node = try parser.object(keeping: violationKeys, "an element of the array")
            let violation = try json.object(node, "an element of the array")
            let severityText = try json.optionalString(violation["severity"], "\"severity\"") ?? "Warning"
            let severity: Severity
            switch severityText.lowercased() {
            case "error": severity = .error
            case "warning": severity = .warning
            default:
                throw json.error("\"severity\" is \"\(InputText.token(severityText))\"; SwiftLint writes Warning or Error. Regenerate the report.", line: violation["severity"]?.line)
            }
            let line = try json.optionalLine(violation["line"], "\"line\"")
            _ = try json.optionalInteger(violation["character"], "\"character\"")
            guard let rule = try json.optionalString(violation["rule_id"], "\"rule_id\""), !rule.isEmpty else {
                throw json.error("a violation has no \"rule_id\". Regenerate the report with swiftlint --reporter json.", line: node.line)
            }
            let reason = try json.optionalString(violation["reason"], "\"reason\"")
            let type = try json.optionalString(violation["type"], "\"type\"")
            let file = try json.optionalString(violation["file"], "\"file\"") ?? ""
            try findings.append(
                Finding.lint(reportPath: file, line: line, severity: severity, rule: rule, message: reason ?? type ?? "", tool: "SwiftLint"), line: node.line)
        }
        try parser.expectEnd()
        return LintReport(file: displayPath, format: format, findings: findings.all)
    }

    private static let violationKeys: Set<String> = ["severity", "line", "character", "rule_id", "reason", "type", "file"]
}

extension LintFormat {
    public static let swiftlint = LintFormat(name: "swiftlint")
}
