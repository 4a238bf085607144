import Foundation

/// ESLint `-f json` (ESLint 8 and 9, the same shape): an array with one object per file linted,
/// `{"filePath", "messages": [{"ruleId", "severity": 1|2, "message", "line", "column", "endLine",
/// "endColumn", "fatal"}], "errorCount", "warningCount", ...}`. Severity 2 is an error, 1 a warning.
/// A parse error is a message with `"fatal": true` and `"ruleId": null` (rule nil, an error).
/// Messages without a line (the "File ignored" warning) are about the whole file.
public enum ESLintParser: LintParser {
    public static let format = LintFormat.eslint

    /// A JSON array whose first element has `filePath`. (`[]` is detected as SwiftLint's; this
    /// parser reads it as zero findings too.)
    public static func detect(_ prefix: [UInt8]) -> Bool {
        let json = JSONPrefix.scan(prefix)
        return json.root == UInt8(ascii: "[") && json.firstElementIsObject && json.has("filePath")
    }

    public static func parse(_ source: InputSource) throws(GatehouseError) -> LintReport {
        let displayPath = source.displayPath
        let bytes = try LintBytes.read(source, formatName: "ESLint")
        let root = try LintJSON.parse(bytes, displayPath: displayPath, formatName: "ESLint")
        let json = LintJSONReader(displayPath: displayPath, formatName: "ESLint")
        var findings: [LintFinding] = []
        for fileNode in try json.array(root, "the document") {
            let file = try json.object(fileNode, "an element of the array")
            guard let filePath = try json.optionalString(file["filePath"], "\"filePath\"") else {
                throw json.error("a file result has no \"filePath\". Regenerate the report with eslint -f json.", line: fileNode.line)
            }
            guard let messagesNode = file["messages"] else {
                throw json.error("the result for \(InputText.token(filePath, limit: 120)) has no \"messages\" array. Regenerate the report with eslint -f json.", line: fileNode.line)
            }
            for messageNode in try json.array(messagesNode, "\"messages\"") {
                let message = try json.object(messageNode, "an element of \"messages\"")
                let fatal: Bool
                switch message["fatal"]?.value {
                case .bool(let value): fatal = value
                case nil, .null: fatal = false
                default: throw json.wrongType(message["fatal"]!, "\"fatal\"", expected: "a boolean")
                }
                let severity: LintFinding.Severity
                switch try json.optionalInteger(message["severity"], "\"severity\"") {
                case 2: severity = .error
                case 1: severity = .warning
                case nil where fatal: severity = .error
                case 0: continue  // "off": ESLint does not report these, but a rule set to 0 is not a finding.
                case let other:
                    throw json.error(
                        "\"severity\" is \(other.map(String.init) ?? "missing"); ESLint writes 1 (warning) or 2 (error). Regenerate the report.",
                        line: message["severity"]?.line ?? messageNode.line)
                }
                let line = try json.optionalLine(message["line"], "\"line\"")
                let endLine = try json.endLine(message["endLine"], "\"endLine\"", start: line)
                _ = try json.optionalInteger(message["column"], "\"column\"")
                let rule = try json.optionalString(message["ruleId"], "\"ruleId\"")
                let text = try json.optionalString(message["message"], "\"message\"") ?? ""
                findings.append(
                    LintFinding(path: filePath, line: line, endLine: endLine, severity: fatal ? .error : severity, rule: rule, message: text, tool: "ESLint"))
            }
        }
        return LintReport(file: displayPath, format: format, findings: findings)
    }
}
